"""Deletions, judged per column and only on proof: reports a run did not sight get gone_at (never
deleted) when every column that listed them was read completely and their URL is no longer
listed (or listed and answered 404/410); they lose it when they come back."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.archive import Archive, Listing, open_archive
from crawler.gone import Evidence, run_complete, verdict
from crawler.health import History, PortalHealth
from tests.core.factories import ZHUCUN_TEXT, ZHUCUN_URL, report

ZHENGGUO = ZHUCUN_URL.replace("5646102", "5646160")
XIANCUN = ZHUCUN_URL.replace("5646102", "5646177")
BY_URL = "https://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_5600229.html"
STREETS = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"  # the 镇街 column
UNITS = "https://www.zc.gov.cn/gzjg/qczj/zfxxgkgzndbg/"  # a unit's own column
PAIZHI = UNITS + "content/post_5700001.html"
SHITAN = UNITS + "content/post_5700002.html"


def body(unit: str) -> str:
    return ZHUCUN_TEXT.replace("朱村", unit)


@pytest.fixture
def archive(tmp_path):
    archive = Archive(open_archive(tmp_path / "archive.db"))
    # run 1 saw three 增城 reports (no column recorded: an archive from before columns) and one
    # 白云 report
    for url, unit in ((ZHUCUN_URL, "朱村"), (ZHENGGUO, "正果"), (XIANCUN, "仙村")):
        archive.store(report(url, text=body(unit), run_id="run-1"))
    by = report(BY_URL, text=body("人和"), run_id="run-1")
    by.portal = "by_gov_cn"
    archive.store(by)
    yield archive
    archive.close()


def gone(archive: Archive) -> dict[str, str | None]:
    return {r["canonical_url"]: r["gone_at"] for r in archive.db["reports"].rows}


def listed_report(url: str, unit: str, column: str, run_id: str):
    item = report(url, text=body(unit), run_id=run_id)
    item.column = column
    return item


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


@pytest.fixture
def two_columns(archive: Archive) -> Archive:
    """Run 2 read the 镇街 column (three reports) and a unit's column (two reports)."""
    for url, unit in ((ZHUCUN_URL, "朱村"), (ZHENGGUO, "正果"), (XIANCUN, "仙村")):
        archive.store(listed_report(url, unit, STREETS, "run-2"))
    for url, unit in ((PAIZHI, "派潭"), (SHITAN, "石滩")):
        archive.store(listed_report(url, unit, UNITS, "run-2"))
    return archive


def test_a_column_read_completely_proves_its_missing_reports_gone(two_columns: Archive) -> None:
    # run 3: 正果 and 石滩 vanished from their lists; only the 镇街 column was read completely
    two_columns.store(listed_report(ZHUCUN_URL, "朱村", STREETS, "run-3"))
    two_columns.store(listed_report(XIANCUN, "仙村", STREETS, "run-3"))
    two_columns.store(listed_report(PAIZHI, "派潭", UNITS, "run-3"))
    marked = two_columns.mark_gone("zc_gov_cn", "run-3", "2026-11-25T02:30:00Z", {STREETS})
    assert marked == 1
    assert {url for url, when in gone(two_columns).items() if when} == {ZHENGGUO}
    # the unit's column failed: its own missing report is kept, not the other column's
    assert gone(two_columns)[SHITAN] is None


def test_a_listed_url_that_did_not_answer_keeps_its_report(two_columns: Archive) -> None:
    # run 3 read both columns completely, sighted only 朱村; the others were still listed:
    # 正果 refused (redirected off-site: no answer), 仙村 answered 200 but made no report
    # (dropped), 派潭 answered 404, 石滩 vanished from its list
    two_columns.store(listed_report(ZHUCUN_URL, "朱村", STREETS, "run-3"))
    two_columns.record_listings(
        "run-3",
        [
            Listing(STREETS, ZHUCUN_URL, 200),
            Listing(STREETS, ZHENGGUO, None),
            Listing(STREETS, XIANCUN, 200),
            Listing(UNITS, PAIZHI, 404),
        ],
    )
    marked = two_columns.mark_gone("zc_gov_cn", "run-3", "2026-11-25T02:30:00Z", {STREETS, UNITS})
    assert marked == 2
    assert {url for url, when in gone(two_columns).items() if when} == {PAIZHI, SHITAN}


def test_a_410_proves_a_deletion_too_and_a_timeout_does_not(two_columns: Archive) -> None:
    two_columns.record_listings(
        "run-3", [Listing(STREETS, ZHUCUN_URL, 410), Listing(STREETS, ZHENGGUO, None)]
    )
    two_columns.mark_gone("zc_gov_cn", "run-3", "2026-11-25T02:30:00Z", {STREETS}, legacy=False)
    assert {url for url, when in gone(two_columns).items() if when} == {ZHUCUN_URL, XIANCUN}


def test_reports_without_a_recorded_column_need_the_whole_portal(archive: Archive) -> None:
    archive.store(report(ZHUCUN_URL, text=body("朱村"), run_id="run-2"))
    assert archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T02:30:00Z", set(), False) == 0
    assert archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T02:30:00Z", set(), True) == 2


def test_a_report_listed_by_two_columns_needs_both(two_columns: Archive) -> None:
    twin = listed_report(SHITAN, "石滩", STREETS, "run-2")  # the 镇街 column lists it too
    two_columns.store(twin)
    two_columns.mark_gone("zc_gov_cn", "run-3", "2026-11-25T02:30:00Z", {UNITS}, legacy=False)
    assert gone(two_columns)[SHITAN] is None
    assert gone(two_columns)[PAIZHI] == "2026-11-25T02:30:00Z"


# --- the evidence and the verdict ------------------------------------------------------------
def evidence() -> Evidence:
    found = Evidence()
    for url in (ZHUCUN_URL, ZHENGGUO):
        found.list(STREETS, url)
    found.list(UNITS, PAIZHI)
    found.answer(ZHUCUN_URL, 200)
    found.answer(PAIZHI, 404)
    found.answer(BY_URL, 200)  # not listed by this portal's columns: not evidence
    return found


def test_columns_are_complete_when_they_listed_reports_and_nobody_said_otherwise() -> None:
    found = evidence()
    assert found.complete_columns() == {STREETS, UNITS}
    found.column_incomplete(UNITS, "list page failed: …/index_1.html (http_500)")
    found.column_incomplete(UNITS, "list incomplete: shows 2 of 5")
    assert found.complete_columns() == {STREETS}
    assert found.incomplete == {UNITS: "list page failed: …/index_1.html (http_500)"}
    assert found.listings() == [
        Listing(STREETS, ZHUCUN_URL, 200),
        Listing(STREETS, ZHENGGUO, None),
        Listing(UNITS, PAIZHI, 404),
    ]


def test_a_list_failure_of_no_known_column_leaves_no_column_complete() -> None:
    found = evidence()
    found.column_incomplete(None, "list page failed: https://www.zc.gov.cn/x (TimeoutError)")
    assert found.complete_columns() == set()


def health(**changes) -> PortalHealth:
    values = {"portal": "zc_gov_cn", "healthy": True, "finish_reason": "finished"}
    values.update(reports_found=48)
    return PortalHealth(**{**values, **changes})


LISTS = {"portal/list_pages": 3, "portal/list_entries": 55}


@pytest.mark.parametrize(
    ("portal_health", "stats", "past", "judged", "why_not"),
    [
        (health(), LISTS, History(48, 48), True, None),
        # another column (or portal) failed: the portal is unhealthy, its complete columns judge
        (health(healthy=False, reasons=["start URL or hint failed"]), LISTS, History(), True, None),
        (health(finish_reason="shutdown"), LISTS, History(), False, "run ended with 'shutdown'"),
        (health(finish_reason="request_budget"), LISTS, History(), False, None),
        (health(reports_found=0), LISTS, History(48, 48), False, None),
        (health(reports_found=20), LISTS, History(48, 48), False, None),  # a broken list
        (health(), {"portal/list_pages": 3}, History(), False, None),  # lists without posts
    ],
)
def test_the_verdict_judges_only_runs_whose_lists_can_be_trusted(
    portal_health, stats, past, judged, why_not
) -> None:
    settings = Settings({"HEALTH_MIN_FOUND_RATIO": 0.5})
    found = verdict(portal_health, stats, past, settings, evidence())
    assert found.judged is judged
    if judged:
        assert found.complete_columns == {STREETS, UNITS}
    elif why_not:
        assert found.why_not == why_not


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
def test_the_whole_portal_rule_for_reports_without_a_column(portal_health, stats, complete):
    assert run_complete(portal_health, stats) is complete
