"""crawler.cms.trs on small hand-written TRS pages (docs/portals.md §5): createPageHTML paging,
unit directories, the title filter, and where dates and units come from (page labels, meta tags,
title, URL)."""

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.cms.trs import TrsMixin, forwarded_title, url_date
from crawler.fields import is_report_title
from crawler.portal import PortalSpider
from tests.helpers import project_crawler

COLUMN = "https://www.example.gov.cn/zwgk/zj/abjd/nb/"
DETAIL = COLUMN + "202401/t20240122_2996819.htm"


class TinyTrsSpider(TrsMixin, PortalSpider):  # declared like a portal file (spiders/*)
    name = "tiny_trs"
    portal_name = "泉州市鲤城区"
    allowed_domains = ["example.gov.cn"]  # noqa: RUF012
    start_urls = [COLUMN]  # noqa: RUF012
    city, district = "泉州市", "鲤城区"
    content_selector = ".TRS_Editor"
    title_selector = "h1"


@pytest.fixture
def spider() -> TinyTrsSpider:
    return project_crawler(TinyTrsSpider).spider


def page(body: str, url: str = COLUMN, head: str = "") -> HtmlResponse:
    html = f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=Request(url))


def meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{content}">'


@pytest.mark.parametrize(
    ("script", "url", "expected"),
    [
        ('createPageHTML(3, 0, "index", "htm");', COLUMN, COLUMN + "index_1.htm"),
        ('createPageHTML(3, 1, "index", "htm");', COLUMN + "index_1.htm", COLUMN + "index_2.htm"),
        ('createPageHTML(3, 2, "index", "htm");', COLUMN + "index_2.htm", None),
        ('createPageHTML(1, 0, "index", "htm");', COLUMN, None),
        (
            "createPageHTML( 12 ,4,'index','shtml')",
            COLUMN + "index_4.shtml",
            COLUMN + "index_5.shtml",
        ),
    ],
)
def test_next_page_comes_from_the_create_page_html_call(spider, script, url, expected) -> None:
    definition = "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}"
    response = page(f"<script>{definition}</script><div><script>{script}</script></div>", url)
    assert spider.next_page(response) == expected


def test_without_the_script_a_static_next_link_still_works(spider) -> None:
    response = page('<a href="index_1.htm">下一页</a>')
    assert spider.next_page(response) == COLUMN + "index_1.htm"
    assert spider.next_page(page("<p>暂无信息</p>")) is None


def test_every_folder_directly_under_a_unit_directory_is_a_unit_walked_for_its_columns(
    spider,
) -> None:
    links = (
        '<a href="./swj/">鲤城区商务局</a><a href="./kjj/index.htm">鲤城区科学技术局</a>'
        '<a href="/zwgk/bm/swj/#top">again</a><a href="./swj/nb/">政府信息公开年度报告</a>'
        '<a href="/zwgk/">政务公开</a><a href="https://www.other.gov.cn/zwgk/bm/x/">elsewhere</a>'
        '<a href="./index.htm">itself</a><a href="javascript:void(0)">js</a>'
    )
    response = page(links, "https://www.example.gov.cn/zwgk/bm/")
    response.meta.update({"depth": 4, "via": "部门信息公开"})  # at the depth limit
    requests = list(spider.discover(response))
    assert [(r.url, r.callback.__name__, r.meta.get("depth")) for r in requests] == [
        ("https://www.example.gov.cn/zwgk/bm/swj/", "parse_channel", 4),  # a unit: no hop
        ("https://www.example.gov.cn/zwgk/bm/kjj/index.htm", "parse_channel", 4),
        ("https://www.example.gov.cn/zwgk/bm/swj/nb/", "parse_column", None),  # any depth
    ]  # 政务公开 is one hop too deep; other sites are never walked


@pytest.mark.parametrize(
    ("title", "is_report"),
    [
        ("泉州市鲤城区人民政府2025年政府信息公开工作年度报告", True),
        ("金龙街道办事处2017年政府信息公开工作年度报告", True),
        ("泉州市鲤城区统计局2019年政府信息公开年度报告", True),
        ("泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知", True),
        ("鲤城区人民政府办公室关于印发鲤城区2020年政府信息公开工作年度报告的通知", True),
        ("泉州市鲤城区人民政府办公室关于做好2017年政务公开工作要点落实情况自查及政府信息公开工作年度报告编制发布有关事项的通知", False),
        ("泉州市鲤城区人民政府办公室关于报送2021年度政府信息公开工作年度报告的通知", False),
        ("鲤城区2022年政府信息公开工作年度报表", False),
        ("泉州市鲤城区人民政府政府信息公开指南", False),
        ("泉州市鲤城区人民政府办公室关于印发鲤城区2024年政务公开工作要点的通知", False),
    ],
)  # fmt: skip
def test_title_filter_keeps_reports_and_forwarding_notices_only(title, is_report) -> None:
    assert is_report_title(title) is is_report


def test_forwarded_title_and_url_date() -> None:
    assert forwarded_title(
        "泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知"
    ) == ("泉州市鲤城区人民政府2023年政府信息公开工作年度报告")
    assert forwarded_title("泉州市鲤城区人民政府2023年政府信息公开工作年度报告") is None
    assert url_date(DETAIL) == "2024-01-22"
    assert url_date(COLUMN + "202401/P020240122847466123872.pdf") is None


def test_date_prefers_pub_date_then_the_time_label_then_the_url(spider) -> None:
    label = "<div>来源:鲤城区商务局 时间:2024-01-21 17:30</div>"
    with_meta = page(label, DETAIL, meta("PubDate", "2024-01-20 08:00:05"))
    assert spider.page_date(with_meta) == "2024-01-20T08:00:05"
    assert spider.page_date(page(label, DETAIL)) == "2024-01-21T17:30"
    assert spider.page_date(page("<div>来源:本站</div>", DETAIL)) == "2024-01-22"


def test_unit_prefers_the_forwarded_report_then_publisher_then_source_then_title(spider) -> None:
    info = "<table><tr><td>发布机构:</td><td>泉州市鲤城区科学技术局</td></tr></table>"
    source = "<div>来源:鲤城区科技局 时间:2023-01-10 09:04</div>"
    assert spider.page_unit(page(info + source, DETAIL)) == "鲤城区科学技术局"
    assert spider.page_unit(page(source, DETAIL)) == "鲤城区科技局"
    titled = "<h1>泉州市鲤城区人民政府开元街道办事处2015年政府信息公开年度报告</h1>"
    assert spider.page_unit(page(titled + "<div>来源:本站</div>", DETAIL)) is None
    forwarded = (
        "<h1>泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》"
        "的通知</h1><td>发布机构:</td><td>泉州市鲤城区人民政府办公室</td>"
    )
    assert spider.page_unit(page(forwarded, DETAIL)) == "鲤城区人民政府"
