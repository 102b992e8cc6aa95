"""What an attachment's extraction becomes in the archive, one rule for the crawl's attachments
pipeline and for the extraction jobs that finish its work later (crawler/jobs.py): the stored
text of one file, and a report's `attachment_text` joined from its files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crawler.cleaning import normalize_text
from crawler.extract import Extraction, Limits

TEXT_STATUSES = ("ok", "ocr")  # the extraction read the file: its text is the report's too


def waiting_status(kind: str) -> str:
    """The status of an attachment whose `kind` work (``extract``, ``ocr``) waits in the
    extraction queue."""
    return f"{kind}_queued"


def ocr_deferred(settings: Any) -> bool:
    """OCR is left to `ocr` jobs (OCR_DEFERRED, with OCR on at all)."""
    return settings.getbool("OCR_ENABLED") and settings.getbool("OCR_DEFERRED")


def extraction_limits(settings: Any) -> Limits:
    """The limits the crawl extracts attachments with, and an `extract` job with the same
    settings too: without OCR when OCR is deferred."""
    return Limits.from_settings(settings, ocr=False if ocr_deferred(settings) else None)


def stored_fields(result: Extraction, defer_ocr: bool = False) -> dict[str, str | None]:
    """The attachment columns an extraction fills (its text normalized as the crawl stores it);
    with `defer_ocr`, a file only OCR can read waits for its `ocr` job instead."""
    if defer_ocr and result.needs_ocr:
        status, error = waiting_status("ocr"), None
    else:
        status, error = result.status, result.error
    return {
        "mime": result.mime,
        "method": result.method,
        "status": status,
        "error": error,
        "text": normalize_text(result.text) if result.text else None,
    }


def joined_text(files: Iterable[tuple[str | None, str | None]]) -> str | None:
    """A report's attachment text from its files' (status, text), in the report's order."""
    texts = [text for status, text in files if status in TEXT_STATUSES and text]
    return "\n\n".join(texts) or None
