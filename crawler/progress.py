"""A live progress line on a terminal: pages fetched and reports found per portal, redrawn in
place on stderr.  Off when stderr is not a TTY (cron, pipes), so logs and mail stay clean.

Setting PROGRESS_ENABLED: None (default) = only on a TTY while the log goes to a file (as under
`govreports crawl`), True/False to force.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import IO, Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def progress_enabled(setting: Any, stream: IO[str] | None = None) -> bool:
    if setting is not None and setting != "":
        return str(setting).lower() in {"1", "true", "yes", "on"}
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


class Board:
    """One line for every portal of the process (all spiders of a run share it)."""

    def __init__(self, stream: IO[str], started: float) -> None:
        self.stream = stream
        self.started = started
        self.portals: dict[str, Any] = {}  # name -> the crawler's stats collector
        self.closed: set[str] = set()

    def render(self, now: float) -> str:
        parts = [
            f"{name} {stats.get_value('downloader/response_count', 0)} pages "
            f"{stats.get_value('portal/reports_found', 0)} reports"
            + (" done" if name in self.closed else "")
            for name, stats in self.portals.items()
        ]
        elapsed = int(now - self.started)
        return f"crawling {elapsed // 60}:{elapsed % 60:02d}  " + " | ".join(parts)

    def draw(self, now: float | None = None) -> None:
        width = shutil.get_terminal_size((100, 20)).columns - 1
        line = self.render(time.monotonic() if now is None else now)
        self.stream.write("\r\x1b[K" + line[:width])
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


_board: Board | None = None
_loop: task.LoopingCall | None = None


class ProgressExtension:
    """Registers its crawler on the shared Board; the first one starts the redraw loop, the last
    one to close stops it and clears the line."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 0.5)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        setting = crawler.settings.get("PROGRESS_ENABLED")
        # `scrapy crawl` logs to the terminal itself: a redrawn line would tear its log lines
        logs_elsewhere = bool(crawler.settings.get("LOG_FILE"))
        if not progress_enabled(setting) or (setting is None and not logs_elsewhere):
            raise NotConfigured  # silently: a message would be a warning in every cron mail
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        global _board, _loop
        if _board is None:
            _board = Board(sys.stderr, time.monotonic())
        _board.portals[spider.name] = self.crawler.stats
        if _loop is None:
            _loop = task.LoopingCall(_board.draw)
            _loop.start(self.interval, now=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        global _board, _loop
        if _board is None:
            return
        _board.closed.add(spider.name)
        if _board.closed >= set(_board.portals):
            if _loop is not None and _loop.running:
                _loop.stop()
            _board.clear()
            _board, _loop = None, None
