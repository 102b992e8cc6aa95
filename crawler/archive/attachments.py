"""Files linked from a report: one `attachments` row per (report, URL), its bytes in captures."""

from __future__ import annotations

from sqlite_utils import Database

from crawler.archive.captures import store_capture
from crawler.items import AttachmentItem


def store_attachment(db: Database, report_id: int, attachment: AttachmentItem) -> None:
    capture_id = store_capture(db, attachment.capture) if attachment.capture else None
    db["attachments"].upsert(
        {
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
        },
        pk=("report_id", "url"),
    )


def drop_attachments(db: Database, report_id: int) -> None:
    """Detach a report's files (their captures stay): another page now owns the report."""
    db.execute("DELETE FROM attachments WHERE report_id = ?", [report_id])
