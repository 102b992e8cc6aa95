"""`govreports crawl`'s run: every chosen spider in one process under one run id.

A launcher only: the run itself (its `runs` row, health, gone marking, summary in the log) is the
run lifecycle's, a Scrapy extension that a plain `scrapy crawl` runs too (crawler/lifecycle.py).
This module names the run, points its log at a file, starts the crawlers, remembers a shutdown
signal (Scrapy stops gracefully and would report success) and hands back the result, whose exit
status tells cron the truth (Scrapy itself exits 0 on a failed crawl).
"""

from __future__ import annotations

import os
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler import lifecycle, runlog
from crawler.lifecycle import (  # noqa: F401  (the exit statuses, named where the CLI uses them)
    EXIT_ARCHIVE,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    EXIT_UNHEALTHY,
    EXIT_USAGE,
    RunResult,
)
from crawler.portal import new_run_id
from crawler.progress import progress_enabled


class _RunProcess(CrawlerProcess):
    """CrawlerProcess that tells the run lifecycle about a shutdown signal, so an interrupted
    run is recorded as aborted and exits 128 + the signal's number."""

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        lifecycle.signalled(signum)
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        lifecycle.signalled(signum)
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
    settings.set("GOVREPORTS_RUN_PORTALS", list(portals), priority="cmdline")
    runlog.log_to_file(settings, run_id)
    runlog.write_header(settings, run_id, portals)
    process = _RunProcess(settings)
    runlog.warnings_to_stderr(progress_enabled(settings.get("PROGRESS_ENABLED")), settings)
    for portal in portals:
        process.crawl(portal)
    process.start()
    return lifecycle.finish_run(run_id, settings, list(portals))
