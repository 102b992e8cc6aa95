"""clean_html on one saved page per portal theme (tests/fixtures/cleaning/, built from the five
seeds by build.py), with the portal's content selector and with the fallback alone.

Pairs: every chrome phrase of the theme is gone AND the report's sentences, headings and table
rows are there, in order; the whole text equals the seed's own text (expected.txt).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.cleaning import chrome_left, clean_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cleaning"


@dataclass(frozen=True)
class Case:
    selector: str
    title: str
    chrome: tuple[str, ...]  # text on the page that must not reach the cleaned text
    report: tuple[str, ...]  # the report's own lines, in reading order
    sections: tuple[str, ...]
    template: str


CASES = {
    "by_gov_cn": Case(
        "#zoomcon",
        "广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告",
        ("智能问答", "无障碍", "当前位置", "区政府信息公开年报", "发布时间:2019-02-14", "字体大小",
         "打印本页", "关闭窗口", "主办单位", "网站标识码", "粤ICP备05080238号", "公网安备", "NFCMS",
         "aria.start", "走进白云", "bookmark"),
        ("（2019年2月13日）", "一、概 述", "(一)落实2018年政务公开工作要点分工方案情况",
         "三、依申请公开政府信息情况", "本街道办事处2018年未收到信息公开申请。",
         "广州市白云区鹤龙街道办事处", "2019年2月13日", "公开方式：主动公开"),
        ("一、概 述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况",
         "四、政府信息公开收费情况", "五、申请行政复议和提起行政诉讼情况", "六、存在问题及改进措施"),
        "pre2019",
    ),
    "zc_gov_cn": Case(
        "#zoomcon",
        "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",
        ("长者助手", "无障碍", "来源: 本网", "2018-03-15", "字号", "分享", "相关附件", "相关新闻",
         "荔城街道办事处", "派潭镇", "走进增城", "主办单位", "网站标识码", "粤ICP备", "公网安备"),
        ("广州市增城区人民政府朱村街道办事处", "2018年3月", "一 概 述", "(一)进一步建立健全组织机构",
         "“非本机关政府信息”的1件,占总数的50%,主要是申请事项属于行政机关内部管理信息,"
         "根据《国务院办公厅关于做好政府信息依申请公开工作的意见》(国办发〔2010〕5号)第二条第二款"
         "规定,不属于《中华人民共和国政府信息公开条例》所指应公开的政府信息。",
         "六 存在的主要问题和改进措施"),
        ("一 概 述", "二 政府信息主动公开情况", "三 政府信息依申请公开情况", "四 政府信息公开收费情况",
         "五 因信息公开引起的行政复议和行政诉讼情况", "六 存在的主要问题和改进措施"),
        "pre2019",
    ),
    "haizhu_gov_cn": Case(
        "#zoomcon",
        "广州市海珠区人民政府官洲街道办事处2019年政府信息公开工作年度报告",
        ("您当前所在的位置", "政府信息公开年报 > 街道", "发布日期", "08:53:08", "分享到", "浏览量",
         "走进海珠", "网站标识码", "粤公网安备"),
        ("一、总体情况",
         "（二）机关内部公开。一是目标责任制公开。我街建立了街道党政班子成员考核制，每年实行一考核，"
         "将考核结果在机关干部大会上公开，并报告区委、区政府；二是廉洁自律情况公开。"
         "党政班子成员对照上级关于廉洁自律的有关规定，在民主生活会上进行自我剖析，"
         "将民主生活会情况通报街道机关各部门和各社区；年终接受干部职工考核评议，并将情况公开；"
         "三是街道、社区的财务收支公开。四是人事管理公开。街道选拔任免街道机关干部、居委会干部，"
         "按照干部人事制度，做到政策、程序、结果公开。在政务公开载体上，街道通过海珠公众信息网、"
         "网络微博、微信、信息公开栏等信息渠道，向干部、群众进行公开最新政务简报、政策等相关信息，"
         "使群众能够通过各种方式了解街道工作程序，既方便群众，又提高了办事效率。",
         "第二十条第（一）项",
         "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
         "政府集中采购\t21\t1700.35万元",
         "\t自然人\t法人或其他组织\t\t\t\t\t总计",
         "三、 本\t（一）予以公开\t0\t0\t0\t0\t0\t0",
         "行政复议\t\t\t\t\t行政诉讼",
         "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
         "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
         "2019 年，本单位认真贯彻落实国家、省、市关于政府信息公开工作的要求和部署，"
         "政府信息公开工作取得一定进步，但尚存在以下不足：",
         "官洲街道办事处", "2020年1月22日"),
        ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
         "六、其他需要报告的事项"),
        "2019",
    ),
    "qzlc_gov_cn": Case(
        ".TRS_Editor",
        "金龙街道办事处2017年政府信息公开工作年度报告",
        ("无障碍浏览", "繁體", "您现在的位置", "索 引 号", "QZ01308-3000-2018-00001", "备注/文号",
         "发布机构", "公文生成日期", "来源:鲤城区金龙街道办事处", "时间:2018-01-03", "打印本页",
         "关闭窗口", "扫一扫", "承办", "闽ICP备", "闽公网安备", "createPageHTML"),
        ("泉鲤金办〔2018〕1号", "签发人：孙刚涌",
         "金龙街道办事处 2017 年政府信息公开 工作年度报告",  # the report's own title line stays
         "引言", "一、概述", "(二)附表", "指标名称\t计量单位\t2017年度\t历年累计",
         "其中：1. 政府网站公开数\t条\t19\t214", "行政诉讼数\t件\t0\t0", "鲤城区人民政府金龙街道办事处",
         "2018年1月2日", "(此件主动公开)"),
        ("一、概述", "二、主动公开政府信息的情况", "三、政府信息依申请公开办理情况",
         "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
         "五、政府信息公开工作存在的主要问题及改进措施", "六、需要说明的其他事项与附表"),
        "pre2019",
    ),
    "qufu_gov_cn": Case(
        "<!--ZJEG_RSS.content.begin-->",
        "曲阜市鲁城街道办事处2017年度政府信息公开工作年度报告",
        ("当前位置", "发布日期", "信息来源", "浏览次数", "打印本页", "关闭窗口", "版权所有",
         "网站标识码", "鲁ICP备", "i_columnid", "bookmark", "曲阜市鲁城街道办事处2017年度\n"),
        ("一、工作落实情况",
         "1、加强领导，落实责任。街道成立了街道政府信息公开工作领导小组。按照“谁公开、谁审核、"
         "谁负责”的工作原则，制定工作任务分解方案和进度安排，落实工作职责。",
         "二、信息公开情况", "三、存在问题", "四、下步工作打算"),
        ("一、工作落实情况", "二、信息公开情况", "三、存在问题", "四、下步工作打算"),
        "pre2019",
    ),
}  # fmt: skip

MODES = ("selector", "fallback")


def clean(portal: str, mode: str):  # the spider passes its title; the fallback reads the page's
    case = CASES[portal]
    html = (FIXTURES / f"{portal}.html").read_bytes()
    if mode == "selector":
        return clean_html(
            html, url=f"https://{portal}/", content_selector=case.selector, title=case.title
        )
    return clean_html(html)


def expected(portal: str) -> str:
    return (FIXTURES / f"{portal}.expected.txt").read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("portal", CASES)
def test_text_is_the_report_exactly(portal: str, mode: str) -> None:
    cleaned = clean(portal, mode)
    assert cleaned.method == mode
    assert cleaned.text == expected(portal)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("portal", CASES)
def test_chrome_gone_and_report_lines_present_in_order(portal: str, mode: str) -> None:
    case, text = CASES[portal], clean(portal, mode).text
    assert [c for c in case.chrome if c in text] == []
    assert chrome_left(text) == []
    lines = text.split("\n")
    positions = [lines.index(line) for line in case.report]
    assert positions == sorted(positions)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("portal", CASES)
def test_title_once_sections_and_template(portal: str, mode: str) -> None:
    case, cleaned = CASES[portal], clean(portal, mode)
    assert cleaned.text.split("\n")[0] == case.title
    assert cleaned.text.count(case.title) == 1
    assert cleaned.sections == list(case.sections)
    assert cleaned.template_version == case.template


def test_selector_that_matches_nothing_falls_back() -> None:
    html = (FIXTURES / "zc_gov_cn.html").read_bytes()
    cleaned = clean_html(html, content_selector="#no-such-id", title=CASES["zc_gov_cn"].title)
    assert cleaned.method == "fallback"
    assert cleaned.text == expected("zc_gov_cn")


def test_title_missing_from_page_and_body_still_starts_the_text() -> None:
    body = "<html><body><div id='c'><p>一、总体情况</p><p>2023年，本机关主动公开政府信息12条。</p></div></body></html>"
    cleaned = clean_html(body, content_selector="#c", title="某街道2023年政府信息公开工作年度报告")
    assert (
        cleaned.text
        == "某街道2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本机关主动公开政府信息12条。"
    )
