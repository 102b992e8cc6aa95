"""Where a run's log goes: the whole log to a file per run beside the archive (the last
CRAWL_LOGS_KEEP kept), warnings to stderr, so cron mails the summary and the warnings only."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.settings import Settings

LOG_GLOB = "crawl-*.log"


def log_to_file(settings: Settings, run_id: str) -> Path | None:
    """Point LOG_FILE at `<archive dir>/logs/crawl-<run_id>.log` unless one was given; rotate."""
    if settings.get("LOG_FILE"):
        return None
    logs = Path(settings.get("ARCHIVE_PATH")).resolve().parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # keep N-1 old logs, so that with this run's log there are N
    rotate(logs, max(settings.getint("CRAWL_LOGS_KEEP", 30) - 1, 0))
    path = logs / f"crawl-{run_id}.log"
    settings.set("LOG_FILE", str(path), priority="cmdline")
    return path


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` run logs in `folder`; return the deleted paths.

    Run ids start with their UTC start time, so name order is age order."""
    logs = sorted(folder.glob(LOG_GLOB))
    doomed = logs[: max(len(logs) - keep, 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


class _ClearLineFormatter(logging.Formatter):
    # On a terminal the progress line is on stderr too: wipe it before a warning takes its place.
    def format(self, record: logging.LogRecord) -> str:
        return "\r\x1b[K" + super().format(record)


def warnings_to_stderr(terminal: bool) -> logging.Handler:
    """Warnings and errors of every logger on stderr, one line each (the file gets everything)."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    formatter = _ClearLineFormatter if terminal else logging.Formatter
    handler.setFormatter(formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return handler
