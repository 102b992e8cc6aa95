"""Start `govreports serve` as a real subprocess on a free 127.0.0.1 port, for HTTP/browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

GOVREPORTS = str(Path(sys.executable).with_name("govreports"))
STARTUP_LIMIT_S = 60  # a failure bound for a slow CI machine, not a measurement


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(archive: Path, log: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [GOVREPORTS, "serve", "--archive", str(archive), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"govreports serve exited {proc.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"govreports serve did not answer on {base}: {log.read_text()}")


def get_json(url: str):
    import json

    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())
