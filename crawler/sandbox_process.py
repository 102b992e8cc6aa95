"""Starting the offline portal sandbox as a separate process (the crawler never imports it: the
truth it serves must not come from the code under test).

The sandbox is developer tooling, not part of the product: the govreports wheel carries none of
it (pyproject.toml), and it runs from a source checkout (`make setup`, or `pip install -e
'.[sandbox]'` there for its dependencies). `govreports crawl --sandbox` and `scrapy genportal
--sandbox` are thin wrappers around it that say how to get it when it is not there.
"""

from __future__ import annotations

import importlib.util
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
SANDBOX_MISSING = (
    "the offline sandbox is not installed: it is developer tooling and ships with the source "
    "repository, not with the govreports package. In a checkout run `make setup` (or `pip "
    "install -e '.[sandbox]'`) and use that checkout's govreports; or start it around any "
    "command: `python -m sandbox run -- govreports crawl ...`"
)
# What `python -m sandbox` needs besides itself (the `sandbox` extra of pyproject.toml).
SANDBOX_DEPENDENCIES = ("h11", "cryptography", "reportlab")


class SandboxMissing(RuntimeError):
    """The sandbox (or one of its dependencies) cannot be started from here."""


def sandbox_installed() -> bool:
    """Is `python -m sandbox` startable: the package beside crawler/ in a checkout, or
    importable, and its dependencies installed?"""
    beside = Path(sandbox_root(), "sandbox", "__main__.py").is_file()
    if not beside and importlib.util.find_spec("sandbox") is None:
        return False
    return all(importlib.util.find_spec(name) is not None for name in SANDBOX_DEPENDENCIES)


def require_sandbox() -> None:
    if not sandbox_installed():
        raise SandboxMissing(SANDBOX_MISSING)


def _scale(revision: int, scale: int, variant: int = 0, portals: int = 0) -> list[str]:
    args = ["--revision", str(revision), "--scale", str(scale), "--variant", str(variant)]
    return [*args, "--portals", str(portals)] if portals else args


def sandbox_args(
    revision: int = 0,
    scale: int = 1,
    faults: tuple[str, ...] = (),
    variant: int = 0,
    portals: int = 0,
) -> list[str]:
    args = _scale(revision, scale, variant, portals)
    for fault in faults:
        args += ["--fault", fault]
    return args


def sandbox_serve_command(
    port: str,
    revision: int = 0,
    scale: int = 1,
    faults: tuple[str, ...] = (),
    variant: int = 0,
    portals: int = 0,
) -> list[str]:
    """`python -m sandbox serve`, started so that it dies with its parent (crawler/procs.py):
    a crawl killed outright leaves no proxy listening."""
    args = ["serve", "--port", port, *sandbox_args(revision, scale, faults, variant, portals)]
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
    portals: int = 0,
) -> Iterator[str]:
    """Start `python -m sandbox serve` on a free port; yield its proxy URL; stop it afterwards.
    With ``log``, the sandbox's own warnings are appended to that file instead of stderr (a quiet
    crawl's stderr is for the crawl alone)."""
    require_sandbox()
    command = sandbox_serve_command("0", revision, scale, faults, variant, portals)
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
        cwd=sandbox_root(),
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


def sandbox_registry(out: Path, portals: int, variant: int = 0) -> Path:
    """The registry rows of the sandbox's generated portals, written to `out` (TOML)."""
    require_sandbox()
    command = [sys.executable, "-m", "sandbox", "registry", "--out", str(out)]
    command += ["--portals", str(portals), "--variant", str(variant)]
    subprocess.run(command, check=True, cwd=sandbox_root())
    return out


def sandbox_manifest(
    revision: int = 0, scale: int = 1, variant: int = 0, portals: int = 0
) -> dict[str, Any]:
    require_sandbox()
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
                *_scale(revision, scale, variant, portals),
            ],
            check=True,
            cwd=sandbox_root(),
        )
        return json.loads(out.read_text("utf-8"))


def proxy_environment(proxy_url: str) -> dict[str, str]:
    """The standard proxy variables, as a user behind a proxy would set them."""
    return {"http_proxy": proxy_url, "https_proxy": proxy_url, "no_proxy": ""}


def sandbox_root() -> str:
    """Where `python -m sandbox` runs: the checkout, where sandbox/ sits beside crawler/ (an
    installed govreports has no sandbox/ here; an installed sandbox is found from anywhere)."""
    return str(Path(__file__).resolve().parent.parent)
