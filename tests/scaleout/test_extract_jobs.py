"""Extraction as queued jobs: a crawl with EXTRACT_DEFERRED archives every attachment unread
with one `extract` job per distinct file; `jobs work` then stores the very attachments, report
text, search index and figures an inline crawl stores for the same bytes, OCR included (in the
job, or through an `ocr` job when OCR is deferred too); merged shards carry the jobs."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.archive import Archive, ArchiveView, merge, open_archive
from crawler.attachment_text import extraction_limits, ocr_deferred, stored_fields
from crawler.extract import Extraction, Limits
from crawler.extract.sniff import MIME, sniff_prefix
from crawler.items import ReportItem
from crawler.jobs import work
from pipelines.attachments import AttachmentsPipeline
from pipelines.dedup import DedupPipeline
from pipelines.figures import FiguresPipeline
from sandbox import files
from tests.extract.reports import REPORT_2021, SHORT_REPORT
from tests.figures.archived import Spider, item, page
from tests.scaleout.test_ocr_jobs import (
    FIGURES,
    FILES,
    NOTE_PAGE,
    REPORTS,
    ROOT,
    SMALL_TABLE,
    _file,
    _rows,
    rules_for_portal,
)

PDF = files.render(REPORT_2021, "pdf")  # a text layer: "行政事业性收费" row of the big table
DOCX = files.render(SHORT_REPORT, "docx")
WPS = files.render(REPORT_2021, "wps")  # a Word 97 file named .wps: LibreOffice reads it
TRUNCATED_PDF = PDF[: len(PDF) * 42 // 100]  # a download cut off part-way
WORDS = ("1700.35", "1286", "行政规范性文件")  # in the files, not on the pages


def _reports() -> list[ReportItem]:
    """Three 白云区 reports, five attachments, four distinct files: the first two link the same
    PDF (one file, one job), the first a DOCX too, the second a WPS; the third's page is a note
    and its table a body image (only OCR reads it)."""
    first = item(101, page(2021), 2021, "白云区民政局", figures=False)
    first.attachments = [_file(1, "年报.pdf", PDF), _file(1, "统计表.docx", DOCX)]
    second = item(102, page(2020), 2020, "白云区民政局", figures=False)
    second.attachments = [_file(2, "年报.pdf", PDF), _file(2, "2021年报.wps", WPS)]
    third = item(103, NOTE_PAGE, 2021, "白云区统计局", figures=False)
    third.images = [_file(3, "table.png", SMALL_TABLE)]
    return [first, second, third]


def _crawler(**overrides):
    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    crawler = get_crawler(settings_dict={**values, "INCREMENTAL_ENABLED": False, **overrides})
    crawler.spider = Spider()
    return crawler


def _crawl(path: Path, reports: list[ReportItem] | None = None, **overrides) -> dict:
    """The crawl's attachments, figures and dedup pipelines on the reports, then the archive's
    store: what the crawl does after cleaning.  Returns the crawl's stats."""
    crawler = _crawler(**overrides)
    attachments = AttachmentsPipeline(crawler)
    steps = [FiguresPipeline(crawler), DedupPipeline(crawler)]
    with Archive.open(path) as archive:
        for report in reports or _reports():
            report = asyncio.run(attachments.process_item(report))
            for step in steps:
                report = step.process_item(report)
            archive.store(report)
    return crawler.stats.get_stats()


def _work(path: Path, kind: str, **overrides):
    """`jobs work --kind KIND` with the crawl's settings (`overrides` as `-s`)."""
    settings = _crawler(**overrides).settings
    limits = extraction_limits(settings) if kind == "extract" else Limits.from_settings(settings)
    with Archive.open(path) as archive:
        return work(
            archive,
            rules_for_portal,
            kind=kind,
            node="n1",
            limits=limits,
            defer_ocr=ocr_deferred(settings),
        )


def _hits(path: Path) -> dict[str, set[int]]:
    with ArchiveView.open(path) as view:
        return {word: view.matching_ids(word) for word in WORDS}


def _jobs(path: Path) -> dict[tuple[str, str], int]:
    with ArchiveView.open(path) as view:
        return view.job_counts()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """An inline crawl and a deferred one of the same reports (a shard, as the crawl left it);
    the shard worked by a worker that OCRs, and by one that leaves OCR to `ocr` jobs."""
    folder = tmp_path_factory.mktemp("extract-jobs")
    inline, shard = folder / "inline.db", folder / "shard.db"
    result = {"inline": inline, "shard": shard, "folder": folder}
    result["inline_stats"] = _crawl(inline)
    result["shard_stats"] = _crawl(shard, EXTRACT_DEFERRED=True)
    worked, split = folder / "worked.db", folder / "split.db"
    shutil.copy(shard, worked)
    shutil.copy(shard, split)
    result["worked"], result["split"] = worked, split
    result["counts"] = _work(worked, "extract")
    result["split_extract"] = _work(split, "extract", OCR_DEFERRED=True)
    result["split_jobs"] = _jobs(split)
    result["split_files"] = _rows(split, FILES)
    result["split_ocr"] = _work(split, "ocr")
    return result


def test_a_deferred_crawl_archives_every_file_unread_with_one_job_per_file(crawled):
    shard, stats = crawled["shard"], crawled["shard_stats"]
    assert stats["attachments/status/extract_queued"] == 5
    assert not {k for k in stats if k.startswith("attachments/status/")} - {
        "attachments/status/extract_queued"
    }
    inline_statuses = {k: v for k, v in crawled["inline_stats"].items() if "/status/" in k}
    assert inline_statuses == {"attachments/status/ok": 4, "attachments/status/ocr": 1}
    assert _jobs(shard) == {("extract", "queued"): 4}  # the shared PDF once
    files_ = _rows(shard, FILES)
    assert [(f[1].rsplit("/", 2)[-2:], f[2], f[3], f[4], f[5], f[6]) for f in files_] == [
        (["1", "年报.pdf"], "application/pdf", "extract_queued", None, None, None),
        (["1", "统计表.docx"], "application/zip", "extract_queued", None, None, None),
        (["2", "年报.pdf"], "application/pdf", "extract_queued", None, None, None),
        (["2", "2021年报.wps"], "application/x-ole-storage", "extract_queued", None, None, None),
        (["3", "table.png"], "image/png", "extract_queued", None, None, None),
    ]
    # the bytes and their hashes are archived as the inline crawl archives them
    blobs = "SELECT sha256, size FROM blobs ORDER BY sha256"
    assert _rows(shard, blobs) == _rows(crawled["inline"], blobs)
    hashes = "SELECT url, sha256 FROM attachments ORDER BY id"
    assert _rows(shard, hashes) == _rows(crawled["inline"], hashes)
    assert [row[2] for row in _rows(shard, REPORTS)] == [None, None, None]
    assert _hits(shard) == {"1700.35": set(), "1286": set(), "行政规范性文件": set()}
    assert _rows(shard, REPORTS) != _rows(crawled["inline"], REPORTS)


def test_extract_jobs_store_what_the_inline_crawl_stores(crawled):
    inline, worked, counts = crawled["inline"], crawled["worked"], crawled["counts"]
    # a report's text changes with each of its files read: PDF 2 reports, DOCX, WPS, PNG 1 each
    assert (counts.done, counts.failed, counts.reports_changed, counts.errors) == (4, 0, 5, [])
    assert counts.figures_changed == 5  # and so do its figures
    assert _jobs(worked) == {("extract", "done"): 4}  # the worker OCR'd the image itself
    assert _rows(worked, REPORTS) == _rows(inline, REPORTS)
    assert _rows(worked, FILES) == _rows(inline, FILES)
    statuses = "SELECT status, method, count(*) FROM attachments GROUP BY 1, 2 ORDER BY 1, 2"
    assert _rows(worked, statuses) == [
        ("ocr", "ocr", 1),
        ("ok", "docx", 1),
        ("ok", "libreoffice", 1),
        ("ok", "pdfium", 2),
    ]
    expected = {"1700.35": {1, 2}, "1286": {1, 2}, "行政规范性文件": {1, 2, 3}}
    assert _hits(worked) == _hits(inline) == expected
    assert _rows(worked, FIGURES) == _rows(inline, FIGURES)
    assert len(_rows(worked, FIGURES)) == 3
    versions = "SELECT report_id, count(*) FROM report_versions GROUP BY report_id"
    assert _rows(inline, versions) == [(1, 1), (2, 1), (3, 1)]
    # the history keeps the unread state and one version per file read (a job is one file)
    assert _rows(worked, versions) == [(1, 3), (2, 3), (3, 2)]


def test_with_ocr_deferred_too_the_extract_job_queues_the_ocr_job(crawled):
    extract, ocr = crawled["split_extract"], crawled["split_ocr"]
    assert (extract.done, extract.failed, extract.reports_changed) == (4, 0, 4)  # not the PNG
    assert crawled["split_jobs"] == {("extract", "done"): 4, ("ocr", "queued"): 1}
    waiting = [f[1:5] for f in crawled["split_files"] if f[3] != "ok"]
    assert waiting == [("https://www.by.gov.cn/attachment/0/3/table.png", "image/png",
                        "ocr_queued", None)]  # fmt: skip
    assert (ocr.done, ocr.failed, ocr.reports_changed) == (1, 0, 1)
    split, inline = crawled["split"], crawled["inline"]
    assert _jobs(split) == {("extract", "done"): 4, ("ocr", "done"): 1}
    assert _rows(split, REPORTS) == _rows(inline, REPORTS)
    assert _rows(split, FILES) == _rows(inline, FILES)
    assert _hits(split) == _hits(inline)
    assert _rows(split, FIGURES) == _rows(inline, FIGURES)


def test_a_merged_shard_brings_its_extract_jobs_and_merging_again_adds_none(crawled):
    target = crawled["folder"] / "merged.db"
    first = merge.merge_shards(target, [crawled["shard"]])[0]
    assert (first.counts["reports"], first.counts["jobs"]) == (3, 4)
    db = open_archive(target)
    again = merge.merge_shard(db, crawled["shard"], force=True)
    db.close()
    assert (again.counts["jobs"], again.counts["reports"]) == (0, 0)
    assert _jobs(target) == {("extract", "queued"): 4}
    counts = _work(target, "extract")
    assert (counts.done, counts.failed) == (4, 0)
    assert _rows(target, REPORTS) == _rows(crawled["inline"], REPORTS)
    assert _rows(target, FILES) == _rows(crawled["inline"], FILES)


def test_an_extract_job_whose_worker_died_is_taken_again_after_its_lease(crawled, tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(crawled["shard"], path)
    with Archive.open(path) as archive:
        dead = archive.take_job("dead-node", "extract", "2000-01-01T00:00:00Z")
        alive = archive.take_job("live-node", "extract", "2000-01-01T00:00:00Z")
        for job, minutes in ((dead, "-60 minutes"), (alive, "-1 minutes")):
            archive.db.execute(
                "UPDATE extraction_jobs SET taken_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)"
                " WHERE id = ?",
                [minutes, job.id],
            )
        archive.db.conn.commit()
    counts = _work(path, "extract")  # a 15-minute lease
    assert (counts.done, counts.failed) == (3, 0)
    jobs = "SELECT id, status, node FROM extraction_jobs ORDER BY id"
    assert _rows(path, jobs) == [
        (dead.id, "done", "n1"),
        (alive.id, "taken", "live-node"),
        (3, "done", "n1"),
        (4, "done", "n1"),
    ]


def _cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler.cli", "jobs", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_one_worker_runs_the_extract_jobs_then_the_ocr_jobs_they_queue(crawled, tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(crawled["shard"], path)
    run = _cli("work", "--archive", str(path), "--node", "n1", "-s", "OCR_DEFERRED=True")
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == (
        "4 extract jobs done, 0 failed; 4 reports got new attachment text, 4 new figures\n"
        "1 ocr jobs done, 0 failed; 1 reports got new attachment text, 1 new figures\n"
    )
    assert _jobs(path) == {("extract", "done"): 4, ("ocr", "done"): 1}
    assert _rows(path, REPORTS) == _rows(crawled["inline"], REPORTS)
    assert _rows(path, FILES) == _rows(crawled["inline"], FILES)


def test_a_corrupt_file_fails_its_job_with_its_error_and_the_others_complete(tmp_path):
    path = tmp_path / "archive.db"
    report = item(104, page(2019), 2019, "白云区民政局", figures=False)
    report.attachments = [_file(4, "年报.pdf", TRUNCATED_PDF), _file(4, "统计表.docx", DOCX)]
    _crawl(path, [report], EXTRACT_DEFERRED=True)
    assert _jobs(path) == {("extract", "queued"): 2}
    run = _cli("work", "--archive", str(path), "--kind", "extract", "--node", "n1")
    assert run.returncode == 1, run.stderr
    assert run.stdout == (
        "1 extract jobs done, 1 failed; 1 reports got new attachment text, 1 new figures\n"
    )
    sha = report.attachments[0].capture.sha256
    error = "corrupt: pdfium: Failed to load document (PDFium: Data format error)."
    assert run.stderr == f"failed: {sha}: {error}\n"
    jobs = "SELECT sha256, status, node, error FROM extraction_jobs ORDER BY id"
    assert _rows(path, jobs) == [
        (sha, "failed", "n1", error),
        (report.attachments[1].capture.sha256, "done", "n1", None),
    ]
    files_ = _rows(path, "SELECT status, method, text IS NOT NULL FROM attachments ORDER BY id")
    assert files_ == [("extract_queued", None, 0), ("ok", "docx", 1)]  # the PDF waits for a retry
    (text,) = _rows(path, "SELECT attachment_text FROM reports")[0]
    assert "行政规范性文件" in text


def test_a_file_over_the_size_limit_is_refused_in_the_crawl_as_inline_and_not_queued(tmp_path):
    def report() -> list[ReportItem]:
        one = item(105, page(2019), 2019, "白云区民政局", figures=False)
        one.attachments = [_file(5, "年报.pdf", PDF), _file(5, "统计表.docx", DOCX)]
        return [one]

    limit = {"ATTACHMENT_MAX_BYTES": len(DOCX) + 1}  # the PDF is larger, the DOCX is not
    assert len(PDF) > len(DOCX)
    _crawl(tmp_path / "inline.db", report(), **limit)
    _crawl(tmp_path / "deferred.db", report(), EXTRACT_DEFERRED=True, **limit)
    assert _jobs(tmp_path / "deferred.db") == {("extract", "queued"): 1}
    statuses = "SELECT status, mime, error FROM attachments ORDER BY id"
    too_large = ("too_large", "application/pdf", f"{len(PDF):,} bytes > limit {len(DOCX) + 1:,}")
    assert _rows(tmp_path / "inline.db", statuses)[0] == too_large
    assert _rows(tmp_path / "deferred.db", statuses)[0] == too_large


def test_a_queued_file_is_reused_by_a_deferred_crawl_and_read_by_one_that_extracts(tmp_path):
    path = tmp_path / "archive.db"
    again = {"INCREMENTAL_ENABLED": True, "ARCHIVE_PATH": str(path)}
    _crawl(path, EXTRACT_DEFERRED=True)
    second = _crawl(path, EXTRACT_DEFERRED=True, **again)
    assert second["attachments/reused_extraction"] == 5  # nothing parsed, no job added
    assert _jobs(path) == {("extract", "queued"): 4}
    inline = _crawl(path, **again)  # a crawl that extracts reads the files itself
    assert "attachments/reused_extraction" not in inline
    assert (inline["attachments/status/ok"], inline["attachments/status/ocr"]) == (4, 1)

    def no_extraction(body: bytes, name: str | None, limits) -> Extraction:
        pytest.fail(f"{name}: nothing waits for this file, it is not extracted again")

    with Archive.open(path) as archive:
        counts = work(
            archive, rules_for_portal, kind="extract", node="n1",
            limits=extraction_limits(_crawler().settings), extract=no_extraction,
        )  # fmt: skip
    assert (counts.done, counts.failed, counts.reports_changed) == (4, 0, 0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=64), max_bytes=st.integers(min_value=1, max_value=64))
def test_a_deferring_crawl_sees_only_the_size_and_the_magic_bytes_of_any_file(body, max_bytes):
    crawler = _crawler(EXTRACT_DEFERRED=True, ATTACHMENT_MAX_BYTES=max_bytes)
    attachment = _file(6, "附件", body)
    asyncio.run(AttachmentsPipeline(crawler).extract(attachment))
    assert attachment.mime == MIME[sniff_prefix(body)]
    assert (attachment.text, attachment.method) == (None, None)
    if len(body) > max_bytes:
        assert attachment.status == "too_large"
        assert attachment.error == f"{len(body):,} bytes > limit {max_bytes:,}"
    else:
        assert (attachment.status, attachment.error) == ("extract_queued", None)
    assert crawler.stats.get_stats() == {f"attachments/status/{attachment.status}": 1}


@given(
    status=st.sampled_from(["ok", "ocr", "no_text_layer", "unsupported", "corrupt", "timeout"]),
    method=st.sampled_from([None, "pdf", "ocr"]),
    text=st.none() | st.text(max_size=20),
    defer_ocr=st.booleans(),
)
def test_only_a_file_only_ocr_can_read_waits_for_ocr(status, method, text, defer_ocr):
    result = Extraction(text, status, method, "image/png", "why", None)
    fields = stored_fields(result, defer_ocr)
    if defer_ocr and status == "no_text_layer" and method is None:
        assert (fields["status"], fields["error"]) == ("ocr_queued", None)
    else:
        assert (fields["status"], fields["error"]) == (status, "why")
    assert (fields["mime"], fields["method"]) == ("image/png", method)
