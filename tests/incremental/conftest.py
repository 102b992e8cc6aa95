"""An archive holding one run of www.zc.gov.cn's 朱村街道 2017 report, as a crawl stores it: the
report page (with the validators the portal sent) and the JSON list page that linked it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler

from crawler.archive import Archive
from tests.core.factories import capture, report
from tests.helpers import FIXTURES, fixture_response, project_crawler
from tests.portals import ZcGovCnSpider

COLUMN = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
ZHUCUN_URL = COLUMN + "content/post_5672236.html"
LIST_URL = "https://www.zc.gov.cn/postmeta/i/5060_3.json"
ETAG = '"5e0b3c1f9a7d2e4b8c6a1f0d"'
LAST_MODIFIED = "Thu, 15 Mar 2018 03:12:41 GMT"
PAGE = (FIXTURES / "zc_gov_cn" / "post_5672236.html").read_bytes()
LIST = (FIXTURES / "zc_gov_cn" / "list_5060_3.json").read_bytes()


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    Archive.open(path).close()
    return path


def store_run(path: Path, run_id: str, fetched_at: str, *, list_body: bytes = LIST) -> int:
    """What run `run_id` stored: the report page (ETag, Last-Modified) and its list page."""
    item = report(ZHUCUN_URL, body=PAGE, run_id=run_id)
    item.capture.headers = {
        "Content-Type": ["text/html; charset=utf-8"],
        "ETag": [ETAG],
        "Last-Modified": [LAST_MODIFIED],
    }
    item.capture.fetched_at = fetched_at
    listed = capture(LIST_URL, list_body, kind="list", run_id=run_id)
    listed.fetched_at = fetched_at
    archive = Archive.open(path)
    try:
        archive.store_capture(listed)
        return archive.store(item).report_id
    finally:
        archive.close()


def zc_crawler(path: Path, run_id: str = "run-2", **settings: Any) -> Crawler:
    return project_crawler(
        ZcGovCnSpider, ARCHIVE_PATH=str(path), GOVREPORTS_RUN_ID=run_id, **settings
    )


def list_response(body: bytes = LIST):
    response = fixture_response("zc_gov_cn", "list_5060_3.json")
    return response.replace(body=body)


def follow(crawler: Crawler, response) -> list:
    """The requests ZcGovCnSpider makes from a JSON list page (reports only)."""
    spider = crawler.spider
    entries = spider.json_entries(json.loads(response.text), response)
    return list(spider.follow_entries(entries, response))


def run_output(middleware: Any, response, outputs: Iterable[Any]) -> list:
    async def source() -> AsyncIterator[Any]:
        for out in outputs:
            yield out

    async def collect() -> list:
        return [out async for out in middleware.process_spider_output(response, source())]

    return asyncio.run(collect())
