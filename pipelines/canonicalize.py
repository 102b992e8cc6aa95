"""One canonical URL per report: post_/mpost_ twins, http/https and migrated hosts collapse."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ReportItem


class CanonicalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalizePipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        # The spider knows its portal's twins and host migrations; the pipeline only applies them.
        try:
            item.canonical_url = self.crawler.spider.canonical_url(item.url)
        except ValueError:  # a URL urlsplit cannot read ("http://[::1"): itself is its identity
            self.crawler.stats.inc_value("canonicalize/unparsable_url")
            item.canonical_url = item.url
        return item
