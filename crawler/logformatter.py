"""Log lines that name the item without dumping its raw bytes (pages, PDFs) into the log."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


class QuietItemsLogFormatter(logformatter.LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None):
        return {"level": logging.INFO, "msg": "Dropped: %(reason)s", "args": {"reason": exception}}

    def scraped(self, item: Any, response: Any, spider: Any = None):
        url = getattr(item, "url", None)
        return {"level": logging.DEBUG, "msg": "Archived %(url)s", "args": {"url": url}}
