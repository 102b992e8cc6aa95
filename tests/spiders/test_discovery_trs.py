"""qzlc_gov_cn walked over a hand-written Licheng (docs/portals.md §5, §10.1, §10.4), and the real
Fujian-cluster list page (tests/fixtures/real/, unchanged): the district's columns under 信息公开,
units under 部门 and 镇街 with a unit our sandbox never had (统计局), a report only in a unit's
公开目录 category, a 转发 notice, a two-page createPageHTML list, and a list that shows fewer
records than it declares (`recordCount`), which must be reported, not read in silence.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.portal import ListEntry
from tests.helpers import spider_for
from tests.portals import QzlcGovCnSpider
from tests.spiders import worlds as w
from tests.spiders.offline import walk

SITE = "https://www.qzlc.gov.cn"
NAV = [
    ("首页", "/"),
    ("走进鲤城", "/zjlc/"),
    ("政务公开", "/zwgk/"),
    ("信息公开", "/xxgk/"),
    ("办事服务", "/bsfw/"),
]
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
PINGTAN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"

QZFNDBG = SITE + "/xxgk/zfxxgk/qzfxxgknb/qzfndbg/"
QZFBNDBG = SITE + "/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/"
NOTICES = SITE + "/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/"
SWJ_NB = SITE + "/zwgk/bm/swj/nb/"
TJJ_NB = SITE + "/zwgk/bm/tjj/nb/"
KJJ_CAT = SITE + "/zwgk/bm/kjj/lcqzfxxgkml/30yzdgkdqtzfxx/"
JLJD_NB = SITE + "/zwgk/zj/jljd/nb/"
CTJD_CAT = SITE + "/zwgk/zj/ctjd/lcqzfxxgkml/30gxzd/"
FORWARD = (
    "泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知"
)

REPORTS = {
    QZFNDBG: [
        (
            "202601/t20260128_3262168.htm",
            "泉州市鲤城区人民政府2025年政府信息公开工作年度报告",
            "2026-01-28 10:00",
        ),
        (
            "202501/t20250120_3100001.htm",
            "泉州市鲤城区人民政府2024年度政府信息公开工作年度报告",
            "2025-01-20 10:00",
        ),
        (
            "201603/t20160314_1000001.htm",
            "泉州市鲤城区人民政府2015年政府信息公开年度报告",
            "2016-03-14 10:00",
        ),
    ],
    QZFBNDBG: [
        (
            "202201/t20220114_2684136.htm",
            "泉州市鲤城区人民政府办公室2021年政府信息公开工作年度报告",
            "2022-01-14 09:00",
        )
    ],
    NOTICES: [("202401/t20240122_2996819.htm", FORWARD, "2024-01-22 16:00")],
    SWJ_NB: [
        (
            "202201/t20220107_2681142.htm",
            "泉州市鲤城区商务局2021年政府信息公开工作年度报告",
            "2022-01-07 09:00",
        )
    ],
    TJJ_NB: [
        (
            "202301/t20230110_3000001.htm",
            "泉州市鲤城区统计局2022年政府信息公开工作年度报告",
            "2023-01-10 09:00",
        ),
        (
            "202201/t20220110_2000001.htm",
            "泉州市鲤城区统计局2021年信息公开年度报告",
            "2022-01-10 09:00",
        ),
    ],
    KJJ_CAT: [
        (
            "202301/t20230110_2840494.htm",
            "泉州市鲤城区科学技术局2022年政府信息公开工作年度报告",
            "2023-01-10 09:04",
        )
    ],
    JLJD_NB: [
        (
            "201801/t20180103_1277517.htm",
            "金龙街道办事处 2017 年政府信息公开 工作年度报告",
            "2018-01-02 12:03",
        )
    ],
    CTJD_CAT: [
        (
            "202501/t20250115_3100002.htm",
            "泉州市鲤城区常泰街道办事处2024年政府信息公开工作年度报告",
            "2025-01-15 09:00",
        )
    ],
}
OTHERS = {
    QZFNDBG: [("202001/t20200101_1.htm", "泉州市鲤城区人民政府政府信息公开指南", "2020-01-01")],
    NOTICES: [
        (
            "202402/t20240201_2.htm",
            "泉州市鲤城区人民政府办公室关于印发鲤城区2024年政务公开工作要点的通知",
            "2024-02-01",
        ),
        (
            "202312/t20231201_3.htm",
            "泉州市鲤城区人民政府办公室关于报送2023年度政府信息公开工作年度报告的通知",
            "2023-12-01",
        ),
    ],
    KJJ_CAT: [("202305/t20230501_4.htm", "鲤城区科学技术局关于开展科技活动周的通知", "2023-05-01")],
}


def rows(items: list) -> list[w.Row]:
    return [(f"./{href}", title, date[:10]) for href, title, date in items]


def directory(name: str, items: list[w.Crumb], crumbs: list[w.Crumb]) -> str:
    return w.page(
        name,
        f'<div class="list-tit">{name}</div>' + w.links(items),
        crumbs=crumbs,
        nav=NAV,
        meta={"ColumnName": name},
    )


def listing(name: str, body: str) -> str:
    return w.page(name, body, nav=NAV, meta={"ColumnName": name})


def script_list(entries: list[w.Row], declared: int) -> str:
    """The cluster's newer list (§10.1): rows as <dl><dd>, the rest loaded by list2.trsapi."""
    shown = "".join(
        f'<dl><dd><a href="{h}" target="_blank" title="{t}">{t}</a></dd><dd>{d}</dd></dl>'
        for h, t, d in entries
    )
    script = (
        '<script>require(["list2.trsapi", "tools"], function(listModel, tools) { listModel({'
        f" pagebar: {{ prepage: 10, recordCount: '{declared}', pgCountMode: \"recordCount\" }} }}); }});"
        "</script>"
    )
    return shown + script


def world() -> dict:
    pages: dict = {}
    pages[SITE + "/"] = w.page(
        "泉州市鲤城区人民政府", w.links([("鲤城要闻", "/zjlc/lcyw/")]), nav=NAV
    )
    pages[SITE + "/xxgk/"] = directory(
        "信息公开", [("政府信息公开", "/xxgk/zfxxgk/")], [("首页", "/")]
    )
    pages[SITE + "/xxgk/zfxxgk/"] = directory(
        "政府信息公开",
        [
            ("区政府信息公开年报", "./qzfxxgknb/"),
            ("信息公开目录", "./lcqzfxxgkml/"),
            ("政府信息公开指南", "./zn/"),
        ],
        [("首页", "/"), ("信息公开", "/xxgk/")],
    )
    pages[SITE + "/xxgk/zfxxgk/qzfxxgknb/"] = directory(
        "区政府信息公开年报",
        [("区政府年度报告", "./qzfndbg/"), ("区政府部门年度报告", "./qzfbndbg/")],
        [],
    )
    pages[SITE + "/xxgk/zfxxgk/lcqzfxxgkml/"] = directory(
        "信息公开目录",
        [("应主动公开的其他政府信息", "./30yzdgkdqtzfxx/"), ("工作动态", "./25gzdtt/")],
        [],
    )
    pages[SITE + "/xxgk/zfxxgk/lcqzfxxgkml/25gzdtt/"] = listing("工作动态", w.trs_list([]))
    pages[QZFNDBG] = listing(
        "区政府年度报告", w.trs_list(rows(REPORTS[QZFNDBG][:2] + OTHERS[QZFNDBG]), 2, 0)
    )
    pages[QZFNDBG + "index_1.htm"] = listing(
        "区政府年度报告", w.trs_list(rows(REPORTS[QZFNDBG][2:]), 2, 1)
    )
    pages[QZFBNDBG] = listing("区政府部门年度报告", w.trs_list(rows(REPORTS[QZFBNDBG])))
    pages[NOTICES] = listing(
        "应主动公开的其他政府信息", w.trs_list(rows(REPORTS[NOTICES] + OTHERS[NOTICES]))
    )
    pages[SITE + "/zwgk/"] = directory(
        "政务公开", [("部门信息公开", "./bm/"), ("镇街信息公开", "./zj/")], [("首页", "/")]
    )
    pages[SITE + "/zwgk/bm/"] = directory(
        "部门信息公开",
        [("鲤城区商务局", "./swj/"), ("鲤城区统计局", "./tjj/"), ("鲤城区科学技术局", "./kjj/")],
        [],
    )
    pages[SITE + "/zwgk/zj/"] = directory(
        "镇街信息公开", [("金龙街道", "./jljd/"), ("常泰街道", "./ctjd/")], []
    )
    pages[SITE + "/zwgk/bm/swj/"] = directory(
        "鲤城区商务局", [("政府信息公开年度报告", "./nb/")], []
    )
    pages[SITE + "/zwgk/bm/tjj/"] = directory(
        "鲤城区统计局", [("政府信息公开年度报告", "./nb/")], []
    )
    pages[SITE + "/zwgk/bm/kjj/"] = directory(
        "鲤城区科学技术局", [("应主动公开的其他政府信息", "./lcqzfxxgkml/30yzdgkdqtzfxx/")], []
    )
    pages[SITE + "/zwgk/zj/jljd/"] = directory("金龙街道", [("政府信息公开年度报告", "./nb/")], [])
    pages[SITE + "/zwgk/zj/ctjd/"] = directory(
        "常泰街道", [("各项制度", "./lcqzfxxgkml/30gxzd/")], []
    )
    pages[SWJ_NB] = listing("政府信息公开年度报告", w.trs_list(rows(REPORTS[SWJ_NB])))
    pages[TJJ_NB] = listing("政府信息公开年度报告", script_list(rows(REPORTS[TJJ_NB]), declared=3))
    pages[KJJ_CAT] = listing(
        "应主动公开的其他政府信息", w.trs_list(rows(REPORTS[KJJ_CAT] + OTHERS[KJJ_CAT]))
    )
    pages[JLJD_NB] = listing("政府信息公开年度报告", w.trs_list(rows(REPORTS[JLJD_NB])))
    pages[CTJD_CAT] = listing("各项制度", w.trs_list(rows(REPORTS[CTJD_CAT])))
    for column, items in REPORTS.items():
        for href, title, date in items:
            pages[column + href] = w.trs_detail(
                title, date, "泉州市鲤城区人民政府", w.report_body("鲤城区", 2024)
            )
    return pages


def test_every_report_is_found_from_the_home_page() -> None:
    found = walk(QzlcGovCnSpider, world())
    expected = sorted(column + href for column, items in REPORTS.items() for href, *_ in items)
    assert found.report_urls == expected
    assert "spider_exceptions/count" not in found.stats
    assert SITE + "/xxgk/zfxxgk/zn/" not in found.requested  # 政府信息公开指南 is no channel


def test_a_list_that_shows_fewer_records_than_it_declares_is_reported_incomplete() -> None:
    found = walk(QzlcGovCnSpider, world())
    assert found.incomplete == [(TJJ_NB, f"list incomplete: shows 2 of 3 ({TJJ_NB})")]
    assert (
        found.stats[f"portal/column_incomplete/{TJJ_NB}"]
        == f"list incomplete: shows 2 of 3 ({TJJ_NB})"
    )


def test_the_forwarding_notice_is_the_report_and_its_unit_the_forwarded_report_s() -> None:
    found = walk(QzlcGovCnSpider, world())
    (notice,) = [i for i in found.items if i.column == NOTICES]
    assert (notice.title, notice.unit, notice.report_year) == (FORWARD, "鲤城区人民政府", 2023)
    assert found.stats["titles/rejected/notice_about_reports"] == 1
    assert found.stats["titles/rejected/work_plan"] == 1


# -- the real page of the Fujian cluster (tests/fixtures/real/README.md) --------------------------

spider = spider_for(QzlcGovCnSpider)


def real_pingtan() -> HtmlResponse:
    body = (REAL / "pingtan_zfxxgknb_list_index.html").read_bytes()
    request = Request(PINGTAN, meta={"column": PINGTAN})
    return HtmlResponse(PINGTAN, body=body, headers={"Content-Type": "text/html"}, request=request)


def test_real_pingtan_list_shows_10_of_its_20_records_and_says_so(spider) -> None:
    requests = list(spider.parse_list(real_pingtan()))
    entries = [r.cb_kwargs["entry"] for r in requests if r.callback == spider.parse_detail]
    assert len(entries) == 10
    assert entries[0] == ListEntry(
        PINGTAN + "202603/t20260313_105587.htm",
        "平潭综合实验区2025年度政府信息公开工作年度报告",
        "2026-03-10",  # from the <dd> beside the link
    )
    assert entries[-1].url == PINGTAN + "201701/t20170118_80485.htm"
    assert [r for r in requests if r.callback != spider.parse_detail] == []  # no pager to follow
    spider.report_incomplete_columns()
    stats = spider.crawler.stats.get_stats()
    assert (
        stats[f"portal/column_incomplete/{PINGTAN}"]
        == f"list incomplete: shows 10 of 20 ({PINGTAN})"
    )
    assert stats["portal/columns_incomplete"] == 1


def test_real_pingtan_page_is_a_report_column_by_its_column_name(spider) -> None:
    page = real_pingtan()
    assert spider.meta(page, "ColumnName") == "政府信息公开年报"
    assert spider.is_report_column(page, PINGTAN)


# -- units recognised by structure, and every column of a unit read (docs/portals.md §5) ----------

ZSDW = SITE + "/zwgk/zsdw/"
NLSJ_GHZJ = ZSDW + "nlsj/ghzj/"
SFJ_CAT = ZSDW + "sfj/gkml/qtwj/"
GHZJ_ROWS = [
    (
        "./202203/t20220314_2709861.htm",
        "鲤城区农业农村和水利局2022年政务公开工作要点",
        "2022-03-14",
    ),
    (
        "./202201/t20220120_2700001.htm",
        "鲤城区农业农村和水利局2021年政府信息公开工作年报",
        "2022-01-20",
    ),
]
GHZJ_PAGE2 = [
    (
        "./201802/t20180203_1309476.htm",
        "泉州市鲤城区农业农村和水利局2017年政府信息公开工作年报",
        "2018-02-03",
    ),
]
SFJ_ROWS = [
    ("./202301/t20230116_2800001.htm", "鲤城区司法局2022年政府信息公开年度报告", "2023-01-16")
]


def world_with_direct_units() -> dict:
    """Another unit directory (直属单位, slug `zsdw`: no name or slug we know says what it is)
    whose units post their reports in a 规划总结 column of two pages, and inside a 公开目录
    category reached through the unit's catalogue page."""
    pages = world()
    pages[SITE + "/zwgk/"] = directory(
        "政务公开",
        [("部门信息公开", "./bm/"), ("镇街信息公开", "./zj/"), ("直属单位", "./zsdw/")],
        [("首页", "/")],
    )
    pages[ZSDW] = directory(
        "直属单位",
        [("鲤城区农业农村和水利局", "./nlsj/"), ("鲤城区司法局", "./sfj/")],
        [("首页", "/"), ("政务公开", "/zwgk/")],
    )
    pages[ZSDW + "nlsj/"] = directory("农水局", [("规划总结", "./ghzj/")], [])
    pages[NLSJ_GHZJ] = listing("规划总结", w.trs_list(GHZJ_ROWS, 2, 0))
    pages[NLSJ_GHZJ + "index_1.htm"] = listing("规划总结", w.trs_list(GHZJ_PAGE2, 2, 1))
    pages[ZSDW + "sfj/"] = directory("司法局", [("政府信息公开目录", "./gkml/")], [])
    pages[ZSDW + "sfj/gkml/"] = directory("政府信息公开目录", [("其他文件", "./qtwj/")], [])
    pages[SFJ_CAT] = listing("其他文件", w.trs_list(SFJ_ROWS))
    for column, items in ((NLSJ_GHZJ, GHZJ_ROWS + GHZJ_PAGE2), (SFJ_CAT, SFJ_ROWS)):
        for href, title, date in items:
            pages[column + href[2:]] = w.trs_detail(
                title, date + " 09:00", "泉州市鲤城区人民政府", w.report_body("鲤城区", 2022)
            )
    return pages


def test_a_unit_directory_is_known_by_what_it_lists_and_every_unit_column_is_read() -> None:
    found = walk(QzlcGovCnSpider, world_with_direct_units())
    new = {
        NLSJ_GHZJ + "202201/t20220120_2700001.htm",
        NLSJ_GHZJ + "201802/t20180203_1309476.htm",  # page 2 of the 规划总结 column
        SFJ_CAT + "202301/t20230116_2800001.htm",  # a category below the unit's catalogue page
    }
    assert new <= set(found.report_urls)
    assert NLSJ_GHZJ + "202203/t20220314_2709861.htm" not in found.report_urls  # 工作要点
    assert found.stats["titles/rejected/work_plan"] == 2  # the notice's, and the unit's
    by_url = {item.url: item.column for item in found.items}
    assert by_url[NLSJ_GHZJ + "201802/t20180203_1309476.htm"] == NLSJ_GHZJ
    assert "spider_exceptions/count" not in found.stats


def budgeted(found) -> list[str]:
    """The requests that spend DISCOVERY_MAX_PAGES: channel pages (entry points excepted) and
    the columns read only because they sit in a unit's folder."""
    return [
        r.url
        for r in found.requests
        if (r.callback.__name__ == "parse_channel" and not r.meta.get("entry"))
        or r.meta.get("unit_column")
    ]


def test_unit_columns_cost_discovery_pages_and_stop_at_its_limit() -> None:
    everything = walk(QzlcGovCnSpider, world_with_direct_units())
    spent = budgeted(everything)
    assert {NLSJ_GHZJ, SFJ_CAT} <= set(spent)
    assert "discovery/page_limit" not in everything.stats
    enough = walk(QzlcGovCnSpider, world_with_direct_units(), DISCOVERY_MAX_PAGES=len(spent))
    assert "discovery/page_limit" not in enough.stats
    assert enough.report_urls == everything.report_urls
    short = walk(QzlcGovCnSpider, world_with_direct_units(), DISCOVERY_MAX_PAGES=len(spent) - 1)
    assert short.stats["discovery/page_limit"] >= 1
    assert len(budgeted(short)) == len(spent) - 1


def test_a_unit_first_walked_as_a_plain_channel_is_read_as_a_unit() -> None:
    """The home page links a unit by its name before the directory lists it: the unit's
    columns are read all the same."""
    pages = world_with_direct_units()
    pages[SITE + "/"] = w.page(
        "泉州市鲤城区人民政府",
        w.links([("鲤城要闻", "/zjlc/lcyw/"), ("鲤城区农业农村和水利局", "/zwgk/zsdw/nlsj/")]),
        nav=NAV,
    )
    found = walk(QzlcGovCnSpider, pages)
    assert NLSJ_GHZJ + "202201/t20220120_2700001.htm" in found.report_urls
    assert found.requested.count(ZSDW + "nlsj/") == 2  # once as a channel, once as a unit
    assert found.requested.count(NLSJ_GHZJ) == 1
