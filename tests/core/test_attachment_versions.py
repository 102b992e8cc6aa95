"""An edited attachment keeps its old file and text, as an edited report keeps its old text."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.archive import Archive, ArchiveView
from crawler.items import AttachmentItem
from tests.core.factories import capture, report

PDF_URL = "https://www.zc.gov.cn/attachment/0/381/381507/5646102.pdf"
OLD_TEXT = "附件：2017年朱村街道政府信息公开情况统计表\n主动公开政府信息数 156条"
NEW_TEXT = "附件：2017年朱村街道政府信息公开情况统计表\n主动公开政府信息数 165条"


def with_pdf(body: bytes, text: str, run_id: str, fetched_at: str):
    pdf = AttachmentItem(
        url=PDF_URL,
        filename="朱村街2017年报统计表.pdf",
        capture=capture(PDF_URL, body, kind="attachment", run_id=run_id),
        mime="application/pdf",
        text=text,
        method="pdf_text",
        status="ok",
    )
    item = report(attachments=[pdf], run_id=run_id)
    item.attachment_text = text
    item.capture.fetched_at = pdf.capture.fetched_at = fetched_at
    return item


@pytest.fixture
def archive(tmp_path: Path):
    archive = Archive.open(tmp_path / "archive.db")
    yield archive
    archive.close()


def versions(archive: Archive) -> list[tuple]:
    return [
        (v["text"], v["valid_from"], v["valid_to"])
        for v in archive.db["attachment_versions"].rows_where(order_by="id")
    ]


def test_an_edited_attachment_keeps_its_old_text(archive: Archive) -> None:
    archive.store(with_pdf(b"%PDF-1.7 156", OLD_TEXT, "run-1", "2026-11-23T08:00:00Z"))
    archive.store(with_pdf(b"%PDF-1.7 156", OLD_TEXT, "run-2", "2026-11-24T08:00:00Z"))
    edited = archive.store(with_pdf(b"%PDF-1.7 165", NEW_TEXT, "run-3", "2026-11-25T08:00:00Z"))
    assert edited.outcome == "new_version"
    assert versions(archive) == [
        (OLD_TEXT, "2026-11-23T08:00:00Z", "2026-11-25T08:00:00Z"),
        (NEW_TEXT, "2026-11-25T08:00:00Z", None),
    ]
    (row,) = archive.db["attachments"].rows
    assert (row["text"], row["status"]) == (NEW_TEXT, "ok")
    old_capture = archive.db["captures"].get(archive.db["attachment_versions"].get(1)["capture_id"])
    assert archive.db["blobs"].get(old_capture["sha256"])["body"] == b"%PDF-1.7 156"


def test_show_lists_the_versions_and_their_bytes(archive: Archive, tmp_path: Path) -> None:
    archive.store(with_pdf(b"%PDF-1.7 156", OLD_TEXT, "run-1", "2026-11-23T08:00:00Z"))
    archive.store(with_pdf(b"%PDF-1.7 165", NEW_TEXT, "run-2", "2026-11-25T08:00:00Z"))
    with ArchiveView.open(tmp_path / "archive.db") as view:
        detail = view.report(1)
    (attachment,) = detail["attachments"]
    assert [v["text"] for v in attachment["versions"]] == [OLD_TEXT, NEW_TEXT]
    pdfs = [c["size"] for c in detail["captures"] if c["kind"] == "attachment"]
    assert pdfs == [12, 12]  # the old file's capture is listed with the new one's


def test_a_failed_fetch_is_a_version_and_the_text_before_it_stays(archive: Archive) -> None:
    archive.store(with_pdf(b"%PDF-1.7 156", OLD_TEXT, "run-1", "2026-11-23T08:00:00Z"))
    failed = report(run_id="run-2")
    failed.capture.fetched_at = "2026-11-24T08:00:00Z"
    failed.attachments = [
        AttachmentItem(url=PDF_URL, filename="x.pdf", fetch_error="http_404", status="fetch_failed")
    ]
    archive.store(failed)
    assert versions(archive) == [
        (OLD_TEXT, "2026-11-23T08:00:00Z", "2026-11-24T08:00:00Z"),
        (None, "2026-11-24T08:00:00Z", None),
    ]
