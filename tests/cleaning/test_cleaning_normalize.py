"""normalize_text on the five real seeds and on pdftotext-style page furniture.

Pairs: the artifact is gone AND the report's own text is there, on its own line, in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.cleaning import normalize_text
from crawler.cleaning.chrome import strip_chrome

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "cleaning" / "seeds"


def seed(key: str) -> list[str]:
    text = next(SEEDS.glob(f"{key}_*.txt")).read_text(encoding="utf-8")
    return normalize_text(text).split("\n")


def in_order(lines: list[str], wanted: list[str]) -> bool:
    positions = [lines.index(w) for w in wanted]
    return positions == sorted(positions)


def test_seed_000_bookmark_gone_heading_on_its_own_line() -> None:
    lines = seed("000")
    assert not any("bookmark" in x for x in lines)
    assert in_order(
        lines,
        [
            "广州市白云区人民政府鹤龙街道办事处",
            "2018年政府信息公开工作年度报告",
            "（2019年2月13日）",
            "一、概 述",  # two spaces in the conversion, one here
            "二、主动公开政府信息情况",
            "三、依申请公开政府信息情况",
            "本街道办事处2018年未收到信息公开申请。",
            "广州市白云区鹤龙街道办事处",  # the signature, indented in the seed
            "2019年2月13日",
            "公开方式：主动公开",
        ],
    )
    assert len(lines) == 39
    assert all(x == x.strip() and x for x in lines)


def test_seed_001_page_text_chrome_stripped_report_kept() -> None:
    lines = strip_chrome(seed("001"))
    for chrome in (
        "• 长者助手",
        "• 无障碍",
        "2018-03-15 来源: 本网",
        "【字号: 分享",
        "相关附件",
        "相关新闻",
    ):
        assert chrome not in lines
    assert lines[:4] == [
        "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",
        "广州市增城区人民政府朱村街道办事处",
        "2018年3月",
        lines[3],
    ]
    assert lines[3].startswith("本报告是根据《中华人民共和国政府信息公开条例》的规定,")
    assert lines[-1].startswith("四是不断完善信息公开保密审查机制,强化保密意识。")
    assert lines[-1].endswith("营造信息公开的绿色环境。")
    assert "一 概 述" in lines and "六 存在的主要问题和改进措施" in lines


def test_seed_002_paragraphs_cut_by_page_breaks_are_glued() -> None:
    lines = seed("002")
    joined = [x for x in lines if "我街建立了街道党政班子成员考核制，每年实行一考核" in x]
    assert len(joined) == 1 and joined[0].startswith("（二）机关内部公开。一是目标责任制公开。")
    assert not any(x.startswith("道党政班子成员考核制") for x in lines)
    assert (
        "2019 年，本单位认真贯彻落实国家、省、市关于政府信息公开工作的要求和部署，"
        "政府信息公开工作取得一定进步，但尚存在以下不足："
    ) in lines
    assert not any(x.startswith("公开工作的要求和部署") for x in lines)


def test_seed_002_tables_stay_rows_with_tabs() -> None:
    lines = seed("002")
    assert in_order(
        lines,
        [
            "二、主动公开政府信息情况",
            "第二十条第（一）项",  # trailing empty cells dropped
            "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
            "规章\t0\t0\t0",
            "政府集中采购\t21\t1700.35万元",
            "三、收到和处理政府信息公开申请情况",
            "\t自然人\t法人或其他组织\t\t\t\t\t总计",  # leading empty cell kept
            "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            "四、政府信息公开行政复议、行政诉讼情况",
            "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        ],
    )
    # a table row cut by the page break stays two rows: cells are not sentences
    assert "\t（二）部分公开（区分处理的，只计这一情形，不\t0\t0\t0\t0\t0\t0" in lines


def test_seed_003_bookmark_gone_sentence_kept() -> None:
    lines = seed("003")
    assert lines[0:3] == [
        "曲阜市鲁城街道办事处2017年度",
        "政府信息公开工作年度报告",
        lines[2],
    ]
    assert lines[2].startswith(
        "为认真贯彻落实《中华人民共和国政府信息公开条例》《山东省政府信息公开办法》"
    )
    assert "一、工作落实情况" in lines  # trailing spaces of the conversion gone
    assert not any("bookmark" in x for x in lines)


def test_seed_004_markdown_bold_flattened_and_page_breaks_glued() -> None:
    lines = seed("004")
    assert not any("**" in x for x in lines)
    assert any(
        "主动自觉地接受群众和社会监督。二要强化监督检查。加强对各科室（单位）信息报送" in x
        for x in lines
    )
    assert any("对街道办事处2017年政务公开工作和政府信息公开工作进行研究部署" in x for x in lines)
    assert any("及时发布和更新依法应主动公开的政务信息" in x for x in lines)
    assert in_order(
        lines,
        [
            "泉鲤金办〔2018〕1号",
            "签发人：孙刚涌",
            "金龙街道办事处 2017 年政府信息公开 工作年度报告",
            "引言",
            "指标名称\t计量单位\t2017年度\t历年累计",
            "其中：1. 政府网站公开数\t条\t19\t214",
            "行政诉讼数\t件\t0\t0",
            "(此件主动公开)",
        ],
    )


PDFTOTEXT = (
    "泉州市鲤城区金龙街道办事处文件\n"
    "金龙街道办事处2023年政府信息公开工作年度报告\n"
    "一、总体情况\n"
    "2023年，金龙街道认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常\n"
    "态、不公开为例外，推进决策、执行、管理、服务、结果公开。\n"
    "- 1 -\n"
    "\f泉州市鲤城区金龙街道办事处文件\n"
    "（一）主动公开。全年通过区政府门户网站主动公开政府信息 156 条，其中\n"
    "\n"
    "2\n"
    "\f泉州市鲤城区金龙街道办事处文件\n"
    "工作动态 98 条。\n"
    "二、主动公开政府信息情况\n"
    "第 3 页 共 3 页\n"
)


def test_page_numbers_and_running_headers_go_wrapped_lines_join() -> None:
    assert normalize_text(PDFTOTEXT).split("\n") == [
        "金龙街道办事处2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，金龙街道认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常"
        "态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
        "（一）主动公开。全年通过区政府门户网站主动公开政府信息 156 条，其中工作动态 98 条。",
        "二、主动公开政府信息情况",
    ]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("一、概\u3000\u3000述", "一、概 述"),  # ideographic spaces
        ("\u3000\u3000根据《条例》规定，现将报告如下：", "根据《条例》规定，现将报告如下："),
        ("本单位&nbsp;&nbsp;&nbsp;2019年", "本单位 2019年"),  # entity left in JSON content
        (
            '<span style="font-family:仿宋">主动公开</span><font size="4">政府信息</font>',
            "主动公开政府信息",
        ),
        ("政府\u200b信息\ufeff公开", "政府信息公开"),  # zero-width characters
        ("规章\u00a0\t 0 \t0\t\t", "规章\t0\t0"),  # cells trimmed, trailing empties dropped
    ],
)
def test_character_level_cleanup(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_heading_is_never_glued_to_the_next_line() -> None:
    text = (
        "四、政府信息公开收费情况\n根据国家部委有关规定，自2017年4月1日起，依申请公开不收取费用。"
    )
    assert normalize_text(text).split("\n") == text.split("\n")


def test_title_lines_are_not_glued() -> None:
    text = "广州市海珠区人民政府官洲街道办事处2019年 政府信息公开工作年度报告\n\n（2020年1月22日）"
    assert normalize_text(text).split("\n") == [
        "广州市海珠区人民政府官洲街道办事处2019年 政府信息公开工作年度报告",
        "（2020年1月22日）",
    ]
