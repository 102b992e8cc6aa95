"""The identities a report's own numbers must satisfy (reports.md §3), over one report and over
two consecutive years of one unit. A needed cell that is absent or missing makes the result
UNCERTAIN, naming the cell: a PASS is never computed from an imputed 0. Derived cells
(subtotal rows, a 法人或其他组织小计 column) are not template cells and are not used."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from crawler.figures import labels as L
from crawler.figures.model import FAIL, PASS, UNCERTAIN, CheckResult, Figure, Value

Cells = dict[tuple[str, str, str], Value | None]


def template_cells(figures: Iterable[Figure]) -> Cells:
    return {f.key: f.value for f in figures if not f.derived}


def check_report(figures: Sequence[Figure], template: str | None) -> list[CheckResult]:
    """T3-a, T3-b, T3-c and T4 for a report in a unified template (none for pre-2019 prose)."""
    if template not in ("2019", "2021"):
        return []
    cells = template_cells(figures)
    results = []
    for col in L.APPLICANTS:
        outcomes = [("三", row, col) for row in L.outcome_rows(template)]
        results.append(_identity("T3-a", col, cells, [("三", "三（七）", col)], outcomes))
        results.append(
            _identity(
                "T3-b",
                col,
                cells,
                [("三", "一", col), ("三", "二", col)],
                [("三", "三（七）", col), ("三", "四", col)],
            )
        )
    for row in L.request_rows(template):
        parts = [("三", row, col) for col in L.APPLICANTS[:-1]]
        results.append(_identity("T3-c", row, cells, [("三", row, L.TOTAL)], parts))
    for group in L.REVIEW_GROUPS:
        parts = [("四", group, col) for col in L.REVIEW_COLS[:-1]]
        results.append(_identity("T4", group, cells, [("四", group, "总计")], parts))
    return results


def check_years(
    earlier: Sequence[Figure],
    later: Sequence[Figure],
    later_template: str | None,
    earlier_template: str | None = None,
) -> list[CheckResult]:
    """X-1 (strong): 二 上年结转 of year Y = 四 结转下年度 of year Y-1, per column, when both years
    use a unified template (a pre-2019 report has no such row: that is no missing cell).
    X-2 (soft): 现行有效件数(Y) = 现行有效件数(Y-1) + 本年制发件数(Y) - 本年废止件数(Y), for
    规章 and 行政规范性文件, when both years use the 2021 template (the trial's 对外公开总数量 is
    another count). `earlier_template` defaults to what the earlier figures say."""
    before, after = template_cells(earlier), template_cells(later)
    both = {
        **{("Y-1", *k): v for k, v in before.items()},
        **{("Y", *k): v for k, v in after.items()},
    }
    results = []
    earlier_templates = {earlier_template} if earlier_template else {f.template for f in earlier}
    unified = {"2019", "2021"}
    if later_template in unified and earlier_templates and earlier_templates <= unified:
        for col in L.APPLICANTS:
            results.append(
                _identity(
                    "X-1",
                    col,
                    both,
                    [("Y", "三", "二", col)],
                    [("Y-1", "三", "四", col)],
                    strength="strong",
                )
            )
    if earlier_templates | {later_template} == {"2021"}:
        for row in ("规章", "行政规范性文件"):
            lhs = [("Y", "二", row, "现行有效件数"), ("Y", "二", row, "本年废止件数")]
            rhs = [("Y-1", "二", row, "现行有效件数"), ("Y", "二", row, "本年制发件数")]
            results.append(_identity("X-2", row, both, lhs, rhs, strength="soft"))
    return results


def _identity(
    check: str,
    scope: str,
    cells: dict,
    left: list[tuple],
    right: list[tuple],
    strength: str = "exact",
) -> CheckResult:
    names = tuple("/".join(key) for key in left), tuple("/".join(key) for key in right)
    missing = tuple("/".join(key) for key in (*left, *right) if cells.get(key) is None)
    if missing:
        return CheckResult(check, scope, UNCERTAIN, None, strength, missing, *names)
    difference = sum(cells[k] for k in left) - sum(cells[k] for k in right)
    status = PASS if difference == 0 else FAIL
    return CheckResult(check, scope, status, difference, strength, (), *names)


def all_pass(results: Sequence[CheckResult]) -> bool:
    """Every exact check passed (and there was at least one)."""
    exact = [r for r in results if r.strength == "exact"]
    return bool(exact) and all(r.status == PASS for r in exact)
