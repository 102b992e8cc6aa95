"""The chrome lexicon: whole chrome lines match, report sentences using the same words do not."""

from __future__ import annotations

import pytest

from crawler.cleaning import CHROME_PHRASES, chrome_left
from crawler.cleaning.chrome import strip_chrome

# Chrome lines as docs/portals.md and seed 001 record them, with the lexicon entry each must hit.
CHROME_LINES = [
    ("• 长者助手", "长者助手"),
    ("• 无障碍", "无障碍"),
    ("网站支持IPv6 无障碍浏览|长者助手|登录", "长者助手"),
    ("智能问答", "智能问答"),
    ("【字号: 分享", "【字号：大 中 小】"),
    ("【字号：大 中 小】", "【字号：大 中 小】"),
    ("浏览字体:【[大] [中] [小]打印 关闭", "【字号：大 中 小】"),
    ("分享到:", "分享"),
    ("【打印本页】 【关闭窗口】", "打印"),
    ("关闭", "关闭"),
    ("当前位置: 首页 > 政务公开 > 区政府信息公开年报 > 镇街", "当前位置"),
    ("您当前所在的位置: 首页 > 政务公开 > 政府信息公开年报 > 街道", "当前位置"),
    ("首页 > 政务公开 > 政府信息公开年报", "首页 > 面包屑"),
    ("发布时间:2022-01-24 来源:棠景街 字体大小:", "字体大小"),
    ("发布日期:2019-02-01 08:53:08 来源:本网", "发布时间 来源"),
    ("时间:2026-02-03 11:48", "发布时间 来源"),
    ("2018-03-15 来源: 本网", "日期 来源"),
    ("2026-03-21增江街道办事处", "日期行"),
    ("2019-02-01 08:53:08", "日期行"),
    ("来源:鲤城区科技局 时间:2023-01-10 09:04", "来源 时间"),
    ("来源:珠江街发布日期:2021-01-22 【浏览字号:-", "来源 时间"),
    ("浏览量:-", "浏览量"),
    ("相关附件", "相关附件 / 相关新闻"),
    ("相关新闻", "相关附件 / 相关新闻"),
    ("上一篇：2016年政府信息公开工作年度报告", "上一篇 / 下一篇"),
    ("主办单位：广州市增城区人民政府办公室 承办单位：广州市增城区政务服务数据管理局", "主办单位"),
    ("广州市增城区人民政府 版权所有", "主办单位"),
    ("网站标识码：4401180001", "网站标识码"),
    ("粤ICP备05080468号", "ICP备"),
    ("粤公网安备 44011802000110号", "公网安备"),
    ("建议使用IE9以上浏览器或谷歌浏览器，1366×768分辨率浏览", "建议使用浏览器"),
    ("索 引 号:QZ01304-3000-2023-00001", "索引号"),
    ("索引号：\tQZ01308-3000-2018-00001\t备注/文号：\t泉鲤金办〔2018〕1号", "索引号"),
    ("备注/文号:泉鲤政科〔2023〕1号", "备注/文号 发布机构 公文生成日期"),
    ("发布机构:泉州市鲤城区科学技术局", "备注/文号 发布机构 公文生成日期"),
    ("公文生成日期:2023-01-10", "备注/文号 发布机构 公文生成日期"),
    ("分类：\t政府信息公开年报", "备注/文号 发布机构 公文生成日期"),  # gkmlpt info table
    ("名称：\t2020年广州市白云区教育局政府信息公开工作年度报告", "备注/文号 发布机构 公文生成日期"),
    ("文号：", "备注/文号 发布机构 公文生成日期"),
    ("var NFCMS_SITE_ID = '755047';", "script"),
]

# Report sentences that share words with chrome; none may be taken for chrome.
REPORT_LINES = [
    "推进政府网站无障碍浏览和适老化改造，方便老年人、残疾人获取政府信息。",
    "二是通过政府门户网站、微信及时主动发布信息，方便群众分享和转发。",
    "为群众提供免费打印、复印政府信息服务。",
    "关闭了3个长期未更新的政务新媒体账号。",
    "由于发布时间紧，导致内容以短小见到为主，不能充分满足知情需求。",
    "信息来源以区政府门户网站为主。",
    "（四）政府信息公开的收费及减免情况",
    "本年度相关新闻发布会共召开4场。",
    "主办了政务公开日活动2次。",
    "公开方式：主动公开",  # seed 000 ends with it: the report's own line
    "泉鲤金办〔2018〕1号",
    "签发人：孙刚涌",
    "中",
    "行政许可\t1\t0\t0",
    "2020年1月22日",
    "统计数据时限由2017年1月1日至12月31日。",
]


@pytest.mark.parametrize(("line", "name"), CHROME_LINES)
def test_chrome_line_matches_its_entry(line: str, name: str) -> None:
    assert chrome_left(line) == [name]


@pytest.mark.parametrize("line", REPORT_LINES)
def test_report_line_is_not_chrome(line: str) -> None:
    assert chrome_left(line) == []


def test_lexicon_entries_are_documented() -> None:
    assert len(CHROME_PHRASES) == 27
    assert all(p.name and p.seen for p in CHROME_PHRASES)
    # two shapes of the font-size toolbar share the name 【字号：大 中 小】
    assert len({p.name for p in CHROME_PHRASES}) == 26


def test_strip_chrome_cuts_the_related_lists_after_the_report() -> None:
    lines = [
        "四是不断完善信息公开保密审查机制，强化保密意识。",
        "相关附件",
        "相关新闻",
        "2017年广州市增城区人民政府荔城街道办事处政府信息公开工作年度报告",
        "2017年广州市增城区人民政府派潭镇人民政府政府信息公开工作年度报告",
    ]
    assert strip_chrome(lines) == ["四是不断完善信息公开保密审查机制，强化保密意识。"]


def test_strip_chrome_keeps_the_report_after_a_sidebar_list() -> None:
    lines = [
        "相关新闻",
        "2017年荔城街道办事处政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，本街道认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息528条。",
        "二、主动公开政府信息情况",
    ]
    assert strip_chrome(lines) == lines[1:]
