"""Bounded work, middleware by middleware (called directly, no reactor): the page cap per column,
the request budget per portal, the file budgets per report, size caps while downloading, and how
the summary names each limit reached."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import HtmlResponse, Response
from twisted.internet.defer import CancelledError

from crawler import columns
from crawler.budget import (
    AttachmentBudget,
    BoundedHttpCompressionMiddleware,
    BudgetExhausted,
    ListPageCapMiddleware,
    RequestBudgetMiddleware,
    SizeCapMiddleware,
    TooLarge,
    is_too_large,
)
from crawler.health import History, assess
from crawler.summary import portal_lines
from sandbox.hostile import gzip_bomb
from spiders.haizhu_gov_cn import HaizhuGovCnSpider
from tests.helpers import project_crawler
from tests.portals import ZcGovCnSpider

COLUMN = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
PAGE = COLUMN + "content/post_5646102.html"


def test_a_column_stops_at_its_page_cap_and_is_reported_incomplete() -> None:
    crawler = project_crawler(ZcGovCnSpider, LIST_PAGE_CAP=3)
    told: list[tuple] = []
    crawler.signals.connect(
        lambda column, reason, **_: told.append((column, reason)),
        signal=columns.column_incomplete,
        weak=False,
    )
    mw = ListPageCapMiddleware(crawler)
    spider = crawler.spider
    start = Request(COLUMN, callback=spider.parse_list, meta={"column": COLUMN})
    assert asyncio.run(collect(mw.process_start(aiter_of([start])))) == [start]
    first = HtmlResponse(COLUMN, request=start)
    pages = [Request(f"{COLUMN}index_{n}.html", callback=spider.parse_list) for n in range(2, 7)]
    reports = [Request(PAGE, callback=spider.parse_detail, meta={"list_url": COLUMN})] * 4
    kept = list(mw.process_spider_output(first, [*reports, *pages]))
    # the column page itself was the first of three: two more pass, the rest are dropped
    assert [r.url for r in kept if r.callback == spider.parse_list] == [
        f"{COLUMN}index_2.html",
        f"{COLUMN}index_3.html",
    ]
    assert all(r.meta["column"] == COLUMN for r in kept if r.callback == spider.parse_list)
    assert len([r for r in kept if r.callback == spider.parse_detail]) == 4  # reports: no cap
    assert crawler.stats.get_value("limits/list_page_cap") == 1
    assert crawler.stats.get_value("limits/list_pages_refused") == 3
    assert crawler.stats.get_value("portal/columns_incomplete") == 1
    assert told == [(COLUMN, "page cap reached: 3 list pages (LIST_PAGE_CAP)")]


def test_a_page_linked_from_every_page_of_a_numbered_pager_counts_once() -> None:
    # A pager links pages 1..9 from every page: 9 pages, not 81, against the cap.
    crawler = project_crawler(ZcGovCnSpider, LIST_PAGE_CAP=10)
    mw = ListPageCapMiddleware(crawler)
    spider = crawler.spider
    pages = [COLUMN, *(f"{COLUMN}index_{n}.html" for n in range(1, 9))]
    for url in pages:
        response = HtmlResponse(url, request=Request(url, meta={"column": COLUMN}))
        pager = [Request(p, callback=spider.parse_list) for p in pages]
        kept = list(mw.process_spider_output(response, pager))
        assert [r.url for r in kept] == pages  # the duplicate filter drops the repeats
    assert mw.pages[COLUMN] == len(pages)
    assert crawler.stats.get_value("limits/list_page_cap") is None


def test_a_page_refused_at_the_cap_stays_refused_when_linked_again() -> None:
    crawler = project_crawler(ZcGovCnSpider, LIST_PAGE_CAP=2)
    mw = ListPageCapMiddleware(crawler)
    first = HtmlResponse(COLUMN, request=Request(COLUMN, meta={"column": COLUMN}))
    admitted = [f"{COLUMN}index_1.html", f"{COLUMN}index_2.html"]
    pager = [Request(f"{COLUMN}index_{n}.html") for n in (1, 2, 3)]
    assert [r.url for r in mw.process_spider_output(first, pager)] == admitted
    again = [Request(f"{COLUMN}index_{n}.html") for n in (3, 2, 1)]
    assert [r.url for r in mw.process_spider_output(first, again)] == admitted[::-1]
    assert crawler.stats.get_value("limits/list_pages_refused") == 1  # index_3, once
    assert mw.pages[COLUMN] == 3


async def aiter_of(items):
    for item in items:
        yield item


async def collect(agen) -> list:
    return [item async for item in agen]


def test_a_list_request_without_a_column_inherits_the_one_of_the_page_that_asked() -> None:
    crawler = project_crawler(ZcGovCnSpider, LIST_PAGE_CAP=200)
    mw = ListPageCapMiddleware(crawler)
    json_list = Request("https://www.zc.gov.cn/postmeta/i/1059.json")
    column_page = HtmlResponse(COLUMN, request=Request(COLUMN, meta={"column": COLUMN}))
    (kept,) = mw.process_spider_output(column_page, [json_list])
    assert kept.meta["column"] == COLUMN
    assert mw.pages[COLUMN] == 1


def budget_mw(**settings):
    crawler = project_crawler(ZcGovCnSpider, **settings)
    closed: list[str] = []

    class Engine:
        async def close_spider_async(self, *, reason: str) -> None:
            closed.append(reason)

    crawler.engine = Engine()
    return RequestBudgetMiddleware(crawler), crawler, closed


def test_the_request_budget_refuses_the_request_after_the_last_and_closes_the_spider() -> None:
    mw, crawler, closed = budget_mw(PORTAL_REQUEST_BUDGET=3)

    async def crawl() -> None:  # in a running event loop, as under Scrapy's asyncio reactor
        for n in range(3):
            mw.process_request(Request(f"{COLUMN}index_{n}.html"))
        for _ in range(2):
            with pytest.raises(BudgetExhausted):
                mw.process_request(Request(PAGE))
        await asyncio.sleep(0)  # the close runs as a task

    asyncio.run(crawl())
    assert closed == ["request_budget"]  # once
    assert crawler.stats.get_value("limits/request_budget") == 3
    assert crawler.stats.get_value("limits/requests_refused") == 2


def test_pages_and_files_get_their_download_size_caps() -> None:
    mw, _, _ = budget_mw(PAGE_MAX_BYTES=1000, ATTACHMENT_MAX_BYTES=5000)
    page = Request(PAGE)
    mw.process_request(page)
    assert page.meta["download_maxsize"] == 1000
    pdf = Request(COLUMN + "a.pdf", headers={"Referer": PAGE}, meta={"attachment": True})
    mw.process_request(pdf)
    assert pdf.meta["download_maxsize"] == 5000


def test_a_report_page_gets_so_many_files_and_so_many_bytes() -> None:
    mw, crawler, _ = budget_mw(
        ATTACHMENTS_PER_REPORT=3, ATTACHMENT_BYTES_PER_REPORT=1500, ATTACHMENT_MAX_BYTES=1000
    )

    def file(n: int, page: str = PAGE) -> Request:
        return Request(f"{COLUMN}f{n}.pdf", headers={"Referer": page}, meta={"attachment": True})

    first = file(1)
    mw.process_request(first)
    assert first.meta["download_maxsize"] == 1000
    mw.process_response(first, Response(first.url, body=b"x" * 900, request=first))
    second = file(2)
    mw.process_request(second)
    assert second.meta["download_maxsize"] == 600  # what is left of the report's 1500
    retry = second.replace(dont_filter=True)  # a retry or a redirect hop keeps its meta
    mw.process_request(retry)
    mw.process_response(second, Response(second.url, body=b"x" * 600, request=second))
    with pytest.raises(AttachmentBudget, match="1500 bytes"):
        mw.process_request(file(3))
    with pytest.raises(AttachmentBudget, match="3 files"):
        mw.process_request(file(4))
    other = file(5, page=COLUMN + "content/post_5646103.html")
    mw.process_request(other)  # another report has its own budget
    assert other.meta["download_maxsize"] == 1000
    assert crawler.stats.get_value("limits/attachments_refused") == 2


def test_a_body_cut_at_its_size_cap_is_too_large_and_never_retried() -> None:
    crawler = project_crawler(ZcGovCnSpider)
    mw = SizeCapMiddleware(crawler)
    request = Request(COLUMN + "huge.pdf", meta={"attachment": True, "download_maxsize": 52428800})
    cancelled = DownloadCancelledError(
        "Expected to receive 94371840 bytes which is larger than download max size (52428800) "
        f"in request {request}."
    )
    with pytest.raises(TooLarge) as raised:
        mw.process_exception(request, cancelled)
    assert str(raised.value) == "too_large: over 52428800 bytes (file)"
    assert is_too_large(f"ignored: {raised.value}")
    assert mw.process_exception(request, DownloadCancelledError("cancelled by engine")) is None
    assert mw.process_exception(request, TimeoutError()) is None
    # without a Content-Length: cut at the first byte past the cap, a bare CancelledError
    chunked = Request(COLUMN + "chunked.pdf", meta={"attachment": True, "download_maxsize": 100})
    mw.bytes_received(b"x" * 64, chunked)
    assert mw.process_exception(chunked, CancelledError()) is None  # 64 bytes: another cancel
    mw.bytes_received(b"x" * 64, chunked)
    mw.bytes_received(b"x" * 64, chunked)
    with pytest.raises(TooLarge):
        mw.process_exception(chunked, CancelledError())
    assert mw.received == {}
    assert crawler.stats.get_value("limits/too_large/file") == 2


def test_a_gzip_bomb_is_cut_at_the_page_cap_and_a_normal_gzip_page_is_decoded() -> None:
    crawler = project_crawler(ZcGovCnSpider)
    mw = BoundedHttpCompressionMiddleware.from_crawler(crawler)
    request = Request(PAGE, meta={"download_maxsize": 16 * 1024 * 1024})
    bomb = Response(
        PAGE,
        body=gzip_bomb(64 * 1024 * 1024),
        headers={"Content-Encoding": "gzip"},
        request=request,
    )
    with pytest.raises(TooLarge, match="over 16777216 bytes"):
        mw.process_response(request, bomb)
    html = "<p>一、总体情况</p>".encode()
    fine = Response(
        PAGE, body=gzip.compress(html), headers={"Content-Encoding": "gzip"}, request=request
    )
    assert mw.process_response(request, fine).body == html
    assert crawler.stats.get_value("limits/too_large/page") == 1


def test_is_too_large_knows_both_cuts_and_nothing_else() -> None:
    assert is_too_large("ignored: too_large: over 100 bytes (file)")
    assert is_too_large(
        "ignored: Ignored response <200 x> because its body (1061908 B compressed, 52494336 B "
        "decompressed so far) exceeded DOWNLOAD_MAXSIZE (52428800 B) during decompression."
    )
    assert not is_too_large("http_404")
    assert not is_too_large(None)


def test_limits_and_refusals_are_named_in_the_summary_and_make_the_portal_unhealthy() -> None:
    crawler = project_crawler(HaizhuGovCnSpider)
    stats = {
        "finish_reason": "request_budget",
        "downloader/request_count": 100,
        "downloader/response_status_count/200": 99,
        "portal/list_pages": 60,
        "portal/list_entries": 600,
        "portal/report_links": 27,
        "portal/reports_found": 27,
        "limits/request_budget": 100,
        "limits/requests_refused": 1,
        "limits/list_page_cap": 2,
        "limits/list_pages_refused": 2,
        "fetchpolicy/refused/loopback": 3,
        "fetchpolicy/refused/offsite": 1,
        "downloader/exception_type_count/crawler.fetchpolicy.LoopbackRefused": 3,
        "portal/link_skipped/not_http": 2,
    }
    health = assess("haizhu_gov_cn", stats, History(), crawler.settings)
    assert not health.healthy
    assert health.errors == {}  # refusals are not errors of the portal's server
    assert health.reasons == [
        "request budget of 100 reached (PORTAL_REQUEST_BUDGET): crawl cut short, "
        "1 request(s) refused",
        "2 column(s) reached the page cap of 200 list pages (LIST_PAGE_CAP): list cut short, "
        "endless pagination?",
        "links or redirects to internal addresses or local files refused (loopback x3)",
    ]
    assert portal_lines(health)[1:] == [
        "      refused by the fetch policy: loopback 3, offsite 1",
        "      limits reached: columns at page cap 2, list pages not followed 2, "
        "requests over budget 1",
        "      skipped: link not_http 2",
        *(f"      haizhu_gov_cn: {reason}" for reason in health.reasons),
    ]
