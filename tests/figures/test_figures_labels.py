"""Cell texts and labels: numbers with units and separators, the missing marks, and the real
spellings of the template's labels mapped onto its canonical keys."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawler.figures.labels import applicant, proactive_row, request_row, segments
from crawler.figures.values import read_cell


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("42", "number", 42, None),
        (" 1,286 ", "number", 1286, None),
        ("１２", "number", 12, None),
        ("1700.35万元", "number", Decimal("1700.35"), "万元"),
        ("0.0", "number", Decimal("0.0"), None),
        ("-3", "number", -3, None),
        ("5件", "number", 5, "件"),
        ("", "missing", None, None),
        ("/", "missing", None, None),
        ("／", "missing", None, None),
        ("—", "missing", None, None),
        ("-", "missing", None, None),
        ("－", "missing", None, None),
        ("无", "missing", None, None),
        ("\u3000", "missing", None, None),
        ("予以公开", "text", None, None),
        ("50%", "text", None, None),
        ("2021年", "text", None, None),
    ],
)
def test_read_cell(text, kind, value, unit):
    cell = read_cell(text)
    assert (cell.kind, cell.value, cell.unit) == (kind, value, unit)
    assert cell.value != 0 or kind == "number"  # a missing mark is never 0


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("一、本年新收政府信息公开申请数量", "一"),
        ("二、上年结转政府信息公开申请数量", "二"),
        ("（一）予以公开", "三（一）"),
        ("(二)部分公开（区分处理的，只计这一情形，不", "三（二）"),
        ("3．危及“三安全一稳定”", "三（三）3"),
        ("3.危及三安全一稳定", "三（三）3"),
        ("3. 危及 三安全一稳定", "三（三）3"),
        ("2. 其他法律行政 法规禁止公开", "三（三）2"),
        ("4、保护第 三方合法权益", "三（三）4"),
        ("1.本机关不掌握相关政府信息", "三（四）1"),
        ("2.没有现成信息需要另行制作", "三（四）2"),
        ("5.要求行政机关确认或重新出具已获取信息", "三（五）5"),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "三（六）1"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "三（六）2"),
        ("3.其他", "三（六）3"),
        ("3．其它", "三（六）3"),
        ("（七）总计", "三（七）"),
        ("(七) 总计", "三（七）"),
        ("四、结转下年度继续办理", "四"),
        ("（三）不予公开", "三（三）"),
        ("(三) 不 予 公 开", "三（三）"),
        ("（三）不予以公开", "三（三）"),
        ("（六）其他处理", "三（六）"),
        ("小计", "小计"),
        ("申请人情况", None),
        ("年度 办 理 结 果", None),
    ],
)
def test_request_rows(label, key):
    assert request_row(label) == key


def test_a_wrapped_run_of_labels_splits_where_a_numbered_label_starts():
    assert segments("（六）其他处理3．其他") == ["（六）其他处理", "3．其他"]
    assert (
        segments("…其他总计一、本年新收政府信息公开申请数量")[-1]
        == "一、本年新收政府信息公开申请数量"
    )
    assert segments("采购总金额1700.35万元") == ["采购总金额1700.35万元"]


def test_section_two_items_and_applicant_headers():
    assert proactive_row("行政规范性文件") == "规范性文件"
    assert proactive_row(" 规 章 ") == "规章"
    assert proactive_row("行政许可") == "行政许可"
    assert proactive_row("信息内容") is None
    assert [applicant(x) for x in ("自然人", "其它", "小计", "法人或其他组织", "总 计")] == [
        "自然人", "其他", "法人或其他组织小计", None, "总计",
    ]  # fmt: skip
