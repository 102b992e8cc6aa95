"""One crawl run: every chosen spider in one process, one run id, one row in `runs`,
and an exit status that tells cron the truth (Scrapy itself exits 0 on a failed crawl)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler import history, runlog
from crawler.archive import Archive, ArchiveView
from crawler.gone import mark_gone_after_run
from crawler.health import History, PortalHealth, assess
from crawler.portal import new_run_id
from crawler.progress import progress_enabled

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


class _RunProcess(CrawlerProcess):
    """CrawlerProcess that remembers the shutdown signal, so an interrupted run is recorded as
    aborted and exits non-zero (Scrapy stops gracefully and would report success)."""

    signum: int | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.signum = self.signum or signum
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.signum = self.signum or signum
        super()._signal_kill(signum, frame)


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(portals: list[str], settings: Settings) -> RunResult:
    """Crawl `portals` into settings['ARCHIVE_PATH']; the caller holds the lock."""
    run_id = new_run_id()
    settings.set("GOVREPORTS_RUN_ID", run_id, priority="cmdline")
    past, aborted = _open_run(settings, run_id, portals)
    runlog.log_to_file(settings, run_id)
    process = _RunProcess(settings)
    runlog.warnings_to_stderr(progress_enabled(settings.get("PROGRESS_ENABLED")))
    for run_id_dead in aborted:
        log.warning("run %s had died without finishing; marked aborted", run_id_dead)
    stats: dict[str, dict[str, Any]] = {}
    for portal in portals:
        crawler = process.create_crawler(portal)
        crawler.signals.connect(
            _keep_stats(crawler, stats), signal=signals.spider_closed, weak=False
        )
        process.crawl(crawler)
    process.start()

    health = {p: assess(p, stats.get(p, {}), past[p], settings) for p in portals}
    mark_gone_after_run(settings, run_id, health, stats)  # complete portals only: health.gone
    result = RunResult(run_id, exit_status_of(health, process.signum), health)
    result.aborted_before, result.signal = aborted, process.signum
    result.status = "aborted" if process.signum else "finished"
    _finish_run(settings, result)
    log.info("run %s %s with exit status %s", run_id, result.status, result.exit_status)
    return result


def _open_run(
    settings: Settings, run_id: str, portals: list[str]
) -> tuple[dict[str, History], list[str]]:
    """Mark dead runs aborted, read each portal's baseline, write this run's row."""
    archive = Archive.open(settings.get("ARCHIVE_PATH"))
    try:
        aborted = history.mark_aborted(archive)
        past = {p: portal_history(archive, p) for p in portals}
        archive.start_run(run_id, portals, os.getpid())
    finally:
        archive.close()
    return past, aborted


def _finish_run(settings: Settings, result: RunResult) -> None:
    archive = Archive.open(settings.get("ARCHIVE_PATH"))
    try:
        summary = {p: h.as_dict() for p, h in result.portals.items()}
        archive.finish_run(result.run_id, summary, result.exit_status, result.status)
    finally:
        archive.close()


def exit_status_of(health: dict[str, PortalHealth], signum: int | None) -> int:
    if signum:
        return EXIT_SIGNAL_BASE + signum
    return EXIT_OK if all(h.healthy for h in health.values()) else EXIT_UNHEALTHY


def _keep_stats(crawler: Crawler, into: dict[str, dict[str, Any]]) -> Callable[..., None]:
    # Stats are read at spider_closed: after the process ends the crawler no longer has them.
    def keep(spider: Any, reason: str) -> None:
        into[spider.name] = {**crawler.stats.get_stats(), "finish_reason": reason}

    return keep


def portal_history(archive: ArchiveView, portal: str) -> History:
    total, live = archive.report_counts(portal)
    return History(reports=total, live=live)
