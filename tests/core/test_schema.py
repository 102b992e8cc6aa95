"""Schema changes arrive by migration: an archive written by older code is upgraded in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from crawler.archive import Archive, ArchiveView, open_archive
from crawler.archive.schema import migrations
from tests.core.factories import ZHUCUN_TEXT, ZHUCUN_URL, report

CORRECTED = ZHUCUN_TEXT.replace("2017年度没有发生", "2017年度发生1起")


def old_archive(path: Path, stop_before: str) -> None:
    """An archive with the schema before migration `stop_before`, holding one report."""
    db = Database(sqlite3.connect(str(path)))
    migrations.apply(db, stop_before=stop_before)
    item = report()
    db["reports"].insert(
        {
            "id": 1,
            "portal": item.portal,
            "title": item.title,
            "report_year": item.report_year,
            "canonical_url": item.canonical_url,
            "text": item.text,
            "text_sha256": item.text_sha256,
        }
    )
    db.close()


def indexes(db: Database, table: str) -> set[tuple[str, ...]]:
    return {tuple(index.columns) for index in db[table].indexes}


def test_an_archive_from_before_the_lookup_indexes_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    old_archive(path, "m003_crawl_lookup_indexes")
    db = open_archive(path)
    assert ("capture_id",) in indexes(db, "sightings")
    assert ("report_id", "run_id") in indexes(db, "sightings")
    assert ("report_id",) not in indexes(db, "sightings")
    assert ("report_id", "valid_to") in indexes(db, "report_versions")
    assert ("other_id",) in indexes(db, "related")
    assert ("url", "kind") in indexes(db, "captures")
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'reports_au'").fetchone()[0]
    assert "AFTER UPDATE OF title, text, attachment_text ON reports" in trigger
    assert db["reports"].get(1)["canonical_url"] == ZHUCUN_URL
    db.close()
    with ArchiveView.open(path) as view:
        assert [hit.id for hit in view.search("朱村街道办事处")] == [1]


def test_an_archive_from_before_sketches_gets_one_per_report(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    old_archive(path, "m004_near_duplicate_sketches")
    archive = Archive.open(path)
    assert archive.db["report_sketches"].count == 1
    assert archive.db["report_bands"].count == 21
    repost = report(
        "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_5632792.html",
        text="增城区朱村街道2017年政府信息公开年报\n" + CORRECTED.split("\n", 1)[1],
    )
    assert archive.store(repost).outcome == "new"  # found report 1 through its migrated sketch
    assert [(r["report_id"], r["other_id"]) for r in archive.db["related"].rows] == [(2, 1), (1, 2)]
    archive.close()


def fts_writes(archive: Archive, action) -> list[str]:
    """The full-text index's own statements that ran during ``action`` (SQLite traces them as
    "-- REPLACE INTO 'main'.'reports_fts_data' ..." when a trigger feeds the index)."""
    fired: list[str] = []
    archive.db.conn.set_trace_callback(
        lambda sql: fired.append(sql) if "reports_fts_" in sql else None
    )
    try:
        action()
    finally:
        archive.db.conn.set_trace_callback(None)
    return fired


def test_the_index_is_updated_only_when_an_indexed_column_changes(tmp_path: Path) -> None:
    archive = Archive.open(tmp_path / "archive.db")
    archive.store(report())
    seen_again = fts_writes(archive, lambda: archive.store(report(run_id="run-2")))
    assert seen_again == []  # last_seen moved, the text did not: nothing re-indexed
    gone = fts_writes(archive, lambda: archive.mark_gone("zc_gov_cn", "run-3", "2026-12-01"))
    assert gone == []
    edited = fts_writes(archive, lambda: archive.store(report(text=CORRECTED, run_id="r4")))
    assert any("reports_fts_idx" in sql for sql in edited)
    assert [hit.id for hit in archive.search("2017年度发生1起")] == [1]
    assert archive.search("2017年度没有发生") == []
    archive.close()


def test_an_archive_from_before_attachment_versions_gets_their_first(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    old_archive(path, "m005_attachment_versions")
    db = Database(sqlite3.connect(str(path)))
    db["attachments"].insert(
        {"id": 1, "report_id": 1, "url": "https://www.zc.gov.cn/a/1.pdf", "sha256": "ab12",
         "text": "附件：统计表", "method": "pdf_text", "status": "ok"}
    )  # fmt: skip
    db["reports"].update(1, {"first_seen": "2026-11-23T08:00:00Z"})
    db.close()
    archive = Archive.open(path)
    assert [
        (v["attachment_id"], v["sha256"], v["text"], v["valid_from"], v["valid_to"])
        for v in archive.db["attachment_versions"].rows
    ] == [(1, "ab12", "附件：统计表", "2026-11-23T08:00:00Z", None)]
    archive.close()
