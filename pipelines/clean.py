"""Cleaned text: the report and nothing else (chrome stripped, tables as tab-separated rows).

Never raises: a page the cleaner can only read as text is counted as `clean/degraded/<why>`, one
it cannot read at all as `clean/failed/<exception>` and archived with its title as its text.

`PooledCleanPipeline` (the one in ITEM_PIPELINES) cleans in worker processes off the reactor
(crawler/cleaning/pool.py, `CLEAN_WORKERS`; 0 cleans inline); `CleanPipeline` cleans inline.
Both call `clean_html` with the same arguments, so the text is the same."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from crawler.cleaning import Cleaned, clean_html
from crawler.cleaning import pool as cleaning_pool
from crawler.cleaning.encoding import stored_header_charset
from crawler.figures.pagework import clean_and_read
from crawler.figures.report import ReportSources
from crawler.items import ReportItem
from pipelines.figures import page_sources, reads_figures
from pipelines.pooled import UsesPagePool

log = logging.getLogger(__name__)


class CleanPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        try:
            cleaned = clean_html(item.capture.body, **arguments(item))
        except Exception as exc:  # hostile bytes the cleaner has not met: keep the report
            cleaned = self.failed(item, exc)
        return self.apply(item, cleaned)

    def failed(self, item: ReportItem, exc: BaseException) -> Cleaned:
        # Its raw bytes are archived and `govreports reclean` can clean it once fixed.
        reason = type(exc).__name__
        self.crawler.stats.inc_value(f"clean/failed/{reason}")
        log.warning("cleaning failed (%s) on %s; archived with its title only", exc, item.url)
        return Cleaned(item.title or "", [], None, "failed", reason)

    def apply(self, item: ReportItem, cleaned: Cleaned) -> ReportItem:
        stats = self.crawler.stats
        if cleaned.degraded:
            stats.inc_value(f"clean/degraded/{cleaned.degraded}")
        item.text = cleaned.text
        item.sections = cleaned.sections
        item.template_version = cleaned.template_version
        stats.inc_value(f"clean/method/{cleaned.method}")
        return item


class PooledCleanPipeline(UsesPagePool, CleanPipeline):
    """The same cleaning in the process's cleaning pool; the reactor only waits for it. When
    the crawl reads figures, the same call reads the page's (crawler/figures/pagework.py): the
    page goes to a worker and is parsed once, and the figures pipeline takes them from
    item.page_work."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.configure_pool(crawler.settings)
        self.figures = reads_figures(crawler.settings)
        self.ocr = crawler.settings.getbool("FIGURES_OCR")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PooledCleanPipeline:
        return cls(crawler)

    async def process_item(self, item: ReportItem) -> ReportItem:  # type: ignore[override]
        if self.pool is None:
            return super().process_item(item)
        kwargs = {"html": item.capture.body, **arguments(item)}
        try:
            if self.figures:
                # the page's reading comes back only for a report with files to read beside it
                files = bool(item.attachments or item.images)
                work = await self.in_pool(clean_and_read, kwargs, self.page_sources(item), files)
                cleaned, item.page_work = work.cleaned, work
            else:
                cleaned = await self.in_pool(cleaning_pool.clean_from_kwargs, kwargs)
        except Exception as exc:  # a dead worker (BrokenProcessPool) too: the next gets a new pool
            cleaned = self.failed(item, exc)
        return self.apply(item, cleaned)

    def page_sources(self, item: ReportItem) -> ReportSources:
        spider = self.crawler.spider
        city, district = getattr(spider, "city", None), getattr(spider, "district", None)
        return page_sources(item, city, district, self.ocr)


def arguments(item: ReportItem) -> dict[str, Any]:
    """`clean_html`'s arguments besides the bytes, the same wherever it runs."""
    return {
        "url": item.url,
        "content_selector": item.content_selector,
        "title": item.title,
        # the header the crawl decoded with (crawler/decoding.py): same rule, same text
        "encoding": stored_header_charset(item.capture.headers),
    }
