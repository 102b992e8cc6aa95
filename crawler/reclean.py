"""Re-clean every report in the archive from its stored raw bytes after the rules improve.

Raw bytes (blobs, captures) are only read. Each page is cleaned with the arguments the crawl's
clean pipeline uses (pipelines/clean.py), so the same bytes give the same text either way; a
changed text goes through the archive's one versioning path (`Archive.revise_text`: the old
text stays a closed version, near-duplicate links follow the new text). Reports are committed
in batches, each report whole: an interrupted reclean leaves every report either as it was or
re-cleaned, and a reader or the next run never waits long on its transaction. The caller holds
the archive's run lock (crawler/lock.py), so no crawl writes meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crawler.archive import Archive, CleanedText, fingerprint
from crawler.archive.recleaning import StoredPage
from crawler.cleaning.encoding import stored_header_charset
from crawler.cleaning.page import clean_html
from crawler.clock import utc_now

Rules = Callable[[str], "dict | None"]  # portal (spider name) -> its declared rules
# Attachments (PDF, OOXML/zip, OLE2 .doc/.wps/.xls) are not pages: their text is not HTML's.
_NOT_HTML = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
BATCH = 100  # reports per transaction


@dataclass
class RecleanCounts:
    recleaned: int = 0
    changed: int = 0
    skipped: int = 0  # no stored page bytes, or the capture is a PDF/DOC file


def reclean_archive(
    archive: Archive, rules_for_portal: Rules, *, portal: str | None = None, batch: int = BATCH
) -> RecleanCounts:
    """Re-clean the reports (of one ``portal``, or all) with the current cleaning rules."""
    counts = RecleanCounts()
    ids = archive.report_ids(portal)
    for start in range(0, len(ids), batch):
        with archive.transaction():
            for report_id in ids[start : start + batch]:
                _reclean_one(archive, report_id, rules_for_portal, counts)
    return counts


def _reclean_one(
    archive: Archive, report_id: int, rules_for_portal: Rules, counts: RecleanCounts
) -> None:
    page = archive.stored_page(report_id)
    if page is None or _is_attachment(page.kind, page.body):
        counts.skipped += 1
        return
    counts.recleaned += 1
    cleaned = clean_page(page, rules_for_portal)
    if cleaned.text != page.text:
        archive.revise_text(report_id, cleaned, utc_now())
        counts.changed += 1


def clean_page(page: StoredPage, rules_for_portal: Rules) -> CleanedText:
    """The report text of a stored page, as the crawl's clean and dedup pipelines make it: the
    page as requested, the selector of the portal that archived it (a re-post's page too), the
    report's title."""
    url = page.url or page.final_url or page.canonical_url
    rules = (rules_for_portal(page.portal) if page.portal else None) or {}
    cleaned = clean_html(
        page.body,
        url=url,
        content_selector=rules.get("content_selector"),
        title=page.title,
        # the header the crawl decoded with (crawler/decoding.py): same rule, same text
        encoding=stored_header_charset(page.headers),
    )
    sha = fingerprint(cleaned.text, page.attachment_text)
    return CleanedText(cleaned.text, sha, cleaned.template_version, cleaned.sections)


def _is_attachment(kind: str | None, body: bytes | None) -> bool:
    return body is None or kind == "attachment" or bytes(body[:4]).startswith(_NOT_HTML)
