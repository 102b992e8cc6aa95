"""Where a run's log goes, and what cron mails.

- The whole log goes to a file per run beside the archive (the last CRAWL_LOGS_KEEP kept). It
  begins with the run's settings and ends with its summary, so one file tells what was asked and
  what came of it.
- Warnings go to stderr, each once: those the previous run's log already holds (the portal's
  same dead link, night after night) are counted and told in one line at the end, not repeated.
- Under ``govreports crawl --quiet`` (CRAWL_QUIET) stderr waits for the end of the run: a healthy
  run prints nothing at all, an unhealthy one its new warnings and that one line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any

from scrapy.settings import Settings

from crawler import __version__

LOG_GLOB = "crawl-*.log"
HELD_MAX = 200  # warnings kept for a quiet run's mail; the log file has them all
# Scrapy's LOG_FORMAT: "2026-11-03 02:00:01 [zc_gov_cn] WARNING: message"
_LOGGED = re.compile(
    r"^\S+ \S+ \[(?P<name>[^\]]+)\] (?P<level>WARNING|ERROR|CRITICAL): (?P<msg>.*)$"
)
# Settings worth seeing at the top of a run's log: the politeness, limits and health thresholds
# a run was held to, besides everything set on the command line.
_HEADLINE_PREFIXES = (
    "ARCHIVE_", "AUTOTHROTTLE_", "CONCURRENT_", "DOWNLOAD_", "HEALTH_", "INCREMENTAL_",
    "OCR_", "RETRY_", "ROBOTSTXT_", "CRAWL_", "TELNETCONSOLE_", "REMOTE_CONTROL_", "USER_AGENT",
)  # fmt: skip


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


def previous_log(path: Path) -> Path | None:
    """The run log before ``path`` in its folder (name order is age order)."""
    earlier = [p for p in sorted(path.parent.glob(LOG_GLOB)) if p.name < path.name]
    return earlier[-1] if earlier else None


def write_header(settings: Settings, run_id: str, portals: list[str]) -> None:
    """The run's settings as the first lines of its log (before Scrapy opens the file, which it
    appends to): what this run was asked to do, and under which rules."""
    path = settings.get("LOG_FILE")
    if not path:
        return
    chosen = {
        name: value
        for name, value in sorted(settings.copy_to_dict().items())
        if name.startswith(_HEADLINE_PREFIXES) or settings.getpriority(name) >= 40  # cmdline
    }
    lines = [
        f"govreports {__version__} run {run_id}",
        f"archive {settings.get('ARCHIVE_PATH')}",
        f"portals {', '.join(portals)}",
        "settings " + json.dumps(chosen, ensure_ascii=False, default=str, sort_keys=True),
    ]
    with Path(path).open("a", encoding="utf-8") as out:
        out.write("".join(f"# {line}\n" for line in lines))


def log_summary(settings: Settings, lines: list[str]) -> None:
    """The run's summary as the last lines of its log."""
    path = settings.get("LOG_FILE")
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        out.write("# summary\n" + "".join(f"# {line}\n" for line in lines))


def known_warnings(log: Path | None) -> set[str]:
    """The warnings and errors a run log holds, as keys (logger name, level, message)."""
    if log is None or not log.exists():
        return set()
    keys = set()
    with log.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            match = _LOGGED.match(line.rstrip("\n"))
            if match:
                keys.add(_key(match["name"], match["level"], match["msg"]))
    return keys


def _key(name: str, level: str, message: str) -> str:
    return f"{name}\x1f{level}\x1f{message.splitlines()[0] if message else ''}"


class _ClearLineFormatter(logging.Formatter):
    # On a terminal without the live table, wipe the line before a warning takes its place.
    def format(self, record: logging.LogRecord) -> str:
        return "\r\x1b[K" + super().format(record)


class StderrWarnings(logging.Handler):
    """Warnings and errors of every logger for the person reading stderr (see the module
    docstring): new ones printed (or held, when quiet), known ones counted."""

    def __init__(self, stream: IO[str], known: set[str], quiet: bool, terminal: bool) -> None:
        super().__init__(level=logging.WARNING)
        self.stream, self.known, self.quiet = stream, known, quiet
        formatter = _ClearLineFormatter if terminal and not quiet else logging.Formatter
        self.setFormatter(formatter("%(levelname)s %(name)s: %(message)s"))
        self.held: list[str] = []
        self.dropped = 0
        self.repeated: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if _key(record.name, record.levelname, record.getMessage()) in self.known:
                self.repeated[record.name] += 1
                return
            line = self.format(record)
            if self.quiet:
                if len(self.held) < HELD_MAX:
                    self.held.append(line)
                else:
                    self.dropped += 1
                return
            self._write(line)
        except Exception:  # a logging handler never raises into the crawl
            self.handleError(record)

    def _write(self, line: str) -> None:
        from crawler.progress import active_display

        display = active_display()
        if display is not None:  # above the live table, which redraws below it
            display.print_above(line.removeprefix("\r\x1b[K"))
        else:
            self.stream.write(line + "\n")
            self.stream.flush()

    def finish(self, healthy: bool) -> None:
        """End of run: a quiet healthy run says nothing; otherwise the held warnings, then one
        line for the warnings the previous run had already reported."""
        if self.quiet and healthy:
            return
        for line in self.held:
            self._write(line)
        if self.dropped:
            self._write(f"… and {self.dropped} more warnings: see the run's log")
        if self.repeated:
            total = sum(self.repeated.values())
            where = ", ".join(f"{name} {n}" for name, n in sorted(self.repeated.items()))
            self._write(
                f"{total} warning{'s' if total != 1 else ''} already reported by the previous "
                f"run, not repeated ({where}): see the run's log"
            )
        self.held, self.repeated, self.dropped = [], Counter(), 0


_handler: StderrWarnings | None = None


def warnings_to_stderr(terminal: bool, settings: Settings | None = None) -> logging.Handler:
    """Install the stderr handler for this run (the file gets everything)."""
    global _handler
    log_file = settings.get("LOG_FILE") if settings is not None else None
    known = known_warnings(previous_log(Path(log_file))) if log_file else set()
    quiet = bool(settings is not None and settings.getbool("CRAWL_QUIET"))
    _handler = StderrWarnings(sys.stderr, known, quiet, terminal)
    logging.getLogger().addHandler(_handler)
    return _handler


def finish_warnings(healthy: bool) -> None:
    """What a run's stderr still owes (see StderrWarnings.finish)."""
    if _handler is not None:
        _handler.finish(healthy)


def summary_wanted(settings: Settings | Any, exit_status: int) -> bool:
    """Print the summary? Always, except for a healthy run under --quiet."""
    return not (settings.getbool("CRAWL_QUIET") and exit_status == 0)
