"""Template generation and section headings, on the seeds and on the unified formats' wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.cleaning import normalize_text, section_headings, template_version

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "cleaning" / "seeds"


def seed(key: str) -> str:
    return normalize_text(next(SEEDS.glob(f"{key}_*.txt")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("key", "version"),
    [
        ("000", "pre2019"),
        ("001", "pre2019"),
        ("002", "2019"),
        ("003", "pre2019"),
        ("004", "pre2019"),
    ],
)
def test_seed_template_versions(key: str, version: str) -> None:
    assert template_version(seed(key)) == version


def test_seed_002_section_headings_are_the_six_unified_sections() -> None:
    assert section_headings(seed("002")) == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_seed_003_free_form_headings() -> None:
    assert section_headings(seed("003")) == [
        "一、工作落实情况",
        "二、信息公开情况",
        "三、存在问题",
        "四、下步工作打算",
    ]


SIX = (
    "一、总体情况\n本机关坚持以公开为常态。\n二、主动公开政府信息情况\n"
    "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n本机关无其他需要报告的事项。"
)


@pytest.mark.parametrize(
    ("text", "version"),
    [
        # 〔2021〕30号 table wording decides, whatever the title says
        (
            "某局2022年政府信息公开工作年度报告\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "2021",
        ),
        ("某局2019年报告\n行政许可\t本年处理决定数量", "2021"),
        # 〔2019〕60号 trial wording
        (
            "某局2020年政府信息公开工作年度报告\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
            "2019",
        ),
        # tables published as images: the six sections plus the year in the title
        ("白云区档案局2023年政府信息公开工作年度报告\n" + SIX, "2021"),
        ("白云区档案局2020年政府信息公开工作年度报告\n" + SIX, "2019"),
        ("某街道2016年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况", "pre2019"),
        # attachment-only pages: the title's year
        (
            "广州市白云区财政局2019年政府信息公开工作年度报告\n现将年度报告全文予以公开，详见附件。",
            "2019",
        ),
        ("2021年泉州市鲤城区市场监督管理局政府信息公开工作年度报告\n详见附件。", "2021"),
        ("增城区政府信息公开指南\n一、公开范围\n二、公开方式", None),
        ("", None),
    ],
)
def test_template_from_wording_then_year(text: str, version: str | None) -> None:
    assert template_version(text) == version


def test_section_headings_skip_title_table_rows_and_sentences() -> None:
    text = (
        "一、某街道2019年政府信息公开工作年度报告\n"  # the title line, even if numbered
        "一、总体情况\n"
        "一是加强组织领导。\n"
        "一、本年新收政府信息公开申请数量\t0\t0\n"
        "二、主动公开政府信息情况。本年主动公开信息100条。\n"
        "三、收到和处理政府信息公开申请情况"
    )
    assert section_headings(text) == ["一、总体情况", "三、收到和处理政府信息公开申请情况"]
