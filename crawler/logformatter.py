"""Log lines that stay small: an item is named by its URL, never dumped with its raw bytes, and no
logged value is longer than LOG_VALUE_MAX characters.

A hostile portal controls most of what a crawl logs (URLs, titles, bodies in exception messages);
without a cap one failing item logged its raw page and PDFs (192 MB of stderr in one run, which
cron would have mailed). `QuietItemsLogFormatter` (LOG_FORMATTER) shapes Scrapy's own item and
error messages; `LogValueCap` (an extension) puts a `CappedValues` filter on every handler of the
root logger, so that any record from any logger is cut: each argument, the whole message and an
exception's traceback.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from scrapy import logformatter
from scrapy.crawler import Crawler

DEFAULT_VALUE_MAX = 1000
# A traceback holds the exception's message, which may hold anything: keep its end, where the
# exception and the crawler's own frames are.
TRACEBACK_FACTOR = 20


def cap(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was cut."""
    if limit <= 0 or len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters]"


def cap_tail(text: str, limit: int) -> str:
    if limit <= 0 or len(text) <= limit:
        return text
    return f"[{len(text) - limit} characters before] …{text[-limit:]}"


def item_url(item: Any) -> str:
    return str(getattr(item, "url", None) or type(item).__name__)


class QuietItemsLogFormatter(logformatter.LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None):
        return {"level": logging.INFO, "msg": "Dropped: %(reason)s", "args": {"reason": exception}}

    def scraped(self, item: Any, response: Any, spider: Any = None):
        return {"level": logging.DEBUG, "msg": "Archived %(url)s", "args": {"url": item_url(item)}}

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any = None):
        # Scrapy's own message prints the whole item: the page's and every attachment's bytes.
        return {
            "level": logging.ERROR,
            "msg": "Error processing %(url)s",
            "args": {"url": item_url(item)},
        }


class CappedValues(logging.Filter):
    """Cuts a record's arguments, its message and its traceback to size (never drops it)."""

    def __init__(self, limit: int = DEFAULT_VALUE_MAX) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_capped", False):
            return True  # one record goes to several handlers: cut it once
        record._capped = True  # type: ignore[attr-defined]
        try:
            message = self._message(record)
        except Exception:  # a record whose arguments do not fit its message: leave it as it is
            return True
        record.msg, record.args = cap(message, self.limit * 4), None
        if record.exc_info and not record.exc_text:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = cap_tail(text, self.limit * TRACEBACK_FACTOR)
        return True

    def _message(self, record: logging.LogRecord) -> str:
        args = record.args
        if isinstance(args, dict):
            record.args = {key: self._value(value) for key, value in args.items()}
        elif isinstance(args, tuple):
            record.args = tuple(self._value(value) for value in args)
        return record.getMessage()

    def _value(self, value: Any) -> Any:
        if isinstance(value, (int, float, bool)) or value is None:
            return value  # %d and %f need numbers
        if isinstance(value, bytes):
            return cap(repr(value), self.limit)
        text = value if isinstance(value, str) else str(value)
        return cap(text, self.limit) if len(text) > self.limit else value


class LogValueCap:
    """Extension: puts CappedValues on every handler of the root logger (LOG_VALUE_MAX)."""

    def __init__(self, crawler: Crawler) -> None:
        limit = crawler.settings.getint("LOG_VALUE_MAX", DEFAULT_VALUE_MAX)
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, CappedValues) for f in handler.filters):
                handler.addFilter(CappedValues(limit))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogValueCap:
        return cls(crawler)
