"""The dedup keys of a report: its canonical URL (set earlier), page sha256 (from provenance) and
the fingerprint of its normalized text.  The decision itself is taken by the archive writer, inside
the transaction that stores the item, so that two twins in flight cannot both become new reports
(see crawler/archive/identity.py)."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.archive import fingerprint
from crawler.items import ReportItem


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        item.text_sha256 = fingerprint(item.text, item.attachment_text)
        if item.text_sha256 is None:
            self.crawler.stats.inc_value("dedup/no_text")
        return item
