"""Two crawlers in one process, one host: the host's process-wide gate (crawler/hostgate.py) keeps
them together to its budget. The host is a local server that holds every request until a second
one is in flight (or a timeout passes), so two crawlers that are not gated meet there: the
server's count of requests in flight at once is the measure, no clock is compared."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import ClassVar

from tests.local_http import QuietHandler, serving

ROOT = Path(__file__).resolve().parents[2]
PAGES = 4  # per crawler, gated


class _Host(QuietHandler):
    """Counts the requests in flight; each waits up to `hold` seconds for company (until two
    have been in flight together once)."""

    lock: ClassVar[threading.Condition] = threading.Condition()
    in_flight: ClassVar[int] = 0
    most: ClassVar[int] = 0
    paths: ClassVar[list[str]] = []
    hold: ClassVar[float] = 0.0

    def do_GET(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.in_flight += 1
            cls.most = max(cls.most, cls.in_flight)
            cls.paths.append(self.path)
            cls.lock.notify_all()
            cls.lock.wait_for(lambda: cls.most > 1, timeout=cls.hold)  # once met, never again
            cls.in_flight -= 1
        self.answer(200, "text/html", b"<html><body>ok</body></html>")


CRAWL = textwrap.dedent(
    """
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from crawler import hostgate
    from crawler.runner import project_settings

    url, pages, shared, archive = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]

    def portal(spider_name):
        class Portal(scrapy.Spider):
            name = spider_name
            async def start(self):
                for i in range(pages):
                    yield scrapy.Request(f"{url}{spider_name}/{i}", dont_filter=True)
            def parse(self, response):
                pass
        return Portal

    settings = project_settings({
        "ARCHIVE_PATH": archive, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING",
        "SHARED_HOSTS": shared, "RETRY_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        # each crawler alone sends one at a time, at once: two in flight means both crawlers
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    })
    # the host is loopback, which the fetch policy refuses for any portal's link
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    middlewares["crawler.fetchpolicy.FetchPolicyMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(portal(name)) for name in ("aa_gov_cn", "bb_gov_cn")]
    for crawler in crawlers:
        process.crawl(crawler)
    process.start()
    gate = hostgate.GATES.get("127.0.0.1")
    print(json.dumps({
        "gate": gate and {"granted": gate.granted, "peak": gate.peak, "min_gap": gate.min_gap,
                          "limit": [gate.limit.concurrency, gate.limit.delay]},
        "stats": {c.spider.name: {k: v for k, v in c.stats.get_stats().items()
                                  if k.startswith(("hostgate/", "downloader/response_count"))}
                  for c in crawlers},
    }))
    """
)


def crawl_both(
    tmp_path: Path, shared: dict, hold: float, pages: int
) -> tuple[dict, int, list[str]]:
    _Host.in_flight, _Host.most, _Host.paths, _Host.hold = 0, 0, [], hold
    with serving(_Host) as url:
        args = [url, str(pages), json.dumps(shared), str(tmp_path / "archive.db")]
        done = subprocess.run(
            [sys.executable, "-c", CRAWL, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), _Host.most, sorted(_Host.paths)


def test_two_crawlers_share_one_budget_for_a_shared_host(tmp_path: Path) -> None:
    # one at a time, 0.05 s apart: each request is held 0.3 s waiting for a second that the
    # gate never lets through
    shared = {"127.0.0.1": {"concurrency": 1, "delay": 0.05}}
    report, most, paths = crawl_both(tmp_path, shared, hold=0.3, pages=PAGES)
    assert paths == sorted(f"/{p}/{i}" for p in ("aa_gov_cn", "bb_gov_cn") for i in range(PAGES))
    assert most == 1  # the server never saw two at once
    gate = report["gate"]
    assert (gate["granted"], gate["peak"], gate["limit"]) == (2 * PAGES, 1, [1, 0.05])
    assert gate["min_gap"] >= 0.05  # the gate's own clock: starts never closer than the delay
    for name in ("aa_gov_cn", "bb_gov_cn"):
        stats = report["stats"][name]
        assert stats["hostgate/127.0.0.1/requests"] == PAGES
        assert stats["downloader/response_count"] == PAGES
        assert stats["hostgate/127.0.0.1/waited"] >= 1  # each waited for the other at least once


def test_without_the_gate_the_two_crawlers_meet_at_the_host(tmp_path: Path) -> None:
    # the control: the same two crawlers, one page each, the host not shared; the first request
    # waits up to 30 s for the second (it comes at once: both crawlers start together)
    report, most, paths = crawl_both(tmp_path, {}, hold=30.0, pages=1)
    assert report["gate"] is None and paths == ["/aa_gov_cn/0", "/bb_gov_cn/0"]
    assert most == 2
    assert all(not any(k.startswith("hostgate/") for k in s) for s in report["stats"].values())
