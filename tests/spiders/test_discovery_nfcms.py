"""by_gov_cn walked over a hand-written Baiyun that is not our sandbox (docs/portals.md §1, §2,
§0.2, §10.3, §10.4): the home page links no report column; the columns hang under 政务公开 and
工作机构 with a unit our sandbox never had (统计局, whose column is named 信息公开年报 and whose
统计年报 column is another thing), a unit whose only report is posted in its news column (as
Licheng's 农水局 posts its own in 规划总结, §5), a third sub-column, a gkmlpt sub-site whose API
answers at the host's root, and a JSON list with only documented fields.
"""

from __future__ import annotations

import json

from tests.portals import ByGovCnSpider
from tests.spiders import worlds as w
from tests.spiders.offline import JSON, Page, walk

BY = "https://www.by.gov.cn"
GQ = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
NAV = [("首页", "/"), ("政务公开", "/zwgk/"), ("政务服务", "/zwfw/"), ("互动交流", "/hdjl/")]
SITE = "广州市白云区人民政府门户网站"


def post(column: str, post_id: int) -> str:
    return f"{column}content/post_{post_id}.html"


REPORTS = {
    # column -> [(post id, title, date, source)]
    f"{BY}/zwgk/qzfxxgknb/zj/": [
        (
            11010937,
            "广州市白云区人民政府三元里街道办事处2025年度政府信息公开工作年度报告",
            "2026-02-27 15:23",
            "三元里街",
        ),
        (
            10941237,
            "广州市白云区人民政府永平街道办事处2025年政府信息公开年度报告",
            "2026-01-22 10:00",
            "永平街",
        ),
        (
            9531870,
            "广州市白云区人民政府同德街道办事处2023年度政府信息公开工作报告",
            "2024-03-09 09:00",
            "同德街",
        ),
    ],
    f"{BY}/zwgk/qzfxxgknb/bm/": [
        (
            7043430,
            "广州市白云区人民政府办公室2020年政府信息公开年度报告",
            "2021-01-19 09:36",
            "区政府办公室",
        ),
    ],
    f"{BY}/zwgk/qzfxxgknb/qzf/": [
        (
            10156706,
            "广州市白云区人民政府2024年度政府信息公开工作年度报告",
            "2025-01-26 17:20",
            "白云区人民政府",
        ),
    ],
    f"{BY}/gzjg/qwbgs/zfxxgkgzndbg/": [
        (
            9472985,
            "广州市白云区档案局2023年政府信息公开年度报告",
            "2024-01-23 15:42",
            "白云区档案局",
        ),
    ],
    f"{BY}/gzjg/qtjj/xxgknb/": [
        (
            10800001,
            "广州市白云区统计局2025年政府信息公开工作年报",
            "2026-01-20 09:00",
            "白云区统计局",
        ),
    ],
    f"{BY}/gzjg/qxfj/gzdt/": [
        (
            10900001,
            "广州市白云区信访局2025年政府信息公开工作年度报告",
            "2026-01-28 11:00",
            "白云区信访局",
        ),
    ],
}
NOT_REPORTS = {
    f"{BY}/zwgk/qzfxxgknb/zj/": [(8893430, "白云区2023年镇街政务公开工作要点", "2023-04-11", "")],
    f"{BY}/zwgk/qzfxxgknb/": [(5600001, "广州市白云区人民政府信息公开指南", "2020-01-01", "")],
    f"{BY}/gzjg/qxfj/gzdt/": [(10900002, "区信访局开展信访接待日活动", "2026-02-03", "")],
    f"{BY}/gzjg/qwbgs/tzgg/": [(10900003, "关于2026年春节假期值班安排的通知", "2026-02-01", "")],
}


def rows(column: str, items: list) -> list[w.Row]:
    return [(post(column, i), t, d[:10]) for i, t, d, _ in items]


def column_page(name: str, url: str, body: str, crumbs: list[w.Crumb], script: str = "") -> str:
    return w.page(
        f"{name} - {SITE}", body + script, crumbs=crumbs, meta={"ColumnName": name}, nav=NAV
    )


def world() -> dict:
    pages: dict = {}
    crumbs = [("首页", "/"), ("政务公开", "/zwgk/")]
    nianbao = [*crumbs, ("区政府信息公开年报", "/zwgk/qzfxxgknb/")]
    pages[f"{BY}/"] = w.page(
        SITE, w.links([("白云新闻", "/xwzx/"), ("走进白云", "/zjby/")]), nav=NAV
    )
    pages[f"{BY}/zwgk/"] = column_page(
        "政务公开",
        f"{BY}/zwgk/",
        w.links(
            [
                ("区政府信息公开年报", "/zwgk/qzfxxgknb/"),
                ("工作机构", "/gzjg/"),
                ("政策文件", "/zwgk/zcwj/"),
                ("政府信息公开指南", "/zwgk/zn/"),
            ]
        ),
        crumbs,
    )
    # the central column: sub-columns by name, a guide, and its JSON list (§1 fields only)
    central = f"{BY}/zwgk/qzfxxgknb/"
    pages[central] = column_page(
        "区政府信息公开年报",
        central,
        w.links([("部门", "bm/"), ("镇街", "zj/"), ("区政府", "qzf/")])
        + w.list_rows(rows(central, NOT_REPORTS[central])),
        nianbao,
        '<script>$.getJSON("/postmeta/i/25190.json");</script>',
    )
    pages[f"{BY}/postmeta/i/25190.json"] = Page(
        json.dumps(
            {
                "articles": [
                    {
                        "id": 5600001,
                        "title": "广州市白云区人民政府信息公开指南",
                        "url": post(central, 5600001),
                        "date": "2020-01-01",
                        "publish_time": 1577840000,
                        "created_at": "2020-01-01 08:00:00",
                        "source": "本网",
                    }
                ],
                "children": [{"id": 25191, "name": "部门", "publish_count": 1}],
                "updated": "2026-02-27 16:33:29",
            },
            ensure_ascii=False,
        ),
        JSON,
    )
    # 镇街: two pages behind an NFCMS pager
    zj = f"{BY}/zwgk/qzfxxgknb/zj/"
    zj_rows = rows(zj, REPORTS[zj][:2] + NOT_REPORTS[zj])
    pages[zj] = column_page(
        "镇街",
        zj,
        w.list_rows(zj_rows) + w.nfcms_pager(1, 2),
        [*nianbao, ("镇街", "/zwgk/qzfxxgknb/zj/")],
    )
    pages[zj + "index_2.html"] = column_page(
        "镇街",
        zj,
        w.list_rows(rows(zj, REPORTS[zj][2:])) + w.nfcms_pager(2, 2),
        [*nianbao, ("镇街", "/zwgk/qzfxxgknb/zj/")],
    )
    for sub, name in (("bm/", "部门"), ("qzf/", "区政府")):
        url = central + sub
        trail = [*nianbao, (name, f"/zwgk/qzfxxgknb/{sub}")]
        pages[url] = column_page(name, url, w.list_rows(rows(url, REPORTS[url])), trail)
    # 工作机构: every unit a folder below it (§2), one of them without any report column
    units = [("区委办公室", "./qwbgs/"), ("区统计局", "./qtjj/"), ("区信访局", "./qxfj/")]
    pages[f"{BY}/gzjg/"] = column_page(
        "工作机构", f"{BY}/gzjg/", w.links(units), [("首页", "/"), ("工作机构", "/gzjg/")]
    )
    pages[f"{BY}/gzjg/qwbgs/"] = column_page(
        "区委办公室",
        "",
        w.links([("政府信息公开工作年度报告", "zfxxgkgzndbg/"), ("通知公告", "tzgg/")]),
        [],
    )
    pages[f"{BY}/gzjg/qtjj/"] = column_page(
        "区统计局",
        "",
        w.links(
            [
                ("信息公开年报", "xxgknb/"),
                ("统计年报", "tjnb/"),
                ("政府信息公开目录", "/gzbytjj/gkmlpt/index"),
            ]
        ),
        [],
    )
    pages[f"{BY}/gzjg/qxfj/"] = column_page("区信访局", "", w.links([("工作动态", "gzdt/")]), [])
    # a unit's other columns: its news (holding its report, §5's 规划总结 case) and its notices
    gzdt, tzgg = f"{BY}/gzjg/qxfj/gzdt/", f"{BY}/gzjg/qwbgs/tzgg/"
    pages[gzdt] = column_page(
        "工作动态", gzdt, w.list_rows(rows(gzdt, REPORTS[gzdt] + NOT_REPORTS[gzdt])), []
    )
    pages[tzgg] = column_page("通知公告", tzgg, w.list_rows(rows(tzgg, NOT_REPORTS[tzgg])), [])
    for url in (f"{BY}/gzjg/qwbgs/zfxxgkgzndbg/", f"{BY}/gzjg/qtjj/xxgknb/"):
        pages[url] = column_page("年报", url, w.list_rows(rows(url, REPORTS[url])), [])
    pages[f"{BY}/gzjg/qtjj/tjnb/"] = column_page(
        "统计年报", "", w.list_rows([("content/post_1.html", "2023年统计年报", "2024-03-01")]), []
    )
    # gkmlpt sub-sites (§1, §10.3): the hinted one answers beside its index, the discovered one
    # at the host's root; _CONFIG written as a JavaScript object, the tree nested
    pages[f"{BY}/gzbyjy/gkmlpt/index"] = gkmlpt_index("200711", 2851)
    pages[f"{BY}/gzbyjy/gkmlpt/api/all/2851?page=1&sid=200711"] = gkmlpt_api(
        [(10555162, "2024年广州市白云区教育局政府信息公开工作年度报告", "gzbyjy")]
    )
    pages[f"{BY}/gzbytjj/gkmlpt/index"] = gkmlpt_index("200799", 2901)
    pages[f"{BY}/gkmlpt/api/all/2901?page=1&sid=200799"] = gkmlpt_api(
        [(10800002, "广州市白云区统计局2024年政府信息公开工作年度报告", "gzbytjj")]
    )
    # the city portal's 各区 column: every district's report (§0.2)
    pages[GQ] = w.page(
        "各区 - 广州市人民政府门户网站",
        w.list_rows(
            [
                (
                    GQ + "content/post_10121234.html",
                    "广州市白云区人民政府2024年度政府信息公开工作年度报告",
                    "2025-01-26",
                ),
                (
                    GQ + "content/post_10121299.html",
                    "广州市海珠区人民政府2024年度政府信息公开工作年度报告",
                    "2025-01-20",
                ),
            ]
        ),
    )
    pages[GQ + "content/post_10121234.html"] = w.nfcms_detail(
        "广州市白云区人民政府2024年度政府信息公开工作年度报告",
        "2025-01-26 17:20",
        "广州市白云区人民政府",
        w.report_body("白云区人民政府", 2024),
        "广州市人民政府门户网站",
    )
    for column, items in REPORTS.items():
        for post_id, title, date, source in items:
            pages[post(column, post_id)] = w.nfcms_detail(
                title, date, source, w.report_body(source, 2024), SITE
            )
    for site, post_id, title in (
        ("gzbyjy", 10555162, "2024年广州市白云区教育局政府信息公开工作年度报告"),
        ("gzbytjj", 10800002, "广州市白云区统计局2024年政府信息公开工作年度报告"),
    ):
        pages[gkmlpt_post(site, post_id)] = w.nfcms_detail(
            title, "2025-01-20 10:00", "白云区", w.report_body(title, 2024), SITE
        )
    return pages


def gkmlpt_post(site: str, post_id: int) -> str:
    return f"{BY}/{site}/gkmlpt/content/{post_id // 10**6}/{post_id // 10**3}/post_{post_id}.html"


def gkmlpt_index(sid: str, cat: int) -> str:
    config = (
        f'window._CONFIG = {{SID:\'{sid}\', TREE: [{{"id": 1, "name": "政府信息公开目录", '
        f'"children": [{{"id": {cat}, "name": "政府信息公开年报", "children": []}}, '
        f'{{"id": {cat + 1}, "name": "财政预决算", "children": []}}]}}], SERVICE_AREA_ID: 1}};'
    )
    return w.page("政府信息公开", f'<div id="app">加载中……</div><script>{config}</script>')


def gkmlpt_api(articles: list[tuple[int, str, str]]) -> Page:
    data = {
        "classify": {"post_count": len(articles)},
        "articles": [
            {
                "id": i,
                "title": t,
                "url": gkmlpt_post(site, i),
                "post_url": gkmlpt_post(site, i),
                "created_at": "2025-01-20 10:00:00",
                "date": 1737338400,
            }
            for i, t, site in articles
        ],
    }
    return Page(json.dumps(data, ensure_ascii=False), JSON)


def expected_reports() -> list[str]:
    urls = [post(column, i) for column, items in REPORTS.items() for i, *_ in items]
    urls += [
        gkmlpt_post("gzbyjy", 10555162),
        gkmlpt_post("gzbytjj", 10800002),
        GQ + "content/post_10121234.html",
    ]
    return sorted(urls)


def test_every_report_is_found_from_the_home_page_and_the_hints() -> None:
    found = walk(ByGovCnSpider, world())
    assert found.report_urls == expected_reports()
    assert found.incomplete == []
    assert not any(k.startswith("discovery/entry_failed/") for k in found.stats)
    assert "discovery/failed/http_404" not in found.stats  # no link followed in vain
    assert "spider_exceptions/count" not in found.stats


def test_what_discovery_reads_and_what_it_leaves_alone() -> None:
    found = walk(ByGovCnSpider, world())
    requested = set(found.requested)
    assert {f"{BY}/zwgk/", f"{BY}/gzjg/", f"{BY}/gzjg/qtjj/", f"{BY}/gzjg/qxfj/"} <= requested
    # every column of a unit's folder is read; the title classifier keeps the reports only
    unit_columns = {
        f"{BY}/gzjg/qtjj/tjnb/",  # 统计年报: named like a 年报 column, another report
        f"{BY}/gzjg/qxfj/gzdt/",  # a unit's news, where its report was posted
        f"{BY}/gzjg/qwbgs/tzgg/",  # a unit's notices
    }
    assert unit_columns <= requested
    assert found.stats["titles/rejected/no_report_name"] == 3  # 统计年报, 接待日, 值班安排
    never = {
        f"{BY}/zwgk/zn/",  # 政府信息公开指南
        f"{BY}/zwgk/zcwj/",  # 政策文件
        f"{BY}/zwfw/",  # 政务服务
    }
    assert requested & never == set()
    # on www.gz.gov.cn only the hinted column and the Baiyun report it lists
    assert sorted(u for u in requested if "gz.gov.cn" in u) == [
        GQ,
        GQ + "content/post_10121234.html",
    ]
    assert found.stats["portal/out_of_scope_skipped"] == 1  # the Haizhu report there


def test_items_carry_the_column_that_listed_them() -> None:
    found = walk(ByGovCnSpider, world())
    by_url = {item.url: item.column for item in found.items}
    assert by_url[post(f"{BY}/zwgk/qzfxxgknb/zj/", 9531870)] == f"{BY}/zwgk/qzfxxgknb/zj/"  # page 2
    assert by_url[gkmlpt_post("gzbytjj", 10800002)] == f"{BY}/gzbytjj/gkmlpt/index#2901"
    assert by_url[GQ + "content/post_10121234.html"] == GQ


def test_rejected_titles_are_counted_by_reason() -> None:
    found = walk(ByGovCnSpider, world())
    assert found.stats["titles/rejected/work_plan"] == 1
    assert found.stats["titles/rejected/guide"] == 2  # the HTML row and the JSON article


def test_a_hint_that_answers_404_is_named_and_the_rest_is_still_found() -> None:
    pages = world()
    del pages[f"{BY}/gzbyjy/gkmlpt/index"]
    found = walk(ByGovCnSpider, pages)
    assert found.stats[f"discovery/entry_failed/{BY}/gzbyjy/gkmlpt/index"] == "http_404"
    assert gkmlpt_post("gzbytjj", 10800002) in found.report_urls


def test_discovery_stops_at_its_depth_and_page_limits() -> None:
    shallow = walk(ByGovCnSpider, world(), DISCOVERY_MAX_DEPTH=0)
    assert f"{BY}/zwgk/" not in shallow.requested  # one hop from the home page
    assert post(f"{BY}/gzjg/qtjj/xxgknb/", 10800001) not in shallow.report_urls
    assert post(f"{BY}/zwgk/qzfxxgknb/zj/", 9531870) in shallow.report_urls  # via the hint
    few = walk(ByGovCnSpider, world(), DISCOVERY_MAX_PAGES=2)
    assert few.stats["discovery/page_limit"] >= 1
    assert few.stats["discovery/channels"] <= 3  # the home page is an entry point, not counted


def test_every_list_json_and_pagination_request_carries_its_column() -> None:
    found = walk(ByGovCnSpider, world())
    lists = [
        r
        for r in found.requests
        if r.callback.__name__
        in {"parse_list", "parse_json_list", "parse_gkmlpt_api", "parse_column"}
    ]
    # 7 report columns, 3 other columns of units, a JSON list, a page 2, three gkmlpt API pages
    assert len(lists) == 15
    assert [r.url for r in lists if not r.meta.get("column")] == []
    details = [r for r in found.requests if r.callback.__name__ == "parse_detail"]
    assert all(r.meta["column"] and r.meta["list_url"] for r in details)
    # channel pages are navigation: no column, so a dead link is no evidence about any column
    channels = [r for r in found.requests if r.callback.__name__ == "parse_channel"]
    assert channels and all(r.meta["discovery"] and "column" not in r.meta for r in channels)
