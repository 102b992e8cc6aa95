"""Where a crawl's CPU goes: `govreports ARGS` run in this process, its CPU split by thread and by
child process, written as JSON at exit:

    python benchmarks/cpu_probe.py OUT.json crawl --archive A.db -s ...

{"threads": {"MainThread": s, "archive-writer": s, ...}, "children": {"page-work pool": s,
"extraction (server, children, LibreOffice)": s, ...}}.

Children: `os.waitpid` is replaced by `os.wait4` for the crawl's code (subprocess and
multiprocessing look it up at each call), so each direct child's CPU, with that of the
descendants it reaped (an extraction server's children and LibreOffice), is exact. Threads: a
sampler reads /proc/self/task every 0.5 s (a thread's last half second before it ends is lost);
it also names the children by their command line while they run. The crawl's total stays
wait4's (benchmarks/scale.py).
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
import sys
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
_threads: dict[int, tuple[str, float]] = {}
_labels: dict[int, str] = {}  # child pid -> what it is
_reaped: dict[int, float] = {}  # child pid -> its CPU, from wait4


def _waitpid_counting(pid: int, options: int) -> tuple[int, int]:
    found, status, usage = os.wait4(pid, options)
    if found and (os.WIFEXITED(status) or os.WIFSIGNALED(status)):
        _reaped[found] = usage.ru_utime + usage.ru_stime
    return found, status


def _cpu(stat: str) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _label(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "other"
    if "multiprocessing.spawn" in command or "multiprocessing-fork" in command:
        return "page-work pool"
    if "crawler.extract.worker" in command:
        return "extraction (server, children, LibreOffice)"
    return "other: " + command[:60]


def _thread_name(thread: threading.Thread) -> str:
    kind = type(thread).__name__
    if kind == "_ExecutorManagerThread":  # concurrent.futures' own, for the page-work pool
        return "page-work pool (results)"
    if thread.name == "QueueFeederThread":
        return "page-work pool (calls)"
    return thread.name.split("_")[0]


def sample() -> None:
    names = {t.native_id: _thread_name(t) for t in threading.enumerate()}
    for task in os.listdir("/proc/self/task"):
        try:
            stat = Path(f"/proc/self/task/{task}/stat").read_text()
            children = Path(f"/proc/self/task/{task}/children").read_text().split()
        except OSError:
            continue
        tid = int(task)
        name = names.get(tid) or _threads.get(tid, ("other threads", 0))[0]
        _threads[tid] = (name, _cpu(stat))
        for child in map(int, children):
            if child not in _labels:
                _labels[child] = _label(child)


def _loop() -> None:
    while True:
        sample()
        time.sleep(0.5)


def _write(out: Path) -> None:
    sample()
    threads: dict[str, float] = {}
    for name, cpu in _threads.values():
        key = name if not name.startswith("Thread-") else "other threads"
        threads[key] = threads.get(key, 0.0) + cpu
    children: dict[str, float] = {}
    for pid, cpu in _reaped.items():
        label = _labels.get(pid, "other")
        children[label] = children.get(label, 0.0) + cpu
    out.write_text(json.dumps({"threads": threads, "children": children}, indent=1), "utf-8")


def main() -> None:
    out = Path(sys.argv[1])
    sys.argv = ["govreports", *sys.argv[2:]]
    sys.path.insert(0, os.getcwd())  # as `python -m crawler.cli` from the project folder
    os.waitpid = _waitpid_counting
    threading.Thread(target=_loop, daemon=True, name="cpu-probe").start()
    atexit.register(_write, out)
    runpy.run_module("crawler.cli", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
