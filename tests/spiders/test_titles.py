"""The report-title classifier (crawler/titles.py) on a table of real titles: every one decided
right, and every rejection with its reason.

Sources: the five seeds (tests/fixtures/cleaning/seeds), the real
Fujian TRS list page and the real Hanweb datastore (tests/fixtures/real/), docs/portals.md §10.1
and §10.2, and the fixture pages' own titles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler import fields, titles
from crawler.titles import classify

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"

POSITIVE = [
    # (title, source)
    ("广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告", "seed 000"),
    ("2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告", "seed 001"),
    ("广州市海珠区人民政府官洲街道办事处2019年 政府信息公开工作年度报告", "seed 002"),
    ("曲阜市鲁城街道办事处2017年度\n政府信息公开工作年度报告", "seed 003, two lines"),
    ("金龙街道办事处 2017 年政府信息公开 工作年度报告", "seed 004, spaced"),
    ("平潭综合实验区2023年度政府信息公开工作年度报告", "§10.1 real list page"),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", "§10.1, no 政府"),
    ("沭阳县发展和改革局2023年政府信息公开年度报告", "§10.2"),
    ("广州市白云区人民政府2022年政府信息公开年度报告", "§10.2 pattern"),
    ("广州市增城区人民政府2020年度政府信息公开工作报告", "§10.2 (M)"),
    ("广州市增城区发展和改革局政府信息公开工作年报", "§10.2 (M)"),
    ("泉州市鲤城区2019年度政府信息公开工作年度报告", "§10.2"),
    ("二〇一八年增城区石滩镇政府信息公开年度报告", "year in Chinese numerals"),
]
FORWARDED = [
    (
        "泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知",
        "泉州市鲤城区人民政府2023年政府信息公开工作年度报告",
    ),
    (
        "某某县人民政府办公室关于印发某某县2019年政府信息公开工作年度报告的通知",
        "某某县2019年政府信息公开工作年度报告",
    ),
]
NEGATIVE = [
    # (title, reason, source)
    ("关于2014年政府信息公开工作要点落实情况的函", "follow_up_letter", "§10.1 real column"),
    ("2023年增城区政务公开工作要点", "work_plan", "§10.2"),
    ("2021年度政府网站年度工作报表", "statistical_form", "§10.2, real Hanweb datastore"),
    ("2023年政府信息公开工作年度报表", "statistical_form", "§10.2"),
    ("广州市白云区2022年法治政府建设年度报告", "rule_of_law_report", "§10.2"),
    ("广州市白云区人民政府信息公开指南", "guide", "§10.2"),
    ("白云区2023年政务公开工作总结", "work_summary", "§10.2"),
    (
        "定西市人民政府办公室关于2021年度履行教育职责自查自评的报告",
        "self_assessment",
        "real datastore",
    ),
    (
        "泉州市鲤城区人民政府办公室关于做好2017年政务公开工作要点落实情况自查及政府信息公开工作年度报告编制发布有关事项的通知",
        "notice_about_reports",
        "seed 004 cites it",
    ),
    ("关于报送2022年度政府信息公开工作年度报告的通知", "notice_about_reports", "§10.2"),
    ("政府信息公开工作报告", "no_report_name", "no year: 工作报告 alone is any report"),
    ("2023年广州市白云区政府工作报告", "no_report_name", "the 政府工作报告, another report"),
    ("朱村街道政务公开工作动态", "no_report_name", "fixture"),
    ("", "empty", ""),
]


@pytest.mark.parametrize(("title", "source"), POSITIVE)
def test_real_report_titles_are_reports(title: str, source: str) -> None:
    decision = classify(title)
    assert (decision.is_report, decision.reason) == (True, "report"), source
    assert decision.report_title == fields.squash(title)


@pytest.mark.parametrize(("title", "report"), FORWARDED)
def test_a_notice_that_forwards_a_report_carries_it(title: str, report: str) -> None:
    decision = classify(title)
    assert (decision.is_report, decision.reason, decision.report_title) == (
        True,
        "forwarded_report",
        report,
    )
    assert titles.forwarded_report(title) == report
    assert titles.forwarded_report(report) is None


@pytest.mark.parametrize(("title", "reason", "source"), NEGATIVE)
def test_non_reports_are_rejected_with_their_reason(title: str, reason: str, source: str) -> None:
    decision = classify(title)
    assert (decision.is_report, decision.reason) == (False, reason), source
    assert not decision


def real_titles(name: str) -> list[str]:
    text = (REAL / name).read_text("utf-8")
    return [t for t in re.findall(r'title="([^"]+)"', text) if t != "el.doctitle"]


def test_every_title_of_the_real_hanweb_datastore_is_decided_right() -> None:
    """45 records of 定西市, none of them a report (one 年度工作报表, one 自查自评的报告)."""
    found = real_titles("hanweb_dataproxy_dingxi_col12377.xml")
    assert len(found) == 45
    decisions = [classify(t) for t in found]
    assert [d for d in decisions if d.is_report] == []
    reasons = {t: d.reason for t, d in zip(found, decisions, strict=True)}
    assert reasons["2021年度政府网站年度工作报表"] == "statistical_form"
    assert (
        reasons["定西市人民政府办公室关于2021年度履行教育职责自查自评的报告"] == "self_assessment"
    )
    assert set(reasons.values()) == {"statistical_form", "self_assessment", "no_report_name"}


def test_every_report_of_the_real_trs_list_is_a_report() -> None:
    found = [t for t in real_titles("pingtan_zfxxgknb_list_index.html") if "平潭综合实验区2" in t]
    assert len(found) == 10
    assert [classify(t).reason for t in found] == ["report"] * 10


def whole_table() -> list[tuple[str, str, str]]:
    """Every real title the classifier is held to, as (title, the right reason, source): the
    hand table above, the 45 records of the real Hanweb datastore (none a report: the 2 named
    ones with their reason, the rest no_report_name) and the 10 reports of the real TRS list."""
    table = [(t, "report", source) for t, source in POSITIVE]
    table += [(t, "forwarded_report", "forwarding notice") for t, _ in FORWARDED]
    table += [(t, reason, source) for t, reason, source in NEGATIVE]
    named = {
        "2021年度政府网站年度工作报表": "statistical_form",
        "定西市人民政府办公室关于2021年度履行教育职责自查自评的报告": "self_assessment",
    }
    for title in real_titles("hanweb_dataproxy_dingxi_col12377.xml"):
        table.append((title, named.get(title, "no_report_name"), "real Hanweb datastore"))
    for title in real_titles("pingtan_zfxxgknb_list_index.html"):
        if "平潭综合实验区2" in title:
            table.append((title, "report", "real TRS list"))
    return table


def test_the_whole_table_of_real_titles_is_classified_right() -> None:
    """One test over the whole table, printed (pytest -s) so the table can be read as a whole."""
    table = whole_table()
    wrong = []
    for title, reason, source in table:
        decision = classify(title)
        mark = "ok " if decision.reason == reason else "BAD"
        print(f"{mark} {decision.reason:<20} {fields.squash(title) or '(empty)'}  [{source}]")
        if decision.reason != reason:
            wrong.append((title, reason, decision.reason))
    assert wrong == []
    positives = [t for t, reason, _ in table if reason in {"report", "forwarded_report"}]
    assert (len(positives), len(table) - len(positives)) == (25, 59)
    print(f"{len(table)} titles: {len(positives)} reports, {len(table) - len(positives)} not")


def test_truncated_list_titles_are_recognised() -> None:
    assert titles.looks_truncated("曲阜市人民政府小雪街道办事处2018年政府信息公开工作年度报...")
    assert titles.looks_truncated("2018年政府信息公开工作年度报…")
    assert not titles.looks_truncated("2018年政府信息公开工作年度报告")


def test_fields_reads_the_same_classifier() -> None:
    assert fields.is_report_title("平潭综合实验区地方税务局2013年信息公开年度报告")
    assert not fields.is_report_title("广州市白云区人民政府信息公开指南")


@given(st.text())
def test_any_text_gets_a_decision_and_a_known_reason(text: str) -> None:
    decision = classify(text)
    known = {"report", "forwarded_report", "no_report_name", "empty"} | {
        name for name, _ in titles.NEGATIVES
    }
    assert decision.reason in known
    assert decision.is_report == (decision.reason in {"report", "forwarded_report"})


@given(st.text(alphabet="年度信息公开政府工作报告报表年报通知关于转发《》的函2019 "))
def test_report_vocabulary_soup_never_raises(text: str) -> None:
    decision = classify(text)
    if decision.is_report:
        assert decision.report_title
