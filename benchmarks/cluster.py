"""Cluster benchmark: the sandbox crawled by `govreports cluster crawl` on one Scrapyd node and
on three, side by side in one invocation, against one sandbox proxy they share.

Each node has one slot, so one node crawls the five portals one after another and three nodes
crawl three at a time; all of it runs on this machine's cores, with the sandbox.  Per setup:
wall time, pages and files fetched (captures), and CPU seconds (getrusage of this process's
children: the coordinator, the daemons and every job they ran, all threads; the sandbox's own
CPU from its process, apart).  The sandbox renders files on first request and keeps them: a
first three-node run warms it (printed, not compared), then one node and three nodes are
compared on the same warm sandbox.

    .venv/bin/python benchmarks/cluster.py [PORTAL ...]

Writes benchmarks/results/cluster.json (gitignored).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.archive import ArchiveView  # noqa: E402
from crawler.sandbox_process import running_sandbox  # noqa: E402
from tests.scaleout.scrapyd_nodes import nodes_toml, start_daemon  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def crawl_on(count: int, base: Path, proxy: str, sandbox_pid: int, portals: list[str]) -> dict:
    daemons = [start_daemon(f"n{i}", base / f"n{i}", 1, proxy) for i in range(count)]
    nodes = base / "nodes.toml"
    nodes.write_text(nodes_toml(daemons, base / "shards"))
    archive = base / "archive.db"
    command = [sys.executable, "-m", "crawler.cli", "cluster", "crawl", "--json"]
    command += ["--nodes", str(nodes), "--archive", str(archive), "--sandbox-proxy", proxy]
    cpu, sandbox_cpu, start = children_cpu(), process_cpu(sandbox_pid), time.monotonic()
    try:
        done = subprocess.run([*command, *portals], cwd=ROOT, capture_output=True, text=True)
    finally:
        for daemon in daemons:
            daemon.process.terminate()  # a clean exit: its jobs' CPU reaches our rusage
            daemon.process.wait(timeout=60)
    wall = time.monotonic() - start
    with ArchiveView.open(archive) as view:
        pages = len(view.capture_urls())
    summary = json.loads(done.stdout)
    return {
        "nodes": count,
        "exit_status": done.returncode,
        "wall_s": round(wall, 1),
        "cpu_s": round(children_cpu() - cpu, 1),
        "sandbox_cpu_s": round(process_cpu(sandbox_pid) - sandbox_cpu, 1),
        "captures": pages,
        "response_bytes": sum(h["response_bytes"] for h in summary["portals"].values()),
        "pages_per_s": round(pages / wall, 2),
        "cpu_ms_per_capture": round(1000 * (children_cpu() - cpu) / pages, 1),
        "healthy": sorted(p for p, h in summary["portals"].items() if h["healthy"]),
    }


def main() -> None:
    portals = sys.argv[1:]
    results = []
    with tempfile.TemporaryDirectory() as tmp, running_sandbox() as proxy:
        sandbox_pid = next(
            p.pid for p in psutil.Process().children() if "sandbox" in " ".join(p.cmdline())
        )
        for index, count in enumerate((3, 1, 3)):
            base = Path(tmp) / f"{index}-{count}"
            results.append(crawl_on(count, base, proxy, sandbox_pid, portals))
            print(json.dumps(results[-1]))
    one, three = results[1], results[2]
    ratio = round(one["wall_s"] / three["wall_s"], 2)
    print(f"wall time 1 node / 3 nodes: {ratio} (on {psutil.cpu_count()} cores)")
    out = ROOT / "benchmarks" / "results" / "cluster.json"
    out.parent.mkdir(exist_ok=True)
    report = {"warm_up": results[0], "runs": results[1:], "ratio_1_to_3": ratio}
    out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
