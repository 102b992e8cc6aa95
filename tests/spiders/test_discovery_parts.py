"""The pure parts of discovery: what a link's name and URL say (crawler/discovery.py), what a list
page says about itself (crawler/listing.py), gkmlpt's config and API (crawler/cms/gkmlpt.py),
and how the run's health shows it (crawler/health.py, crawler/summary.py).
Names and URLs are the real ones docs/portals.md quotes (section in each case)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parsel import Selector
from scrapy.settings import Settings

from crawler import discovery, listing
from crawler.cms import gkmlpt
from crawler.health import History, assess
from crawler.summary import portal_lines


@pytest.mark.parametrize(
    ("name", "is_column"),
    [
        ("区政府信息公开年报", True),  # §2
        ("政府信息公开工作年报", True),  # §3
        ("政府信息公开年度报告", True),  # §5 breadcrumb
        ("区政府部门年度报告", True),
        ("政府信息\n公开年报", True),  # the real pingtan nav, split by <br>
        ("年报", True),
        ("政府信息公开工作年度报告", True),
        ("统计年报", False),
        ("政府网站年度报表", False),
        ("政府网站工作年报", False),
        ("法治政府建设年度报告", False),
        ("政府工作报告", False),
        ("政府信息公开指南", False),
        ("企业年度报告公示", False),
        ("广州市白云区人民政府2022年政府信息公开年度报告", False),  # a post's title
        ("", False),
    ],
)
def test_report_column_names(name: str, is_column: bool) -> None:
    assert discovery.names_report_column(name) is is_column


@pytest.mark.parametrize(
    ("url", "has_slug"),
    [
        ("https://www.by.gov.cn/zwgk/qzfxxgknb/bm/", True),  # §2
        ("https://www.by.gov.cn/gzjg/qwbgs/zfxxgkgzndbg/", True),  # §2
        ("http://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/", True),  # §3
        ("https://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/", True),  # §4
        ("https://www.qzlc.gov.cn/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/", True),  # §5
        ("https://www.qzlc.gov.cn/zwgk/bm/swj/nb/", True),  # §5
        ("https://www.lw.gov.cn/zwgk/bmxxgkndbg/", True),  # §0.3
        ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm", True),  # §10.1
        ("https://www.gzns.gov.cn/zwgk/xxgknb/gzj/2020/", True),  # §4 Nansha
        ("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgkzn/", False),  # 指南
        ("https://www.qzlc.gov.cn/zwgk/bm/swj/lcqzfxxgkml/30yzdgkdqtzfxx/", False),
        ("http://www.qufu.gov.cn/col/col15260/index.html", False),
    ],
)
def test_report_column_slugs(url: str, has_slug: bool) -> None:
    assert discovery.report_slug_in(url) is has_slug


def directory(url: str, items: list[tuple[str, str]]) -> list[discovery.Link]:
    """The links of a channel page: the breadcrumb back to itself, then its sub-channels."""
    html = '<a href="/">首页</a><a href="./">本栏目</a>' + "".join(
        f'<a href="{href}">{name}</a>' for name, href in items
    )
    return discovery.page_links(html, url)


def test_unit_directories_by_their_structure_wherever_they_sit() -> None:
    """§5: `/zwgk/qzbm/` (区直部门) is a directory of units as `bm/` and `zj/` are, by what it
    lists, not by its slug; §2: `/gzjg/` (工作机构) lists units named 区委办公室, 区统计局."""
    qzbm = "https://www.qzlc.gov.cn/zwgk/qzbm/"
    units = [("鲤城区司法局", "./sfjb/"), ("鲤城区农业农村和水利局", "./nlsj/")]
    assert discovery.lists_units(directory(qzbm, units), qzbm)
    gzjg = "https://www.by.gov.cn/gzjg/index.html"
    assert discovery.lists_units(
        directory(gzjg, [("区委办公室", "qwbgs/"), ("区统计局", "qtjj/"), ("机构设置", "jgsz/")]),
        gzjg,
    )
    anywhere = "https://www.x.gov.cn/a/b/c/"
    streets = [("开元街道办事处", "./ky/"), ("浮桥街道", "./fq/"), ("江南镇", "./jn/")]
    assert discovery.lists_units(directory(anywhere, streets), anywhere)
    # a channel of channels, a unit's own folder, and units that are not below the page
    zwgk = "https://www.qzlc.gov.cn/zwgk/"
    channels = [
        ("部门信息公开", "./bm/"),
        ("镇街信息公开", "./zj/"),
        ("区直部门信息公开", "./qzbm/"),
    ]
    assert not discovery.lists_units(directory(zwgk, channels), zwgk)
    nlsj = qzbm + "nlsj/"
    assert not discovery.lists_units(directory(nlsj, [("规划总结", "./ghzj/")]), nlsj)
    assert not discovery.lists_units(
        directory(zwgk, [("鲤城区商务局", "/zwgk/bm/swj/"), ("鲤城区统计局", "/zwgk/bm/tjj/")]),
        zwgk,
    )
    mostly_not = [("鲤城区商务局", "./swj/"), ("通知公告", "./tzgg/"), ("政策解读", "./zcjd/")]
    assert not discovery.lists_units(directory(zwgk, mostly_not), zwgk)
    # named as a directory of units (a page whose units are not folders below it)
    assert discovery.is_unit_directory("https://www.x.gov.cn/a/b/", "镇街信息公开")
    assert discovery.is_unit_directory(qzbm, "区直部门信息公开")
    assert not discovery.is_unit_directory(qzbm)  # a slug says nothing
    assert not discovery.is_unit_directory(zwgk, "政务公开")
    base = "https://www.qzlc.gov.cn/zwgk/bm/"
    assert discovery.child_folder(base + "swj/", base)
    assert discovery.child_folder(base + "swj/index.htm", base)
    assert not discovery.child_folder(base + "swj/nb/", base)
    assert not discovery.child_folder(base + "index_1.htm", base)
    assert not discovery.child_folder("https://www.other.gov.cn/zwgk/bm/swj/", base)


@pytest.mark.parametrize(
    ("name", "channel", "unit"),
    [
        ("政务公开", True, False),
        ("信息公开", True, False),
        ("政府信息公开目录", True, False),
        ("工作机构", True, False),
        ("部门信息公开", True, False),
        ("政府信息公开指南", False, False),
        ("依申请公开", False, False),
        ("政务服务", False, False),
        ("新闻中心", False, False),
        ("鲤城区商务局", False, True),
        ("金龙街道", True, True),  # 街道 is both a channel word and a unit
        ("区委办公室", False, True),
        ("首页", False, False),
    ],
)
def test_channel_and_unit_names(name: str, channel: bool, unit: bool) -> None:
    assert (discovery.names_channel(name), discovery.names_unit(name)) == (channel, unit)


def test_breadcrumbs_as_the_portals_print_them() -> None:
    by = Selector(
        text='<div class="position">当前位置: <a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>'
        ' &gt; <a href="/zwgk/qzfxxgknb/">区政府信息公开年报</a> &gt; <a>镇街</a></div>'
    )
    assert discovery.breadcrumb(by) == "当前位置:首页>政务公开>区政府信息公开年报>镇街"
    assert discovery.breadcrumb_names_report_column(by)
    haizhu = Selector(
        text="<div><span>您当前所在的位置：</span><a>首页</a> &gt; <a>政务公开</a></div>"
    )
    assert discovery.breadcrumb(haizhu) == "您当前所在的位置：首页>政务公开"
    assert not discovery.breadcrumb_names_report_column(haizhu)


@given(st.text(max_size=40), st.text(max_size=60))
def test_link_classifiers_take_any_text_and_url(name: str, href: str) -> None:
    url = discovery.absolute("https://www.by.gov.cn/zwgk/", href)
    for check in (discovery.names_report_column, discovery.names_channel, discovery.names_unit):
        assert check(name) in (True, False)
    if url:
        assert discovery.report_slug_in(url) in (True, False)
        assert discovery.is_under(url, "https://www.by.gov.cn/zwgk/") in (True, False)


# -- list pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("<span>共25条</span>", 25),
        ("共 3 条记录 第1页", 3),
        ("pagebar: {prepage: 10, recordCount: '20', pgCountMode: \"recordCount\"}", 20),  # §10.1
        ("new jpage({totalRecord:47,perPage:15})", 47),  # §6
        ("<datastore><totalrecord>47</totalrecord>", 47),
        ('createPageHTML(3, 0, "index", "htm");', None),  # a page count is no record count
        ("共3页", None),
        ("", None),
    ],
)
def test_declared_record_counts(text: str, count: int | None) -> None:
    assert listing.declared_count(text) == count


def test_row_dates_in_li_dl_and_table_rows() -> None:
    page = Selector(
        text="<ul><li><a href='1'>2019年3月5日通知</a><span>2019-03-08</span></li></ul>"
        "<dl><dd><a href='2'>x</a></dd><dd>2026-03-10</dd></dl>"
        "<table><tr><td><a href='3'>y</a></td><td>2020/01/02</td></tr></table>"
    )
    assert [listing.row_date(a) for a in page.css("a")] == [
        "2019-03-08",
        "2026-03-10",
        "2020-01-02",
    ]


def test_tally_verdict() -> None:
    tally = listing.ColumnTally("https://x/nb/")
    tally.add(["a", "b"], declared=3)
    assert tally.verdict() == "list incomplete: shows 2 of 3 (https://x/nb/)"
    tally.add(["b", "c"])
    assert tally.verdict() is None


# -- gkmlpt --------------------------------------------------------------------------------------


def test_gkmlpt_config_as_javascript_and_as_json() -> None:
    js = (
        'window._CONFIG = {SID:\'200001\', TREE: [{"id": 1, "name": "目录", "children": '
        '[{"id": 2851, "name": "政府信息公开年报", "jump_url": ""}]}], SERVICE_AREA_ID: 3};'
    )
    config = gkmlpt.read_config(js)
    assert config.sid == "200001"
    assert [c.name for c in gkmlpt.report_categories(config)] == ["政府信息公开年报"]
    as_json = (
        'window._CONFIG = {"SID": "200711", "TREE": [{"id": 9, "name": "年度报告", "parent": 0}]};'
    )
    assert [c.id for c in gkmlpt.report_categories(gkmlpt.read_config(as_json))] == ["9"]
    assert gkmlpt.read_config("<html>no config</html>") is None
    assert gkmlpt.read_config("SID:'1', TREE: [broken").categories == []


def test_gkmlpt_index_and_api_urls() -> None:
    post = "https://www.yuexiu.gov.cn/gzyxbyj/gkmlpt/content/8/8766/post_8766914.html"  # §0.2
    index = gkmlpt.index_url(post)
    assert index == "https://www.yuexiu.gov.cn/gzyxbyj/gkmlpt/index"
    assert gkmlpt.api_urls(index, "5", "200165", 2) == [
        "https://www.yuexiu.gov.cn/gzyxbyj/gkmlpt/api/all/5?page=2&sid=200165",
        "https://www.yuexiu.gov.cn/gkmlpt/api/all/5?page=2&sid=200165",
    ]
    root = "http://www.gz.gov.cn/gkmlpt/index"
    assert gkmlpt.api_urls(root, "5", "200001", 1) == [
        "http://www.gz.gov.cn/gkmlpt/api/all/5?page=1&sid=200001"
    ]
    assert gkmlpt.index_url("https://www.by.gov.cn/zwgk/") is None


@pytest.mark.parametrize(
    ("body", "count", "articles"),
    [
        ({"classify": {"post_count": 150}, "articles": [{"id": 1}, "x"]}, 150, 1),
        ({"classify": {"post_count": "7"}, "articles": []}, 7, 0),
        ({"classify": [], "articles": [{}]}, None, 1),
        ({"classify": {"post_count": True}, "articles": []}, None, 0),
    ],
)
def test_gkmlpt_api_pages(body: dict, count: int | None, articles: int) -> None:
    page = gkmlpt.read_api(json.dumps(body))
    assert (page.post_count, len(page.articles)) == (count, articles)


def test_gkmlpt_api_of_another_shape_is_none() -> None:
    assert gkmlpt.read_api("[]") is None
    assert gkmlpt.read_api('{"data": []}') is None
    assert gkmlpt.read_api("<html>") is None


# -- health and summary --------------------------------------------------------------------------

RUN = {
    "finish_reason": "finished",
    "downloader/request_count": 9,
    "downloader/response_status_count/200": 8,
    "downloader/response_status_count/404": 1,
    "portal/list_pages": 3,
    "portal/list_entries": 12,
    "portal/report_links": 4,
    "portal/reports_found": 4,
    "discovery/channels": 5,
    "discovery/columns": 3,
    "discovery/failed/http_404": 1,
    "titles/rejected/guide": 2,
    "titles/rejected/work_plan": 1,
}


def test_a_start_url_or_hint_that_answers_404_makes_the_portal_unhealthy_by_name() -> None:
    stats = {
        **RUN,
        "discovery/entry_failed/https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/": "http_404",
    }
    health = assess("zc_gov_cn", stats, History(), Settings())
    assert health.reasons == [
        "start URL or hint failed: https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/ (http_404)"
    ]
    assert not health.healthy


def test_incomplete_columns_are_warnings_shown_with_the_portal() -> None:
    column = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    stats = {
        **RUN,
        f"portal/column_incomplete/{column}": f"list incomplete: shows 10 of 20 ({column})",
    }
    health = assess("qzlc_gov_cn", stats, History(), Settings())
    assert health.healthy and health.reasons == []
    assert portal_lines(health)[1:] == [
        "      discovery: channels 5, columns 3, dead http_404 1",  # not an error as well
        "      titles rejected: guide 2, work_plan 1",
        f"      qzlc_gov_cn: warning: list incomplete: shows 10 of 20 ({column})",
    ]
