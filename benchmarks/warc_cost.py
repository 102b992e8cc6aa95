"""What WARC writing costs and whether its output holds up, on a full sandbox crawl.

Two crawls of every sandbox portal, one after the other in this run, each in its own process
(`govreports crawl --sandbox`, OCR off: ~10 s a page that neither side would skip): WARC_ENABLED
on, then off.  CPU time is getrusage(RUSAGE_CHILDREN) around each crawl: the crawl process, the
sandbox it starts and the attachment parsers, all threads.  Then, on the crawl with WARCs:

- `warcio check` on every WARC file (exit status, records);
- `govreports verify` (exit status, its summary line);
- `govreports export --format wacz --run RUN` and `wacz validate` on the package;
- records whose payload is byte-exact against rebuilt (the `payload:` field of each metadata
  record, crawler/warc.py), revisits;
- bytes of the WARC files against the bytes of the SQLite blobs.

    .venv/bin/python benchmarks/warc_cost.py [--portals zc_gov_cn ...] [--off-first] [--json F]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from crawler.archive import ArchiveView  # noqa: E402

BIN = Path(sys.executable).parent


def crawl(archive: Path, portals: list[str], warc: bool) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [str(BIN / "govreports"), "crawl", *portals, "--sandbox", "--archive", str(archive)]
    command += ["-s", "OCR_ENABLED=False", "-s", f"WARC_ENABLED={warc}", "--json"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = json.loads(proc.stdout)
    requests = sum(p["requests"] for p in summary["portals"].values())
    return {
        "exit": proc.returncode,
        "cpu_s": round(cpu, 2),
        "requests": requests,
        "cpu_ms_per_request": round(1000 * cpu / max(requests, 1), 2),
        "run": summary["run_id"],
    }


def payload_kinds(files: list[Path]) -> Counter:
    kinds: Counter = Counter()
    for path in files:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "metadata":
                    for line in record.content_stream().read().decode().splitlines():
                        if line.startswith("payload: "):
                            kinds[line.removeprefix("payload: ")] += 1
    return kinds


def run_tool(*command: str) -> tuple[int, str]:
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return proc.returncode, (proc.stdout + proc.stderr).strip().splitlines()[-1:]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portals", nargs="*", default=[])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--off-first", action="store_true", help="crawl without WARCs first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warc-cost-") as tmp:
        on_archive, off_archive = Path(tmp, "on", "archive.db"), Path(tmp, "off", "archive.db")
        if args.off_first:  # the order's own effect (a warm page cache) shows up as a difference
            off = crawl(off_archive, args.portals, False)
            on = crawl(on_archive, args.portals, True)
        else:
            on = crawl(on_archive, args.portals, True)
            off = crawl(off_archive, args.portals, False)
        files = sorted((on_archive.parent / "warc").glob("*/*.warc.gz"))
        warc_bytes = sum(p.stat().st_size for p in files)
        with ArchiveView.open(on_archive) as view:
            blob_bytes = view.blob_bytes()
        wacz = Path(tmp, "run.wacz")
        result = {
            "warc_on": on,
            "warc_off": off,
            "cpu_ratio_on_over_off": round(on["cpu_ms_per_request"] / off["cpu_ms_per_request"], 3),
            "warc_files": len(files),
            "warcio_check": run_tool(str(BIN / "warcio"), "check", *map(str, files)),
            "verify": run_tool(str(BIN / "govreports"), "verify", "--archive", str(on_archive)),
            "export": run_tool(
                str(BIN / "govreports"),
                "export",
                "--format",
                "wacz",
                "--run",
                on["run"],
                "-o",
                str(wacz),
                "--archive",
                str(on_archive),
            ),
            "wacz_validate": run_tool(str(BIN / "wacz"), "validate", "-f", str(wacz)),
            "payloads": dict(payload_kinds(files)),
            "warc_bytes": warc_bytes,
            "blob_bytes": blob_bytes,
            "warc_over_blob_bytes": round(warc_bytes / max(blob_bytes, 1), 3),
            "wacz_bytes": wacz.stat().st_size if wacz.exists() else None,
        }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
