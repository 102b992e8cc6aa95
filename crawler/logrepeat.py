"""A log that a hostile portal cannot grow without bound: each line of code logs at most
LOG_REPEAT_MAX records a run, then one in every power of ten, each saying how many it stands for.

LOG_VALUE_MAX (crawler/logformatter.py) bounds each record; this bounds how many. A portal can
make the crawler fail as often as it has links (20,000 requests a portal with the default budget,
more with re-posts and attachments), and each failure logs from the same few lines of code
(Scrapy's "Error downloading", a pipeline's warning): without a count per line, the log grows
with the portal. With it, the log is at most (lines of code that log) x (LOG_REPEAT_MAX +
log10 of the failures) records, whatever the portal does. Stats and the run summary still count
every failure: nothing is lost but the repetition. At spider close, one line per call site says
how many of its records were left out.
"""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals
from scrapy.crawler import Crawler

DEFAULT_REPEAT_MAX = 100
_Site = tuple[str, int, str, int]  # logger, level, file, line

logger = logging.getLogger(__name__)


class RepeatedRecords(logging.Filter):
    """Lets through the first `limit` records of each call site, then the 10^k-th ones."""

    def __init__(self, limit: int = DEFAULT_REPEAT_MAX) -> None:
        super().__init__()
        self.limit = limit
        self.seen: Counter[_Site] = Counter()
        self.reported: Counter[_Site] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        mark = f"_repeat_pass_{id(self)}"
        decided = getattr(record, mark, None)
        if decided is not None:
            return decided  # one record, several handlers: count it once
        site = (record.name, record.levelno, record.pathname, record.lineno)
        self.seen[site] += 1
        count = self.seen[site]
        keep = self.limit <= 0 or count <= self.limit or _power_of_ten(count)
        if keep and count > self.limit > 0:
            self._mark(record, count)
        setattr(record, mark, keep)
        return keep

    def _mark(self, record: logging.LogRecord, count: int) -> None:
        # appended to the template, not to the formatted text: CappedValues then cuts the
        # arguments, not the note
        note = f"only the first {self.limit:,} and every power of ten are logged"
        record.msg = f"{record.msg} [record {count:,} from this line; {note}]"

    def left_out(self) -> dict[_Site, int]:
        """How many records each call site had that were not logged (since the last call)."""
        out = {}
        for site, count in self.seen.items():
            total = max(0, count - self.limit - _powers_of_ten_between(self.limit, count))
            if self.limit > 0 and total > self.reported[site]:
                out[site] = total - self.reported[site]
                self.reported[site] = total
        return out


def _power_of_ten(count: int) -> bool:
    text = str(count)
    return text[0] == "1" and set(text[1:]) <= {"0"}


def _powers_of_ten_between(low: int, high: int) -> int:
    """Powers of ten p with low < p <= high."""
    return sum(1 for k in range(1, len(str(high)) + 1) if low < 10**k <= high)


class LogRepeatCap:
    """Extension: a RepeatedRecords (LOG_REPEAT_MAX) on every root handler while the crawl runs,
    and, when the spider closes, a line per call site that was cut. Installed when the engine
    starts and removed when the spider closes: counts belong to one run, and a crawler that
    never runs (a test's) leaves no filter behind."""

    def __init__(self, crawler: Crawler) -> None:
        self.filter = RepeatedRecords(crawler.settings.getint("LOG_REPEAT_MAX", DEFAULT_REPEAT_MAX))
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogRepeatCap:
        return cls(crawler)

    def engine_started(self) -> None:
        for handler in logging.getLogger().handlers:
            if self.filter not in handler.filters:
                handler.filters.insert(0, self.filter)  # before CappedValues rewrites the record

    def spider_closed(self, spider: object) -> None:
        for (name, _level, path, line), count in sorted(self.filter.left_out().items()):
            logger.warning(
                "%s records from %s (%s:%d) were not logged", f"{count:,}", name, path, line
            )
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self.filter)
