"""A hand-written 2021 page in Word soup: merged cells expanded, spellings mapped onto the
template's keys, "/", "—" and blanks missing (never 0), subtotals derived."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawler.figures import FAIL, PASS, UNCERTAIN, figures_from_html
from tests.figures.pages import PAGE_2021


@pytest.fixture(scope="module")
def page():
    return figures_from_html(PAGE_2021)


def value(extraction, table, row, col):
    [figure] = [f for f in extraction.figures if f.key == (table, row, col)]
    return figure


def test_template_source_and_count(page):
    assert (page.source, page.template, page.notes) == ("html", "2021", [])
    template = [f for f in page.figures if not f.derived]
    assert len(template) == 10 + 25 * 7 + 15
    derived = [f for f in page.figures if f.derived]
    assert len(derived) == 26 + 7  # the 小计 column in 26 rows, the （三） 小计 row's 7 others


def test_section_two_spellings_units_and_missing_marks(page):
    assert value(page, "二", "行政规范性文件", "本年制发件数").value == 3  # "规范性文件", "３"
    assert value(page, "二", "行政许可", "本年处理决定数量").value == 1286  # "1,286"
    fee = value(page, "二", "行政事业性收费", "本年收费金额")
    assert (fee.value, fee.unit, fee.raw) == (Decimal("12.5"), "万元", "12.5")
    rules = [
        value(page, "二", "规章", col) for col in ("本年制发件数", "本年废止件数", "现行有效件数")
    ]
    assert [(f.value, f.raw) for f in rules] == [(None, "/")] * 3
    forced = value(page, "二", "行政强制", "本年处理决定数量")
    assert (forced.value, forced.raw, forced.unit) == (None, "—", "件")


def test_section_three_rows_under_merged_labels_and_variants(page):
    assert value(page, "三", "一", "自然人").value == 35
    assert value(page, "三", "一", "总计").value == 42
    assert value(page, "三", "三（一）", "自然人").value == 20  # "(一)予以公开"
    assert value(page, "三", "三（二）", "总计").value == 4  # label split over two <p>
    assert value(page, "三", "三（三）3", "自然人").value == 1  # 3．危及“三安全一稳定”
    assert value(page, "三", "三（三）2", "总计").value == 0  # ２．(full-width)
    assert value(page, "三", "三（三）4", "总计").value == 0  # "合法 权益"
    assert value(page, "三", "三（四）1", "其他").value == 1  # header "其它"
    assert value(page, "三", "三（五）2", "自然人").value == 2
    assert value(page, "三", "三（七）", "总计").value == 42
    assert value(page, "三", "四", "商业企业").value == 1


def test_blank_and_slash_cells_are_missing_not_zero(page):
    blank = value(page, "三", "三（四）3", "商业企业")
    assert (blank.value, blank.raw) == (None, "")
    slash = value(page, "三", "三（六）3", "总计")
    assert (slash.value, slash.raw) == (None, "/")


def test_subtotal_row_and_column_are_derived(page):
    subtotal = value(page, "三", "三（三）", "总计")
    assert (subtotal.value, subtotal.derived) == (1, True)
    column = value(page, "三", "一", "法人或其他组织小计")
    assert (column.value, column.derived) == (7, True)
    assert not value(page, "三", "一", "其他").derived


def test_section_four(page):
    assert value(page, "四", "行政复议", "结果维持").value == 2
    assert value(page, "四", "行政复议", "总计").value == 3
    assert value(page, "四", "未经复议直接起诉", "结果维持").value == 1
    assert value(page, "四", "复议后起诉", "总计").value == 0


def test_checks_on_the_page(page):
    checks = {(c.check, c.scope): c for c in page.checks}
    assert checks[("T3-b", "自然人")].status == PASS  # 35 + 3 = 36 + 2
    assert checks[("T3-a", "自然人")].status == PASS
    # 商业企业: （四）3 is blank, so the column sum is not known: UNCERTAIN, not a PASS from 0
    assert checks[("T3-a", "商业企业")].status == UNCERTAIN
    assert checks[("T3-a", "商业企业")].missing == ("三/三（四）3/商业企业",)
    # 总计: （六）3 prints "/"
    assert checks[("T3-a", "总计")].status == UNCERTAIN
    assert checks[("T3-c", "三（六）3")].status == UNCERTAIN
    assert checks[("T4", "行政复议")].status == PASS
    assert checks[("T3-c", "一")].status == PASS  # 35 + 4 + 0 + 0 + 1 + 2 = 42
    assert checks[("T3-b", "总计")].status == PASS  # 42 + 3 = 42 + 3
    assert not [c for c in page.checks if c.status == FAIL]


def test_a_total_that_does_not_add_up_fails_with_its_difference():
    broken = PAGE_2021.replace('<span lang="EN-US">24</span>', '<span lang="EN-US">26</span>', 1)
    checks = {(c.check, c.scope): c for c in figures_from_html(broken).checks}
    assert (checks[("T3-c", "三（一）")].status, checks[("T3-c", "三（一）")].difference) == (
        FAIL,
        2,
    )
