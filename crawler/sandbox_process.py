"""Starting the offline portal sandbox as a separate process (the crawler never imports it: the
truth it serves must not come from the code under test)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

from crawler import procs

READY_PREFIX = "SANDBOX READY "


def _scale(revision: int, scale: int, variant: int = 0) -> list[str]:
    return ["--revision", str(revision), "--scale", str(scale), "--variant", str(variant)]


def sandbox_args(
    revision: int = 0, scale: int = 1, faults: tuple[str, ...] = (), variant: int = 0
) -> list[str]:
    args = _scale(revision, scale, variant)
    for fault in faults:
        args += ["--fault", fault]
    return args


def sandbox_serve_command(
    port: str, revision: int = 0, scale: int = 1, faults: tuple[str, ...] = (), variant: int = 0
) -> list[str]:
    """`python -m sandbox serve`, started so that it dies with its parent (crawler/procs.py):
    a crawl killed outright leaves no proxy listening."""
    args = ["serve", "--port", port, *sandbox_args(revision, scale, faults, variant)]
    return procs.python_module("sandbox", *args)


class SandboxUsageError(ValueError):
    """The sandbox refused its arguments (a malformed --fault): it said why on stderr, exit 2."""


@contextmanager
def running_sandbox(
    revision: int = 0,
    scale: int = 1,
    faults: tuple[str, ...] = (),
    variant: int = 0,
    log: Path | None = None,
) -> Iterator[str]:
    """Start `python -m sandbox serve` on a free port; yield its proxy URL; stop it afterwards.
    With ``log``, the sandbox's own warnings are appended to that file instead of stderr (a quiet
    crawl's stderr is for the crawl alone)."""
    command = sandbox_serve_command("0", revision, scale, faults, variant)
    stack = ExitStack()
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    stderr = stack.enter_context(log.open("a", encoding="utf-8")) if log is not None else None
    with stack:
        yield from _serve(command, stderr, log)


def _serve(command: list[str], stderr: IO[str] | None, log: Path | None) -> Iterator[str]:
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        cwd=_project_root(),
        env=procs.child_env(),
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith(READY_PREFIX):
            if proc.wait(timeout=30) == 2:
                said = f"see {log}" if log is not None else "see above"
                raise SandboxUsageError(f"the sandbox refused its arguments ({said})")
            raise RuntimeError(f"sandbox did not start (said {line!r}, exit {proc.poll()})")
        yield line[len(READY_PREFIX) :].strip()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def sandbox_manifest(revision: int = 0, scale: int = 1, variant: int = 0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "manifest.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sandbox",
                "manifest",
                "--out",
                str(out),
                *_scale(revision, scale, variant),
            ],
            check=True,
            cwd=_project_root(),
        )
        return json.loads(out.read_text("utf-8"))


def proxy_environment(proxy_url: str) -> dict[str, str]:
    """The standard proxy variables, as a user behind a proxy would set them."""
    return {"http_proxy": proxy_url, "https_proxy": proxy_url, "no_proxy": ""}


def _project_root() -> str:
    # sandbox/ sits beside crawler/ in the checkout (and is installed beside it by pip -e).
    return str(Path(__file__).resolve().parent.parent)
