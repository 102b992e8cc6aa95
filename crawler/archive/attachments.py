"""Files linked from a report: one `attachments` row per (report, URL) holding its current file,
and `attachment_versions`, every file and text it has had, as report_versions does for texts."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from crawler.archive import rows
from crawler.archive.captures import store_capture
from crawler.items import AttachmentItem

# What makes a new version: other bytes, or another text or outcome from the same bytes.
_VERSIONED = ("sha256", "text", "method", "status", "error")


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
