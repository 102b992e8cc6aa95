"""Incremental benchmark: what a second crawl of an unchanged sandbox costs, next to the first.

Crawls the offline sandbox twice into one fresh archive (`govreports crawl --sandbox`, revision 0
both times), then reads each run's row in `runs`: `requests` (downloader/request_count) and
`response_bytes` (downloader/response_bytes) per portal.  Prints, per portal and in total, the
second run's share of the first's requests and bytes, against the goals (at most 25% of the
requests and 10% of the bytes).  Both runs are measured in this one invocation.

    .venv/bin/python benchmarks/incremental_crawl.py [PORTAL ...] [--keep PATH]

Writes benchmarks/results/incremental.json (gitignored); exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.archive import ArchiveView  # noqa: E402

GOALS = {"requests": 0.25, "response_bytes": 0.10}


def crawl(archive: Path, portals: list[str]) -> None:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--sandbox", "--archive", str(archive)]
    proc = subprocess.run([*command, *portals], cwd=ROOT, capture_output=True, text=True)
    print(proc.stdout.rstrip())
    if proc.returncode not in (0, 1):  # 1: a portal unhealthy, still measured
        sys.exit(f"crawl failed ({proc.returncode}): {proc.stderr[-2000:]}")


def run_costs(archive: Path) -> list[dict[str, dict[str, int]]]:
    """Per run (oldest first): portal -> {requests, response_bytes}."""
    with ArchiveView.open(archive) as view:
        summaries = view.run_stats()
    return [
        {portal: {key: health.get(key, 0) for key in GOALS} for portal, health in stats.items()}
        for stats in summaries
    ]


def ratios(first: dict[str, dict[str, int]], second: dict[str, dict[str, int]]) -> dict:
    table = {}
    for portal in sorted(first):
        table[portal] = _row(first[portal], second.get(portal, {}))
    total = {k: sum(first[p][k] for p in first) for k in GOALS}
    total_second = {k: sum(second.get(p, {}).get(k, 0) for p in first) for k in GOALS}
    table["TOTAL"] = _row(total, total_second)
    return table


def _row(first: dict[str, int], second: dict[str, int]) -> dict:
    row = {}
    for key in GOALS:
        a, b = first.get(key, 0), second.get(key, 0)
        row[key] = {"first": a, "second": b, "ratio": round(b / a, 4) if a else None}
    return row


def print_table(table: dict) -> bool:
    print(
        f"\n{'portal':<14} {'requests 1st→2nd':>20} {'share':>7}   {'bytes 1st→2nd':>24} {'share':>7}"
    )
    for portal, row in table.items():
        req, byt = row["requests"], row["response_bytes"]
        print(
            f"{portal:<14} {req['first']:>9} → {req['second']:>7} {_pct(req['ratio']):>7}   "
            f"{byt['first']:>11} → {byt['second']:>10} {_pct(byt['ratio']):>7}"
        )
    total = table["TOTAL"]
    met = all(
        total[k]["ratio"] is not None and total[k]["ratio"] <= goal for k, goal in GOALS.items()
    )
    goals = ", ".join(f"{k} <= {goal:.0%}" for k, goal in GOALS.items())
    print(f"\ngoals ({goals}) in total: {'met' if met else 'MISSED'}")
    return met


def _pct(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portals", nargs="*", help="spider names (default: every portal)")
    parser.add_argument("--keep", type=Path, help="archive path to keep (default: a temp file)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/incremental.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = args.keep or Path(tmp) / "archive.db"
        if archive.exists():
            sys.exit(f"{archive} exists: the benchmark needs a fresh archive")
        for _ in range(2):
            crawl(archive, args.portals)
        first, second = run_costs(archive)[-2:]
    table = ratios(first, second)
    met = print_table(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {"goals": GOALS, "portals": args.portals or "all", "met": met, "ratios": table}
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
