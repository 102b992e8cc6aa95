"""Scrapyd daemons on 127.0.0.1 for tests: each in its own directory (config, eggs, logs) on
its own port, started and stopped by the test; the sandbox proxy reaches jobs through the
daemon's environment, as a node behind a proxy would."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CONFIG = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
max_proc = {slots}
poll_interval = 0.5
eggs_dir = eggs
logs_dir = logs
dbs_dir = dbs
jobs_to_keep = 50
"""


@dataclass
class Daemon:
    name: str
    url: str
    slots: int
    directory: Path
    process: subprocess.Popen

    def kill(self) -> None:
        """SIGKILL the daemon and the crawls it started: a machine gone at once."""
        for pid in _children(self.process.pid):
            _kill(pid)
        _kill(self.process.pid)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill()


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_daemon(name: str, directory: Path, slots: int, proxy: str) -> Daemon:
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (directory / "scrapyd.conf").write_text(CONFIG.format(port=port, slots=slots))
    env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
    log = (directory / "scrapyd.out").open("wb")
    scrapyd = Path(sys.executable).with_name("scrapyd")
    process = subprocess.Popen(
        [str(scrapyd)], cwd=directory, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    daemon = Daemon(name, f"http://127.0.0.1:{port}", slots, directory, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"scrapyd {name} exited: {(directory / 'scrapyd.out').read_text()}")
        try:
            with urllib.request.urlopen(f"{daemon.url}/daemonstatus.json", timeout=2) as answer:
                if json.load(answer)["status"] == "ok":
                    return daemon
        except OSError:
            time.sleep(0.2)
    daemon.stop()
    raise RuntimeError(f"scrapyd {name} did not answer on {daemon.url}")


def nodes_toml(
    daemons: list[Daemon],
    shard_dir: Path,
    tags: dict[str, list[str]] | None = None,
    portal_tags: dict[str, str] | None = None,
) -> str:
    lines = [f'shard_dir = "{shard_dir}"', "poll_seconds = 0.5", "dead_after = 2", ""]
    for d in daemons:
        node_tags = json.dumps((tags or {}).get(d.name, []))
        lines += [
            "[[node]]",
            f'name = "{d.name}"',
            f'url = "{d.url}"',
            f"slots = {d.slots}",
            f"tags = {node_tags}",
            "",
        ]
    if portal_tags:
        lines.append("[portal_tags]")
        lines += [f'{p} = "{t}"' for p, t in portal_tags.items()]
    return "\n".join(lines) + "\n"
