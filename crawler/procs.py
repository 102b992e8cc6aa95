"""Child processes that die with their parent, however the parent dies (kill -9 included).

A `finally` that stops a child runs only when the parent lives to run it: a crawl killed outright
(the OOM killer, `kill -9`, a scheduler's hard timeout) would leave its sandbox proxy listening
and an extraction worker with its LibreOffice or Tesseract converting on. So a Python child is
started through this module (`python_module(MODULE, *args)` gives the command line), which asks
the kernel, before the child's own code runs, to send it SIGTERM when its parent dies
(PR_SET_PDEATHSIG, Linux), and a child that leads its own process group (started with
`start_new_session=True`) answers that SIGTERM by killing its whole group, converters included.
The kernel sends the signal when the parent THREAD that started the child ends: start children
from a thread that lives as long as they should (the main thread, the event loop's).

Elsewhere (no prctl) the command runs the same, without the guarantee.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import runpy
import signal
import sys
from typing import Any

PARENT_ENV = "GOVREPORTS_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def python_module(module: str, *args: str) -> list[str]:
    """The command line that runs `python -m MODULE ARGS` as a child that dies with its parent;
    pass `env=child_env()` (or a dict it updated) to the process it starts."""
    return [sys.executable, "-m", "crawler.procs", module, *args]


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """`env` (default: ours) plus who the parent is, for the child's check that it is not late."""
    return {**(os.environ if env is None else env), PARENT_ENV: str(os.getpid())}


def die_with_parent(sig: signal.Signals = signal.SIGTERM) -> None:
    """Ask the kernel for `sig` when our parent dies; if it already died (the child was started
    and the parent killed before this line ran), act on it now."""
    if not signal_when_parent_dies(sig):
        return
    expected = os.environ.get(PARENT_ENV, "")
    if expected.isdigit() and os.getppid() != int(expected):
        os.kill(os.getpid(), sig)


def take_group_along() -> None:
    """A group leader's SIGTERM kills its whole group: the converters it started die with it."""
    if os.getpgrp() != os.getpid():
        return

    def kill_group(_signum: int, _frame: Any) -> None:
        os.killpg(0, signal.SIGKILL)

    signal.signal(signal.SIGTERM, kill_group)


def signal_when_parent_dies(sig: signal.Signals) -> bool:
    """PR_SET_PDEATHSIG alone, without the late-start check (a forked child has no env of its
    own to check against); False where the kernel cannot do it."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    return False


def _main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: python -m crawler.procs MODULE [ARGS...]")
    die_with_parent()
    take_group_along()
    sys.argv = argv  # as `python -m MODULE ARGS` would see them
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _main(sys.argv[1:])
