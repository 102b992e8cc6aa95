"""Drop what cannot be a report, with a reason that is logged once and counted every time."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.fields import is_report_title
from crawler.items import ReportItem

FIRST_REPORT_YEAR = 2007  # the 条例 took effect 2008-05-01; the earliest reports cover 2007/2008


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        reason = self.problem(item)
        if reason:
            self.crawler.stats.inc_value(f"validate/{reason}")
            if reason not in self._logged:
                self._logged.add(reason)
                self.crawler.spider.logger.warning(
                    "dropping %s (%s); further drops of this kind are only counted",
                    item.url,
                    reason,
                )
            raise DropItem(f"{reason}: {item.url}")
        return item

    def problem(self, item: ReportItem) -> str | None:
        if not item.title:
            return "missing_title"
        if not is_report_title(item.title):
            return "not_a_report_title"
        if item.capture is None or not item.capture.body:
            return "empty_page"
        if item.capture.status >= 400:
            return f"http_{item.capture.status}"
        latest = datetime.now(UTC).year
        if item.report_year is None:
            return "missing_year"
        if not FIRST_REPORT_YEAR <= item.report_year <= latest:
            return "implausible_year"
        return None
