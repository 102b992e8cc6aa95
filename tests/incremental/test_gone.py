"""Deletions: reports not sighted in a complete run get gone_at (never deleted), lose it when
they come back; an incomplete run marks nothing."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.archive import Archive, open_archive
from crawler.gone import mark_gone_after_run, run_complete
from crawler.health import PortalHealth
from tests.core.factories import ZHUCUN_TEXT, ZHUCUN_URL, report

ZHENGGUO = ZHUCUN_URL.replace("5646102", "5646160")
XIANCUN = ZHUCUN_URL.replace("5646102", "5646177")
BY_URL = "https://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_5600229.html"


def body(unit: str) -> str:
    return ZHUCUN_TEXT.replace("朱村", unit)


@pytest.fixture
def archive(tmp_path):
    archive = Archive(open_archive(tmp_path / "archive.db"))
    # run 1 saw three 增城 reports and one 白云 report
    for url, unit in ((ZHUCUN_URL, "朱村"), (ZHENGGUO, "正果"), (XIANCUN, "仙村")):
        archive.store(report(url, text=body(unit), run_id="run-1"))
    by = report(BY_URL, text=body("人和"), run_id="run-1")
    by.portal = "by_gov_cn"
    archive.store(by)
    yield archive
    archive.close()


def gone(archive: Archive) -> dict[str, str | None]:
    return {r["canonical_url"]: r["gone_at"] for r in archive.db["reports"].rows}


def test_reports_a_complete_run_did_not_sight_are_marked_gone(archive: Archive) -> None:
    archive.store(report(ZHUCUN_URL, text=body("朱村"), run_id="run-2"))
    archive.sight(2, ZHENGGUO, 2, "run-2", "2026-11-24T02:10:00Z")  # skipped, sighted
    assert archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T02:30:00Z") == 1
    assert gone(archive) == {
        ZHUCUN_URL: None,
        ZHENGGUO: None,
        XIANCUN: "2026-11-24T02:30:00Z",
        BY_URL: None,  # another portal's report: not this portal's run to judge
    }
    # a later complete run that again misses it keeps the first date
    assert archive.mark_gone("zc_gov_cn", "run-3", "2026-11-25T02:30:00Z") == 2
    assert gone(archive)[XIANCUN] == "2026-11-24T02:30:00Z"
    assert archive.db["reports"].count == 4  # marked, never deleted


def test_a_report_that_comes_back_loses_gone_at(archive: Archive) -> None:
    archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T02:30:00Z")
    assert archive.store(report(XIANCUN, text=body("仙村"), run_id="run-3")).outcome == "unchanged"
    archive.sight(1, ZHUCUN_URL, 1, "run-3", "2026-11-25T02:10:00Z")
    assert gone(archive) == {
        ZHUCUN_URL: None,
        ZHENGGUO: "2026-11-24T02:30:00Z",
        XIANCUN: None,
        BY_URL: None,
    }


def health(**changes) -> PortalHealth:
    values = {"portal": "zc_gov_cn", "healthy": True, "finish_reason": "finished"}
    return PortalHealth(**{**values, **changes})


@pytest.mark.parametrize(
    ("portal_health", "stats", "complete"),
    [
        (health(detail_failed={"http_404": 1}), {}, True),  # a listed post that was deleted
        (health(), {"incremental/list_failed": 1}, False),  # page 2 of the list did not answer
        (health(detail_failed={"TimeoutError": 1}), {}, False),  # a report page not checked
        (health(healthy=False, reasons=["0 reports found"]), {}, False),
        (health(finish_reason="shutdown"), {}, False),  # SIGTERM: the run was cut short
    ],
)
def test_only_complete_runs_prove_deletions(portal_health, stats, complete) -> None:
    assert run_complete(portal_health, stats) is complete


def test_after_a_run_only_complete_portals_are_marked(archive: Archive, tmp_path) -> None:
    archive.store(report(ZHUCUN_URL, text=body("朱村"), run_id="run-2"))
    results = {"zc_gov_cn": health(), "by_gov_cn": health(portal="by_gov_cn")}
    stats = {"zc_gov_cn": {}, "by_gov_cn": {"incremental/list_failed": 2}}
    settings = Settings({"ARCHIVE_PATH": str(tmp_path / "archive.db")})
    mark_gone_after_run(settings, "run-2", results, stats)
    assert (results["zc_gov_cn"].gone, results["by_gov_cn"].gone) == (2, 0)
    assert [url for url, when in gone(archive).items() if when] == [ZHENGGUO, XIANCUN]
