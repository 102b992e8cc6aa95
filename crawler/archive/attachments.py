"""Files linked from a report: one `attachments` row per (report, URL) holding its current file,
and `attachment_versions`, every file and text it has had, as report_versions does for texts.

An attachment stored with a waiting status (`extract_queued`, `ocr_queued`: the crawl deferred its
extraction or OCR) queues the job for its bytes in the same transaction, so a crawl that dies
loses no job; the job's result later becomes a new version of every attachment waiting for those
bytes (`fill_waiting`), and a result that waits in turn (an `extract` job that leaves OCR to an
`ocr` job) queues that job in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from crawler.archive import jobqueue, rows
from crawler.archive.captures import store_capture
from crawler.items import AttachmentItem

# What makes a new version: other bytes, or another text or outcome from the same bytes.
_VERSIONED = ("sha256", "text", "method", "status", "error")
_WAITING = {f"{kind}_queued": kind for kind in jobqueue.KINDS}  # status -> the job it waits for


def store_attachment(db: Database, report_id: int, attachment: AttachmentItem, when: str) -> None:
    """The report's attachment as seen at `when`: a new version if its file or text changed."""
    capture_id = store_capture(db, attachment.capture) if attachment.capture else None
    row = {
        "report_id": report_id,
        "url": attachment.url,
        "filename": attachment.filename,
        "mime": attachment.mime,
        "sha256": attachment.capture.sha256 if attachment.capture else None,
        "capture_id": capture_id,
        "text": attachment.text,
        "method": attachment.method,
        "status": attachment.status,
        "error": attachment.error or attachment.fetch_error,
    }
    if row["status"] in _WAITING and row["sha256"]:
        jobqueue.ensure_queued(db, row["sha256"], _WAITING[row["status"]])
    current = db.execute(
        f"SELECT id, {', '.join(_VERSIONED)} FROM attachments WHERE report_id = ? AND url = ?",
        [report_id, attachment.url],
    ).fetchone()
    if current is None:
        _open_version(db, rows.insert(db, "attachments", row), row, when)
        return
    attachment_id, *before = current
    rows.update(db, "attachments", attachment_id, row)
    if tuple(before) != tuple(row[k] for k in _VERSIONED):
        db.execute(
            "UPDATE attachment_versions SET valid_to = ? WHERE attachment_id = ? AND valid_to IS NULL",
            [when, attachment_id],
        )
        _open_version(db, attachment_id, row, when)


def waiting_file(db: Database, sha256: str, kind: str) -> tuple[bytes, str | None] | None:
    """The bytes of a file whose attachments wait for `kind` work, and one of their names."""
    row = db.execute(
        """SELECT b.body, (SELECT a.filename FROM attachments a
                           WHERE a.sha256 = b.sha256 ORDER BY a.status = ? DESC, a.id LIMIT 1)
           FROM blobs b WHERE b.sha256 = ?""",
        [f"{kind}_queued", sha256],
    ).fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def is_awaited(db: Database, sha256: str, kind: str) -> bool:
    """Some attachment of the file `sha256` waits for `kind` work."""
    sql = "SELECT 1 FROM attachments WHERE sha256 = ? AND status = ? LIMIT 1"
    return db.execute(sql, [sha256, f"{kind}_queued"]).fetchone() is not None


def fill_waiting(
    db: Database, sha256: str, kind: str, fields: dict[str, Any], when: str
) -> list[int]:
    """Every attachment of the file `sha256` waiting for `kind` work gets its result (`fields`:
    mime, text, method, status, error) as a new version; the reports they belong to."""
    waiting = db.execute(
        "SELECT id, report_id, capture_id FROM attachments WHERE sha256 = ? AND status = ?",
        [sha256, f"{kind}_queued"],
    ).fetchall()
    if waiting and fields["status"] in _WAITING:
        jobqueue.ensure_queued(db, sha256, _WAITING[fields["status"]])
    for attachment_id, _, capture_id in waiting:
        rows.update(db, "attachments", attachment_id, fields)
        db.execute(
            "UPDATE attachment_versions SET valid_to = ? WHERE attachment_id = ? AND valid_to IS NULL",
            [when, attachment_id],
        )
        version = {**fields, "sha256": sha256, "capture_id": capture_id}
        _open_version(db, attachment_id, version, when)
    return sorted({report_id for _, report_id, _ in waiting})


def _open_version(db: Database, attachment_id: int, row: dict[str, Any], when: str) -> None:
    version = {k: row[k] for k in (*_VERSIONED, "capture_id")}
    rows.insert(
        db,
        "attachment_versions",
        {"attachment_id": attachment_id, **version, "valid_from": when, "valid_to": None},
    )


def drop_attachments(db: Database, report_id: int) -> None:
    """Detach a report's files (their captures stay): another page now owns the report."""
    db.execute(
        """DELETE FROM attachment_versions
           WHERE attachment_id IN (SELECT id FROM attachments WHERE report_id = ?)""",
        [report_id],
    )
    db.execute("DELETE FROM attachments WHERE report_id = ?", [report_id])
