"""Cleaned text: the report and nothing else (chrome stripped, tables as tab-separated rows)."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.cleaning import clean_html
from crawler.cleaning.encoding import stored_header_charset
from crawler.items import ReportItem


class CleanPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        cleaned = clean_html(
            item.capture.body,
            url=item.url,
            content_selector=item.content_selector,
            title=item.title,
            # the header the crawl decoded with (crawler/decoding.py): same rule, same text
            encoding=stored_header_charset(item.capture.headers),
        )
        item.text = cleaned.text
        item.sections = cleaned.sections
        item.template_version = cleaned.template_version
        self.crawler.stats.inc_value(f"clean/method/{cleaned.method}")
        return item
