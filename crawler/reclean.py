"""Re-clean every report in the archive from its stored raw bytes after the rules improve.

Raw bytes (blobs, captures) are only read. Where the new text differs, the report's text,
text_sha256, template_version and sections are updated and the old text stays in
report_versions (its open version is closed, the new text opens one), all in one transaction:
an interrupted reclean changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from crawler.archive import Archive, fingerprint
from crawler.archive.recleaning import NewText, StoredPage
from crawler.cleaning.page import clean_html
from crawler.clock import utc_now

Rules = Callable[[str], "dict | None"]
# Attachments (PDF, OOXML/zip, OLE2 .doc/.wps/.xls) are not pages: their text is not HTML's.
_NOT_HTML = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


@dataclass
class RecleanCounts:
    recleaned: int = 0
    changed: int = 0
    skipped: int = 0  # no stored page bytes, or the capture is a PDF/DOC file


def reclean_archive(
    archive: Archive, rules_for_url: Rules, *, portal: str | None = None
) -> RecleanCounts:
    """Re-clean the reports (of one ``portal``, or all) with the current cleaning rules."""
    counts = RecleanCounts()
    now = utc_now()  # as the archive writer stamps
    with archive.transaction():
        for report_id in archive.report_ids(portal):
            page = archive.stored_page(report_id)
            if page is None or _is_attachment(page.kind, page.body):
                counts.skipped += 1
                continue
            counts.recleaned += 1
            new = _cleaned(page, rules_for_url)
            if new.text != page.text:
                archive.replace_text(page, new, now)
                counts.changed += 1
    return counts


def _cleaned(page: StoredPage, rules_for_url: Rules) -> NewText:
    url = page.final_url or page.url or page.canonical_url
    rules = rules_for_url(url) or {}
    cleaned = clean_html(
        page.body,
        url=url,
        content_selector=rules.get("content_selector"),
        title=page.title,
        encoding=_charset(page.headers),
    )
    sha = fingerprint(cleaned.text, page.attachment_text)
    return NewText(cleaned.text, sha, cleaned.template_version, cleaned.sections)


def _is_attachment(kind: str | None, body: bytes | None) -> bool:
    return body is None or kind == "attachment" or bytes(body[:4]).startswith(_NOT_HTML)


def _charset(headers: dict[str, list[str]]) -> str | None:
    """The charset of the stored Content-Type header ({name: [values]}), if any."""
    for name, values in headers.items():
        if name.lower() == "content-type" and values:
            message = Message()
            message["content-type"] = values[0] if isinstance(values, list) else str(values)
            return message.get_content_charset()
    return None
