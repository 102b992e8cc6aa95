"""Throughput of the full pipeline against a bare Scrapy fetcher, side by side in one run.

The sandbox serves www.zc.gov.cn at a scale of a few thousand reports.  Two crawls, each in its own
process so that each has its own reactor and its own peak RSS:

1. `scrapy crawl zc_gov_cn` with every pipeline (clean, attachments, dedup, archive) into a fresh
   archive;
2. a bare spider that fetches exactly the URLs the first crawl fetched, with a callback that does
   nothing.

It prints pages per second of both, their ratio, and the peak RSS of each.  Writing the archive
must not stall the reactor: the ratio says how much the pipeline costs.  Not a test: numbers only.

    .venv/bin/python benchmarks/throughput.py [--scale 60]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.archive import ArchiveView  # noqa: E402

BARE_SPIDER = """
import scrapy

class Bare(scrapy.Spider):
    name = "bare"
    custom_settings = {"ITEM_PIPELINES": {}, "ROBOTSTXT_OBEY": True}

    async def start(self):
        for url in open(self.urls, encoding="utf-8").read().split():
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response):
        return None
"""
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s",
    "LOG_LEVEL=WARNING",
    # OCR is ~10 s a page and the same for any crawler: it would only blur the comparison
    "-s",
    "OCR_ENABLED=False",
]


def start_sandbox(scale: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", "0", "--scale", str(scale)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    if not line.startswith("SANDBOX READY "):
        raise SystemExit(f"sandbox did not start: {line!r}")
    return proc, line.split()[-1]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MiB) of that child alone."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:4]} failed with {status}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=60, help="sandbox scale (48 reports each)")
    args = parser.parse_args()
    sandbox, proxy = start_sandbox(args.scale)
    env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "archive.db"
            full_time, full_rss = timed(
                [
                    sys.executable,
                    "-m",
                    "scrapy",
                    "crawl",
                    "zc_gov_cn",
                    "-s",
                    f"ARCHIVE_PATH={archive}",
                    *FAST,
                ],
                env,
            )
            with ArchiveView.open(archive) as view:
                urls, reports = view.capture_urls(), view.report_count()
            lists = Path(tmp) / "urls.txt"
            # list pages are not captures: add them so the bare crawl fetches the same pages
            lists.write_text("\n".join(urls), "utf-8")
            spider = Path(tmp) / "bare.py"
            spider.write_text(BARE_SPIDER, "utf-8")
            bare_time, bare_rss = timed(
                [
                    sys.executable,
                    "-m",
                    "scrapy",
                    "runspider",
                    str(spider),
                    "-a",
                    f"urls={lists}",
                    *FAST,
                ],
                env,
            )
    finally:
        sandbox.terminate()
        sandbox.wait()
    pages = len(urls)
    full_rate, bare_rate = pages / full_time, pages / bare_time
    print(
        f"sandbox scale {args.scale}: {reports} reports archived; each crawl fetched the same {pages} report pages and attachments (the full crawl also walked the list pages)"
    )
    print(f"{'crawl':<28}{'pages/s':>10}{'peak RSS MiB':>15}")
    print(f"{'full pipeline + archive':<28}{full_rate:>10.1f}{full_rss:>15.0f}")
    print(f"{'bare Scrapy fetch':<28}{bare_rate:>10.1f}{bare_rss:>15.0f}")
    print(f"ratio full/bare: {full_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
