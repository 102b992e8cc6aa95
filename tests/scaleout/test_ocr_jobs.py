"""OCR as queued jobs: a crawl with OCR_DEFERRED archives scans without OCR and queues one job
per distinct file; `jobs work` fills in the very text, search index and figures an inline-OCR
crawl stores for the same bytes; leases, failures and merged shards lose no job."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.archive import Archive, ArchiveView, jobqueue, merge, open_archive
from crawler.extract import Limits
from crawler.items import AttachmentItem, ReportItem
from crawler.jobs import work
from pipelines.attachments import AttachmentsPipeline
from pipelines.dedup import DedupPipeline
from pipelines.figures import FiguresPipeline
from sandbox import files
from tests.core.factories import capture
from tests.extract.reports import REPORT_2021, SHORT_REPORT
from tests.figures.archived import RULES, Spider, item, page

ROOT = Path(__file__).resolve().parents[2]
BIG_TABLE = files.render(REPORT_2021, "png_table")  # 9 table rows, "行政事业性收费 1700.35"
SMALL_TABLE = files.render(SHORT_REPORT, "png_table")  # 规章, 行政规范性文件
DOCX = files.render(SHORT_REPORT, "docx")  # a text layer: extracted in the crawl either way
CORRUPT_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00IHDR broken scan" * 20
FILE_URL = "https://www.by.gov.cn/attachment/0/{}/{}"
WORDS = ("1700.35", "1286", "行政规范性文件")  # in the tables, not on the pages


def rules_for_portal(portal: str) -> dict:
    return RULES


def _file(n: int, name: str, body: bytes) -> AttachmentItem:
    url = FILE_URL.format(n, name)
    return AttachmentItem(url, name, capture=capture(url, body, kind="attachment"))


NOTE_PAGE = (
    '<html><body><div id="zoomcon"><p>广州市白云区统计局2021年政府信息公开工作年度报告。'
    "一、总体情况：本局全年主动公开政府信息156条。二、主动公开政府信息情况见下表。</p>"
    '<p><img src="/attachment/0/3/table.png"></p></div></body></html>'
).encode()


def _reports() -> list[ReportItem]:
    """Three 白云区 reports: the first two link the same table image (one file, one job), the
    first a DOCX too; the third's page is a note and its table a body image (only OCR reads
    its figures)."""
    first = item(101, page(2021), 2021, "白云区民政局", figures=False)
    first.attachments = [_file(1, "统计表.docx", DOCX), _file(1, "附表.png", BIG_TABLE)]
    second = item(102, page(2020), 2020, "白云区民政局", figures=False)
    second.attachments = [_file(2, "附表.png", BIG_TABLE)]
    third = item(103, NOTE_PAGE, 2021, "白云区统计局", figures=False)
    third.images = [_file(3, "table.png", SMALL_TABLE)]
    return [first, second, third]


def _crawl(path: Path, **overrides) -> dict:
    """The crawl's attachments, figures and dedup pipelines on the reports, then the archive's
    store: what the crawl does after cleaning.  Returns the crawl's stats."""
    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    crawler = get_crawler(settings_dict={**values, "INCREMENTAL_ENABLED": False, **overrides})
    crawler.spider = Spider()
    attachments = AttachmentsPipeline(crawler)
    steps = [FiguresPipeline(crawler), DedupPipeline(crawler)]
    with Archive.open(path) as archive:
        for report in _reports():
            report = asyncio.run(attachments.process_item(report))
            for step in steps:
                report = step.process_item(report)
            archive.store(report)
    return crawler.stats.get_stats()


def _rows(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


REPORTS = "SELECT canonical_url, text, attachment_text, text_sha256 FROM reports ORDER BY id"
FILES = """SELECT r.canonical_url, a.url, a.mime, a.status, a.method, a.error, a.text
           FROM attachments a JOIN reports r ON r.id = a.report_id ORDER BY a.id"""
FIGURES = """SELECT r.canonical_url, s.digest, s.sources FROM figure_sets s
             JOIN reports r ON r.id = s.report_id WHERE s.valid_to IS NULL ORDER BY r.id"""
OCR_CELLS = """SELECT count(*) FROM figures f JOIN figure_sets s ON s.id = f.set_id
               WHERE s.valid_to IS NULL AND f.source = 'ocr'"""


def _hits(path: Path) -> dict[str, set[int]]:
    with ArchiveView.open(path) as view:
        return {word: view.matching_ids(word) for word in WORDS}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """An inline-OCR crawl and a deferred one of the same reports; the deferred archive as the
    crawl left it (a shard), and the same archive after `work`."""
    folder = tmp_path_factory.mktemp("ocr-jobs")
    inline = folder / "inline.db"
    inline_stats = _crawl(inline)
    deferred = folder / "deferred.db"
    deferred_stats = _crawl(deferred, OCR_DEFERRED=True)
    shard = folder / "shard.db"
    shutil.copy(deferred, shard)
    with Archive.open(deferred) as archive:
        counts = work(archive, rules_for_portal, node="n1", limits=Limits())
    return {
        "inline": inline,
        "inline_stats": inline_stats,
        "deferred": deferred,
        "deferred_stats": deferred_stats,
        "shard": shard,
        "counts": counts,
        "folder": folder,
    }


def test_a_deferred_crawl_archives_scans_unread_with_one_job_per_file(crawled):
    shard, stats = crawled["shard"], crawled["deferred_stats"]
    assert stats["attachments/status/ocr_queued"] == 3 and stats["attachments/status/ok"] == 1
    assert "attachments/status/ocr" not in stats
    assert crawled["inline_stats"]["attachments/status/ocr"] == 3
    with ArchiveView.open(shard) as view:
        assert view.job_counts() == {("ocr", "queued"): 2}  # two distinct images
    files_ = _rows(shard, FILES)
    assert [(f[1].rsplit("/", 2)[-2:], f[2], f[3], f[4], f[6]) for f in files_] == [
        (["1", "统计表.docx"], files_[0][2], "ok", "docx", files_[0][6]),
        (["1", "附表.png"], "image/png", "ocr_queued", None, None),
        (["2", "附表.png"], "image/png", "ocr_queued", None, None),
        (["3", "table.png"], "image/png", "ocr_queued", None, None),
    ]
    assert "行政规范性文件" in files_[0][6]  # the DOCX was read in the crawl
    texts = [row[2] for row in _rows(shard, REPORTS)]
    assert texts == [files_[0][6], None, None]  # no OCR text yet
    assert _hits(shard) == {"1700.35": set(), "1286": set(), "行政规范性文件": {1}}
    assert _rows(shard, OCR_CELLS) == [(0,)]


def test_work_fills_in_the_text_index_and_figures_an_inline_crawl_stores(crawled):
    inline, deferred, counts = crawled["inline"], crawled["deferred"], crawled["counts"]
    assert (counts.done, counts.failed, counts.reports_changed) == (2, 0, 3)
    assert counts.figures_changed == 3
    with ArchiveView.open(deferred) as view:
        assert view.job_counts() == {("ocr", "done"): 2}
    assert _rows(deferred, REPORTS) == _rows(inline, REPORTS)
    assert _rows(deferred, FILES) == _rows(inline, FILES)
    attachment_text = _rows(deferred, REPORTS)[1][2]
    assert "行政事业性收费\t1700.35" in attachment_text  # the big table's OCR, tidied
    assert (
        _hits(deferred)
        == _hits(inline)
        == {
            "1700.35": {1, 2},
            "1286": {1, 2},
            "行政规范性文件": {1, 2, 3},
        }
    )
    assert _rows(deferred, FIGURES) == _rows(inline, FIGURES)
    assert _rows(deferred, OCR_CELLS) == _rows(inline, OCR_CELLS) != [(0,)]
    # the queued state stays in the history: one closed version more per report and file
    versions = "SELECT report_id, count(*) FROM report_versions GROUP BY report_id"
    assert _rows(inline, versions) == [(1, 1), (2, 1), (3, 1)]
    assert _rows(deferred, versions) == [(1, 2), (2, 2), (3, 2)]
    queued = "SELECT count(*) FROM attachment_versions WHERE status = 'ocr_queued'"
    assert _rows(deferred, queued) == [(3,)]


def test_a_merged_shard_brings_its_backlog_and_merging_again_adds_none(crawled):
    target = crawled["folder"] / "merged.db"
    first = merge.merge_shards(target, [crawled["shard"]])[0]
    assert (first.counts["reports"], first.counts["jobs"]) == (3, 2)
    db = open_archive(target)
    again = merge.merge_shard(db, crawled["shard"], force=True)
    db.close()
    assert again.counts["jobs"] == 0 and again.counts["reports"] == 0
    with ArchiveView.open(target) as view:
        assert view.job_counts() == {("ocr", "queued"): 2}
    with Archive.open(target) as archive:
        counts = work(archive, rules_for_portal, node="n2", limits=Limits(), limit=5)
    assert (counts.done, counts.failed) == (2, 0)
    assert _rows(target, REPORTS) == _rows(crawled["inline"], REPORTS)
    assert _rows(target, FILES) == _rows(crawled["inline"], FILES)


@pytest.fixture
def queued(crawled, tmp_path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copy(crawled["shard"], path)
    return path


def test_a_job_whose_worker_died_is_taken_again_after_its_lease(queued):
    with Archive.open(queued) as archive:
        dead = archive.take_job("dead-node", "ocr", "2000-01-01T00:00:00Z")
        alive = archive.take_job("live-node", "ocr", "2000-01-01T00:00:00Z")
        # the dead node took its job an hour ago; the live one a minute ago
        archive.db.execute(
            "UPDATE extraction_jobs SET taken_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)"
            " WHERE id = ?",
            ["-60 minutes", dead.id],
        )
        archive.db.execute(
            "UPDATE extraction_jobs SET taken_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)"
            " WHERE id = ?",
            ["-1 minutes", alive.id],
        )
        archive.db.conn.commit()
        counts = work(
            archive, rules_for_portal, node="n3", limits=Limits(), lease=timedelta(minutes=15)
        )
    assert (counts.done, counts.failed) == (1, 0)
    rows = _rows(queued, "SELECT sha256, status, node FROM extraction_jobs ORDER BY id")
    assert [(sha, status, node) for sha, status, node in rows] == [
        (dead.sha256, "done", "n3"),
        (alive.sha256, "taken", "live-node"),
    ]


# A worker process taking every job it can, as `jobs work` does, printing the ids it took.
TAKE_ALL = """
import sys
from crawler.archive import jobqueue, open_archive
db = open_archive(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()  # both workers start taking at once
while job := jobqueue.take(db, sys.argv[2], "ocr", "2000-01-01T00:00:00Z"):
    print(job.id, flush=True)
"""


def test_two_workers_on_one_archive_never_take_the_same_job(tmp_path):
    path = tmp_path / "archive.db"
    db = open_archive(path)
    for n in range(200):
        body = f"scan {n}".encode()
        sha = hashlib.sha256(body).hexdigest()
        db["blobs"].insert({"sha256": sha, "size": len(body), "body": body})
        jobqueue.enqueue(db, sha, "ocr")
    db.close()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", TAKE_ALL, str(path), node],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for node in ("w0", "w1")
    ]
    assert [worker.stdout.readline() for worker in workers] == ["ready\n", "ready\n"]
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    taken = [[int(n) for n in worker.communicate(timeout=120)[0].split()] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    assert not set(taken[0]) & set(taken[1])
    assert sorted(taken[0] + taken[1]) == list(range(1, 201))
    nodes = _rows(path, "SELECT node, count(*) FROM extraction_jobs GROUP BY node ORDER BY node")
    assert nodes == [(node, len(ids)) for node, ids in zip(("w0", "w1"), taken, strict=True) if ids]


def test_a_corrupt_image_fails_its_job_with_the_reason_and_its_files_keep_waiting(tmp_path):
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        report = item(104, page(2019), 2019, "白云区民政局", figures=False)
        report.attachments = [_file(4, "扫描件.png", CORRUPT_PNG)]
        report.attachments[0].status = "ocr_queued"
        archive.store(report)
        counts = work(archive, rules_for_portal, node="n1", limits=Limits())
    assert (counts.done, counts.failed) == (0, 1)
    ((status, error),) = _rows(path, "SELECT status, error FROM extraction_jobs")
    assert status == "failed"
    assert error.startswith("corrupt: UnidentifiedImageError: cannot identify image file")
    assert counts.errors == [f"{report.attachments[0].capture.sha256}: {error}"]
    assert _rows(path, "SELECT status, text FROM attachments") == [("ocr_queued", None)]


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler.cli", "jobs", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_without_tesseract_the_jobs_fail_and_retry_failed_runs_them_again(queued, tmp_path):
    import os

    bare = tmp_path / "bin"  # a PATH where tesseract is not
    bare.mkdir()
    env = {**os.environ, "PATH": str(bare)}
    failed = _cli("work", "--archive", str(queued), "--node", "n1", env=env)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout == (  # every kind of job, extraction first
        "0 extract jobs done, 0 failed; 0 reports got new attachment text, 0 new figures\n"
        "0 ocr jobs done, 2 failed; 0 reports got new attachment text, 0 new figures\n"
    )
    errors = _rows(queued, "SELECT status, error FROM extraction_jobs")
    assert [status for status, _ in errors] == ["failed", "failed"]
    assert all("No such file or directory: 'tesseract'" in error for _, error in errors)
    assert failed.stderr.count("failed: ") == 2

    status = _cli("status", "--archive", str(queued), "--json")
    assert (status.returncode, status.stdout) == (
        0,
        '{"extract": {"queued": 0, "taken": 0, "done": 0, "failed": 0}, '
        '"ocr": {"queued": 0, "taken": 0, "done": 0, "failed": 2}}\n',
    )
    retried = _cli("work", "--archive", str(queued), "--retry-failed", "--kind", "ocr")
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout == (
        "2 failed ocr jobs queued again\n"
        "2 ocr jobs done, 0 failed; 3 reports got new attachment text, 3 new figures\n"
    )
    table = _cli("status", "--archive", str(queued))
    assert table.stdout.splitlines() == [
        "kind      queued   taken    done  failed",
        "extract        0       0       0       0",
        "ocr            0       0       2       0",
    ]


def test_the_worker_command_refuses_a_missing_archive_and_a_bad_lease(tmp_path):
    missing = _cli("work", "--archive", str(tmp_path / "none.db"))
    assert (missing.returncode, missing.stderr) == (
        4, f"govreports: no archive at {tmp_path / 'none.db'}\n"
    )  # fmt: skip
    bad = _cli("work", "--archive", str(tmp_path / "none.db"), "--lease-minutes", "0")
    assert bad.returncode == 2 and "--lease-minutes" in bad.stderr


def test_with_ocr_off_nothing_is_deferred_and_nothing_queued(tmp_path):
    path = tmp_path / "archive.db"
    stats = _crawl(path, OCR_ENABLED=False, OCR_DEFERRED=True)
    assert (stats["attachments/status/no_text_layer"], stats["attachments/status/ok"]) == (3, 1)
    assert "attachments/status/ocr_queued" not in stats
    with ArchiveView.open(path) as view:
        assert view.job_counts() == {}
    statuses = _rows(path, "SELECT status, error FROM attachments ORDER BY id")
    assert statuses == [("ok", None)] + [("no_text_layer", "image only; OCR is off")] * 3


def test_a_waiting_file_is_reused_by_a_deferred_crawl_and_read_by_one_that_ocrs(tmp_path):
    path = tmp_path / "archive.db"
    again = {"INCREMENTAL_ENABLED": True, "ARCHIVE_PATH": str(path)}
    _crawl(path, OCR_DEFERRED=True)
    second = _crawl(path, OCR_DEFERRED=True, **again)
    # the next night, still deferred: nothing extracted again, no job added
    assert second["attachments/reused_extraction"] == 4
    assert second["attachments/status/ocr_queued"] == 3
    with ArchiveView.open(path) as view:
        assert view.job_counts() == {("ocr", "queued"): 2}
    inline = _crawl(path, **again)  # a crawl that OCRs reads the files itself
    assert (inline["attachments/reused_extraction"], inline["attachments/status/ocr"]) == (1, 3)
    assert _rows(path, "SELECT status, count(*) FROM attachments GROUP BY status") == [
        ("ocr", 3),
        ("ok", 1),
    ]

    def no_ocr(body: bytes, name: str | None, limits: Limits):
        pytest.fail(f"{name}: nothing waits for this file, it is not OCR'd again")

    with Archive.open(path) as archive:  # the queued jobs find nothing left waiting
        counts = work(archive, rules_for_portal, node="n1", limits=Limits(), extract=no_ocr)
    assert (counts.done, counts.failed, counts.reports_changed) == (2, 0, 0)
