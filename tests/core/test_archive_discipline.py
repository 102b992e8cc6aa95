"""Archive discipline: a newer or damaged archive is refused before anything is written;
`reclean` takes the run lock, commits report by report in batches, and writes the very rows a
crawl of the same bytes writes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.test import get_crawler

from crawler.archive import Archive, ArchiveCorrupt, ArchiveTooNew, fingerprint
from crawler.commands import clean as clean_commands
from crawler.commands.crawl import crawl
from crawler.lock import RunLock
from crawler.reclean import reclean_archive
from pipelines.clean import CleanPipeline
from pipelines.dedup import DedupPipeline
from tests.core.factories import ZHUCUN_TEXT, report
from tests.helpers import FIXTURES

PAGE = (FIXTURES / "zc_gov_cn" / "post_5672236.html").read_bytes()
URL = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
# A re-post of the same report with one corrected figure: a near-duplicate, not the same text.
CORRECTED = PAGE.replace("2017年度没有发生".encode(), "2017年度发生1起".encode())
REPOST_URL = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_5672236.html"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        for n in range(30):  # enough pages that damage in the middle hits a table or index
            archive.store(report(URL.replace("5672236", str(n)), text=ZHUCUN_TEXT + f"第{n}份"))
    return path


def run_crawl(path: Path):
    return CliRunner().invoke(crawl, ["zc_gov_cn", "--archive", str(path)])


# --- refused before anything is written -----------------------------------------------------------
def test_an_archive_from_a_newer_govreports_is_refused_unwritten(archive_path: Path) -> None:
    with sqlite3.connect(archive_path) as db:
        db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('govreports', 'm042_from_the_future', '2027-01-01')"
        )
    before = digest(archive_path)
    result = run_crawl(archive_path)
    assert result.exit_code == 4
    assert result.output == (
        f"govreports: archive {archive_path} was written by a newer govreports (schema "
        "migration(s) m042_from_the_future unknown to govreports 0.1.0): upgrade govreports to "
        "use it; nothing was written\n"
    )
    assert digest(archive_path) == before
    with pytest.raises(ArchiveTooNew):
        Archive.open(archive_path)


def damage(path: Path) -> None:
    """Overwrite one page in the middle of the file, as a bad disk sector would."""
    size = path.stat().st_size
    page = 4096
    with path.open("r+b") as f:
        f.seek((size // page // 2) * page)
        f.write(b"\xa5" * page)


def test_a_damaged_archive_is_found_by_quick_check_and_refused(archive_path: Path) -> None:
    damage(archive_path)
    before = digest(archive_path)
    result = run_crawl(archive_path)
    assert result.exit_code == 4
    assert result.output.startswith(f"govreports: archive {archive_path} ")
    assert "damaged (PRAGMA quick_check:" in result.output or "malformed" in result.output
    assert digest(archive_path) == before
    with pytest.raises(ArchiveCorrupt):
        Archive.open(archive_path, verify=True)
    reclean = CliRunner().invoke(clean_commands.reclean, ["--archive", str(archive_path)])
    assert reclean.exit_code == 4 and digest(archive_path) == before


# --- reclean --------------------------------------------------------------------------------------
def test_reclean_waits_for_no_crawl_it_exits_3_while_one_holds_the_lock(archive_path: Path) -> None:
    with RunLock(archive_path) as lock:
        lock.acquire("pid 4242 on cron-host")
        result = CliRunner().invoke(clean_commands.reclean, ["--archive", str(archive_path)])
    assert result.exit_code == 3
    assert result.output == (
        f"govreports: archive is locked by pid 4242 on cron-host ({archive_path}.lock)\n"
    )


def stale(text: str) -> str:
    """What older rules made of the page: its chrome left in."""
    return "长者助手\n无障碍\n" + text + "\n相关附件\n相关新闻"


def test_reclean_commits_in_batches_each_report_whole(archive_path: Path, monkeypatch) -> None:
    with Archive.open(archive_path) as archive:
        archive.db.execute("UPDATE reports SET text = '旧文本' || text")
    other_writer_could_write = []

    def probe() -> None:  # what a crawl's writer meets at each batch boundary
        other = sqlite3.connect(archive_path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            other_writer_could_write.append(True)
        except sqlite3.OperationalError:
            other_writer_could_write.append(False)
        finally:
            other.close()

    calls = []

    def clean_or_fail(page, rules):
        calls.append(page.id)
        if len(calls) % 10 in (1, 5):  # at the start of a batch, and in its middle
            probe()
        if len(calls) == 25:
            raise KeyboardInterrupt  # the operator's ^C in the middle of the third batch
        return real_clean(page, rules)

    from crawler import reclean as module

    real_clean = module.clean_page
    monkeypatch.setattr(module, "clean_page", clean_or_fail)
    with Archive.open(archive_path) as archive, pytest.raises(KeyboardInterrupt):
        reclean_archive(archive, lambda portal: {"content_selector": "body"}, batch=10)
    # free at the start of each batch; held only from a batch's first write to its commit
    assert other_writer_could_write == [True, False, True, False, True, False]
    with sqlite3.connect(archive_path) as db:
        texts = [t for (t,) in db.execute("SELECT text FROM reports ORDER BY id")]
        versions = db.execute("SELECT count(*) FROM report_versions").fetchone()[0]
    assert [t.startswith("旧文本") for t in texts] == [False] * 20 + [True] * 10
    assert versions == 30 + 20  # each re-cleaned report: its old version closed, a new one


def crawled(path: Path, bodies: list[tuple[str, bytes]], *, stale_texts: bool) -> Archive:
    """Store pages through the crawl's own clean and dedup pipelines (or, for `stale_texts`,
    with a text older rules made)."""
    crawler = get_crawler()
    clean, dedup = CleanPipeline(crawler), DedupPipeline(crawler)
    archive = Archive.open(path)
    for url, body in bodies:
        item = report(url, body=body)
        item.title, item.content_selector = TITLE, "#zoomcon"
        dedup.process_item(clean.process_item(item))
        if stale_texts:
            item.text = stale(item.text)
            item.text_sha256 = fingerprint(item.text, item.attachment_text)
        archive.store(item)
    return archive


def rows(archive: Archive) -> dict[str, list]:
    columns = "id, title, text, text_sha256, template_version, sections, attachment_text"
    return {
        "reports": archive.db.execute(f"SELECT {columns} FROM reports ORDER BY id").fetchall(),
        "related": archive.db.execute("SELECT * FROM related ORDER BY 1, 2").fetchall(),
        "sketches": archive.db.execute("SELECT * FROM report_sketches ORDER BY 1").fetchall(),
        "bands": archive.db.execute("SELECT * FROM report_bands ORDER BY 1, 2").fetchall(),
    }


def test_reclean_writes_the_rows_a_crawl_of_the_same_bytes_writes(tmp_path: Path) -> None:
    pages = [(URL, PAGE), (REPOST_URL, CORRECTED)]
    by_crawl = crawled(tmp_path / "crawl.db", pages, stale_texts=False)
    by_reclean = crawled(tmp_path / "reclean.db", pages, stale_texts=True)
    assert rows(by_reclean)["reports"] != rows(by_crawl)["reports"]
    counts = reclean_archive(by_reclean, lambda portal: {"content_selector": "#zoomcon"})
    assert (counts.recleaned, counts.changed, counts.skipped) == (2, 2, 0)
    expected = rows(by_crawl)
    assert expected["reports"][0][2].startswith(
        TITLE + "\n广州市增城区人民政府朱村街道办事处\n2018年3月\n"
    )
    assert [(a, b) for a, b, *_ in expected["related"]] == [(1, 2), (2, 1)]  # linked again
    assert rows(by_reclean) == expected
    open_versions = by_reclean.db.execute(
        "SELECT report_id, text FROM report_versions WHERE valid_to IS NULL ORDER BY report_id"
    ).fetchall()
    assert open_versions == [(1, expected["reports"][0][2]), (2, expected["reports"][1][2])]
    by_crawl.close()
    by_reclean.close()
