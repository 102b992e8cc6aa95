"""The run lifecycle (crawler/lifecycle.py): one Scrapy extension records the run, judges health
and marks gone per column, for `scrapy crawl` and `govreports crawl` alike.

The first tests drive the extension of real crawlers with the signals a crawl sends (no network);
the last ones crawl the sandbox for real, with `scrapy crawl` and with `govreports crawl`.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.http import HtmlResponse

from crawler import columns
from crawler.archive import Archive
from crawler.lifecycle import RunLifecycle
from tests.core.factories import ZHUCUN_TEXT, ZHUCUN_URL, report
from tests.helpers import project_crawler
from tests.portals import ByGovCnSpider, ZcGovCnSpider

ROOT = Path(__file__).resolve().parents[2]
STREETS = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
UNITS = "https://www.zc.gov.cn/gzjg/qczj/zfxxgkgzndbg/"
ZHENGGUO = ZHUCUN_URL.replace("5646102", "5646160")
XIANCUN = ZHUCUN_URL.replace("5646102", "5646177")
PAIZHI = UNITS + "content/post_5700001.html"
SHITAN = UNITS + "content/post_5700002.html"
BY_COLUMN = "https://www.by.gov.cn/zwgk/qzfxxgknb/zj/"
BY_URL = BY_COLUMN + "content/post_5600229.html"
BY_GONE = BY_COLUMN + "content/post_5600230.html"


def stored(archive: Archive, url: str, unit: str, column: str, run_id: str, portal: str) -> None:
    item = report(url, text=ZHUCUN_TEXT.replace("朱村", unit), run_id=run_id)
    item.portal, item.column = portal, column
    archive.store(item)


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    """Run 1 listed 朱村, 正果, 仙村 in the 镇街 column, 派潭 and 石滩 in a unit's column; 白云's
    own column listed two reports."""
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        archive.start_run("run-1", ["zc_gov_cn", "by_gov_cn"], 4242)
        for url, unit in ((ZHUCUN_URL, "朱村"), (ZHENGGUO, "正果"), (XIANCUN, "仙村")):
            stored(archive, url, unit, STREETS, "run-1", "zc_gov_cn")
        for url, unit in ((PAIZHI, "派潭"), (SHITAN, "石滩")):
            stored(archive, url, unit, UNITS, "run-1", "zc_gov_cn")
        for url, unit in ((BY_URL, "人和"), (BY_GONE, "太和")):
            stored(archive, url, unit, BY_COLUMN, "run-1", "by_gov_cn")
        archive.finish_run("run-1", {}, 0, "finished")
    return path


def crawler_of(spidercls: type, path: Path, **settings):
    # A run of a few reports against five stored would fail the far-fewer check, which stops
    # all gone marking (a broken list is not a purge); it has its own test below.
    settings.setdefault("HEALTH_MIN_FOUND_RATIO", 0)
    crawler = project_crawler(spidercls, ARCHIVE_PATH=str(path), **settings)
    (lifecycle,) = [m for m in crawler.extensions.middlewares if isinstance(m, RunLifecycle)]
    return crawler, lifecycle


def listed(crawler, column: str, url: str) -> None:
    crawler.signals.send_catch_log(signal=columns.report_listed, column=column, url=url)


def answered(crawler, url: str, status: int, final_url: str | None = None) -> None:
    request = Request(url, meta={"list_url": STREETS, "column": STREETS})
    if final_url:
        request.meta["redirect_urls"] = [url]
    response = HtmlResponse(final_url or url, status=status, body=b"", request=request)
    crawler.signals.send_catch_log(
        signal=signals.response_received, response=response, request=request, spider=None
    )


def healthy_stats(crawler, found: int) -> None:
    for key, value in {
        "portal/reports_found": found,
        "portal/list_pages": 2,
        "portal/list_entries": found,
        "downloader/request_count": found + 2,
        "downloader/response_status_count/200": found + 2,
        "portal/report_links": found,
    }.items():
        crawler.stats.set_value(key, value)


def gone(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT canonical_url FROM reports WHERE gone_at IS NOT NULL")
        return {url for (url,) in rows}


def run_row(path: Path, run_id: str) -> tuple:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT status, exit_status, spiders, stats FROM runs WHERE id = ?", [run_id]
        ).fetchone()


def close(lifecycle: RunLifecycle, spider, reason: str = "finished") -> None:
    asyncio.run(lifecycle.spider_closed(spider, reason))


def test_a_failed_column_protects_its_own_reports_and_no_other(archive_path: Path) -> None:
    crawler, lifecycle = crawler_of(ZcGovCnSpider, archive_path, GOVREPORTS_RUN_ID="run-2")
    spider = crawler.spider
    lifecycle.spider_opened(spider)
    with Archive.open(archive_path) as archive:  # what the pipelines stored in run 2
        stored(archive, ZHUCUN_URL, "朱村", STREETS, "run-2", "zc_gov_cn")
    listed(crawler, STREETS, ZHUCUN_URL)
    answered(crawler, ZHUCUN_URL, 200)
    listed(crawler, STREETS, ZHENGGUO)  # still listed, now redirected off-site: refused
    answered(crawler, ZHENGGUO, 200, final_url="https://www.evil.example/report.html")
    # 仙村 vanished from the 镇街 column; the unit's column lists 派潭 (404), then page 2 fails
    listed(crawler, UNITS, PAIZHI)
    answered(crawler, PAIZHI, 404)
    spider.column_incomplete(UNITS, f"list page failed: {UNITS}index_1.html (http_500)")
    healthy_stats(crawler, found=1)
    crawler.stats.set_value("downloader/response_status_count/404", 1)
    close(lifecycle, spider)
    # the 镇街 column was read completely: its vanished report is gone, the refused one kept;
    # the unit's column was not: its own reports are kept, even the one that answered 404
    assert gone(archive_path) == {XIANCUN}
    status, exit_status, spiders, stats = run_row(archive_path, "run-2")
    assert (status, exit_status, json.loads(spiders)) == ("finished", 0, ["zc_gov_cn"])
    health = json.loads(stats)["zc_gov_cn"]
    assert (health["gone"], health["healthy"], health["reports_found"]) == (1, True, 1)
    assert health["warnings"] == [f"list page failed: {UNITS}index_1.html (http_500)"]
    with sqlite3.connect(archive_path) as db:
        assert db.execute(
            "SELECT column_key, url, status FROM listings WHERE run_id = 'run-2' ORDER BY url"
        ).fetchall() == [
            (STREETS, ZHUCUN_URL, 200),
            (STREETS, ZHENGGUO, None),
            (UNITS, PAIZHI, 404),
        ]


def test_one_portal_down_still_marks_the_other_portals_deleted_reports(archive_path) -> None:
    run = {"GOVREPORTS_RUN_ID": "run-2", "GOVREPORTS_RUN_PORTALS": ["zc_gov_cn", "by_gov_cn"]}
    zc, zc_life = crawler_of(ZcGovCnSpider, archive_path, **run)
    by, by_life = crawler_of(ByGovCnSpider, archive_path, **run)
    zc_life.spider_opened(zc.spider)
    by_life.spider_opened(by.spider)
    with Archive.open(archive_path) as archive:
        for url, unit in ((ZHUCUN_URL, "朱村"), (ZHENGGUO, "正果"), (PAIZHI, "派潭")):
            stored(archive, url, unit, STREETS if "gk/" in url else UNITS, "run-2", "zc_gov_cn")
    for url in (ZHUCUN_URL, ZHENGGUO):
        listed(zc, STREETS, url)
        answered(zc, url, 200)
    listed(zc, UNITS, PAIZHI)
    answered(zc, PAIZHI, 200)
    healthy_stats(zc, found=3)
    # 白云 is down: every request failed, no list was read
    by.stats.set_value("downloader/request_count", 2)
    by.stats.set_value("downloader/exception_type_count/twisted.internet.error.TimeoutError", 2)
    close(by_life, by.spider)
    assert run_row(archive_path, "run-2")[0] == "running"  # 增城 is still crawling
    close(zc_life, zc.spider)
    assert gone(archive_path) == {XIANCUN, SHITAN}  # 白云's reports are kept
    status, exit_status, spiders, stats = run_row(archive_path, "run-2")
    assert (status, exit_status, json.loads(spiders)) == ("finished", 1, ["zc_gov_cn", "by_gov_cn"])
    health = json.loads(stats)
    assert (health["zc_gov_cn"]["gone"], health["by_gov_cn"]["gone"]) == (2, 0)
    assert health["by_gov_cn"]["reasons"][0] == "every request failed (TimeoutError x2)"


def test_a_run_cut_short_marks_nothing_and_is_recorded_aborted(archive_path) -> None:
    crawler, lifecycle = crawler_of(ZcGovCnSpider, archive_path, GOVREPORTS_RUN_ID="run-2")
    lifecycle.spider_opened(crawler.spider)
    listed(crawler, STREETS, ZHUCUN_URL)
    healthy_stats(crawler, found=5)
    close(lifecycle, crawler.spider, "shutdown")
    assert gone(archive_path) == set()
    status, exit_status, _, stats = run_row(archive_path, "run-2")
    assert (status, exit_status) == ("aborted", 1)
    assert json.loads(stats)["zc_gov_cn"]["reasons"] == ["spider ended with 'shutdown'"]


def test_a_plain_scrapy_crawl_is_a_run_of_its_own(archive_path) -> None:
    crawler, lifecycle = crawler_of(ZcGovCnSpider, archive_path)  # no GOVREPORTS_RUN_ID
    spider = crawler.spider
    lifecycle.spider_opened(spider)
    assert run_row(archive_path, spider.run_id)[:3] == ("running", None, '["zc_gov_cn"]')
    healthy_stats(crawler, found=0)
    close(lifecycle, spider)
    status, exit_status, _, stats = run_row(archive_path, spider.run_id)
    assert (status, exit_status) == ("finished", 1)
    assert json.loads(stats)["zc_gov_cn"]["reasons"] == [
        "2 list page(s) read but no post found on them: has the list markup changed?",
        "0 reports found (the archive holds 5)",
    ]
    assert gone(archive_path) == set()


def test_far_fewer_reports_than_the_archive_holds_marks_nothing(archive_path) -> None:
    crawler, lifecycle = crawler_of(
        ZcGovCnSpider, archive_path, GOVREPORTS_RUN_ID="run-2", HEALTH_MIN_FOUND_RATIO=0.5
    )
    lifecycle.spider_opened(crawler.spider)
    listed(crawler, STREETS, ZHUCUN_URL)  # a list that suddenly shows 1 of its 3 reports
    answered(crawler, ZHUCUN_URL, 200)
    healthy_stats(crawler, found=1)
    close(lifecycle, crawler.spider)
    assert gone(archive_path) == set()
    health = json.loads(run_row(archive_path, "run-2")[3])["zc_gov_cn"]
    assert health["reasons"] == ["only 1 reports found, the archive holds 5 (min ratio 0.5)"]


def test_lifecycle_enabled_off_records_nothing(archive_path) -> None:
    crawler = project_crawler(ZcGovCnSpider, ARCHIVE_PATH=str(archive_path), LIFECYCLE_ENABLED=0)
    assert not [m for m in crawler.extensions.middlewares if isinstance(m, RunLifecycle)]


# --- real crawls of the sandbox ---------------------------------------------------------------
def scrapy_crawl(
    archive: Path, proxy: str, portal: str = "zc_gov_cn"
) -> subprocess.CompletedProcess:
    settings = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "OCR_ENABLED=False"]
    settings += ["CONCURRENT_REQUESTS_PER_DOMAIN=8", f"ARCHIVE_PATH={archive}"]
    command = [sys.executable, "-m", "scrapy", "crawl", portal]
    command += [arg for setting in settings for arg in ("-s", setting)]
    env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def status_json(archive: Path) -> dict:
    command = [sys.executable, "-m", "crawler.cli", "status", "--archive", str(archive), "--json"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return json.loads(proc.stdout)


# What must be the same, whoever launched the crawl (requests and bytes may differ by a retry).
SAME = ("healthy", "reasons", "reports_found", "new", "changed", "unchanged", "duplicates")
SAME += ("gone", "detail_failed", "attachments", "finish_reason")


# The first test to use `both_launchers` waits for its four crawls (under pytest-timeout).
SHARED_CRAWLS_TIMEOUT = 2400


@pytest.fixture(scope="module")
def both_launchers(tmp_path_factory) -> dict:
    """zc_gov_cn crawled twice (revision 0, then revision 1, which deletes one of its reports)
    by a plain `scrapy crawl`, and by `govreports crawl --sandbox` beside by_gov_cn, whose lists
    answer 500 in the second run: one set of crawls shared by the tests below."""
    import sandbox

    tmp = tmp_path_factory.mktemp("launchers")
    scrapy_archive, cli_archive = tmp / "scrapy.db", tmp / "cli.db"
    scrapy_runs, stderr = [], ""
    for revision in (0, 1):
        with sandbox.running(revision=revision) as box:
            crawl = scrapy_crawl(scrapy_archive, box.proxy_url)
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        assert "Traceback" not in crawl.stderr
        scrapy_runs.append(status_json(scrapy_archive)["runs"][0])
        stderr = crawl.stderr
    base = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        "--sandbox",
        "--archive",
        str(cli_archive),
    ]
    base += ["-s", "OCR_ENABLED=False", "zc_gov_cn", "by_gov_cn"]
    first = subprocess.run(base, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr[-2000:]
    down = ["--revision", "1", "--fault", "by_gov_cn:list500"]
    second = subprocess.run(base + down, cwd=ROOT, capture_output=True, text=True, timeout=900)
    (deleted,) = sandbox.manifest(revision=1)["gone"]
    return {
        "deleted": deleted,
        "scrapy": (scrapy_archive, scrapy_runs, stderr),
        "cli": (cli_archive, status_json(cli_archive)["runs"][:2][::-1], second),
    }


@pytest.mark.sandbox
@pytest.mark.timeout(SHARED_CRAWLS_TIMEOUT)
def test_scrapy_crawl_records_the_run_and_marks_gone(both_launchers) -> None:
    archive, (first, second), stderr = both_launchers["scrapy"]
    assert (first["status"], first["exit_status"], first["spiders"]) == (
        "finished",
        0,
        ["zc_gov_cn"],
    )
    zc = first["portals"]["zc_gov_cn"]
    assert (zc["healthy"], zc["reports_found"], zc["new"], zc["gone"]) == (True, 48, 48, 0)
    zc = second["portals"]["zc_gov_cn"]
    assert (second["status"], zc["healthy"], zc["new"], zc["gone"]) == ("finished", True, 1, 1)
    assert gone(archive) == {both_launchers["deleted"]}
    assert "zc_gov_cn: 1 report(s) no longer listed, marked gone" in stderr
    # the summary is in the log, as `govreports crawl` prints it
    assert f"run {second['id']} -> {archive} (exit status 0)" in stderr


@pytest.mark.sandbox
@pytest.mark.timeout(SHARED_CRAWLS_TIMEOUT)
def test_govreports_crawl_marks_gone_beside_a_portal_that_is_down(both_launchers) -> None:
    archive, (first, second), proc = both_launchers["cli"]
    assert proc.returncode == 1
    assert "(exit status 1: unhealthy by_gov_cn)" in proc.stdout.splitlines()[0]
    assert gone(archive) == {both_launchers["deleted"]}
    assert (first["status"], first["exit_status"], second["exit_status"]) == ("finished", 0, 1)
    assert (first["spiders"], second["spiders"]) == (["zc_gov_cn", "by_gov_cn"],) * 2
    portals = second["portals"]
    assert (portals["zc_gov_cn"]["gone"], portals["by_gov_cn"]["gone"]) == (1, 0)
    assert (portals["zc_gov_cn"]["healthy"], portals["by_gov_cn"]["healthy"]) == (True, False)


@pytest.mark.sandbox
@pytest.mark.timeout(SHARED_CRAWLS_TIMEOUT)
def test_scrapy_crawl_and_govreports_crawl_record_a_portal_alike(both_launchers) -> None:
    scrapy_archive, scrapy_runs, _ = both_launchers["scrapy"]
    cli_archive, cli_runs, _ = both_launchers["cli"]
    for alone, beside in zip(scrapy_runs, cli_runs, strict=True):
        ours = alone["portals"]["zc_gov_cn"]
        theirs = beside["portals"]["zc_gov_cn"]
        assert {k: ours[k] for k in SAME} == {k: theirs[k] for k in SAME}
        assert alone["status"] == beside["status"] == "finished"
    assert scrapy_runs[1]["portals"]["zc_gov_cn"]["reports_found"] == 48
    assert gone(scrapy_archive) == gone(cli_archive) == {both_launchers["deleted"]}
