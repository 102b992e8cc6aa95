"""The real seeds, as the figures rows hold them: seed 002 (2019 trial tables, text converted
from a PDF, rows cut in two) and seed 000 / 001 (pre-2019 prose)."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from crawler.figures import PASS, UNCERTAIN, figures_from_html, figures_from_text
from sandbox.seeds import load_seeds
from sandbox.sites.bodyhtml import BodyStyle, render_body
from tests.figures.seed_truth import SEED_000_FIGURES

SEEDS = Path(__file__).resolve().parents[2] / "sandbox" / "corpus" / "seeds"


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def cells(extraction) -> dict:
    return {f.key: (f.value, f.unit) for f in extraction.figures}


def test_seed_002_trial_tables_section_two():
    got = figures_from_text(seed("002"))
    assert (got.source, got.template) == ("text", "2019")
    two = {k[1:]: v for k, v in cells(got).items() if k[0] == "二"}
    assert two == {
        ("规章", "本年新制作数量"): (0, "件"),
        ("规章", "本年新公开数量"): (0, "件"),
        ("规章", "对外公开总数量"): (0, "件"),
        ("规范性文件", "本年新制作数量"): (0, "件"),
        ("规范性文件", "本年新公开数量"): (0, "件"),
        ("规范性文件", "对外公开总数量"): (0, "件"),
        ("行政许可", "上一年项目数量"): (1, "项"),
        ("行政许可", "本年增/减"): (0, "项"),
        ("行政许可", "处理决定数量"): (0, "件"),
        ("其他对外管理服务事项", "上一年项目数量"): (112, "项"),
        ("其他对外管理服务事项", "本年增/减"): (0, "项"),
        ("其他对外管理服务事项", "处理决定数量"): (5302, "件"),
        ("行政处罚", "上一年项目数量"): (1, "项"),
        ("行政处罚", "本年增/减"): (0, "项"),
        ("行政处罚", "处理决定数量"): (581, "件"),
        ("行政强制", "上一年项目数量"): (0, "项"),
        ("行政强制", "本年增/减"): (0, "项"),
        ("行政强制", "处理决定数量"): (0, "件"),
        ("行政事业性收费", "上一年项目数量"): (0, "项"),
        ("行政事业性收费", "本年增/减"): (0, "项"),
        ("政府集中采购", "采购项目数量"): (21, "项"),
        ("政府集中采购", "采购总金额"): (Decimal("1700.35"), "万元"),
    }
    [amount] = [f for f in got.figures if f.col == "采购总金额"]
    assert (amount.raw, amount.confidence) == ("1700.35万元", 0.95)


def test_seed_002_applications_table_keeps_what_the_conversion_kept():
    got = figures_from_text(seed("002"))
    three = [f for f in got.figures if f.table == "三"]
    rows = sorted({f.row for f in three})
    # 23 rows in the trial format; （一） and （二） lost a cell in the PDF conversion (6 numbers
    # for 7 columns): skipped and noted, not guessed.
    assert len(rows) == 21 and "三（一）" not in rows and "三（二）" not in rows
    assert {
        "一",
        "二",
        "三（三）2",
        "三（三）3",
        "三（五）1",
        "三（五）2",
        "三（六）",
        "三（七）",
        "四",
    } <= set(rows)
    assert len(three) == 21 * 7 and {f.value for f in three} == {0}
    assert not any(f.derived for f in three)  # the trial's （六）其他处理 is a template row
    assert got.notes == [
        "三: 三（一）: 6 cells for 7 columns",
        "三: 三（二）: 6 cells for 7 columns",
    ]
    four = {k[1:]: v for k, v in cells(got).items() if k[0] == "四"}
    assert len(four) == 15 and set(four.values()) == {(0, "件")}


def test_seed_002_checks_pass_where_cells_are_there_and_are_uncertain_where_not():
    checks = {(c.check, c.scope): c for c in figures_from_text(seed("002")).checks}
    assert {checks[("T3-b", col)].status for col in ("自然人", "总计")} == {PASS}
    assert checks[("T3-a", "总计")].status == UNCERTAIN
    assert checks[("T3-a", "总计")].missing == ("三/三（一）/总计", "三/三（二）/总计")
    assert checks[("T3-a", "总计")].difference is None
    assert checks[("T3-c", "三（三）2")].status == PASS
    assert checks[("T4", "复议后起诉")].status == PASS


def test_seed_002_page_as_the_sandbox_serves_it_gives_the_same_numbers():
    document = load_seeds()["002"].document
    body = render_body(document, BodyStyle.pick(random.Random(2)))
    page = figures_from_html(f"<html><body><h1>{document.title}</h1>{body}</body></html>")
    text = figures_from_text(seed("002"))
    assert page.source == "html"
    assert {f.key: f.value for f in page.figures} == {f.key: f.value for f in text.figures}


def test_seed_000_prose():
    got = figures_from_text(seed("000"))
    assert (got.source, got.template, got.checks) == ("text", "pre2019", [])
    assert [(f.row, f.col, f.value, f.unit) for f in got.figures] == SEED_000_FIGURES
    received = next(f for f in got.figures if f.col == "收到申请")
    assert (received.raw, received.confidence) == ("未收到信息公开申请", 0.8)


def test_seed_001_prose_with_its_own_wording():
    got = {(f.row, f.col): f.value for f in figures_from_text(seed("001")).figures}
    assert got[("主动公开", "总数")] == 644
    assert got[("主动公开", "部门文件类(包括规章、规范性文件等)信息")] == 50
    assert got[("主动公开渠道", "政府网站")] == 316
    assert got[("依申请公开", "收到申请")] == 2
    assert got[("依申请公开方式", "当面申请")] == 1 and got[("依申请公开方式", "传真申请")] == 0
    assert got[("依申请公开结果", "非本机关政府信息")] == 1
    assert got[("收费", "金额")] == 0


def test_seed_003_states_no_figure_and_gets_none():
    got = figures_from_text(seed("003"))
    assert (got.template, got.figures) == ("pre2019", [])
