import json

import pytest

from crawler.archive import Archive, StoreResult, open_archive
from crawler.archive import attachments as archive_attachments
from crawler.items import AttachmentItem
from tests.core.factories import ZHUCUN_TEXT, ZHUCUN_URL, capture, report

MPOST = ZHUCUN_URL.replace("post_", "mpost_")
GZ_REPOST = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_5632792.html"


@pytest.fixture
def archive(tmp_path):
    archive = Archive(open_archive(tmp_path / "archive.db"))
    yield archive
    archive.close()


def count(archive: Archive, table: str) -> int:
    return archive.db[table].count


def test_first_sighting_stores_bytes_capture_report_and_version(archive: Archive) -> None:
    result = archive.store(report())
    assert result.outcome == "new"
    row = archive.db["reports"].get(result.report_id)
    assert row["canonical_url"] == ZHUCUN_URL
    assert row["unit"] == "朱村街道办事处"
    assert row["report_year"] == 2017
    assert row["text"] == ZHUCUN_TEXT
    assert json.loads(row["sections"])[0] == "一 概 述"
    capture_row = archive.db["captures"].get(row["capture_id"])
    assert capture_row["referer"].endswith("index_2.html")
    assert json.loads(capture_row["headers"]) == {"Content-Type": ["text/html; charset=utf-8"]}
    blob = archive.db["blobs"].get(capture_row["sha256"])
    assert blob["body"].decode().startswith("<html><body>2017年广州市增城区")
    assert (count(archive, "report_versions"), count(archive, "sightings")) == (1, 1)


def test_mobile_twin_is_a_sighting_not_a_report(archive: Archive) -> None:
    first = archive.store(report())
    twin = report(
        MPOST, body=b"<html>mobile theme</html>" + ZHUCUN_TEXT.encode(), canonical_url=ZHUCUN_URL
    )
    result = archive.store(twin)
    assert (result.report_id, result.outcome) == (first.report_id, "unchanged")
    assert count(archive, "reports") == 1
    urls = [r["url"] for r in archive.db["sightings"].rows]
    assert urls == [ZHUCUN_URL, MPOST]


def test_repost_with_other_chrome_is_the_same_text(archive: Archive) -> None:
    first = archive.store(report())
    repost = report(
        GZ_REPOST,
        body=b"<html>gz chrome</html>",
        text="重新发布的标题\n" + ZHUCUN_TEXT.split("\n", 1)[1],
    )
    result = archive.store(repost)
    assert (result.report_id, result.outcome) == (first.report_id, "same_text")


def test_a_report_met_first_as_a_repost_moves_to_its_own_portals_url(archive: Archive) -> None:
    body = "\n" + ZHUCUN_TEXT.split("\n", 1)[1]
    repost = report(GZ_REPOST, body=b"<html>gz chrome</html>", text="重新发布的标题" + body)
    repost.home_domain = "zc.gov.cn"
    first = archive.store(repost)
    assert archive.db["reports"].get(first.report_id)["canonical_url"] == GZ_REPOST
    own = report()
    own.home_domain = "zc.gov.cn"
    assert archive.store(own) == StoreResult(first.report_id, "same_text")
    assert archive.db["reports"].get(first.report_id)["canonical_url"] == ZHUCUN_URL
    archive.store(repost)  # seen again on the city portal: the canonical URL stays home
    assert archive.db["reports"].get(first.report_id)["canonical_url"] == ZHUCUN_URL


def test_same_bytes_under_another_url(archive: Archive) -> None:
    first = archive.store(report())
    copy = report("http://www.zc.gov.cn/old/path.html", text="short")
    copy.capture = capture(copy.url, report().capture.body)
    assert archive.store(copy).outcome == "same_bytes"
    assert archive.store(copy).report_id == first.report_id


def test_edited_text_keeps_the_old_version(archive: Archive) -> None:
    first = archive.store(report())
    edited_text = ZHUCUN_TEXT.replace("2017年度没有发生", "2017年度发生1起")
    result = archive.store(report(text=edited_text, run_id="run-2"))
    assert result.outcome == "new_version"
    versions = list(
        archive.db["report_versions"].rows_where("report_id = ?", [first.report_id], order_by="id")
    )
    assert [v["text"] for v in versions] == [ZHUCUN_TEXT, edited_text]
    assert versions[0]["valid_to"] is not None and versions[1]["valid_to"] is None
    assert archive.db["reports"].get(first.report_id)["text"] == edited_text


def test_raw_bytes_are_stored_once(archive: Archive) -> None:
    archive.store(report())
    archive.store(report(run_id="run-2"))
    assert count(archive, "blobs") == 1
    assert count(archive, "captures") == 2


def test_attachments_are_upserted_per_report_and_url(archive: Archive) -> None:
    pdf = AttachmentItem(
        url="https://www.zc.gov.cn/attachment/8/8015/8015798/5646102.pdf",
        filename="朱村街2017年报.pdf",
        capture=capture(
            "https://www.zc.gov.cn/attachment/8/8015/8015798/5646102.pdf",
            b"%PDF-1.4 x",
            kind="attachment",
        ),
        text="朱村街 正文",
        status="ok",
        method="pdf_text",
        mime="application/pdf",
    )
    archive.store(report(attachments=[pdf]))
    archive.store(report(attachments=[pdf]))
    rows = list(archive.db["attachments"].rows)
    assert [(r["filename"], r["status"], r["mime"]) for r in rows] == [
        ("朱村街2017年报.pdf", "ok", "application/pdf")
    ]


def test_a_failure_mid_store_leaves_no_half_report(archive: Archive, monkeypatch) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive_attachments, "store_attachment", explode)
    bad = report(attachments=[AttachmentItem(url="https://www.zc.gov.cn/a.pdf", filename="a.pdf")])
    with pytest.raises(RuntimeError):
        archive.store(bad)
    assert [count(archive, t) for t in ("reports", "captures", "blobs", "sightings")] == [
        0,
        0,
        0,
        0,
    ]


def test_full_text_search_finds_the_report(archive: Archive) -> None:
    archive.store(report())
    rows = archive.db.execute(
        "SELECT title FROM reports_fts WHERE reports_fts MATCH ?", ['"行政复议诉讼"']
    ).fetchall()
    assert rows == [("2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",)]
