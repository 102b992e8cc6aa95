"""Reading figures out of the archive: the current figures and checks of reports (long format,
with their report and unit), 依申请公开 requests received per district and year, and what
`reclean` needs to recompute a report's figures.

"Current" is each report's open figure set. A unit-year with several current reports (a report
and its correction under another URL) counts once: its latest published report, the rule
crawler/archive/figures.py applies to the cross-year checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from crawler.archive.connection import ArchiveUnavailable
from crawler.figures.report import AttachmentSource
from crawler.figures.units import unit_identity

# The cell that says how many requests a report received: 三/一/总计 in the unified templates,
# the prose's 共收到（受理）申请 N 件 before 2019.
RECEIVED = (("三", "一", "总计"), ("prose", "依申请公开", "收到申请"))

FIGURE_COLUMNS = (
    "report_id", "portal", "county", "unit_key", "unit_level", "publisher", "report_year",
    "title", "url", "template", "section", "row_key", "col_key", "value", "raw", "unit",
    "source", "method", "confidence", "derived", "capture_id",
)  # fmt: skip
CHECK_COLUMNS = (
    "report_id", "portal", "county", "unit_key", "publisher", "report_year", "title", "url",
    "check_id", "scope", "status", "difference", "strength", "left", "right", "missing",
    "earlier_report_id", "earlier_year",
)  # fmt: skip
RECEIVED_COLUMNS = (
    "portal", "county", "year", "county_report", "county_report_id", "units", "units_with_number",
    "units_sum", "units_without_number",
)  # fmt: skip
UNIT_RECEIVED_COLUMNS = (
    "portal", "county", "unit_key", "unit_level", "publisher", "year", "received", "raw",
    "source", "report_id", "title", "url",
)  # fmt: skip


@dataclass(frozen=True)
class FigureFilters:
    portal: str | None = None
    year: int | None = None
    unit: str | None = None  # any spelling: 白云区民政局, 区民政局, 民政局


_CURRENT = """
WITH reps AS (
  SELECT s.id AS set_id, s.report_id, s.unit_id, s.report_year, s.template,
    row_number() OVER (PARTITION BY s.unit_id, s.report_year
                       ORDER BY r.published_at DESC, s.report_id DESC) AS rank
  FROM figure_sets s JOIN reports r ON r.id = s.report_id
  WHERE s.valid_to IS NULL {where}
)
"""


def _where(db: Database, filters: FigureFilters) -> tuple[str, list]:
    """Conditions on figure_sets `s` joined to reports `r`."""
    require_figures(db)
    sql, args = [], []
    if filters.portal:
        sql.append("r.portal = ?")
        args.append(filters.portal)
    if filters.year is not None:
        sql.append("s.report_year = ?")
        args.append(filters.year)
    if filters.unit:
        ids = unit_ids(db, filters.unit, filters.portal)
        sql.append(f"s.unit_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
        args += ids
    return "".join(f" AND {condition}" for condition in sql), args


def require_figures(db: Database) -> None:
    """An archive an older govreports wrote has no figure tables until it is opened for
    writing (a crawl or a reclean migrates it; reclean also computes the figures)."""
    if not db["figure_sets"].exists():
        raise ArchiveUnavailable(
            "this archive holds no figures yet (an older govreports wrote it): "
            "run `govreports reclean` to compute them"
        )


def unit_ids(db: Database, name: str, portal: str | None = None) -> list[int]:
    """The units a name means, however it is spelled: normalised with each portal's city and
    district, as the crawl normalised the units it archived."""
    places = db.execute(
        "SELECT DISTINCT portal, city, district FROM units"
        + (" WHERE portal = ?" if portal else ""),
        [portal] if portal else [],
    ).fetchall()
    ids = []
    for place_portal, city, district in places:
        key = unit_identity(name, city=city, district=district).key
        found = db.execute(
            "SELECT id FROM units WHERE portal = ? AND key = ?", [place_portal, key]
        ).fetchone()
        if found:
            ids.append(found[0])
    return ids


def figure_rows(db: Database, filters: FigureFilters) -> Iterator[dict]:
    """Every current figure of the matching reports, one row per cell."""
    where, args = _where(db, filters)
    sql = f"""
    SELECT s.report_id, r.portal, u.county_name, u.key, u.level, r.unit, s.report_year,
      r.title, r.canonical_url, f.template, f.section, f.row_key, f.col_key, f.value, f.raw,
      f.unit, f.source, f.method, f.confidence, f.derived, f.capture_id
    FROM figure_sets s JOIN reports r ON r.id = s.report_id
    LEFT JOIN units u ON u.id = s.unit_id
    JOIN figures f ON f.set_id = s.id
    WHERE s.valid_to IS NULL {where}
    ORDER BY r.portal, s.report_year, s.report_id, f.id"""
    for row in db.execute(sql, args):
        yield dict(zip(FIGURE_COLUMNS, row, strict=True))


def check_rows(db: Database, filters: FigureFilters, status: str | None = None) -> Iterator[dict]:
    """Every current check (one report's and across years) of the matching reports."""
    where, args = _where(db, filters)
    if status:
        where += " AND c.status = ?"
        args.append(status)
    sql = f"""
    SELECT s.report_id, r.portal, u.county_name, u.key, r.unit, s.report_year, r.title,
      r.canonical_url, c.check_id, c.scope, c.status, c.difference, c.strength, c.cells,
      c.missing, e.report_id, e.report_year
    FROM figure_sets s JOIN reports r ON r.id = s.report_id
    LEFT JOIN units u ON u.id = s.unit_id
    JOIN checks c ON c.set_id = s.id
    LEFT JOIN figure_sets e ON e.id = c.earlier_set_id
    WHERE s.valid_to IS NULL {where}
    ORDER BY r.portal, s.report_year, s.report_id, c.id"""
    for row in db.execute(sql, args):
        out = dict(zip(CHECK_COLUMNS, [*row[:13], None, None, *row[14:]], strict=True))
        cells = json.loads(row[13] or "{}")
        out["left"] = " + ".join(cells.get("left", []))
        out["right"] = " + ".join(cells.get("right", []))
        out["missing"] = ", ".join(json.loads(out["missing"] or "[]"))
        yield out


def requests_received(db: Database, filters: FigureFilters) -> list[dict]:
    """依申请公开 requests received per district (portal) and year: the county-level
    government's own report beside the sum over its streets, towns and departments, each unit
    once. The two are never added up: a district report may already count its departments'.
    A unit whose number is missing adds nothing and is counted in units_without_number."""
    where, args = _where(db, FigureFilters(filters.portal, filters.year))
    cells = " OR ".join("(f.section = ? AND f.row_key = ? AND f.col_key = ?)" for _ in RECEIVED)
    sql = (
        _CURRENT.format(where=where + " AND s.unit_id IS NOT NULL AND s.report_year IS NOT NULL")
        + f"""
    , received AS (
      SELECT reps.report_id, reps.report_year, u.portal, u.county_name, u.level,
        (SELECT f.value FROM figures f WHERE f.set_id = reps.set_id AND ({cells})
         ORDER BY f.section DESC LIMIT 1) AS value
      FROM reps JOIN units u ON u.id = reps.unit_id
      WHERE reps.rank = 1
    )
    SELECT portal, max(county_name), report_year,
      max(CASE WHEN level = 'county' THEN value END),
      max(CASE WHEN level = 'county' THEN report_id END),
      sum(level != 'county'),
      sum(level != 'county' AND value IS NOT NULL),
      sum(CASE WHEN level != 'county' THEN value END),
      sum(level != 'county' AND value IS NULL)
    FROM received GROUP BY portal, report_year ORDER BY portal, report_year"""
    )
    params = [*args, *(part for cell in RECEIVED for part in cell)]
    return [dict(zip(RECEIVED_COLUMNS, row, strict=True)) for row in db.execute(sql, params)]


def requests_received_per_unit(db: Database, filters: FigureFilters) -> list[dict]:
    """依申请公开 requests received per unit and year, one row each: the unit's latest
    published report of the year. `received` is empty when the report left the cell blank or
    "/", or no number was read: never 0."""
    where, args = _where(db, filters)
    cells = " OR ".join("(f.section = ? AND f.row_key = ? AND f.col_key = ?)" for _ in RECEIVED)
    sql = (
        _CURRENT.format(where=where + " AND s.unit_id IS NOT NULL AND s.report_year IS NOT NULL")
        + f"""
    , picked AS (
      SELECT reps.report_id, reps.report_year, reps.unit_id,
        (SELECT f.id FROM figures f WHERE f.set_id = reps.set_id AND ({cells})
         ORDER BY f.section DESC LIMIT 1) AS figure_id
      FROM reps WHERE reps.rank = 1
    )
    SELECT u.portal, u.county_name, u.key, u.level, r.unit, picked.report_year, f.value, f.raw,
      f.source, picked.report_id, r.title, r.canonical_url
    FROM picked JOIN units u ON u.id = picked.unit_id
    JOIN reports r ON r.id = picked.report_id
    LEFT JOIN figures f ON f.id = picked.figure_id
    ORDER BY u.portal, u.key, picked.report_year"""
    )
    params = [*args, *(part for cell in RECEIVED for part in cell)]
    return [dict(zip(UNIT_RECEIVED_COLUMNS, row, strict=True)) for row in db.execute(sql, params)]


def report_attachments(db: Database, report_id: int) -> list[AttachmentSource]:
    """A report's attachments as the extraction left them, with their bytes."""
    cursor = db.execute(
        """SELECT a.url, a.mime, a.status, a.text, b.body FROM attachments a
           LEFT JOIN blobs b ON b.sha256 = a.sha256
           WHERE a.report_id = ? ORDER BY a.id""",
        [report_id],
    )
    return [
        AttachmentSource(url, mime, status, text, body) for url, mime, status, text, body in cursor
    ]


def figure_counts(db: Database) -> dict[str, int]:
    """Reports with current figures, their cells, and their checks by status."""
    require_figures(db)
    sets, cells = db.execute(
        """SELECT count(DISTINCT s.id), count(f.id) FROM figure_sets s
           LEFT JOIN figures f ON f.set_id = s.id WHERE s.valid_to IS NULL"""
    ).fetchone()
    out = {"reports": sets, "cells": cells}
    for status, count in db.execute(
        """SELECT c.status, count(*) FROM checks c JOIN figure_sets s ON s.id = c.set_id
           WHERE s.valid_to IS NULL GROUP BY c.status"""
    ):
        out[f"checks {status}"] = count
    return out
