"""Crawl a hostile sandbox the way a cron host crawls a portal behind a proxy: the sandbox runs in
this process (its proxy log shows every request that reached it), `govreports crawl` in a child
process that writes its own peak RSS when it exits (tests/hostile/peak_rss.py)."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What `govreports crawl --sandbox` sets (crawler/commands/crawl.py), plus OCR off: hostile cases
# are about the crawl, and OCR would only make them slower.
SANDBOX_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "1",
    "OCR_ENABLED": "False",
}


@dataclass
class HostileRun:
    returncode: int
    stdout: str
    stderr: str
    archive: Path
    peak_rss_mib: float
    proxied: list[str] = field(default_factory=list)  # "GET https://host/path -> 200"

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.archive) as db:
            return db.execute(sql, params).fetchall()

    def stats(self, portal: str) -> dict:
        ((stats,),) = self.query("SELECT stats FROM runs ORDER BY started_at DESC LIMIT 1")
        return json.loads(stats)[portal]


class _ProxyLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def hostile_crawl(
    portal: str | list[str],
    faults: list[str],
    workdir: Path,
    settings: dict[str, str] | None = None,
) -> HostileRun:
    import sandbox

    archive = workdir / "archive.db"
    log = _ProxyLog()
    proxy_logger = logging.getLogger("sandbox.proxy")
    proxy_logger.addHandler(log)
    level = proxy_logger.level
    proxy_logger.setLevel(logging.INFO)
    try:
        with sandbox.running(faults=faults) as box:
            run = _crawl(portal, archive, box.proxy_url, {**SANDBOX_SETTINGS, **(settings or {})})
    finally:
        proxy_logger.removeHandler(log)
        proxy_logger.setLevel(level)
    run.proxied = log.lines
    return run


def _crawl(
    portal: str | list[str], archive: Path, proxy: str, settings: dict[str, str]
) -> HostileRun:
    portals = [portal] if isinstance(portal, str) else portal
    command = [sys.executable, "-m", "tests.hostile.peak_rss", "crawl", *portals]
    command += ["--archive", str(archive)]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    peak = archive.with_suffix(".peak_rss")
    env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
    env["PEAK_RSS_FILE"] = str(peak)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        code = subprocess.run(command, stdout=out, stderr=err, cwd=ROOT, env=env).returncode
        out.seek(0)
        err.seek(0)
        return HostileRun(
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            archive,
            int(peak.read_text()) / 1024,
        )
