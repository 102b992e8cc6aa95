"""The item pipelines on hostile values: each either passes the item on or drops it with a counted
reason, never raises anything else (validate, canonicalize, clean, attachments)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.exceptions import DropItem

from crawler.items import AttachmentItem
from pipelines.attachments import AttachmentsPipeline
from pipelines.canonicalize import CanonicalizePipeline
from pipelines.clean import CleanPipeline
from pipelines.validate import ValidatePipeline
from tests.core.factories import ZHUCUN_TITLE, ZHUCUN_URL, capture, report
from tests.helpers import project_crawler
from tests.portals import ZcGovCnSpider

STATUSES = {"ok", "ocr", "no_text_layer", "unsupported", "too_large", "timeout", "corrupt"}
HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x01\x0b\x1b\ufeff\u3000年报告"),
    max_size=80,
)


@pytest.fixture(scope="module")
def crawler(tmp_path_factory):
    archive = tmp_path_factory.mktemp("pipelines") / "a.db"
    return project_crawler(
        ZcGovCnSpider, OCR_ENABLED=False, ATTACHMENT_TIMEOUT=30, ARCHIVE_PATH=str(archive)
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.one_of(st.none(), HOSTILE_TEXT, st.just(ZHUCUN_TITLE)),
    year=st.one_of(st.none(), st.integers(min_value=-(2**70), max_value=2**70)),
    status=st.integers(min_value=100, max_value=999),
    body=st.binary(max_size=50),
)
def test_validate_passes_or_drops_with_a_counted_reason(crawler, title, year, status, body) -> None:
    item = report()
    item.title, item.report_year = title, year
    item.capture.status, item.capture.body = status, body
    pipeline = ValidatePipeline(crawler)
    before = sum(v for k, v in crawler.stats.get_stats().items() if k.startswith("validate/"))
    try:
        assert pipeline.process_item(item) is item
    except DropItem as dropped:
        after = sum(v for k, v in crawler.stats.get_stats().items() if k.startswith("validate/"))
        assert after == before + 1
        assert str(dropped).endswith(item.url)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    url=st.one_of(
        HOSTILE_TEXT,
        st.sampled_from(["http://[::1", "https://www.zc.gov.cn:99999/x", "https://[zz]/", ""]),
        st.builds(lambda tail: ZHUCUN_URL + tail, HOSTILE_TEXT),
    )
)
def test_canonicalize_never_raises(crawler, url: str) -> None:
    item = report()
    item.url = url
    out = CanonicalizePipeline(crawler).process_item(item)
    assert isinstance(out.canonical_url, str)


def test_an_unparsable_url_is_its_own_canonical_and_counted(crawler) -> None:
    item = report()
    item.url = "http://[::1/content/post_1.html"
    assert CanonicalizePipeline(crawler).process_item(item).canonical_url == item.url
    assert crawler.stats.get_value("canonicalize/unparsable_url") >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.binary(max_size=3000), selector=st.sampled_from(["#zoomcon", "//div[", "td >"]))
def test_clean_never_raises(crawler, body: bytes, selector: str) -> None:
    item = report(body=body)
    item.content_selector = selector
    out = CleanPipeline(crawler).process_item(item)
    assert isinstance(out.text, str)


def test_a_page_the_cleaner_cannot_read_is_kept_with_its_title_and_counted(
    crawler, monkeypatch
) -> None:
    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("pipelines.clean.clean_html", explode)
    item = CleanPipeline(crawler).process_item(report())
    assert item.text == ZHUCUN_TITLE
    assert item.sections == [] and item.template_version is None
    assert crawler.stats.get_value("clean/failed/RecursionError") == 1


def test_a_page_nested_too_deep_is_cleaned_as_text_and_counted(crawler) -> None:
    deep = ("<div>" * 5000 + "<p>一、总体情况</p>" + "</div>" * 5000).encode()
    item = CleanPipeline(crawler).process_item(report(body=deep))
    assert item.text == f"{ZHUCUN_TITLE}\n一、总体情况"
    assert crawler.stats.get_value("clean/degraded/parser_limit") >= 1


FETCH_ERRORS = st.sampled_from(
    [
        "ignored: fetch policy: file: file:///etc/passwd?x.pdf",
        "ignored: too_large: over 52428800 bytes (file)",
        "ignored: report page's attachment budget of 50 files (ATTACHMENTS_PER_REPORT) spent",
        "not_http",
        "http_404",
        "DownloadTimeoutError",
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.one_of(HOSTILE_TEXT, st.sampled_from(["-年报.pdf", "--help", "年报\x00.pdf", ""])),
    body=st.one_of(st.none(), st.binary(max_size=200), st.just(b"%PDF-1.4\n%\xe2\xe3\n")),
    error=st.one_of(st.none(), FETCH_ERRORS),
)
def test_attachments_always_end_with_a_status(crawler, name: str, body, error) -> None:
    url = "https://www.zc.gov.cn/attachment/9/9401/9401234/9409195.pdf"
    attachment = AttachmentItem(
        url=url,
        filename=name,
        capture=capture(url, body, kind="attachment") if body is not None else None,
        fetch_error=error,
    )
    item = report(attachments=[attachment])
    asyncio.run(AttachmentsPipeline(crawler).process_item(item))
    if body is None or error:
        expected = "too_large" if error and "too_large" in error else "fetch_failed"
        assert attachment.status == expected
        assert attachment.error == error
    else:
        assert attachment.status in STATUSES
