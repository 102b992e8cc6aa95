"""One run lifecycle, as a Scrapy extension: `scrapy crawl X` and `govreports crawl X` alike.

Scrapy's own corestats and closespider extensions own a crawl's life through signals; this one
does the same for a govreports run, so that any launcher behaves alike:

- the first spider of a run to open marks dead runs `aborted` (crawler/history.py), writes the
  run's row in `runs` (status `running`) and reads each portal's baseline (how many reports the
  archive holds) before anything is fetched;
- during the crawl it collects the deletion evidence of its portal (crawler/gone.py): what each
  column listed (`report_listed`), which columns were not read completely (`column_incomplete`, a
  list callback that raised), how each listed report URL answered;
- when its spider closes it judges the portal's health (crawler/health.py), records the run's
  listings and marks gone what the run proves deleted (`Archive.mark_gone`);
- when the last portal of the run has closed it writes the run's row (per-portal health, exit
  status, `finished` or `aborted`) and logs the summary.

A run is shared by every crawler of the process that carries its id (`GOVREPORTS_RUN_ID`, set by
`govreports crawl`, which also names the run's portals in `GOVREPORTS_RUN_PORTALS`); a plain
`scrapy crawl X` is a run of one portal under the spider's own run id. `govreports crawl` is a
launcher around this: the lock, the sandbox, the printed summary and the exit status
(crawler/runner.py). `LIFECYCLE_ENABLED = False` turns it off (a crawl that records nothing).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings

from crawler import columns, history, summary
from crawler.archive import Archive, ArchiveUnavailable, ArchiveView
from crawler.archive import writer as archive_writer
from crawler.clock import utc_now
from crawler.gone import Evidence, verdict
from crawler.health import History, PortalHealth, assess
from crawler.incremental import request_kind
from crawler.portal import new_run_id

EXIT_OK, EXIT_UNHEALTHY, EXIT_USAGE, EXIT_LOCKED, EXIT_ARCHIVE = 0, 1, 2, 3, 4
# A run stopped by SIGINT/SIGTERM exits 128 + the signal's number, as a shell reports it.
EXIT_SIGNAL_BASE = 128

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    run_id: str
    exit_status: int
    portals: dict[str, PortalHealth] = field(default_factory=dict)
    status: str = "finished"  # finished | aborted
    aborted_before: list[str] = field(default_factory=list)  # dead runs marked at the start
    signal: int | None = None


class Run:
    """One run of one or more portals: its `runs` row, its portals' baselines and health."""

    def __init__(self, run_id: str, settings: Settings, portals: list[str]) -> None:
        self.run_id = run_id
        self.settings = settings
        self.path = settings.get("ARCHIVE_PATH")
        self.portals = portals
        self.past: dict[str, History] = {}
        self.health: dict[str, PortalHealth] = {}
        self.aborted_before: list[str] = []
        self.signum: int | None = None
        self.result: RunResult | None = None

    def open(self) -> None:
        """Mark dead runs aborted, read each portal's baseline, write this run's row."""
        archive = Archive.open(self.path)
        try:
            self.aborted_before = history.mark_aborted(archive)
            self.past = {p: portal_history(archive, p) for p in self.portals}
            archive.start_run(self.run_id, self.portals, os.getpid())
        finally:
            archive.close()
        for run_id in self.aborted_before:
            log.warning("run %s had died without finishing; marked aborted", run_id)

    def portal_done(self, portal: str, health: PortalHealth) -> None:
        self.health[portal] = health
        if set(self.portals) <= set(self.health):
            self.finish()

    def finish(self) -> RunResult:
        """Write the run's row once every portal is judged (a portal whose spider never ran is
        judged so); the result, the same on every call."""
        if self.result is not None:
            return self.result
        for portal in self.portals:
            if portal not in self.health:
                past = self.past.get(portal, History())
                self.health[portal] = assess(portal, {}, past, self.settings)
        portals = {p: self.health[p] for p in self.portals} | self.health
        status = "aborted" if self.signum or _shut_down(portals) else "finished"
        result = RunResult(self.run_id, exit_status_of(portals, self.signum), portals, status)
        result.aborted_before, result.signal = self.aborted_before, self.signum
        archive = Archive.open(self.path)
        try:
            stats = {p: h.as_dict() for p, h in portals.items()}
            archive.finish_run(self.run_id, stats, result.exit_status, result.status)
        finally:
            archive.close()
        self.result = result
        log.info(summary.header(self.run_id, self.path, result.exit_status, portals))
        for health in portals.values():
            for line in summary.portal_lines(health):
                log.info(line)
        log.info("run %s %s with exit status %s", self.run_id, result.status, result.exit_status)
        return result


# The runs of this process, by archive and run id.
_RUNS: dict[tuple[str, str], Run] = {}


def _key(settings: Settings, run_id: str) -> tuple[str, str]:
    return str(Path(settings.get("ARCHIVE_PATH")).resolve()), run_id


def join_run(settings: Settings, run_id: str, portal: str) -> Run:
    """The run `run_id` of this process, opened (its row written) by its first spider."""
    run = _RUNS.get(_key(settings, run_id))
    if run is None:
        portals = settings.getlist("GOVREPORTS_RUN_PORTALS") or [portal]
        run = Run(run_id, settings, list(portals))
        run.open()
        _RUNS[_key(settings, run_id)] = run
    elif portal not in run.portals:
        run.portals.append(portal)
    return run


def signalled(signum: int) -> None:
    """The process got SIGINT/SIGTERM (the launcher's process tells): unfinished runs end
    `aborted` with exit status 128 + signum."""
    for run in _RUNS.values():
        if run.result is None:
            run.signum = run.signum or signum


def finish_run(run_id: str, settings: Settings, portals: list[str]) -> RunResult:
    """The run's result after its crawl (the launcher calls this): finished by the last spider
    to close, or here, if no spider of it ever opened (its portals judged `spider never ran`)."""
    run = _RUNS.pop(_key(settings, run_id), None)
    if run is None:
        run = Run(run_id, settings, portals)
        run.open()
    return run.finish()


class RunLifecycle:
    """The extension: one instance per crawler (per portal of the run)."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("LIFECYCLE_ENABLED", True):
            raise NotConfigured("LIFECYCLE_ENABLED is off")
        self.crawler = crawler
        self.settings = crawler.settings
        self.evidence = Evidence()
        self.run: Run | None = None
        self.writer: archive_writer.ArchiveWriter | None = None
        connect = crawler.signals.connect
        connect(self.spider_opened, signal=signals.spider_opened)
        connect(self.spider_closed, signal=signals.spider_closed)
        connect(self.response_received, signal=signals.response_received)
        connect(self.spider_error, signal=signals.spider_error)
        connect(self.evidence.list, signal=columns.report_listed)
        connect(self.evidence.column_incomplete, signal=columns.column_incomplete)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLifecycle:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        run_id = getattr(spider, "run_id", None) or self.settings.get("GOVREPORTS_RUN_ID")
        try:
            self.run = join_run(self.settings, run_id or new_run_id(), spider.name)
            self.writer = archive_writer.acquire(self.settings.get("ARCHIVE_PATH"))
        except ArchiveUnavailable as exc:  # the archive pipeline closes the spider and says why
            log.error("run not recorded: %s", exc)
            self.run = None

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        """How a listed report URL answered (after its redirects, on its own host)."""
        if request_kind(request) != "detail":
            return
        listed = (request.meta.get("redirect_urls") or [request.url])[0]
        if urlsplit(listed).hostname != urlsplit(response.url).hostname:
            return  # another host answered: that proves nothing about the portal's page
        self.evidence.answer(listed, response.status)

    def spider_error(self, failure: Any, response: Response, spider: Any) -> None:
        """A list callback that raised has not read the rest of its page."""
        request = getattr(response, "request", None)
        if request is not None and request_kind(request) == "list":
            column = request.meta.get("column")
            self.evidence.column_incomplete(column, f"list callback failed on {response.url}")

    async def spider_closed(self, spider: Any, reason: str) -> None:
        if self.run is None:
            return
        run, portal = self.run, spider.name
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
        health = assess(portal, stats, run.past.get(portal, History()), self.settings)
        try:
            health.gone = await self.mark_gone(health, stats)
        except Exception as exc:  # the run's row must still be written
            log.exception("%s: marking gone failed", portal)
            health.reasons.append(f"errors in the crawler's code: marking gone ({exc!r})")
            health.healthy = False
        finally:
            if self.writer is not None:
                archive_writer.release(self.writer)
                self.writer = None
        run.portal_done(portal, health)

    async def mark_gone(self, health: PortalHealth, stats: dict[str, Any]) -> int:
        """Record what the portal's columns listed; mark gone what the run proves deleted."""
        assert self.run is not None and self.writer is not None
        run, portal = self.run, health.portal
        await self.writer.call(Archive.record_listings, run.run_id, self.evidence.listings())
        judged = verdict(
            health, stats, run.past.get(portal, History()), self.settings, self.evidence
        )
        health.verdict = judged.as_dict()
        if not judged.judged:
            log.info("%s: no report marked gone (%s)", portal, judged.why_not)
            return 0
        for column, reason in sorted(self.evidence.incomplete.items(), key=str):
            log.info("%s: column %s not evidence of deletions (%s)", portal, column, reason)
        gone = await self.writer.call(
            Archive.mark_gone,
            portal,
            run.run_id,
            utc_now(),
            judged.complete_columns,
            judged.legacy,
        )
        if gone:
            log.warning("%s: %d report(s) no longer listed, marked gone", portal, gone)
        return gone


def portal_history(archive: ArchiveView, portal: str) -> History:
    total, live = archive.report_counts(portal)
    return History(reports=total, live=live)


def _shut_down(health: dict[str, PortalHealth]) -> bool:
    return any(h.finish_reason == "shutdown" for h in health.values())


def exit_status_of(health: dict[str, PortalHealth], signum: int | None) -> int:
    if signum:
        return EXIT_SIGNAL_BASE + signum
    return EXIT_OK if all(h.healthy for h in health.values()) else EXIT_UNHEALTHY
