"""`govreports merge`: shards written by separate crawls merged by stable keys, idempotent and
crash-safe.  The shards here are written by the archive's own crawl path (Archive.store)."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.archive import Archive, Listing, merge
from crawler.items import AttachmentItem
from tests.core import factories
from tests.scaleout.digest import digest, integrity

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n" + "附件：2017年政府信息公开工作年度报告统计表".encode() * 40
PDF_URL = "https://www.zc.gov.cn/attachment/0/71/71420/5646102.pdf"
REPOST_URL = "https://www.gz.gov.cn/zwgk/zfxxgkml/content/post_5646999.html"
QIAN_URL = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5646200.html"
QIAN_TEXT = factories.ZHUCUN_TEXT.replace("朱村", "派潭")
EDITED_TEXT = factories.ZHUCUN_TEXT.replace("切实做好", "扎实做好")


def _item(url: str, text: str, run_id: str, fetched_at: str, *, pdf: bool = False):
    item = factories.report(url, text=text, run_id=run_id)
    item.title = text.split("\n", 1)[0]
    item.capture = dataclasses.replace(item.capture, fetched_at=fetched_at)
    if pdf:
        capture = factories.capture(PDF_URL, PDF, kind="attachment", run_id=run_id)
        capture = dataclasses.replace(capture, fetched_at=fetched_at)
        item.attachments = [
            AttachmentItem(
                url=PDF_URL,
                filename="5646102.pdf",
                capture=capture,
                mime="application/pdf",
                text="统计表",
                method="pdf_text",
                status="ok",
            )
        ]
    return item


def _shard(path: Path, run_id: str, items: list) -> Path:
    archive = Archive.open(path)
    try:
        archive.start_run(run_id, ["zc_gov_cn"], 1)
        for item in items:
            archive.store(item)
        archive.finish_run(run_id, {}, 0, "finished")
    finally:
        archive.close()
    return path


@pytest.fixture
def shards(tmp_path: Path) -> dict[str, Path]:
    """Run a (Nov 23): 朱村 with its PDF, 派潭 with the same PDF bytes.  Run b (Nov 24): 朱村
    edited.  Run c: the city portal's re-post of 朱村 (same text, another URL)."""
    a = [
        _item(
            factories.ZHUCUN_URL, factories.ZHUCUN_TEXT, "run-a", "2026-11-23T08:00:00Z", pdf=True
        ),
        _item(QIAN_URL, QIAN_TEXT, "run-a", "2026-11-23T08:00:05Z", pdf=True),
    ]
    b = [_item(factories.ZHUCUN_URL, EDITED_TEXT, "run-b", "2026-11-24T08:00:00Z")]
    c = [_item(REPOST_URL, factories.ZHUCUN_TEXT, "run-c", "2026-11-23T09:00:00Z")]
    return {
        "a": _shard(tmp_path / "zc_gov_cn-run-a.db", "run-a", a),
        "b": _shard(tmp_path / "zc_gov_cn-run-b.db", "run-b", b),
        "c": _shard(tmp_path / "gz_gov_cn-run-c.db", "run-c", c),
    }


def test_merged_shards_hold_each_report_once_and_each_blob_once(shards, tmp_path):
    target = tmp_path / "archive.db"
    results = merge.merge_shards(target, [shards["a"], shards["c"]])

    assert [r.skipped for r in results] == [False, False]
    assert results[0].counts == {
        "runs": 1,
        "listings": 0,
        "blobs": 3,  # two pages and one PDF: the second report's PDF is the same bytes
        "captures": 4,
        "reports": 2,
        "versions": 2,
        "sightings": 2,
        "attachments": 2,
        "jobs": 0,
    }
    d = digest(target)
    assert [(r[1], r[2]) for r in d["reports"]] == [
        (factories.ZHUCUN_URL, factories.ZHUCUN_TITLE),
        (QIAN_URL, "2017年广州市增城区人民政府派潭街道办事处政府信息公开工作年度报告"),
    ]
    pdf_sha = hashlib.sha256(PDF).hexdigest()
    assert [a[1:3] for a in d["attachments"]] == [(PDF_URL, pdf_sha), (PDF_URL, pdf_sha)]
    assert sum(1 for b in d["blobs"] if b[0] == pdf_sha) == 1
    # the re-post is a sighting of 朱村's report, not a third report
    assert sorted((s[0], s[1], s[3]) for s in d["sightings"]) == [
        (factories.ZHUCUN_URL, REPOST_URL, "same_text"),
        (factories.ZHUCUN_URL, factories.ZHUCUN_URL, "first"),
        (QIAN_URL, QIAN_URL, "first"),
    ]
    assert [r[0] for r in d["runs"]] == ["run-a", "run-c"]


def test_the_same_report_in_two_runs_keeps_both_texts_in_either_order(shards, tmp_path):
    forward, backward = tmp_path / "forward.db", tmp_path / "backward.db"
    merge.merge_shards(forward, [shards["a"], shards["b"]])
    merge.merge_shards(backward, [shards["b"], shards["a"]])

    assert digest(forward) == digest(backward)
    d = digest(forward)
    zhucun = [r for r in d["reports"] if r[1] == factories.ZHUCUN_URL]
    assert [(r[5], r[6]) for r in zhucun] == [("2026-11-23T08:00:00Z", "2026-11-24T08:00:00Z")]
    with sqlite3.connect(forward) as db:
        (text,) = db.execute(
            "SELECT text FROM reports WHERE canonical_url = ?", [factories.ZHUCUN_URL]
        ).fetchone()
    assert "扎实做好政府信息公开工作" in text and "切实做好" not in text
    versions = sorted(v[2:4] for v in d["versions"] if v[0] == factories.ZHUCUN_URL)
    assert versions == [
        ("2026-11-23T08:00:00Z", "2026-11-24T08:00:00Z"),
        ("2026-11-24T08:00:00Z", None),
    ]


def test_merging_a_shard_again_changes_nothing(shards, tmp_path):
    target = tmp_path / "archive.db"
    merge.merge_shards(target, list(shards.values()))
    before = digest(target)

    again = merge.merge_shards(target, list(shards.values()))
    assert [r.skipped for r in again] == [True, True, True]
    assert digest(target) == before

    db = Archive.open(target).db
    try:
        forced = [merge.merge_shard(db, path, force=True) for path in shards.values()]
    finally:
        db.close()
    assert [set(r.counts.values()) for r in forced] == [{0}, {0}, {0}]
    assert digest(target) == before


def test_a_crash_mid_merge_leaves_the_target_intact_and_a_rerun_finishes(shards, tmp_path):
    clean = tmp_path / "clean.db"
    merge.merge_shards(clean, [shards["b"], shards["a"]])
    target = tmp_path / "archive.db"
    merge.merge_shards(target, [shards["b"]])
    after_first = digest(target)

    def crash(report: dict) -> None:
        if report["canonical_url"] == QIAN_URL:  # shard a's second report: 朱村 is written
            raise RuntimeError("node lost power")

    with pytest.raises(RuntimeError, match="node lost power"):
        merge.merge_shards(target, [shards["a"]], on_report=crash)

    assert integrity(target) == "ok"
    assert digest(target) == after_first
    rerun = merge.merge_shards(target, [shards["b"], shards["a"]])
    assert [r.skipped for r in rerun] == [True, False]
    assert digest(target) == digest(clean)


def test_merge_command_reports_each_shard_and_refuses_bad_arguments(shards, tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "crawler.cli", "merge", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)

    target = str(tmp_path / "archive.db")
    first = run(str(shards["a"]), "--into", target)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"{shards['a']}: new runs 1, listings 0, blobs 3, captures 4, reports 2, versions 2, sightings 2,"
        " attachments 2, jobs 0\n"
    )
    second = run(str(shards["a"]), "--into", target)
    assert (second.returncode, second.stdout) == (0, f"{shards['a']}: merged before, skipped\n")

    missing = run(str(tmp_path / "nope.db"), "--into", target)
    assert missing.returncode == 2
    assert missing.stderr == f"govreports: no shard archive at {tmp_path / 'nope.db'}\n"
    itself = run(target, "--into", target)
    assert (itself.returncode, itself.stderr) == (
        2,
        "govreports: an archive cannot be merged into itself\n",
    )


def test_a_shard_written_before_m010_merges_with_the_uids_m010_gives_its_captures(tmp_path):
    from sqlite_utils import Database

    from crawler.archive.connection import register_functions
    from crawler.archive.schema import migrations

    old = tmp_path / "zc_gov_cn-old.db"
    conn = sqlite3.connect(str(old))
    register_functions(conn)  # the triggers of m008 call them, as on any writer connection
    db = Database(conn)
    migrations.apply(db, stop_before="m010_scaleout")
    db["runs"].insert({"id": "run-old", "status": "finished", "finished_at": "2025-01-02"})
    body = factories.ZHUCUN_TEXT.encode()
    sha = hashlib.sha256(body).hexdigest()
    db["blobs"].insert({"sha256": sha, "size": len(body), "body": body})
    db["captures"].insert(
        {"id": 7, "run_id": "run-old", "kind": "page", "url": factories.ZHUCUN_URL, "sha256": sha}
    )
    db.close()

    target = tmp_path / "archive.db"
    (result,) = merge.merge_shards(target, [old])
    assert (result.counts["captures"], result.counts["blobs"]) == (1, 1)
    assert digest(target, ("captures",))["captures"] == [
        ("run-old/7", factories.ZHUCUN_URL, "page", sha, "run-old")
    ]
    # the same archive migrated gets the same uids: it is the same shard, merged already
    Archive.open(old).close()
    with sqlite3.connect(old) as migrated:
        assert migrated.execute("SELECT uid FROM captures").fetchall() == [("run-old/7",)]
    db = Archive.open(target).db
    try:
        assert merge.merge_shard(db, old).skipped is True
        assert set(merge.merge_shard(db, old, force=True).counts.values()) == {0}
    finally:
        db.close()


COLUMN = "gk/zfxxgk/zfxxgkgznb"
OTHER_COLUMN = "gk/zfxxgk/xzzj"


def _listed_shard(path: Path, run_id: str, items: list, listed: dict[str, str]) -> Path:
    """A shard as a crawl writes it: each report sighted with its column, what each column
    listed recorded (as the run lifecycle does)."""
    for item in items:
        item.column = listed[item.url]
    _shard(path, run_id, items)
    archive = Archive.open(path)
    try:
        archive.record_listings(run_id, [Listing(c, u, 200) for u, c in listed.items()])
    finally:
        archive.close()
    return path


def test_merged_listings_and_columns_judge_deletions_as_one_archive_would(tmp_path):
    """Run 1 sighted 朱村 and 派潭 (one column each); run 2 listed 朱村 only.  In the merged
    archive, run 2's complete columns decide: 派潭's column read completely -> gone."""
    first = [
        _item(factories.ZHUCUN_URL, factories.ZHUCUN_TEXT, "run-1", "2026-11-23T08:00:00Z"),
        _item(QIAN_URL, QIAN_TEXT, "run-1", "2026-11-23T08:00:05Z"),
    ]
    second = [_item(factories.ZHUCUN_URL, factories.ZHUCUN_TEXT, "run-2", "2026-11-24T08:00:00Z")]
    one = {factories.ZHUCUN_URL: OTHER_COLUMN, QIAN_URL: COLUMN}
    shards = [
        _listed_shard(tmp_path / "zc.run-1.db", "run-1", first, one),
        _listed_shard(tmp_path / "zc.run-2.db", "run-2", second, {factories.ZHUCUN_URL: COLUMN}),
    ]
    target = tmp_path / "archive.db"
    results = merge.merge_shards(target, shards)
    assert [r.counts["listings"] for r in results] == [2, 1]
    assert set(merge.merge_shards(target, shards, verify=False)[0].counts.values()) == set()

    with sqlite3.connect(target) as db:
        listings = db.execute("SELECT run_id, column_key, url FROM listings").fetchall()
        columns = db.execute("SELECT run_id, url, column_key FROM sightings").fetchall()
    assert sorted(listings) == sorted(
        [
            ("run-1", COLUMN, QIAN_URL),
            ("run-1", OTHER_COLUMN, factories.ZHUCUN_URL),
            ("run-2", COLUMN, factories.ZHUCUN_URL),
        ]
    )
    assert sorted(columns) == sorted(
        [
            ("run-1", QIAN_URL, COLUMN),
            ("run-1", factories.ZHUCUN_URL, OTHER_COLUMN),
            ("run-2", factories.ZHUCUN_URL, COLUMN),
        ]
    )

    archive = Archive.open(target)
    try:
        # 派潭's column was not read completely: nothing proves it deleted
        assert archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T09:00:00Z", [], False) == 0
        assert archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T09:00:00Z", [COLUMN], False) == 1
    finally:
        archive.close()
    with sqlite3.connect(target) as db:
        gone = db.execute("SELECT canonical_url FROM reports WHERE gone_at IS NOT NULL").fetchall()
        kept = db.execute("SELECT canonical_url FROM reports WHERE gone_at IS NULL").fetchall()
    assert (gone, kept) == ([(QIAN_URL,)], [(factories.ZHUCUN_URL,)])
