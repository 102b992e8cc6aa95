"""Starting the offline portal sandbox as a separate process (the crawler never imports it: the
truth it serves must not come from the code under test)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

READY_PREFIX = "SANDBOX READY "


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


@contextmanager
def running_sandbox(
    revision: int = 0,
    scale: int = 1,
    faults: tuple[str, ...] = (),
    variant: int = 0,
    portals: int = 0,
) -> Iterator[str]:
    """Start `python -m sandbox serve` on a free port; yield its proxy URL; stop it afterwards."""
    command = [sys.executable, "-m", "sandbox", "serve", "--port", "0"]
    proc = subprocess.Popen(
        command + sandbox_args(revision, scale, faults, variant, portals),
        stdout=subprocess.PIPE,
        text=True,
        cwd=_project_root(),
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith(READY_PREFIX):
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
    command = [sys.executable, "-m", "sandbox", "registry", "--out", str(out)]
    command += ["--portals", str(portals), "--variant", str(variant)]
    subprocess.run(command, check=True, cwd=_project_root())
    return out


def sandbox_manifest(
    revision: int = 0, scale: int = 1, variant: int = 0, portals: int = 0
) -> dict[str, Any]:
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
            cwd=_project_root(),
        )
        return json.loads(out.read_text("utf-8"))


def proxy_environment(proxy_url: str) -> dict[str, str]:
    """The standard proxy variables, as a user behind a proxy would set them."""
    return {"http_proxy": proxy_url, "https_proxy": proxy_url, "no_proxy": ""}


def _project_root() -> str:
    # sandbox/ sits beside crawler/ in the checkout (and is installed beside it by pip -e).
    return str(Path(__file__).resolve().parent.parent)
