"""What spiders yield and pipelines enrich.

A spider fills the fields it can read off the portal (title, unit, year, date, raw captures);
pipelines add the derived ones (canonical URL, cleaned text, attachment text) and the archive
stores both unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Capture:
    """One HTTP fetch, recorded once from the response: the provenance of every stored byte."""

    url: str  # as requested
    final_url: str  # after redirects
    redirects: list[str]  # every URL of the redirect chain, requested URL first
    referer: str | None  # the list page (or report page) that linked here
    status: int
    headers: dict[str, list[str]]
    fetched_at: str  # ISO 8601, UTC
    sha256: str
    size: int
    body: bytes
    spider: str
    run_id: str
    kind: str = "page"  # "page" | "attachment"
    not_modified: bool = False  # a 304 revalidated the previous capture; body is that capture's
    # where the WARC record of this fetch is (crawler/warc.py): file under the archive's folder
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None


@dataclass
class AttachmentItem:
    url: str
    filename: str  # as linked (the link text or the URL's last segment), unsanitized
    capture: Capture | None = None  # None when the fetch failed
    fetch_error: str | None = None  # e.g. "http_404", "timeout"
    # filled by pipelines.attachments
    mime: str | None = None  # sniffed from the bytes, not the Content-Type
    text: str | None = None
    method: str | None = None  # "pdf_text" | "docx" | "libreoffice" | "spreadsheet" | "ocr" ...
    status: str | None = (
        None  # ok | ocr | extract_queued | ocr_queued | no_text_layer | unsupported | too_large
        # | timeout | corrupt | fetch_failed
    )
    error: str | None = None


@dataclass
class ReportItem:
    portal: str  # spider name, e.g. "zc_gov_cn"
    url: str  # the detail page as linked
    title: str
    capture: Capture
    unit: str | None = None  # 发布机构, e.g. "朱村街道办事处"
    report_year: int | None = None  # the year the report covers (not the publish year)
    published_at: str | None = None  # ISO date or datetime as the page states it
    list_url: str | None = None
    column: str | None = None  # key of the column that listed it (crawler/columns.py)
    home_domain: str | None = None  # the portal's own domain; other hosts carry re-posts
    content_selector: str | None = None  # CSS of the body container on this portal
    attachments: list[AttachmentItem] = field(default_factory=list)
    images: list[AttachmentItem] = field(
        default_factory=list
    )  # <img> inside the body (tables as images)
    # filled by pipelines
    canonical_url: str | None = None
    text: str | None = None
    text_sha256: str | None = None
    template_version: str | None = None  # "pre2019" | "2019" | "2021"
    sections: list[str] = field(default_factory=list)
    attachment_text: str | None = None
    # crawler.figures.report.ReportFigures, from pipelines.figures; None: not computed
    figures: Any = None
    # crawler.figures.pagework.PageWork: the page's figures read where it was cleaned
    # (pipelines.clean), taken by pipelines.figures; None: not read there
    page_work: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
