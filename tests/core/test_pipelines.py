"""Pipelines on realistic items: each does its one job and counts what it skips."""

import asyncio

import pytest
from scrapy.exceptions import DropItem

from crawler.archive import Archive
from crawler.items import AttachmentItem
from pipelines.attachments import AttachmentsPipeline
from pipelines.canonicalize import CanonicalizePipeline
from pipelines.clean import CleanPipeline
from pipelines.validate import ValidatePipeline
from sandbox.document import Document, Heading, Para, Table
from sandbox.files import hostile, render
from tests.core.factories import ZHUCUN_URL, capture, report
from tests.helpers import fixture_response, project_crawler
from tests.portals import ZcGovCnSpider

DOC = Document(
    "2023年广州市增城区朱村街道办事处政府信息公开工作年度报告",
    [
        Heading("一、总体情况"),
        Para(
            "2023年，朱村街道认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息312条。"
        ),
        Heading("三、收到和处理政府信息公开申请情况"),
        Table((("本年新收政府信息公开申请数量", "5"), ("上年结转政府信息公开申请数量", "1"))),
    ],
)


@pytest.fixture
def crawler(tmp_path):
    return project_crawler(
        ZcGovCnSpider, OCR_ENABLED=False, ATTACHMENT_TIMEOUT=30, ARCHIVE_PATH=str(tmp_path / "a.db")
    )


def attachment(url: str, body: bytes | None, name: str, error: str | None = None) -> AttachmentItem:
    return AttachmentItem(
        url=url,
        filename=name,
        capture=capture(url, body, kind="attachment") if body is not None else None,
        fetch_error=error,
    )


def test_attachment_text_is_extracted_and_counted(crawler) -> None:
    docx = attachment(
        "https://www.zc.gov.cn/attachment/9/9401/9401234/9409195.docx",
        render(DOC, "docx"),
        "年报.docx",
    )
    wps = attachment(
        "https://www.zc.gov.cn/attachment/9/9401/9401235/9409195.wps",
        render(DOC, "wps"),
        "年报.wps",
    )
    missing = attachment(
        "https://www.zc.gov.cn/attachment/9/9401/9401236/9409195.pdf", None, "年报.pdf", "http_404"
    )
    bomb = attachment(
        "https://www.zc.gov.cn/attachment/9/9401/9401237/9409195.docx",
        hostile("zip_bomb_docx"),
        "bomb.docx",
    )
    item = report(attachments=[docx, wps, missing, bomb])
    asyncio.run(AttachmentsPipeline.from_crawler(crawler).process_item(item))
    assert [(a.status, a.mime) for a in item.attachments[:2]] == [
        ("ok", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("ok", "application/msword"),
    ]
    assert (missing.status, missing.error) == ("fetch_failed", "http_404")
    assert bomb.status in {"corrupt", "too_large", "timeout"} and bomb.text is None
    assert "本年新收政府信息公开申请数量\t5" in docx.text
    assert item.attachment_text.count("主动公开政府信息312条") == 2  # docx + wps, not the failures
    stats = crawler.stats.get_stats()
    assert stats["attachments/status/ok"] == 2
    assert stats["attachments/status/fetch_failed"] == 1


def test_bytes_extracted_in_an_earlier_run_are_not_parsed_again(crawler, tmp_path) -> None:
    url = "https://www.zc.gov.cn/attachment/9/9401/9401234/9409195.docx"
    first = report(attachments=[attachment(url, render(DOC, "docx"), "年报.docx")])
    asyncio.run(AttachmentsPipeline.from_crawler(crawler).process_item(first))
    archive = Archive.open(tmp_path / "a.db")
    archive.store(first)
    archive.close()

    again = report(attachments=[attachment(url, render(DOC, "docx"), "年报.docx")])
    asyncio.run(AttachmentsPipeline.from_crawler(crawler).process_item(again))
    assert crawler.stats.get_value("attachments/reused_extraction") == 1
    assert again.attachments[0].text == first.attachments[0].text
    assert (again.attachments[0].status, again.attachments[0].method) == ("ok", "docx")

    crawler.settings.frozen = False
    crawler.settings.set("INCREMENTAL_ENABLED", False)  # what --full sets
    full = report(attachments=[attachment(url, render(DOC, "docx"), "年报.docx")])
    asyncio.run(AttachmentsPipeline.from_crawler(crawler).process_item(full))
    assert crawler.stats.get_value("attachments/reused_extraction") == 1
    assert full.attachments[0].text == first.attachments[0].text


def test_clean_pipeline_keeps_the_report_and_drops_the_chrome(crawler) -> None:
    response = fixture_response("zc_gov_cn", "post_5672236.html")
    item = report(ZHUCUN_URL)
    item.capture = capture(response.url, response.body)
    item.content_selector = "#zoomcon"
    item.title = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
    CleanPipeline.from_crawler(crawler).process_item(item)
    assert item.text.startswith(item.title + "\n")
    assert "本报告是根据《中华人民共和国政府信息公开条例》的规定" in item.text
    for chrome in ("长者助手", "无障碍", "【字号", "分享", "相关附件", "相关新闻", "ICP备"):
        assert chrome not in item.text
    assert item.template_version == "pre2019"


def test_canonicalize_uses_the_spiders_twin_rules(crawler) -> None:
    item = report("http://www.zengcheng.gov.cn/gk/zfxxgk/zfxxgkgznb/content/mpost_5672236.html")
    CanonicalizePipeline.from_crawler(crawler).process_item(item)
    assert (
        item.canonical_url == "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"title": "增城区政府信息公开指南"}, "not_a_report_title"),
        ({"report_year": 1999}, "implausible_year"),
        ({"report_year": None}, "missing_year"),
    ],
)
def test_validate_drops_with_a_counted_reason(crawler, change, reason) -> None:
    item = report()
    for name, value in change.items():
        setattr(item, name, value)
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(item)
    assert crawler.stats.get_value(f"validate/{reason}") == 1
    assert pipeline.process_item(report()) is not None
