"""Store each report (raw bytes, captures, cleaned text, attachments, sightings) in one
transaction on the archive's writer.  The run's own row is the run lifecycle's
(crawler/lifecycle.py), for `scrapy crawl` and `govreports crawl` alike."""

from __future__ import annotations

import logging

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

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.writer = archive_writer.acquire(self.path)
        try:
            self.writer.open()
        except ArchiveUnavailable as exc:
            self.crawler.stats.set_value("archive/unavailable", str(exc))
            raise CloseSpider("archive_unavailable") from exc
        spider = self.crawler.spider
        declared = [getattr(spider, k, None) for k in ("portal_name", "city", "district")]
        if declared[1] and not self.writer.call_sync(_declare_place, spider.name, *declared):
            self.crawler.stats.inc_value("places/unknown")

    async def process_item(self, item: ReportItem) -> ReportItem:
        result = await self.writer.call(Archive.store, item)
        self.crawler.stats.inc_value(f"archive/{result.outcome}")
        item.extra["report_id"] = result.report_id
        return item

    def close_spider(self) -> None:
        if self.writer is None:
            return
        archive_writer.release(self.writer)
        self.writer = None


def _declare_place(
    archive: Archive, portal: str, name: str | None, city: str, district: str | None
) -> bool:
    """Record the place the spider declares (its reports get it); False if the division table
    knows no such place. Looked up only when the declaration is new or changed."""
    if archive.portal_declaration(portal) == (name, city, district):
        return True
    try:
        place = places.place_of(city, district)
    except places.UnknownPlace as exc:
        logger.warning("%s: %s: its reports get no division code", portal, exc)
        place = None
    archive.declare_portal(portal, name, city, district, place)
    return place is not None
