"""Integration tests crawl the offline sandbox for real: `govreports crawl --sandbox` in a
subprocess (its own reactor), the archive checked against the sandbox's manifest."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrawlRun:
    returncode: int
    stdout: str
    stderr: str
    archive: Path

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.archive) as db:
            return db.execute(sql, params).fetchall()

    def last_run_stats(self) -> dict:
        ((stats,),) = self.query("SELECT stats FROM runs ORDER BY started_at DESC LIMIT 1")
        return json.loads(stats)


def govreports_crawl(archive: Path, *args: str) -> CrawlRun:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "crawl",
            "--sandbox",
            "--archive",
            str(archive),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    return CrawlRun(proc.returncode, proc.stdout, proc.stderr, archive)


@pytest.fixture(scope="session")
def manifest() -> dict:
    import sandbox

    return sandbox.manifest()


@pytest.fixture(scope="session")
def all_portals_run(tmp_path_factory) -> CrawlRun:
    """One crawl of every portal in the sandbox (what `make demo` runs), shared by the modules
    that check it: it is the slowest thing in the suite (OCR of table images)."""
    return govreports_crawl(tmp_path_factory.mktemp("all") / "archive.db")
