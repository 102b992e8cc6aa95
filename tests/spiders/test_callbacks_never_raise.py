"""Every list and detail callback of every CMS mixin (and gkmlpt) takes hostile input without
raising: missing fields, wrong types, empty bodies, truncated markup, binary bodies, JSON of any
shape. A callback's answer is only ever requests and report items.

Inputs are built by hypothesis from the shapes docs/portals.md documents, broken at random, and
from saved pages (the old sandbox's fixtures and the real pages) cut anywhere.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.cms.hanweb import Jpage
from crawler.items import ReportItem
from crawler.portal import ListEntry
from tests.helpers import project_crawler
from tests.portals import ByGovCnSpider, QufuGovCnSpider, QzlcGovCnSpider

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAVED = sorted(
    p
    for p in FIXTURES.glob("*/*")
    if p.suffix in {".html", ".htm", ".json", ".xml"} and p.parent.name != "cleaning"
)
SPIDERS = (ByGovCnSpider, QzlcGovCnSpider, QufuGovCnSpider)
URL = "https://www.by.gov.cn/zwgk/qzfxxgknb/zj/"
CONTENT_TYPES = [
    "text/html; charset=utf-8",
    "text/html; charset=gbk",
    "text/html",
    "application/json",
    "text/xml",
    "application/octet-stream",
    "application/pdf",
]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
anything = json_values | st.sampled_from(
    ["", "https://www.by.gov.cn/x/content/post_1.html", "/a", "javascript:x"]
)
article = st.dictionaries(
    st.sampled_from(
        ["id", "title", "url", "post_url", "date", "publish_time", "created_at", "source"]
    ),
    anything,
)
documented_json = st.fixed_dictionaries(
    {},
    optional={
        "articles": st.lists(article, max_size=5) | anything,
        "children": st.lists(
            st.dictionaries(st.sampled_from(["id", "name", "publish_count"]), anything)
        )
        | anything,
        "updated": anything,
        "classify": st.dictionaries(st.sampled_from(["id", "name", "post_count"]), anything)
        | anything,
    },
)


@st.composite
def bodies(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["empty", "bytes", "saved", "json", "datastore", "config"]))
    if kind == "empty":
        return b""
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "saved":
        raw = draw(st.sampled_from(SAVED)).read_bytes()
        return raw[: draw(st.integers(0, len(raw)))]
    if kind == "json":
        data = draw(documented_json | json_values)
        text = json.dumps(data, ensure_ascii=False)
        return text.encode()[: draw(st.integers(0, len(text.encode())))]
    if kind == "datastore":
        records = draw(st.lists(st.text(max_size=60), max_size=4))
        inner = "".join(f"<record><![CDATA[{r}]]></record>" for r in records)
        total = draw(st.integers(-5, 10**7))
        return f"<datastore><totalrecord>{total}</totalrecord><recordset>{inner}</recordset></datastore>totalRecord:{total}".encode()
    tree = json.dumps(draw(json_values))
    return f"<script>window._CONFIG = {{SID:'{draw(st.integers(0, 10**6))}', TREE: {tree}}};</script>".encode()


meta = st.fixed_dictionaries(
    {},
    optional={
        "column": st.sampled_from([URL, None, "", "https://www.by.gov.cn/gzbyjy/gkmlpt/index#1"]),
        "depth": st.integers(-1, 9),
        "via": st.text(max_size=12) | st.none(),
        "key": st.sampled_from([URL, "https://www.by.gov.cn/"]),
        "cat": st.sampled_from([None, "2851", ""]),
        "sub_columns": st.integers(0, 3),
        "list_url": st.just(URL),
    },
)


def response(url: str, body: bytes, content_type: str, request_meta: dict) -> Response:
    headers = {"Content-Type": content_type}
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url, body=body, headers=headers, request=Request(url, meta=dict(request_meta)))


class _Engine:
    async def download_async(self, request: Request) -> Response:
        return Response(request.url, status=200, body=b"%PDF-1.4", request=request)


def spider_of(cls: type) -> Any:
    crawler = project_crawler(cls, GOVREPORTS_RUN_ID="run-test")
    crawler.engine = _Engine()
    return crawler.spider


def drain(output: Any) -> list[Any]:
    if output is None:
        return []
    if inspect.isasyncgen(output):

        async def collect() -> list:
            return [x async for x in output]

        return asyncio.run(collect())
    return list(output)


def check(outputs: list[Any]) -> None:
    assert all(isinstance(o, Request | ReportItem) for o in outputs), outputs


@pytest.mark.parametrize("spidercls", SPIDERS)
@SETTINGS
@given(body=bodies(), content_type=st.sampled_from(CONTENT_TYPES), request_meta=meta)
def test_page_callbacks_never_raise(spidercls, body, content_type, request_meta) -> None:
    spider = spider_of(spidercls)
    page = response(URL, body, content_type, request_meta)
    for callback in (spider.parse_channel, spider.parse_column, spider.parse_list):
        check(drain(callback(page)))
    check(drain(spider.parse_detail(page, entry=ListEntry(URL, ""))))
    spider.report_incomplete_columns()


@SETTINGS
@given(body=bodies(), content_type=st.sampled_from(CONTENT_TYPES), request_meta=meta)
def test_nfcms_json_and_gkmlpt_callbacks_never_raise(body, content_type, request_meta) -> None:
    spider = spider_of(ByGovCnSpider)
    page = response(URL, body, content_type, request_meta)
    check(drain(spider.parse_json_list(page, children=True)))
    check(drain(spider.parse_gkmlpt_index(page)))
    kwargs = {"index": "https://www.by.gov.cn/gzbyjy/gkmlpt/index", "cat": "2851", "sid": "1"}
    for page_no in (1, 2):
        check(drain(spider.parse_gkmlpt_api(page, page=page_no, attempt=0, **kwargs)))
    spider.report_incomplete_columns()


@SETTINGS
@given(body=bodies(), content_type=st.sampled_from(CONTENT_TYPES), start=st.integers(-3, 100))
def test_hanweb_group_callback_never_raises(body, content_type, start) -> None:
    spider = spider_of(QufuGovCnSpider)
    page = response("http://www.qufu.gov.cn/module/web/jpage/dataproxy.jsp", body, content_type, {})
    jpage = Jpage("http://www.qufu.gov.cn/module/web/jpage/dataproxy.jsp", {}, 47, 15, 3)
    check(drain(spider.parse_group(page, jpage=jpage, start=start)))
    check(drain(spider.parse_list(page)))


@SETTINGS
@given(status=st.sampled_from([404, 410, 500, 503]), request_meta=meta, page_no=st.integers(1, 3))
def test_errbacks_never_raise(status, request_meta, page_no) -> None:
    spider = spider_of(ByGovCnSpider)
    cb_kwargs = {"index": "https://www.by.gov.cn/gzbyjy/gkmlpt/index", "cat": "2851", "sid": "1"}
    request = Request(
        URL, meta=dict(request_meta), cb_kwargs={**cb_kwargs, "page": page_no, "attempt": 0}
    )
    failure = Failure(HttpError(Response(URL, status=status, request=request), "x"))
    failure.request = request
    for errback in (
        spider.page_failed,
        spider.detail_failed,
        spider.json_list_failed,
        spider.gkmlpt_api_failed,
    ):
        check(drain(errback(failure)))
    timeout = Failure(TimeoutError("no answer"))
    timeout.request = request
    check(drain(spider.page_failed(timeout)))


def test_the_saved_pages_feed_the_properties() -> None:
    assert len(SAVED) > 40 and any(p.parent.name == "real" for p in SAVED)
    assert isinstance(response(URL, b"{}", "application/json", {}), TextResponse)
