"""Live progress on a terminal: a table of every portal of the run (pages fetched, reports found,
their rates, elapsed time) and their totals, redrawn in place on stderr by rich, which fits it to
the terminal's width. Off when stderr is not a TTY (cron, pipes), so logs and mail stay clean.

Setting PROGRESS_ENABLED: None (default) = only on a TTY while the log goes to a file (as under
`govreports crawl`), True/False to force.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
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


@dataclass
class PortalRow:
    name: str
    stats: Any  # the crawler's stats collector (get_value)
    started: float
    finished: float | None = None

    def counts(self) -> tuple[int, int]:
        return (
            self.stats.get_value("downloader/response_count", 0) or 0,
            self.stats.get_value("portal/reports_found", 0) or 0,
        )


@dataclass
class Board:
    """Every portal of the process (all spiders of a run share it), as a rich table."""

    started: float
    rows: dict[str, PortalRow] = field(default_factory=dict)

    def add(self, name: str, stats: Any, now: float) -> None:
        self.rows[name] = PortalRow(name, stats, now)

    def finish(self, name: str, now: float) -> None:
        if name in self.rows:
            self.rows[name].finished = now

    @property
    def done(self) -> bool:
        return all(row.finished is not None for row in self.rows.values())

    def table(self, now: float):
        from rich.table import Table

        table = Table(
            title=f"govreports crawl · {_clock(now - self.started)}",
            title_justify="left",
            expand=False,
            box=None,
            pad_edge=False,
        )
        for header in ("portal", "pages", "pages/s", "reports", "reports/s", "time", ""):
            table.add_column(header, justify="left" if header in ("portal", "") else "right")
        pages_total = reports_total = 0
        for row in self.rows.values():
            pages, reports = row.counts()
            pages_total, reports_total = pages_total + pages, reports_total + reports
            elapsed = max((row.finished or now) - row.started, 1e-9)
            table.add_row(
                row.name,
                str(pages),
                f"{pages / elapsed:.1f}",
                str(reports),
                f"{reports / elapsed:.2f}",
                _clock(elapsed),
                "done" if row.finished is not None else "…",
            )
        elapsed = max(now - self.started, 1e-9)
        table.add_row(
            "total",
            str(pages_total),
            f"{pages_total / elapsed:.1f}",
            str(reports_total),
            f"{reports_total / elapsed:.2f}",
            _clock(elapsed),
            f"{sum(r.finished is not None for r in self.rows.values())}/{len(self.rows)} done",
            style="bold",
        )
        return table


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class Display:
    """The board drawn with rich.live on stderr; anything else for stderr goes above it."""

    def __init__(self, board: Board, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.live import Live

        self.board = board
        self.console = Console(file=stream, stderr=True)
        # redrawn from the reactor's clock (draw), never from a thread of rich's own
        self.live = Live(console=self.console, auto_refresh=False, transient=True)
        self.live.start()

    def draw(self) -> None:
        self.live.update(self.board.table(time.monotonic()), refresh=True)

    def print_above(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        self.live.stop()


_display: Display | None = None
_loop: task.LoopingCall | None = None


def active_display() -> Display | None:
    """The live table if one is drawn now (a warning is then printed above it)."""
    return _display


class ProgressExtension:
    """Registers its crawler on the shared board; the first one starts the redraw loop, the last
    one to close stops it and clears the table."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 0.5)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        setting = crawler.settings.get("PROGRESS_ENABLED")
        # `scrapy crawl` logs to the terminal itself: a redrawn table would tear its log lines
        logs_elsewhere = bool(crawler.settings.get("LOG_FILE"))
        if not progress_enabled(setting) or (setting is None and not logs_elsewhere):
            raise NotConfigured  # silently: a message would be a warning in every cron mail
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        global _display, _loop
        now = time.monotonic()
        if _display is None:
            _display = Display(Board(now), sys.stderr)
        _display.board.add(spider.name, self.crawler.stats, now)
        if _loop is None:
            _loop = task.LoopingCall(_display.draw)
            _loop.start(self.interval, now=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        global _display, _loop
        if _display is None:
            return
        _display.board.finish(spider.name, time.monotonic())
        if _display.board.done:
            if _loop is not None and _loop.running:
                _loop.stop()
            _display.stop()
            _display, _loop = None, None
