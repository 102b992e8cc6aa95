"""A report re-posted on the city portal (www.gz.gov.cn) belongs to its own portal's page
(www.by.gov.cn) whichever of the two the crawl met first: the own page owns the URL, title,
unit, publication date, text and attachments; the re-post is a sighting, never a version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from crawler.archive import Archive
from crawler.items import AttachmentItem, ReportItem
from tests.core.factories import capture, report

OWN = "https://www.by.gov.cn/zwgk/qzfxxgknb/content/post_10156706.html"
REPOST = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_10121234.html"
PDF_URL = "https://www.by.gov.cn/attachment/0/535/535123/10156706.pdf"
TITLE = "广州市白云区人民政府2023年政府信息公开工作年度报告"
BODY = (
    "\n一、总体情况\n2023年，白云区坚持以人民为中心的发展思想，全面贯彻落实《中华人民共和国政府信息公开条例》，"
    "持续深化政务公开，全年主动公开政府信息12836条，其中政策文件358件，政策解读211篇。\n"
    "二、主动公开政府信息情况\n本年制发规章0件，制发规范性文件17件，现行有效规范性文件126件。\n"
    "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请1043件，上年结转37件，"
    "予以公开612件，部分公开98件，不予公开41件，结转下年度继续办理52件。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n被申请行政复议26件，结果维持21件，纠正3件，其他情形2件。"
)
PDF_TEXT = "附件：2023年白云区政府信息公开工作年度报告统计表\n主动公开政府信息12836条"


def own_page(run_id: str = "run-1") -> ReportItem:
    item = report(OWN, text=TITLE + BODY, run_id=run_id)
    item.portal, item.unit, item.report_year = "by_gov_cn", "白云区人民政府", 2023
    item.published_at, item.title, item.home_domain = "2024-01-15", TITLE, "by.gov.cn"
    item.attachments = [_pdf(run_id)]
    item.attachment_text = PDF_TEXT
    return item


def repost(run_id: str = "run-1") -> ReportItem:
    """The city portal's copy: its own chrome, its own title line and date, no attachment."""
    item = report(
        REPOST,
        body=b"<html>gz.gov.cn chrome</html>" + BODY.encode(),
        text="白云区2023年政府信息公开年报" + BODY,
        run_id=run_id,
    )
    item.portal, item.unit, item.report_year = "by_gov_cn", "广州市白云区人民政府", 2023
    item.published_at, item.title = "2024-01-19 10:30", "白云区2023年政府信息公开年报"
    item.home_domain = "by.gov.cn"
    return item


def _pdf(run_id: str) -> AttachmentItem:
    body = b"%PDF-1.7 baiyun 2023"
    item = AttachmentItem(url=PDF_URL, filename="10156706.pdf")
    item.capture = capture(PDF_URL, body, kind="attachment", run_id=run_id)
    item.mime, item.method, item.status, item.text = "application/pdf", "pdf_text", "ok", PDF_TEXT
    assert item.capture.sha256 == hashlib.sha256(body).hexdigest()
    return item


def stored(archive: Archive) -> dict:
    """What the archive says about the one report, without ids and times that order changes."""
    (row,) = list(archive.db["reports"].rows)
    capture = archive.db["captures"].get(row["capture_id"])
    versions = list(archive.db["report_versions"].rows)
    return {
        "report": {
            k: row[k]
            for k in ("canonical_url", "title", "unit", "published_at", "text", "attachment_text")
        },
        "page": capture["url"],
        "attachments": [(a["url"], a["text"]) for a in archive.db["attachments"].rows],
        "versions": [(v["title"], v["text"], v["valid_to"]) for v in versions],
        "version_page": archive.db["captures"].get(versions[0]["capture_id"])["url"],
        "sighted": sorted(s["url"] for s in archive.db["sightings"].rows),
    }


OWNED = {
    "report": {
        "canonical_url": OWN,
        "title": TITLE,
        "unit": "白云区人民政府",
        "published_at": "2024-01-15",
        "text": TITLE + BODY,
        "attachment_text": PDF_TEXT,
    },
    "page": OWN,
    "attachments": [(PDF_URL, PDF_TEXT)],
    "versions": [(TITLE, TITLE + BODY, None)],
    "version_page": OWN,
    "sighted": [OWN, REPOST],
}


@pytest.fixture
def archive(tmp_path: Path):
    archive = Archive.open(tmp_path / "archive.db")
    yield archive
    archive.close()


def test_own_page_first_then_the_repost_is_a_sighting(archive: Archive) -> None:
    assert archive.store(own_page()).outcome == "new"
    assert archive.store(repost()).outcome == "same_text"
    assert stored(archive) == OWNED


def test_repost_first_then_the_own_page_takes_the_report_over(archive: Archive) -> None:
    first = archive.store(repost())
    assert stored(archive)["report"]["published_at"] == "2024-01-19 10:30"
    assert archive.store(own_page()).report_id == first.report_id
    assert stored(archive) == OWNED
    assert archive.db["captures"].count == 3  # both pages and the PDF: nothing fetched is lost


@pytest.mark.parametrize("order", ["own_first", "repost_first"])
def test_a_second_run_records_sightings_and_no_phantom_version(archive: Archive, order) -> None:
    pages = [own_page, repost] if order == "own_first" else [repost, own_page]
    for page in pages:
        archive.store(page("run-1"))
    outcomes = [archive.store(page("run-2")).outcome for page in pages]
    expected = ["unchanged", "same_bytes"] if order == "own_first" else ["same_bytes", "unchanged"]
    assert outcomes == expected
    after = stored(archive)
    assert after["versions"] == OWNED["versions"]
    assert after["report"] == OWNED["report"]
    assert after["attachments"] == OWNED["attachments"]
    assert archive.db["sightings"].count == 4


def test_a_repost_with_its_own_attachment_keeps_the_bytes_not_the_row(archive: Archive) -> None:
    archive.store(own_page())
    copy = repost()
    gz_pdf = "https://www.gz.gov.cn/attachment/7/7094/7094298.pdf"
    copy.attachments = [
        AttachmentItem(
            url=gz_pdf,
            filename="7094298.pdf",
            capture=capture(gz_pdf, b"%PDF-1.7 gz copy", kind="attachment"),
            status="ok",
            text=PDF_TEXT,
        )
    ]
    archive.store(copy)
    assert stored(archive)["attachments"] == [(PDF_URL, PDF_TEXT)]
    assert gz_pdf in [c["url"] for c in archive.db["captures"].rows]
