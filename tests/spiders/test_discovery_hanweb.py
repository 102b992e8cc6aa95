"""qufu_gov_cn walked over a hand-written Qufu (docs/portals.md §6, §10.4): no column id is known
in advance; the home page leads through 政务公开 and 政府信息公开 to a 政府信息公开年报 parent
column whose child columns (a bureau, a street, a year) hold the records, one of them continued
by a dataproxy POST; and the real Hanweb datastore of 定西市 (tests/fixtures/real/), none of whose
45 records is a report.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.http import TextResponse

from tests.helpers import spider_for
from tests.portals import QufuGovCnSpider
from tests.spiders import worlds as w
from tests.spiders.offline import walk

SITE = "http://www.qufu.gov.cn"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
NAV = [
    ("首页", "/"),
    ("走进曲阜", "/col/col15250/index.html"),
    ("政务公开", "/col/col15257/index.html"),
    ("政务服务", "/col/col15270/index.html"),
]


def col(n: int) -> str:
    return f"{SITE}/col/col{n}/index.html"


def art(column: int, art_id: int, day: str = "2024/1/20") -> str:
    return f"{SITE}/art/{day}/art_{column}_{art_id}.html"


ANNUAL = f"{SITE}/module/xxgk/xxgkAnnualReport.jsp?area=49417463-2&fbtime=2018"
PROXY = f"{SITE}/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=47&perpage=15"
EDUCATION = [
    (art(30101, 1), "曲阜市教育局2023年政府信息公开工作年度报告", "2024-01-20"),
    (art(30101, 2), "曲阜市教育局2022年度政府信息公开工作年度报告", "2023-01-18"),
    (art(30101, 3), "曲阜市教育局2021年政府信息公开年度报告", "2022-01-19"),
]
STREET = [(ANNUAL, "曲阜市鲁城街道办事处2018年政府信息公开工作年度报告", "2019-01-31")]
YEAR = [
    (art(30103, 4), "曲阜市2018年度政府信息公开工作年度报告", "2019-03-01"),
    (art(30103, 5), "2018年度政府网站年度工作报表", "2019-01-14"),
]


def world() -> dict:
    pages: dict = {}
    pages[SITE + "/"] = w.page(
        "曲阜市人民政府", w.links([("曲阜要闻", "/col/col15251/index.html")]), nav=NAV
    )
    pages[col(15257)] = w.page(
        "政务公开",
        w.links(
            [("政府信息公开", "/col/col20000/index.html"), ("财政信息", "/col/col15258/index.html")]
        ),
        nav=NAV,
        meta={"ColumnName": "政务公开"},
    )
    pages[col(20000)] = w.page(
        "政府信息公开",
        w.links(
            [
                ("政府信息公开年报", "/col/col30000/index.html"),
                ("政府信息公开指南", "/col/col30001/index.html"),
            ]
        ),
        nav=NAV,
        meta={"ColumnName": "政府信息公开"},
    )
    # the 年报 parent lists child columns by unit and year (§10.4), and no record of its own
    pages[col(30000)] = w.page(
        "政府信息公开年报",
        w.links(
            [
                ("曲阜市教育局", "/col/col30101/index.html"),
                ("鲁城街道", "/col/col30102/index.html"),
                ("2018年", "/col/col30103/index.html"),
            ]
        ),
        nav=NAV,
        meta={"ColumnName": "政府信息公开年报"},
    )
    pages[col(30101)] = w.hanweb_column("曲阜市教育局", 30101, EDUCATION[:2], total=3)
    pages[PROXY] = w.hanweb_group(EDUCATION[2:], total=3)
    pages[col(30102)] = w.hanweb_column("鲁城街道", 30102, STREET, total=1)
    pages[col(30103)] = w.hanweb_column("2018年", 30103, YEAR, total=2)
    for href, title, date in EDUCATION + YEAR[:1]:
        pages[href] = w.hanweb_detail(
            title, date + " 10:00", "曲阜市教育局", w.report_body("曲阜市", 2023)
        )
    pages[ANNUAL] = w.page(
        "政府信息公开年报",
        '<div class="title">曲阜市鲁城街道办事处2018年政府信息公开工作年度报告</div>'
        "<div>发布机构：鲁城街道办事处 发布日期：2019-01-31</div>"
        f'<div id="zoom">{w.report_body("鲁城街道办事处", 2018)}</div>',
    )
    return pages


def test_the_annual_report_columns_are_found_by_their_names_and_every_record_read() -> None:
    found = walk(QufuGovCnSpider, world())
    expected = sorted(href for href, *_ in EDUCATION + STREET + YEAR[:1])
    assert found.report_urls == expected
    assert found.incomplete == []  # 3 of 3, 1 of 1, 2 of 2
    assert PROXY in found.requested
    assert col(30001) not in found.requested  # 政府信息公开指南
    assert col(15270) not in found.requested  # 政务服务
    assert found.stats["titles/rejected/statistical_form"] == 1


def test_items_know_their_child_column() -> None:
    found = walk(QufuGovCnSpider, world())
    by_url = {item.url: item.column for item in found.items}
    assert by_url[art(30101, 3)] == f"{SITE}/col/col30101/"  # the record the POST brought
    assert by_url[ANNUAL] == f"{SITE}/col/col30102/"


def test_a_datastore_that_declares_more_records_than_it_yields_is_incomplete() -> None:
    pages = world()
    del pages[PROXY]  # the group request fails: records 3.. are never seen
    found = walk(QufuGovCnSpider, pages)
    column = f"{SITE}/col/col30101/"
    assert (column, f"list page failed: {PROXY} (http_404)") in found.incomplete
    assert (column, f"list incomplete: shows 2 of 3 ({column})") in found.incomplete


# -- the real datastore of 定西市 (tests/fixtures/real/README.md) --------------------------------

spider = spider_for(QufuGovCnSpider)


def test_real_dingxi_datastore_lists_45_records_none_a_report(spider) -> None:
    url = "http://www.dingxi.gov.cn/col/col12377/index.html"
    body = (REAL / "hanweb_dataproxy_dingxi_col12377.xml").read_bytes()
    response = TextResponse(url, body=body, encoding="utf-8", request=Request(url))
    entries = list(spider.list_entries(response))
    assert len(entries) == 45
    assert entries[2].title == "2021年度政府网站年度工作报表"
    assert entries[2].url == "http://www.dingxi.gov.cn/art/2022/1/14/art_12377_1485512.html"
    assert entries[2].date == "2022-01-14"
    requests = list(spider.follow_entries(entries, response))
    assert requests == []
    stats = spider.crawler.stats.get_stats()
    assert stats["titles/rejected/statistical_form"] == 1
    assert stats["titles/rejected/self_assessment"] == 1
    jpage = spider.jpage(response)
    assert (jpage.form["columnid"], jpage.form["unitid"], jpage.form["webid"]) == (
        "12377",
        "38486",
        "110",
    )


# -- a 年报 parent whose child columns have names that say nothing (§10.4) -------------------------

BUREAUS = [
    (art(40101, 11), "曲阜市民政局2025年信息公开年度报告", "2026-02-19"),
    (art(40101, 12), "曲阜市2024年政务公开工作要点", "2024-04-03"),
]
TOWNS = [
    (art(40102, 15), "曲阜市尼山镇政府信息公开指南", "2025-03-01"),
    (art(40102, 13), "曲阜市尼山镇2024年度政府信息公开工作报告", "2025-01-21"),
]
TOWNS_GROUP = f"{SITE}/module/web/jpage/dataproxy.jsp?startrecord=2&endrecord=46&perpage=15"
NEWS = [(art(15299, 14), "曲阜市召开政务公开工作推进会", "2025-03-02")]


def world_with_plain_children() -> dict:
    """The home page links the 年报 parent; the parent lists 市直部门 and 镇（街道）, and beside
    them, in a side bar, a news column that the home page does not link."""
    pages = world()
    pages[SITE + "/"] = w.page(
        "曲阜市人民政府",
        w.links(
            [
                ("曲阜要闻", "/col/col15251/index.html"),
                ("政府信息公开年报", "/col/col40000/index.html"),
            ]
        ),
        nav=NAV,
    )
    crumbs = [("首页", "/"), ("政务公开", "/col/col15257/index.html")]
    pages[col(40000)] = w.page(
        "政府信息公开年报",
        w.links(
            [("市直部门", "/col/col40101/index.html"), ("镇（街道）", "/col/col40102/index.html")]
        )
        + w.links([("工作动态", "/col/col15299/index.html")]),
        nav=NAV,
        crumbs=crumbs,
        meta={"ColumnName": "政府信息公开年报"},
    )
    parent = [*crumbs, ("政府信息公开年报", "/col/col40000/index.html")]
    pages[col(40101)] = w.hanweb_column("市直部门", 40101, BUREAUS, total=2)
    # its first page lists no report: only its breadcrumb says where it belongs
    trail = " &gt; ".join(f'<a href="{h}">{t}</a>' for t, h in parent)
    position = f'<div class="position">当前位置: {trail} &gt; 镇（街道）</div>'
    pages[col(40102)] = w.hanweb_column("镇（街道）", 40102, TOWNS[:1], total=2, extra=position)
    pages[TOWNS_GROUP] = w.hanweb_group(TOWNS[1:], total=2)
    pages[col(15299)] = w.hanweb_column("工作动态", 15299, NEWS, total=400)
    for href, title, date in BUREAUS[:1] + TOWNS[1:]:
        pages[href] = w.hanweb_detail(
            title, date + " 10:00", "曲阜市", w.report_body("曲阜市", 2025)
        )
    return pages


def test_every_child_column_of_a_nianbao_parent_is_read_whatever_its_name() -> None:
    found = walk(QufuGovCnSpider, world_with_plain_children())
    assert {BUREAUS[0][0], TOWNS[1][0]} <= set(found.report_urls)
    by_url = {item.url: item.column for item in found.items}
    assert by_url[BUREAUS[0][0]] == f"{SITE}/col/col40101/"  # read by the report it lists
    assert by_url[TOWNS[1][0]] == f"{SITE}/col/col40102/"  # by its breadcrumb, then paged
    assert TOWNS_GROUP in found.requested
    assert found.stats["titles/rejected/work_plan"] == 1
    assert found.stats["titles/rejected/guide"] == 1
    assert "spider_exceptions/count" not in found.stats


def test_a_side_bar_column_is_asked_for_once_and_never_paged() -> None:
    """工作动态 declares 400 records; it lists no report, so it is navigation: one request, no
    dataproxy group, no incomplete column. The home page's navigation is not asked again."""
    found = walk(QufuGovCnSpider, world_with_plain_children())
    assert found.requested.count(col(15299)) == 1
    assert not [u for u in found.requested if "columnid=15299" in u]
    assert [
        r for r in found.requests if "dataproxy" in r.url and r.meta["column"].endswith("col15299/")
    ] == []
    assert found.incomplete == []
    assert col(15270) not in found.requested  # 政务服务, in the navigation of every page
