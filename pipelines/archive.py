"""Store each report (raw bytes, captures, cleaned text, attachments, sightings) in one
transaction on the archive's writer thread."""

from __future__ import annotations

import os

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from crawler.archive import Archive, ArchiveUnavailable
from crawler.archive import writer as archive_writer
from crawler.items import ReportItem


class ArchivePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = crawler.settings.get("ARCHIVE_PATH")
        self.writer: archive_writer.ArchiveWriter | None = None
        self.owns_run = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.writer = archive_writer.acquire(self.path)
        try:
            self.writer.open()
        except ArchiveUnavailable as exc:
            self.crawler.stats.set_value("archive/unavailable", str(exc))
            raise CloseSpider("archive_unavailable") from exc
        # `scrapy crawl` alone has no run row yet; `govreports crawl` makes one for all spiders.
        if not self.crawler.settings.get("GOVREPORTS_RUN_ID"):
            self.owns_run = True
            self.writer.call_sync(Archive.start_run, spider.run_id, [spider.name], os.getpid())

    async def process_item(self, item: ReportItem) -> ReportItem:
        result = await self.writer.call(Archive.store, item)
        self.crawler.stats.inc_value(f"archive/{result.outcome}")
        item.extra["report_id"] = result.report_id
        return item

    def close_spider(self) -> None:
        if self.writer is None:
            return
        if self.owns_run:
            spider = self.crawler.spider
            stats = self.crawler.stats.get_stats()
            reason = stats.get("finish_reason", "finished")
            status = "finished" if reason == "finished" else "aborted"
            self.writer.call_sync(
                Archive.finish_run, spider.run_id, stats, 0 if status == "finished" else 1, status
            )
        archive_writer.release(self.writer)
        self.writer = None
