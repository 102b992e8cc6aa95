"""A flood of errors does not grow the log without bound (crawler/logrepeat.py): each line of code
logs at most LOG_REPEAT_MAX records a run, then one per power of ten saying which record it is,
and at close one line per cut call site says how many were left out; stats count them all."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.logformatter import CappedValues
from crawler.logrepeat import RepeatedRecords

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_URL = "https://www.zc.gov.cn/gk/" + "年报" * 2000  # 4,025 characters of link text


def _handler(limit: int) -> tuple[logging.Handler, io.StringIO, RepeatedRecords]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    repeats = RepeatedRecords(limit)
    handler.addFilter(repeats)
    handler.addFilter(CappedValues(100))
    return handler, out, repeats


def _flood(log: logging.Logger, count: int) -> None:
    for n in range(1, count + 1):
        log.error("Error downloading %s (record %d)", HOSTILE_URL, n)  # one line of code


def test_two_hundred_thousand_errors_from_one_line_log_103_lines() -> None:
    handler, out, repeats = _handler(limit=100)
    log = logging.getLogger("tests.flood")
    log.addHandler(handler)
    log.propagate = False
    try:
        _flood(log, 200_000)
        log.warning("a different line still logs")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    lines = out.getvalue().splitlines()
    cut = f"ERROR Error downloading {HOSTILE_URL[:100]}… [3925 more characters]"
    assert lines[0] == f"{cut} (record 1)"
    assert lines[99] == f"{cut} (record 100)"
    note = "from this line; only the first 100 and every power of ten are logged]"
    assert lines[100] == f"{cut} (record 1000) [record 1,000 {note}"
    assert lines[101] == f"{cut} (record 10000) [record 10,000 {note}"
    assert lines[102] == f"{cut} (record 100000) [record 100,000 {note}"
    assert lines[103:] == ["WARNING a different line still logs"]
    assert not any("(record 101)" in line for line in lines)
    assert len(out.getvalue()) < 40_000  # 200,000 unbounded records would be 800 MB
    ((site, left),) = repeats.left_out().items()
    assert (site[0], site[1], left) == ("tests.flood", logging.ERROR, 200_000 - 103)
    assert repeats.left_out() == {}  # reported once


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=3000))
def test_every_record_is_logged_or_counted_as_left_out(limit: int, count: int) -> None:
    handler, out, repeats = _handler(limit)
    log = logging.getLogger(f"tests.flood.{limit}.{count}")
    log.addHandler(handler)
    log.propagate = False
    try:
        _flood(log, count)
    finally:
        log.removeHandler(handler)
        log.propagate = True
    logged = len(out.getvalue().splitlines())
    powers = sum(1 for k in range(1, 5) if limit < 10**k <= count)
    assert logged == min(count, limit) + powers
    assert logged + sum(repeats.left_out().values()) == count


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ("<html><body>" + "年报" * 1000 + "</body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


SPIDER = """
import scrapy

class Flood(scrapy.Spider):
    name = "flood"

    async def start(self):
        for n in range({count}):
            yield scrapy.Request("{url}/page/%d" % n)

    def parse(self, response):
        raise ValueError("hostile page: " + response.text)
"""


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_crawl_whose_every_page_crashes_its_callback_logs_a_bounded_log(server, tmp_path):
    # 1,500 pages, each a callback error with a 6 KB page in its message and a traceback: the
    # log keeps 100 of them and one line for the rest; the stats still count all 1,500.
    spider = tmp_path / "flood.py"
    spider.write_text(SPIDER.format(count=1500, url=server), encoding="utf-8")
    command = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-s", "LOG_LEVEL=INFO"]
    command += ["-s", 'DOWNLOADER_MIDDLEWARES={"crawler.fetchpolicy.FetchPolicyMiddleware": null}']
    command += ["-s", "ROBOTSTXT_OBEY=False", "-s", "DOWNLOAD_DELAY=0", "-s", "ITEM_PIPELINES={}"]
    command += ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    log = done.stderr
    errors = [line for line in log.splitlines() if "Spider error processing" in line]
    assert len(errors) == 101, log[-3000:]  # the first 100, then record 1,000
    assert "[record 1,000 from this line;" in errors[100]
    assert re.search(r"1,399 records from scrapy\.core\.scraper \(.*\) were not logged", log)
    assert "'spider_exceptions/ValueError': 1500" in log
    assert len(log) < 3_000_000  # unbounded: 1,500 tracebacks of a 6 KB page each
