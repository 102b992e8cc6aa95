"""Re-clean every report in the archive from its stored raw bytes after the rules improve.

Raw bytes (blobs, captures) are only read. Each page is cleaned with the arguments the crawl's
clean pipeline uses (pipelines/clean.py), so the same bytes give the same text either way; a
changed text goes through the archive's one versioning path (`Archive.revise_text`: the old
text stays a closed version, near-duplicate links follow the new text). Reports are committed
in batches, each report whole: an interrupted reclean leaves every report either as it was or
re-cleaned, and a reader or the next run never waits long on its transaction. The caller holds
the archive's run lock (crawler/lock.py), so no crawl writes meanwhile.

Each report's figures are computed again on the crawl's path: the same ReportSources the
figures pipeline builds (page bytes, the new cleaned text, the stored attachments with their
extraction), the same pure call, the same `Archive.store_figures` the crawl's store uses. A
report whose figures come out as they were is left alone; otherwise a new figure set is opened
and the old one kept, closed.

`refresh_attachment_text` is the same path for a report whose files were read after it was
archived (an OCR job, crawler/jobs.py): its attachment text, then its figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crawler.archive import Archive, CleanedText, fingerprint
from crawler.archive.figures import UNCHANGED
from crawler.archive.recleaning import StoredPage
from crawler.attachment_text import joined_text
from crawler.cleaning.encoding import stored_header_charset
from crawler.cleaning.page import clean_html
from crawler.clock import utc_now
from crawler.figures.report import ReportSources, report_figures

Rules = Callable[[str], "dict | None"]  # portal (spider name) -> its declared rules
# Attachments (PDF, OOXML/zip, OLE2 .doc/.wps/.xls) are not pages: their text is not HTML's.
_NOT_HTML = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
BATCH = 100  # reports per transaction


@dataclass
class RecleanCounts:
    recleaned: int = 0
    changed: int = 0
    skipped: int = 0  # no stored page bytes, or the capture is a PDF/DOC file
    figures_changed: int = 0  # reports whose figures were stored anew
    figures_failed: int = 0  # the figure readers raised: the report keeps its figures


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
    if page is None:
        counts.skipped += 1
        return
    if _is_attachment(page.kind, page.body):
        counts.skipped += 1
        refigure(archive, page, None, rules_for_portal, counts)  # its files may hold tables
        return
    counts.recleaned += 1
    cleaned = clean_page(page, rules_for_portal)
    if cleaned.text != page.text:
        archive.revise_text(report_id, cleaned, utc_now())
        counts.changed += 1
    refigure(archive, page, cleaned, rules_for_portal, counts)


def refresh_attachment_text(
    archive: Archive, report_id: int, rules_for_portal: Rules, counts: RecleanCounts
) -> bool:
    """The report's files were read after it was archived: its attachment text joined again
    from them as the crawl joins it (a new text version if it changed: fingerprint, search
    index and near-duplicate links follow), then its figures computed again.  The page text is
    left as it is (re-cleaning it is `reclean`'s).  True if the attachment text changed."""
    files = archive.report_attachments(report_id)
    text = joined_text((f.status, f.text) for f in files)
    changed = archive.revise_attachment_text(report_id, text, utc_now())
    page = archive.stored_page(report_id)
    if page is not None:
        as_stored = CleanedText(page.text or "", None, page.template_version, [])
        cleaned = None if _is_attachment(page.kind, page.body) else as_stored
        refigure(archive, page, cleaned, rules_for_portal, counts)
    return changed


def refigure(
    archive: Archive,
    page: StoredPage,
    cleaned: CleanedText | None,
    rules_for_portal: Rules,
    counts: RecleanCounts,
) -> None:
    """The report's figures, computed again as the crawl computes them (pipelines/figures.py);
    `cleaned` None: the report's capture is a file, only its attachments are read."""
    rules = (rules_for_portal(page.portal) if page.portal else None) or {}
    sources = ReportSources(
        page=page.body if cleaned is not None else None,
        page_text=cleaned.text if cleaned is not None else page.text,
        template=cleaned.template_version if cleaned is not None else page.template_version,
        attachments=tuple(archive.report_attachments(page.id)),
        encoding=stored_header_charset(page.headers),
        unit=page.unit,
        city=rules.get("city"),
        district=rules.get("district"),
    )
    try:
        result = report_figures(sources)
    except Exception:  # a reader's bug: the report keeps the figures it has
        counts.figures_failed += 1
        return
    if archive.store_figures(page.id, result, utc_now()) != UNCHANGED:
        counts.figures_changed += 1


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
