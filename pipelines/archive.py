"""Store each report (raw bytes, captures, cleaned text, attachments, sightings) in one
transaction on the archive's writer thread."""

from __future__ import annotations

import logging
import os

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from crawler import places
from crawler.archive import Archive, ArchiveUnavailable
from crawler.archive import writer as archive_writer
from crawler.items import ReportItem

logger = logging.getLogger(__name__)


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
        declared = [getattr(spider, k, None) for k in ("portal_name", "city", "district")]
        if declared[1] and not self.writer.call_sync(_declare_place, spider.name, *declared):
            self.crawler.stats.inc_value("places/unknown")
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


def _declare_place(
    archive: Archive, portal: str, name: str | None, city: str, district: str | None
) -> bool:
    """Record the place the spider declares (its reports get it); False if the division table
    knows no such place. The table takes seconds to load: looked up only when the declaration
    is new or changed."""
    if archive.portal_declaration(portal) == (name, city, district):
        return True
    try:
        place = places.place_of(city, district)
    except places.UnknownPlace as exc:
        logger.warning("%s: %s: its reports get no division code", portal, exc)
        place = None
    archive.declare_portal(portal, name, city, district, place)
    return place is not None
