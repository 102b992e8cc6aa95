"""The archive at a glance, for the web UI's pages: reports per portal and year, portals with
their places, a report's place and raw bytes, and the figures tables when they exist."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from crawler.archive import figure_queries


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def year_counts(db: Database) -> list[tuple[str, int | None, int]]:
    """(portal, report year, reports) for every portal and year that has any."""
    sql = """SELECT portal, report_year, count(*) FROM reports
             GROUP BY portal, report_year ORDER BY portal, report_year"""
    return [tuple(row) for row in db.execute(sql)]


def portals(db: Database) -> list[dict[str, Any]]:
    """Every portal with reports or a declaration: its name, place, and what the archive holds."""
    sql = """
      WITH held AS (
        SELECT r.portal, count(*) AS reports, count(r.gone_at) AS gone,
               count(DISTINCT p.unit_name) AS units, min(r.report_year) AS first_year,
               max(r.report_year) AS last_year
        FROM reports r LEFT JOIN report_places p ON p.report_id = r.id GROUP BY r.portal),
      names AS (SELECT portal FROM held UNION SELECT portal FROM portals)
      SELECT n.portal, d.name, d.province, d.city, d.county, d.adcode,
             coalesce(h.reports, 0) AS reports, coalesce(h.gone, 0) AS gone,
             coalesce(h.units, 0) AS units, h.first_year, h.last_year
      FROM names n LEFT JOIN held h ON h.portal = n.portal
      LEFT JOIN portals d ON d.portal = n.portal ORDER BY n.portal"""
    return _dicts(db.execute(sql))


def totals(db: Database) -> dict[str, int]:
    sql = """SELECT (SELECT count(*) FROM reports) AS reports,
                    (SELECT count(*) FROM reports WHERE gone_at IS NOT NULL) AS gone,
                    (SELECT count(*) FROM attachments) AS attachments,
                    (SELECT count(*) FROM captures) AS captures,
                    (SELECT count(DISTINCT unit_name) FROM report_places) AS units"""
    return _dicts(db.execute(sql))[0]


def report_place(db: Database, report_id: int) -> dict[str, Any] | None:
    rows = _dicts(db.execute("SELECT * FROM report_places WHERE report_id = ?", [report_id]))
    return rows[0] if rows else None


def capture_of_report(db: Database, report_id: int, capture_id: int) -> dict[str, Any] | None:
    """A capture behind the report (its page, a version, a sighting or an attachment), with its
    bytes and, for an attachment, the file name it was linked under; None if it is none of them."""
    sql = """
      SELECT c.*, b.body, (SELECT a.filename FROM attachments a
                           WHERE a.report_id = :report AND a.capture_id = c.id) AS filename,
             (SELECT a.mime FROM attachments a
              WHERE a.report_id = :report AND a.capture_id = c.id) AS mime
      FROM captures c LEFT JOIN blobs b ON b.sha256 = c.sha256
      WHERE c.id = :capture AND c.id IN (
        SELECT capture_id FROM reports WHERE id = :report
        UNION SELECT capture_id FROM report_versions WHERE report_id = :report
        UNION SELECT capture_id FROM sightings WHERE report_id = :report
        UNION SELECT capture_id FROM attachments WHERE report_id = :report
        UNION SELECT v.capture_id FROM attachment_versions v
              JOIN attachments a ON a.id = v.attachment_id WHERE a.report_id = :report)"""
    rows = _dicts(db.execute(sql, {"report": report_id, "capture": capture_id}))
    return rows[0] if rows else None


def has_tables(db: Database, *names: str) -> bool:
    marks = ",".join("?" * len(names))
    sql = f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({marks})"
    return db.execute(sql, list(names)).fetchone()[0] == len(names)


def requests_received(db: Database) -> list[dict[str, Any]] | None:
    """依申请公开 requests received per county-level division and report year, as the figures
    command counts them (crawler/archive/figure_queries.py): the county government's own report
    and the sum over its units side by side, never added (a county report may already count its
    departments'). None when the archive has no figures tables yet."""
    if not has_tables(db, "figures", "figure_sets", "units"):
        return None
    rows = figure_queries.requests_received(db, figure_queries.FigureFilters())
    return [
        {
            "place": row["county"] or row["portal"],
            "year": row["year"],
            "county_report": row["county_report"],
            "units_sum": row["units_sum"],
            "units": row["units"],
        }
        for row in rows
    ]


def check_statuses(db: Database) -> list[dict[str, Any]] | None:
    """How the current figures' checks came out, per report year; None without the tables."""
    if not has_tables(db, "checks", "figure_sets"):
        return None
    sql = """
      SELECT s.report_year AS year, c.status, count(*) AS checks
      FROM checks c JOIN figure_sets s ON s.id = c.set_id
      WHERE s.valid_to IS NULL GROUP BY year, c.status ORDER BY year, c.status"""
    return _dicts(db.execute(sql))
