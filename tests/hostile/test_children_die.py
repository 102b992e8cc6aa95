"""A parent killed outright (kill -9) leaves no child behind (crawler/procs.py): not the sandbox
proxy `govreports crawl --sandbox` starts, not an extraction worker nor the converter it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from crawler import procs

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 60  # a generous bound for the kernel and a busy machine; the test asserts no timing


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has died; only its reaper is gone


def _wait_until(predicate, what: str) -> None:
    end = time.monotonic() + WAIT_S
    while not predicate():
        assert time.monotonic() < end, what
        time.sleep(0.1)


def _kill_parent_and_check(script: str, expected_children: int) -> set[int]:
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "READY"
        _wait_until(lambda: len(_descendants(parent.pid)) >= expected_children, "children started")
        children = _descendants(parent.pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        _wait_until(lambda: not any(_alive(pid) for pid in children), f"children {children}")
        return children
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_the_sandbox_proxy_dies_with_a_killed_crawl() -> None:
    children = _kill_parent_and_check(
        """
        import time
        from crawler.sandbox_process import running_sandbox
        with running_sandbox() as proxy:
            print("READY", flush=True)
            time.sleep(600)
        """,
        expected_children=1,
    )
    assert len(children) == 1


def test_a_worker_and_the_converter_it_runs_die_with_their_parent(tmp_path: Path) -> None:
    # The shape of an extraction: a worker leading its own process group (start_new_session),
    # started through crawler.procs, which starts a converter (here `sleep`, as a stuck
    # LibreOffice would be). After kill -9 of the parent, neither is left.
    (tmp_path / "runpy_target.py").write_text(
        "import subprocess\nsubprocess.run(['sleep', '600'])\n"
    )
    path = f"{tmp_path}:{ROOT}"
    children = _kill_parent_and_check(
        f"""
        import subprocess, time
        from crawler import procs
        command = procs.python_module("runpy_target")
        proc = subprocess.Popen(
            command, start_new_session=True, env=procs.child_env({{"PYTHONPATH": "{path}"}})
        )
        print("READY", flush=True)
        time.sleep(600)
        """,
        expected_children=2,
    )
    assert len(children) == 2


def test_a_child_started_after_its_parent_died_ends_at_once(tmp_path: Path) -> None:
    # The race the kernel cannot close: the parent dies before the child asked for the signal.
    env = {**os.environ, "PYTHONPATH": str(ROOT), procs.PARENT_ENV: "1"}  # "started by init"
    done = subprocess.run(
        [sys.executable, "-m", "crawler.procs", "this_module_is_never_reached"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGTERM
    assert done.stderr == b""
