"""Store each report (raw bytes, captures, cleaned text, attachments, sightings) in one
transaction on the archive's writer thread."""

from __future__ import annotations

import os

from scrapy import signals
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
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

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
        # A run of its own is finished at spider_closed: only then does Scrapy know why the
        # spider stopped (finish_reason), which the run row and a cluster's health need.
        if self.writer is not None and not self.owns_run:
            archive_writer.release(self.writer)
            self.writer = None

    def spider_closed(self, spider: object, reason: str) -> None:
        if self.writer is None:
            return
        if self.owns_run:
            stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
            # stopped by a signal: aborted, as `govreports crawl` records it; any other reason
            # is a finished run that the health checks judge
            status = "aborted" if reason == "shutdown" else "finished"
            exit_status = 0 if reason == "finished" else 1
            self.writer.call_sync(
                Archive.finish_run, self.crawler.spider.run_id, stats, exit_status, status
            )
        archive_writer.release(self.writer)
        self.writer = None
