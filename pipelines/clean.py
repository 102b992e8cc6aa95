"""Cleaned text: the report and nothing else (chrome stripped, tables as tab-separated rows).

Never raises: a page the cleaner can only read as text is counted as `clean/degraded/<why>`, one
it cannot read at all as `clean/failed/<exception>` and archived with its title as its text."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.cleaning import Cleaned, clean_html
from crawler.cleaning.encoding import stored_header_charset
from crawler.items import ReportItem

log = logging.getLogger(__name__)


class CleanPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        stats = self.crawler.stats
        try:
            cleaned = clean_html(
                item.capture.body,
                url=item.url,
                content_selector=item.content_selector,
                title=item.title,
                # the header the crawl decoded with (crawler/decoding.py): same rule, same text
                encoding=stored_header_charset(item.capture.headers),
            )
        except Exception as exc:  # hostile bytes the cleaner has not met: keep the report
            # Its raw bytes are archived and `govreports reclean` can clean it once fixed.
            reason = type(exc).__name__
            stats.inc_value(f"clean/failed/{reason}")
            log.warning("cleaning failed (%s) on %s; archived with its title only", exc, item.url)
            cleaned = Cleaned(item.title or "", [], None, "failed", reason)
        if cleaned.degraded:
            stats.inc_value(f"clean/degraded/{cleaned.degraded}")
        item.text = cleaned.text
        item.sections = cleaned.sections
        item.template_version = cleaned.template_version
        stats.inc_value(f"clean/method/{cleaned.method}")
        return item
