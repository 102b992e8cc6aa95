"""IncrementalMiddleware: validators from the last capture, a 304 answered from the archive,
failed list pages counted (the run is then incomplete and marks nothing gone)."""

from __future__ import annotations

import json
from asyncio import run

from scrapy import Request
from scrapy.http import HtmlResponse, Response
from twisted.internet.error import TimeoutError

from crawler.archive import Archive
from crawler.incremental import IncrementalMiddleware
from tests.core.factories import ZHUCUN_TEXT, report
from tests.incremental.conftest import (
    ETAG,
    LAST_MODIFIED,
    LIST_URL,
    PAGE,
    ZHUCUN_URL,
    store_run,
    zc_crawler,
)

OLD_HOST_URL = "http://www.zengcheng.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"


def middleware(path, **settings) -> tuple[IncrementalMiddleware, dict]:
    crawler = zc_crawler(path, **settings)
    return IncrementalMiddleware.from_crawler(crawler), crawler.stats.get_stats()


def detail_request(url: str = ZHUCUN_URL, **meta) -> Request:
    return Request(url, meta={"list_url": LIST_URL, **meta})


def test_a_report_page_is_asked_for_only_if_changed_since_its_last_capture(archive_path) -> None:
    store_run(archive_path, "run-1", "2026-11-22T02:00:00Z")
    mw, stats = middleware(archive_path)
    request = detail_request()
    assert run(mw.process_request(request)) is None
    assert request.headers["If-None-Match"] == ETAG.encode()
    assert request.headers["If-Modified-Since"] == LAST_MODIFIED.encode()
    assert stats["incremental/revalidated"] == 1


def test_list_pages_robots_and_unknown_urls_are_fetched_unconditionally(archive_path) -> None:
    store_run(archive_path, "run-1", "2026-11-22T02:00:00Z")
    mw, stats = middleware(archive_path)
    requests = [
        Request(LIST_URL),  # a list page: always fetched
        Request("https://www.zc.gov.cn/robots.txt", meta={"dont_obey_robotstxt": True}),
        detail_request(ZHUCUN_URL.replace("5672236", "5736254")),  # never captured
    ]
    for request in requests:
        run(mw.process_request(request))
    assert [b"If-None-Match" in r.headers for r in requests] == [False, False, False]
    assert "incremental/revalidated" not in stats


def test_only_the_last_hop_of_a_redirect_is_conditional(archive_path) -> None:
    """The old host answers 301 to www.zc.gov.cn: the capture was requested as the old URL."""
    item = report(ZHUCUN_URL, body=PAGE, run_id="run-1")
    item.capture.url, item.capture.redirects = OLD_HOST_URL, [OLD_HOST_URL, ZHUCUN_URL]
    item.capture.headers["ETag"] = [ETAG]
    archive = Archive.open(archive_path)
    archive.store(item)
    archive.close()
    mw, _ = middleware(archive_path)
    first = detail_request(OLD_HOST_URL)
    run(mw.process_request(first))
    redirected = detail_request(ZHUCUN_URL, redirect_urls=[OLD_HOST_URL])
    run(mw.process_request(redirected))
    assert b"If-None-Match" not in first.headers
    assert redirected.headers["If-None-Match"] == ETAG.encode()


def test_304_becomes_the_stored_page_flagged_not_modified(archive_path) -> None:
    report_id = store_run(archive_path, "run-1", "2026-11-22T02:00:00Z")
    mw, stats = middleware(archive_path)
    request = detail_request()
    run(mw.process_request(request))
    answer = Response(
        ZHUCUN_URL,
        status=304,
        headers={"ETag": ETAG, "Last-Modified": "Fri, 16 Mar 2018 01:00:00 GMT"},
        request=request,
    )
    stored = run(mw.process_response(request, answer))
    assert isinstance(stored, HtmlResponse)
    assert (stored.status, stored.url, stored.body) == (200, ZHUCUN_URL, PAGE)
    assert "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告" in stored.text
    assert stored.headers["Content-Type"] == b"text/html; charset=utf-8"
    assert stored.headers["Last-Modified"] == b"Fri, 16 Mar 2018 01:00:00 GMT"
    assert stored.meta["not_modified"] is True and stored.flags == ["not_modified"]
    assert stats["incremental/not_modified"] == 1

    # The archive records the revalidation: a capture row on the same blob, an unchanged sighting.
    spider = zc_crawler(archive_path).spider
    item = report(ZHUCUN_URL, body=PAGE, run_id="run-2", text=ZHUCUN_TEXT)
    item.capture = spider.capture(stored)
    archive = Archive.open(archive_path)
    try:
        blobs = archive.db["blobs"].count
        result = archive.store(item)
        (capture,) = archive.db["captures"].rows_where("run_id = 'run-2'")
        sighting = list(archive.db["sightings"].rows_where("run_id = 'run-2'"))
        assert (result.report_id, result.outcome) == (report_id, "unchanged")
        assert (capture["not_modified"], capture["size"], archive.db["blobs"].count) == (
            1,
            len(PAGE),
            blobs,
        )
        # Scrapy title-cases header names: ETag is stored as Etag
        headers = json.loads(capture["headers"])
        assert (headers["Etag"], headers["Last-Modified"]) == (
            [ETAG],
            ["Fri, 16 Mar 2018 01:00:00 GMT"],
        )
        assert [(s["reason"], s["capture_id"]) for s in sighting] == [("unchanged", capture["id"])]
    finally:
        archive.close()


def test_a_changed_page_passes_through(archive_path) -> None:
    store_run(archive_path, "run-1", "2026-11-22T02:00:00Z")
    mw, stats = middleware(archive_path)
    request = detail_request()
    run(mw.process_request(request))
    edited = HtmlResponse(ZHUCUN_URL, status=200, body=PAGE + b"<!-- edited -->", request=request)
    assert run(mw.process_response(request, edited)) is edited
    assert (stats["incremental/modified"], stats.get("incremental/not_modified")) == (1, None)


def test_full_runs_send_no_validators(archive_path) -> None:
    store_run(archive_path, "run-1", "2026-11-22T02:00:00Z")
    mw, _ = middleware(archive_path, INCREMENTAL_ENABLED=False)
    request = detail_request()
    run(mw.process_request(request))
    assert b"If-None-Match" not in request.headers and b"If-Modified-Since" not in request.headers


def test_failed_list_pages_are_counted_report_pages_and_robots_are_not(archive_path) -> None:
    mw, stats = middleware(archive_path)
    list_request, detail = Request(LIST_URL), detail_request()
    robots = Request("https://www.zc.gov.cn/robots.txt", meta={"dont_obey_robotstxt": True})
    run(mw.process_response(list_request, Response(LIST_URL, status=500, request=list_request)))
    run(mw.process_response(detail, Response(ZHUCUN_URL, status=404, request=detail)))
    run(mw.process_response(list_request, Response(LIST_URL, status=200, request=list_request)))
    mw.process_exception(list_request, TimeoutError())
    mw.process_exception(robots, TimeoutError())
    mw.process_exception(detail, TimeoutError())
    assert stats["incremental/list_failed"] == 2
