"""What an attachment's extraction becomes in the archive, one rule for the crawl's attachments
pipeline and for the extraction jobs that finish its work later (crawler/jobs.py): the stored
text of one file, and a report's `attachment_text` joined from its files."""

from __future__ import annotations

from collections.abc import Iterable

from crawler.cleaning import normalize_text
from crawler.extract import Extraction

TEXT_STATUSES = ("ok", "ocr")  # the extraction read the file: its text is the report's too


def waiting_status(kind: str) -> str:
    """The status of an attachment whose `kind` work (``ocr``) waits in the extraction queue."""
    return f"{kind}_queued"


def stored_fields(result: Extraction) -> dict[str, str | None]:
    """The attachment columns an extraction fills (its text normalized as the crawl stores it)."""
    return {
        "mime": result.mime,
        "method": result.method,
        "status": result.status,
        "error": result.error,
        "text": normalize_text(result.text) if result.text else None,
    }


def joined_text(files: Iterable[tuple[str | None, str | None]]) -> str | None:
    """A report's attachment text from its files' (status, text), in the report's order."""
    texts = [text for status, text in files if status in TEXT_STATUSES and text]
    return "\n\n".join(texts) or None
