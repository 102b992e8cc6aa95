"""Reads for the web-archive tools (crawler/webarchive/): which captures' WARC records make up an
export, and every blob and WARC pointer that `govreports verify` re-hashes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

_CAPTURE = (
    "c.id, c.kind, c.url, c.final_url, c.fetched_at, c.sha256, c.not_modified, "
    "c.warc_file, c.warc_offset, c.warc_length"
)


def _rows(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def export_reports(
    db: Database,
    report_id: int | None = None,
    portal: str | None = None,
    year: int | None = None,
    run_id: str | None = None,
) -> list[dict[str, Any]]:
    """Reports to package (id, title, text, canonical_url, capture_id), by one filter or several;
    a run selects the reports sighted in it."""
    where, params = [], []
    if report_id is not None:
        where.append("r.id = ?")
        params.append(report_id)
    if portal:
        where.append("r.portal = ?")
        params.append(portal)
    if year is not None:
        where.append("r.report_year = ?")
        params.append(year)
    if run_id:
        where.append("r.id IN (SELECT report_id FROM sightings WHERE run_id = ?)")
        params.append(run_id)
    sql = "SELECT r.id, r.title, r.text, r.canonical_url, r.capture_id FROM reports r"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return _rows(db, sql + " ORDER BY r.id", params)


def report_captures(db: Database, report_id: int) -> list[dict[str, Any]]:
    """The report's page capture, then its attachments' current captures."""
    page = _rows(
        db,
        f"SELECT {_CAPTURE} FROM reports r JOIN captures c ON c.id = r.capture_id WHERE r.id = ?",
        [report_id],
    )
    files = _rows(
        db,
        f"""SELECT {_CAPTURE} FROM attachments a JOIN captures c ON c.id = a.capture_id
            WHERE a.report_id = ? ORDER BY a.id""",
        [report_id],
    )
    return page + files


def earlier_records(db: Database, sha256: str, before_id: int) -> list[dict[str, Any]]:
    """Earlier captures of the same bytes with a WARC record, newest first: where a revisit's
    original response is."""
    return _rows(
        db,
        f"""SELECT {_CAPTURE} FROM captures c WHERE c.sha256 = ? AND c.id < ?
            AND c.warc_file IS NOT NULL ORDER BY c.id DESC""",
        [sha256, before_id],
    )


def warc_captures(db: Database, run_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Every capture that points at a WARC record (of one run)."""
    sql = f"SELECT {_CAPTURE}, c.run_id FROM captures c WHERE c.warc_file IS NOT NULL"
    params: list[Any] = []
    if run_id:
        sql += " AND c.run_id = ?"
        params.append(run_id)
    cursor = db.execute(sql + " ORDER BY c.id", params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def blobs(db: Database, run_id: str | None = None) -> Iterator[tuple[str, bytes]]:
    """(sha256, body) of every blob (those captured in one run), one at a time."""
    if run_id:
        cursor = db.execute(
            """SELECT b.sha256, b.body FROM blobs b WHERE b.sha256 IN
                 (SELECT sha256 FROM captures WHERE run_id = ?)""",
            [run_id],
        )
    else:
        cursor = db.execute("SELECT sha256, body FROM blobs")
    yield from cursor


def run_ids(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT id FROM runs ORDER BY started_at, rowid")]


def blob_bytes(db: Database) -> int:
    """Bytes of every blob (each distinct body once)."""
    return db.execute("SELECT coalesce(sum(size), 0) FROM blobs").fetchone()[0]
