"""What cron sees: `govreports crawl` run as a separate process (its own reactor, its own
signals), its exit status, stdout (the summary) and stderr (warnings), and the archive after."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = socket.gethostname()
# Portals archived normally beside a broken zc_gov_cn, in order of preference (brief: by or
# qzlc when they exist, else haizhu or qufu); the first with a spider and a sandbox site is used.
COMPANIONS = ("by_gov_cn", "qzlc_gov_cn", "haizhu_gov_cn", "qufu_gov_cn")


@dataclass
class Crawl:
    returncode: int
    stdout: str
    stderr: str
    archive: Path

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def command(archive: Path, *args: str, sandbox: bool = True) -> list[str]:
    # OCR off: the sandbox's scanned attachments cost ~10 s each; health is what is tested here.
    base = [sys.executable, "-m", "crawler.cli", "crawl", "--archive", str(archive)]
    base += ["-s", "OCR_ENABLED=False"]
    return base + (["--sandbox"] if sandbox else []) + list(args)


def crawl(archive: Path, *args: str, sandbox: bool = True, env: dict | None = None) -> Crawl:
    proc = subprocess.run(
        command(archive, *args, sandbox=sandbox),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    return Crawl(proc.returncode, proc.stdout, proc.stderr, archive)


def start_crawl(archive: Path, *args: str) -> subprocess.Popen:
    """A crawl in its own session, so that the test can kill it and its sandbox together."""
    return subprocess.Popen(
        command(archive, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )


def query(archive: Path, sql: str, params: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(f"file:{archive}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def wait_for(archive: Path, sql: str, at_least: int, proc: subprocess.Popen) -> int:
    """Poll the archive until `sql` counts at least `at_least` (the crawl is then mid-way)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"crawl ended early: {proc.communicate()}"
        if archive.exists():
            try:
                (count,) = query(archive, sql)[0]
            except sqlite3.OperationalError:  # tables not created yet
                count = 0
            if count >= at_least:
                return count
        time.sleep(0.1)
    raise AssertionError(f"{sql} never reached {at_least}")


def run_rows(archive: Path) -> list[tuple]:
    return query(
        archive,
        "SELECT id, status, exit_status, finished_at IS NOT NULL FROM runs ORDER BY started_at",
    )


def run_stats(archive: Path, run_id: str) -> dict:
    ((stats,),) = query(archive, "SELECT stats FROM runs WHERE id = ?", (run_id,))
    return json.loads(stats)


def run_id_of(crawl: Crawl) -> str:
    return crawl.lines[0].split()[1]  # "run <id> -> <path> (exit status N...)"


def archived(archive: Path, portal: str) -> set[str]:
    rows = query(archive, "SELECT canonical_url FROM reports WHERE portal = ?", (portal,))
    return {url for (url,) in rows}


def truth(manifest: dict, portal: str) -> set[str]:
    return {r["url"] for r in manifest["reports"] if r["portal"] == portal}


class CountingProxy:
    """A proxy on 127.0.0.1 that answers every request 502 and remembers its first line:
    proof of whether a crawl sent anything at all."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                first = conn.makefile("rb").readline().decode("latin-1").strip()
                self.requests.append(first)
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    def env(self) -> dict[str, str]:
        return {"http_proxy": self.url, "https_proxy": self.url, "no_proxy": ""}

    def __enter__(self) -> CountingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()
