"""Reading reports out of the archive: one report with everything behind it, filtered rows for
exports, raw bytes, and the counts that `status` and a run's health baseline need."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

from crawler.archive.search import Filters, build_sql, parse_query

# What an export row holds, and where each column comes from (r: reports, p: report_places,
# c: the capture the current text was cleaned from). The provenance columns say which fetch of
# which URL, when, with which raw bytes, by which run and govreports version, every row came from.
EXPORT_FIELDS = {
    "id": "r.id",
    "portal": "r.portal",
    "province": "p.province",
    "city": "p.city",
    "county": "p.county",
    "adcode": "p.adcode",
    "unit": "r.unit",
    "unit_name": "p.unit_name",
    "title": "r.title",
    "report_year": "r.report_year",
    "published_at": "r.published_at",
    "template_version": "r.template_version",
    "canonical_url": "r.canonical_url",
    "first_seen": "r.first_seen",
    "last_seen": "r.last_seen",
    "gone_at": "r.gone_at",
    "text_sha256": "r.text_sha256",
    "capture_id": "r.capture_id",
    "fetched_url": "c.url",
    "final_url": "c.final_url",
    "fetched_at": "c.fetched_at",
    "http_status": "c.status",
    "raw_sha256": "c.sha256",
    "run_id": "c.run_id",
    "crawler_version": "c.crawler_version",
    "attachments": """(SELECT json_group_array(json_object('filename', a.filename, 'url', a.url,
        'sha256', a.sha256, 'status', a.status, 'fetched_at', ac.fetched_at))
        FROM attachments a LEFT JOIN captures ac ON ac.id = a.capture_id
        WHERE a.report_id = r.id)""",
    "text": "r.text",
    "attachment_text": "r.attachment_text",
}
EXPORT_COLUMNS = tuple(EXPORT_FIELDS)
_CAPTURE_JOIN = "LEFT JOIN captures AS c ON c.id = r.capture_id"


class ReportNotFound(LookupError):
    """No report with that id in the archive."""


def _rows(db: Database, sql: str, params: Iterable = ()) -> list[dict]:
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def report_detail(db: Database, report_id: int) -> dict:
    """The report row plus every capture behind it, its attachments, versions and sightings."""
    found = _rows(db, "SELECT * FROM reports WHERE id = ?", [report_id])
    if not found:
        raise ReportNotFound(f"no report with id {report_id}")
    report = found[0]
    by_report = [report_id]
    report["attachments"] = _rows(
        db, "SELECT * FROM attachments WHERE report_id = ? ORDER BY id", by_report
    )
    for attachment in report["attachments"]:
        attachment["versions"] = _rows(
            db,
            "SELECT * FROM attachment_versions WHERE attachment_id = ? ORDER BY valid_from, id",
            [attachment["id"]],
        )
    report["versions"] = _rows(
        db, "SELECT * FROM report_versions WHERE report_id = ? ORDER BY valid_from, id", by_report
    )
    report["sightings"] = _rows(
        db, "SELECT * FROM sightings WHERE report_id = ? ORDER BY seen_at, id", by_report
    )
    report["captures"] = _captures(db, report)
    places = _rows(db, "SELECT * FROM report_places WHERE report_id = ?", by_report)
    report["place"] = places[0] if places else None
    return report


def _captures(db: Database, report: dict) -> list[dict]:
    ids = {report["capture_id"]}
    for key in ("attachments", "versions", "sightings"):
        ids |= {row["capture_id"] for row in report[key]}
    for attachment in report["attachments"]:  # an edited file's earlier bytes too
        ids |= {version["capture_id"] for version in attachment["versions"]}
    ids.discard(None)
    marks = ",".join("?" * len(ids))
    captures = _rows(
        db, f"SELECT * FROM captures WHERE id IN ({marks}) ORDER BY fetched_at, id", sorted(ids)
    )
    for capture in captures:
        for key in ("headers", "redirects"):  # stored as JSON text
            capture[key] = json.loads(capture[key]) if capture[key] else None
    return captures


def iter_reports(
    db: Database, filters: Filters | None = None, query: str | None = None
) -> Iterator[dict]:
    """EXPORT_COLUMNS of the reports matching ``filters`` (and ``query``, search syntax), best
    first; ``attachments`` as a JSON array of each file's name, URL, sha256, status, fetch time."""
    terms = parse_query(query) if query else []
    columns = ", ".join(EXPORT_FIELDS.values())
    sql, params = build_sql(terms, filters or Filters(), columns, joins=_CAPTURE_JOIN)
    cursor = db.execute(sql, params)
    for row in cursor:  # streamed: an export of the whole archive never sits in memory
        yield dict(zip(EXPORT_COLUMNS, row, strict=True))


def blob_body(db: Database, sha256: str) -> bytes | None:
    row = db.execute("SELECT body FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def report_urls(db: Database, portal: str) -> list[set[str]]:
    """Every live report of `portal` as the set of URLs it was archived or sighted under."""
    rows = db.execute(
        """SELECT r.id, r.canonical_url, s.url FROM reports r
           LEFT JOIN sightings s ON s.report_id = r.id
           WHERE r.portal = ? AND r.gone_at IS NULL ORDER BY r.id""",
        [portal],
    )
    urls: dict[int, set[str]] = {}
    for report_id, canonical, sighted in rows:
        urls.setdefault(report_id, {canonical}).add(sighted or canonical)
    return list(urls.values())


def report_counts(db: Database, portal: str) -> tuple[int, int]:
    """(every report ever archived for `portal`, of which not marked gone)."""
    total, live = db.execute(
        "SELECT count(*), count(*) FILTER (WHERE gone_at IS NULL) FROM reports WHERE portal = ?",
        [portal],
    ).fetchone()
    return total, live


def portal_counts(db: Database) -> list[tuple[str, int, int]]:
    """(portal, reports, gone) for every portal the archive holds, by portal name."""
    sql = "SELECT portal, count(*), count(gone_at) FROM reports GROUP BY portal ORDER BY portal"
    return [tuple(row) for row in db.execute(sql)]


def reports_by_year(db: Database) -> list[tuple[str, int | None, int]]:
    """(portal, report year, reports) of every report not gone, by portal and year."""
    sql = (
        "SELECT portal, report_year, count(*) FROM reports WHERE gone_at IS NULL "
        "GROUP BY portal, report_year ORDER BY portal, report_year"
    )
    return [tuple(row) for row in db.execute(sql)]


def capture_urls(db: Database) -> list[str]:
    """The URL of every capture, in the order they were stored."""
    return [url for (url,) in db.execute("SELECT url FROM captures ORDER BY id")]


def report_count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM reports").fetchone()[0]


def is_searchable(db: Database) -> None:
    """Raise sqlite3.Error unless the file has the archive's tables, indexes and places."""
    for table in ("reports_fts", "reports_chars", "report_places"):
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
