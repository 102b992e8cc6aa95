"""DOM -> lines: tables with merged cells, editor soup, hidden and layout elements, encodings."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.cleaning import clean_html
from crawler.cleaning.encoding import decode_html
from crawler.cleaning.html import element_lines

TITLE = "广州市海珠区人民政府官洲街道办事处2019年政府信息公开工作年度报告"


def lines_of(fragment: str) -> list[str]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [line.text for line in element_lines(root)]


def body(fragment: str) -> list[str]:
    """The cleaned lines after the title, for a page whose #zoomcon holds ``fragment``."""
    page = f"<html><body><div id='zoomcon'>{fragment}</div></body></html>"
    return clean_html(page, content_selector="#zoomcon", title=TITLE).text.split("\n")[1:]


def test_table_merged_cells_appear_once_at_their_first_position() -> None:
    table = (
        "<table><tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
        "<tr><td rowspan='2'>结果维持</td><td rowspan='2'>结果纠正</td><td rowspan='2'>其他结果</td>"
        "<td rowspan='2'>尚未审结</td><td rowspan='2'>总计</td><td colspan='5'>未经复议直接起诉</td>"
        "<td colspan='5'>复议后起诉</td></tr>"
        "<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
        "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>"
        "<tr>" + "<td>0</td>" * 15 + "</tr></table>"
    )
    assert lines_of(table) == [
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
        "\t".join(["0"] * 15),
    ]


def test_table_rowspan_in_the_middle_and_a_title_row_spanning_the_table() -> None:
    table = (
        "<table><caption>表3 收到和处理政府信息公开申请情况</caption>"
        "<tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td rowspan='3'>三、本年度办理结果</td><td>（一）予以公开</td><td>2</td><td>0</td></tr>"
        "<tr><td>（二）部分公开</td><td>0</td><td>1</td></tr>"
        "<tr><td><p>（三）不予</p><p>公开</p></td><td>0</td><td>0</td></tr>"
        "<tr><td>&nbsp;</td><td></td></tr></table>"
    )
    assert lines_of(table) == [
        "表3 收到和处理政府信息公开申请情况",
        "第二十条第（一）项",
        "三、本年度办理结果\t（一）予以公开\t2\t0",
        "\t（二）部分公开\t0\t1",
        "\t（三）不予公开\t0\t0",  # a cell's two <p> are one value
    ]


def test_layout_table_is_read_as_blocks_not_rows() -> None:
    page = (
        "<table width='100%'><tr><td><p>一、总体情况</p><p>2019年，本单位认真贯彻执行《条例》。</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>"
    )
    assert lines_of(page) == ["一、总体情况", "2019年，本单位认真贯彻执行《条例》。", "规章\t0"]


def test_editor_soup_nbsp_fullwidth_indent_br_and_source_wraps() -> None:
    fragment = (
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;<span style='font-family:仿宋_GB2312'>2019年，在区委、区政府的"
        "</span><font face='仿宋' size='4'>正确领导下，</font><b>本单位</b>认真贯彻执行。</p>"
        "<p>\u3000\u3000（一）社会公开。为使政务公开工作落到实处，\n街道从群众普遍关心的问题入手。</p>"
        "<p>联系电话：020-84231234<br>地址：广州市海珠区<br/><br/>官洲路1号</p>"
        "<p>网址 http://www.haizhu.gov.cn/\nzwgk/ 可查阅</p>"
    )
    assert body(fragment) == [
        "2019年，在区委、区政府的正确领导下，本单位认真贯彻执行。",
        "（一）社会公开。为使政务公开工作落到实处，街道从群众普遍关心的问题入手。",
        "联系电话：020-84231234",
        "地址：广州市海珠区",
        "官洲路1号",
        "网址 http://www.haizhu.gov.cn/ zwgk/ 可查阅",
    ]


def test_hidden_elements_scripts_and_share_widgets_are_pruned() -> None:
    fragment = (
        "<p>一、总体情况</p><div style='display:none'>隐藏的统计代码文字</div>"
        "<script>document.write('访问量')</script><div class='bdsharebuttonbox'>分享到：微信 微博</div>"
        "<p hidden>备用文字</p><p>本年度无需要说明的事项。</p>"
    )
    assert body(fragment) == ["一、总体情况", "本年度无需要说明的事项。"]


def test_word_page_break_glues_the_cut_paragraph_only() -> None:
    fragment = (
        "<p>（二）机关内部公开。一是目标责任制公开。我街建立了街</p>"
        "<br clear='all' style='page-break-before:always'>"
        "<p>&nbsp;</p><p>道党政班子成员考核制，每年实行一考核。</p>"
        "<p>二、主动公开政府信息情况</p><p style='page-break-before:always'>三、收到和处理政府信息公开申请情况</p>"
    )
    assert body(fragment) == [
        "（二）机关内部公开。一是目标责任制公开。我街建立了街道党政班子成员考核制，每年实行一考核。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_title_repeated_at_the_top_of_the_body_is_dropped_once_kept_inside() -> None:
    fragment = (
        "<p>广州市海珠区人民政府官洲街道办事处</p><p>2019年 政府信息公开工作年度报告</p>"
        f"<p>{TITLE}</p><p>一、总体情况</p><p>本单位认真贯彻执行《条例》。</p>"
    )
    assert body(fragment) == ["一、总体情况", "本单位认真贯彻执行《条例》。"]


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "gb18030"])
def test_gbk_page_decoded_as_gb18030_from_its_meta(declared: str) -> None:
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={declared}">'
        "</head><body><div id='c'><p>朱镕基同志视察时强调依法公开。</p></div></body></html>"
    )
    raw = page.encode("gb18030")  # 镕 is outside GB2312: only gb18030 decodes it
    assert decode_html(raw) == page
    assert clean_html(raw, content_selector="#c", title="某街道2011年报告").text == (
        "某街道2011年报告\n朱镕基同志视察时强调依法公开。"
    )


def test_utf8_bytes_win_over_a_wrong_charset_header() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>政府信息公开</p></body></html>'
    assert decode_html(page.encode("utf-8"), "gbk") == page


def test_gbk_bytes_with_a_wrong_utf8_header_follow_the_meta() -> None:
    page = '<html><head><meta charset="gbk"></head><body><p>依申请公开</p></body></html>'
    assert decode_html(page.encode("gbk"), "utf-8") == page


def test_truncated_utf8_page_stays_utf8() -> None:
    page = "<html><body><p>主动公开政府信息情况</p><p>本年度新收申请".encode()
    assert decode_html(page[:-1]).startswith("<html><body><p>主动公开政府信息情况</p>")


def test_title_read_from_the_page_not_from_the_logo_heading() -> None:
    page = (
        "<html><head><title>官洲街道2019年政府信息公开工作年度报告 - 广州市海珠区人民政府门户网站</title>"
        '<meta name="ArticleTitle" content=""></head><body>'
        "<h1 class='logo'><a href='/'>广州市海珠区人民政府门户网站</a></h1>"
        "<div class='hz-title'>官洲街道2019年政府信息公开工作年度报告</div>"
        "<div class='hz-body'><p>一、总体情况</p><p>本单位认真贯彻执行《条例》，主动公开政府信息。</p></div>"
        "</body></html>"
    )
    assert clean_html(page).text.split("\n") == [
        "官洲街道2019年政府信息公开工作年度报告",
        "一、总体情况",
        "本单位认真贯彻执行《条例》，主动公开政府信息。",
    ]
    no_heading = page.replace(
        "<div class='hz-title'>官洲街道2019年政府信息公开工作年度报告</div>", ""
    )
    assert clean_html(no_heading).text.split("\n")[0] == "官洲街道2019年政府信息公开工作年度报告"


def test_unclosed_font_soup_deeper_than_the_parser_limit_loses_nothing() -> None:
    paragraph = "<font face='仿宋'>主动公开" * 3000 + "政府信息。"  # 3000 unclosed <font>
    page = (
        f"<html><body><div id='zoomcon'><p>一、总体情况</p><p>{paragraph}</p></div></body></html>"
    )
    text = clean_html(page, content_selector="#zoomcon", title=TITLE).text
    assert text == f"{TITLE}\n一、总体情况\n{'主动公开' * 3000}政府信息。"
