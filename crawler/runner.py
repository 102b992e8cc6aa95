"""One crawl run: every chosen spider in one process, one run id, one row in `runs`,
and an exit status that tells cron the truth (Scrapy itself exits 0 on a failed crawl)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.archive import Archive
from crawler.health import PortalHealth, assess
from crawler.portal import new_run_id

EXIT_OK, EXIT_UNHEALTHY, EXIT_USAGE, EXIT_LOCKED, EXIT_ARCHIVE = 0, 1, 2, 3, 4


@dataclass
class RunResult:
    run_id: str
    exit_status: int
    portals: dict[str, PortalHealth] = field(default_factory=dict)


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
    archive = Archive.open(settings.get("ARCHIVE_PATH"))
    try:
        history = {p: archive_report_count(archive, p) for p in portals}
        archive.start_run(run_id, portals, os.getpid())
    finally:
        archive.close()

    _log_to_file(settings, run_id)
    process = CrawlerProcess(settings)
    _warnings_to_stderr()
    stats: dict[str, dict[str, Any]] = {}
    for portal in portals:
        crawler = process.create_crawler(portal)
        crawler.signals.connect(
            _keep_stats(crawler, stats), signal=signals.spider_closed, weak=False
        )
        process.crawl(crawler)
    process.start()

    health = {p: assess(p, stats.get(p, {}), history[p], settings) for p in portals}
    status = EXIT_OK if all(h.healthy for h in health.values()) else EXIT_UNHEALTHY
    archive = Archive.open(settings.get("ARCHIVE_PATH"))
    try:
        summary = {p: h.as_dict() for p, h in health.items()}
        archive.finish_run(run_id, summary, status, "finished")
    finally:
        archive.close()
    logging.getLogger(__name__).info("run %s finished with exit status %s", run_id, status)
    return RunResult(run_id, status, health)


def _keep_stats(crawler: Crawler, into: dict[str, dict[str, Any]]) -> Callable[..., None]:
    # Stats are read at spider_closed: after the process ends the crawler no longer has them.
    def keep(spider: Any, reason: str) -> None:
        into[spider.name] = {**crawler.stats.get_stats(), "finish_reason": reason}

    return keep


def _log_to_file(settings: Settings, run_id: str) -> None:
    """The full log goes to a file per run beside the archive; the terminal (and cron's mail)
    gets only warnings and the summary."""
    if settings.get("LOG_FILE"):
        return
    logs = Path(settings.get("ARCHIVE_PATH")).resolve().parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    settings.set("LOG_FILE", str(logs / f"crawl-{run_id}.log"), priority="cmdline")


def _warnings_to_stderr() -> None:
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def archive_report_count(archive: Archive, portal: str) -> int:
    row = archive.db.execute("SELECT count(*) FROM reports WHERE portal = ?", [portal]).fetchone()
    return row[0]
