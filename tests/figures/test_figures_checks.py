"""The identities of reports.md §3 over one report and across two years of one unit: FAIL with
the difference, UNCERTAIN naming the missing cells, never a PASS computed from an imputed 0,
derived cells left out."""

from __future__ import annotations

from crawler.figures import FAIL, PASS, UNCERTAIN, Figure, check_report, check_years
from crawler.figures.labels import APPLICANTS, REVIEW_COLS, REVIEW_GROUPS, request_rows


def fig(table, row, col, value, derived=False, template="2021") -> Figure:
    raw = "" if value is None else str(value)
    return Figure(template, table, row, col, value, raw, "件", "html", 1.0, derived)


def consistent(template="2021", new=3, carried=1, disclosed=2, forward=2) -> list[Figure]:
    """A full section 三 and 四 whose numbers add up: 自然人 only, other columns 0."""
    values = {row: 0 for row in request_rows(template)}
    values.update(
        {"一": new, "二": carried, "三（一）": disclosed, "三（七）": disclosed, "四": forward}
    )
    out = []
    for row, value in values.items():
        for col in APPLICANTS:
            out.append(
                fig("三", row, col, value if col in ("自然人", "总计") else 0, template=template)
            )
    for group in REVIEW_GROUPS:
        for col in REVIEW_COLS:
            out.append(fig("四", group, col, 0, template=template))
    return out


def statuses(results) -> dict:
    return {(r.check, r.scope): r.status for r in results}


def replace(figures, key, value) -> list[Figure]:
    return [fig(*key, value) if f.key == key else f for f in figures]


def test_a_consistent_report_passes_every_check():
    results = check_report(consistent(), "2021")
    assert len(results) == 7 + 7 + 25 + 3
    assert {r.status for r in results} == {PASS}
    assert len(check_report(consistent("2019"), "2019")) == 7 + 7 + 23 + 3


def test_a_row_total_off_by_two_fails_twice_with_its_difference():
    results = check_report(replace(consistent(), ("三", "三（一）", "总计"), 4), "2021")
    failed = {(r.check, r.scope): r.difference for r in results if r.status == FAIL}
    assert failed == {("T3-c", "三（一）"): 2, ("T3-a", "总计"): -2}


def test_a_review_total_that_does_not_add_up_fails_t4():
    results = check_report(replace(consistent(), ("四", "复议后起诉", "总计"), 1), "2021")
    assert [(r.check, r.scope, r.difference) for r in results if r.status == FAIL] == [
        ("T4", "复议后起诉", 1)
    ]


def test_new_plus_carried_must_equal_handled_plus_forward():
    results = check_report(replace(consistent(), ("三", "四", "自然人"), 5), "2021")
    failed = [(r.check, r.scope, r.difference) for r in results if r.status == FAIL]
    assert failed == [("T3-b", "自然人", -3), ("T3-c", "四", -3)]


def test_a_missing_cell_is_uncertain_never_a_pass_from_zero():
    # "/" in a cell whose true value is 0 would PASS if read as 0: it must not.
    figures = replace(consistent(), ("三", "三（五）2", "商业企业"), None)
    results = {(r.check, r.scope): r for r in check_report(figures, "2021")}
    assert results[("T3-a", "商业企业")].status == UNCERTAIN
    assert results[("T3-a", "商业企业")].missing == ("三/三（五）2/商业企业",)
    assert results[("T3-a", "商业企业")].difference is None
    assert results[("T3-c", "三（五）2")].status == UNCERTAIN
    assert results[("T3-b", "商业企业")].status == PASS  # it needs no outcome row


def test_an_absent_row_is_uncertain_too():
    figures = [f for f in consistent() if f.row != "三（三）8"]
    results = statuses(check_report(figures, "2021"))
    assert {results[("T3-a", col)] for col in APPLICANTS} == {UNCERTAIN}
    assert results[("T3-c", "三（三）8")] == UNCERTAIN


def test_derived_cells_are_not_template_cells():
    figures = [
        *consistent(),
        fig("三", "三（三）", "总计", 99, derived=True),
        fig("三", "一", "法人或其他组织小计", 99, derived=True),
    ]
    assert {r.status for r in check_report(figures, "2021")} == {PASS}
    # and a template cell that is absent is not filled from a derived one
    no_total = [f for f in figures if f.key != ("三", "三（七）", "总计")]
    assert statuses(check_report(no_total, "2021"))[("T3-a", "总计")] == UNCERTAIN


def test_2019_has_one_other_row():
    figures = consistent("2019")
    assert {r.status for r in check_report(figures, "2019")} == {PASS}
    assert statuses(check_report(figures, "2021"))[("T3-a", "总计")] == UNCERTAIN


def test_no_checks_for_prose_reports():
    assert check_report([], "pre2019") == []
    assert {r.status for r in check_report([], "2021")} == {UNCERTAIN}


def test_carried_over_must_match_last_years_forward():
    last_year = consistent(forward=2)
    this_year = consistent(carried=2, new=1, disclosed=1, forward=2)
    results = check_years(last_year, this_year, "2021")
    assert statuses(results)[("X-1", "自然人")] == PASS
    assert {r.strength for r in results if r.check == "X-1"} == {"strong"}
    broken = check_years(last_year, consistent(carried=1), "2021")
    x1 = {r.scope: r for r in broken if r.check == "X-1"}
    assert (x1["自然人"].status, x1["自然人"].difference) == (FAIL, -1)
    gone = check_years([f for f in last_year if f.row != "四"], this_year, "2021")
    assert statuses(gone)[("X-1", "总计")] == UNCERTAIN


def test_documents_in_force_carry_over_softly():
    def rules(made, repealed, in_force):
        cols = ("本年制发件数", "本年废止件数", "现行有效件数")
        return [
            fig("二", "行政规范性文件", c, v)
            for c, v in zip(cols, (made, repealed, in_force), strict=True)
        ]

    ok = check_years(rules(2, 0, 30), rules(4, 1, 33), "2021")
    assert [
        (r.check, r.scope, r.status, r.strength) for r in ok if r.scope == "行政规范性文件"
    ] == [("X-2", "行政规范性文件", PASS, "soft")]
    off = check_years(rules(2, 0, 30), rules(4, 1, 35), "2021")
    assert [(r.status, r.difference) for r in off if r.scope == "行政规范性文件"] == [(FAIL, 2)]
    trial = [fig("二", "规范性文件", "对外公开总数量", 30, template="2019")]
    assert [r for r in check_years(trial, rules(4, 1, 33), "2021") if r.check == "X-2"] == []
