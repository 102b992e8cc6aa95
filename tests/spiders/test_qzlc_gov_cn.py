"""qzlc_gov_cn on pages saved from the sandbox (tests/fixtures/qzlc_gov_cn/), plus one real crawl
of the sandbox checked against its manifest.

Re-save the pages after a sandbox change: `PYTHONPATH=. .venv/bin/python tests/spiders/test_qzlc_gov_cn.py`.
"""

import asyncio

import pytest

from crawler.portal import ListEntry
from tests.helpers import against_manifest, crawl_portal, detail_item, fixture_response, spider_for
from tests.portals import QzlcGovCnSpider

PORTAL = "qzlc_gov_cn"
SITE = "https://www.qzlc.gov.cn"
QZFNDBG = SITE + "/xxgk/zfxxgk/qzfxxgknb/qzfndbg/"
NOTICES = SITE + "/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/"
JLJD_NB = SITE + "/zwgk/zj/jljd/nb/"
SEED = JLJD_NB + "201801/t20180103_1277517.htm"
FORWARD = NOTICES + "202401/t20240122_2996819.htm"
ONLY = SITE + "/zwgk/bm/scjgj/lcqzfxxgkml/30yzdgkdqtzfxx/202203/t20220309_2708291.htm"
DETAILS = {
    "t20180103_1277517.htm": SEED,
    "t20160223_945388.htm": SITE + "/zwgk/zj/kyjd/nb/201602/t20160223_945388.htm",
    "t20180312_1344365.htm": QZFNDBG + "201803/t20180312_1344365.htm",
    "t20220107_2681142.htm": SITE + "/zwgk/bm/swj/nb/202201/t20220107_2681142.htm",
    "t20210219_2375400.htm": SITE + "/zwgk/bm/nlsj/nb/202102/t20210219_2375400.htm",
    "t20230110_2840494.htm": SITE
    + "/zwgk/bm/kjj/lcqzfxxgkml/30yzdgkdqtzfxx/202301/t20230110_2840494.htm",
    "t20260128_3262168.htm": QZFNDBG + "202601/t20260128_3262168.htm",
    "t20240122_2996819.htm": FORWARD,
    "t20220309_2708291.htm": ONLY,
    "t20210321_2404646.htm": SITE + "/zwgk/zj/jnjd/lcqzfxxgkml/30gxzd/202103/t20210321_2404646.htm",
}
PAGES = {
    "qzfndbg_index.htm": QZFNDBG,
    "qzfndbg_index_1.htm": QZFNDBG + "index_1.htm",
    "notices_index.htm": NOTICES,
    "notices_index_1.htm": NOTICES + "index_1.htm",
    "notices_index_2.htm": NOTICES + "index_2.htm",
    "jljd_nb.htm": JLJD_NB,
    "bm.htm": SITE + "/zwgk/bm/",
    "zj.htm": SITE + "/zwgk/zj/",
    **DETAILS,
}


spider = spider_for(QzlcGovCnSpider)


def stats(spider: QzlcGovCnSpider) -> dict:
    return spider.crawler.stats.get_stats()


def walk(spider: QzlcGovCnSpider, name: str) -> tuple[list[ListEntry], list[str]]:
    """One list page: the report entries followed, and the next page (if any)."""
    requests = list(spider.parse_list(fixture_response(PORTAL, name)))
    entries = [r.cb_kwargs["entry"] for r in requests if r.callback == spider.parse_detail]
    pages = [r.url for r in requests if r.callback == spider.parse_list]
    return entries, pages


def detail(spider: QzlcGovCnSpider, name: str):
    return detail_item(spider, fixture_response(PORTAL, name, meta={"list_url": QZFNDBG}))


def test_start_walks_the_home_page_then_reads_the_hints(spider) -> None:
    async def collect():
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (SITE + "/", "parse_channel"),
        (QZFNDBG, "parse_column"),
        (NOTICES, "parse_column"),
    ]


def test_unit_directories_lead_to_every_unit_then_its_columns(spider) -> None:
    def walk_directory(name: str, url: str) -> list:
        spider.found.channels.add(url)  # as requested by the crawl
        response = fixture_response(PORTAL, name, meta={"depth": 2, "key": url})
        return list(spider.parse_channel(response))

    departments = walk_directory("bm.htm", SITE + "/zwgk/bm/")
    streets = walk_directory("zj.htm", SITE + "/zwgk/zj/")
    units = [r for r in departments + streets if r.meta["depth"] == 2]
    assert len(units) == 19  # 11 departments, 8 streets
    assert [r.url for r in units[:2]] == [SITE + "/zwgk/bm/fgj/", SITE + "/zwgk/bm/jyj/"]
    assert units[-1].url == SITE + "/zwgk/zj/ctjd/"
    # the navigation's 政务公开 and 信息公开 channels, one hop further (once per run)
    assert [(r.url, r.meta["depth"]) for r in departments + streets if r not in units] == [
        (SITE + "/zwgk/", 3),
        (SITE + "/xxgk/", 3),
    ]
    assert stats(spider)["discovery/channels"] == 2


def test_a_unit_page_names_its_report_column_and_its_catalogue_categories(spider) -> None:
    spider.found.channels.update({SITE + "/zwgk/bm/", SITE + "/zwgk/bm/swj/"})  # as crawled
    unit = fixture_response(PORTAL, "bm.htm").replace(
        url=SITE + "/zwgk/bm/swj/",
        body=(
            '<html><head><meta charset="utf-8"></head><body><div class="dqwz">当前位置：'
            '<a href="/">首页</a> &gt; <a href="/zwgk/bm/">部门信息公开</a> &gt; '
            '<a href="/zwgk/bm/swj/">商务局</a></div><ul class="dir">'
            '<li><a href="./nb/">政府信息公开年度报告</a></li>'
            '<li><a href="./lcqzfxxgkml/30yzdgkdqtzfxx/">应主动公开的其他政府信息</a></li>'
            "</ul></body></html>"
        ).encode(),
    )
    requests = list(spider.parse_channel(unit))
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (SITE + "/zwgk/bm/swj/nb/", "parse_column"),  # by its name (docs/portals.md §5)
        (SITE + "/zwgk/bm/swj/lcqzfxxgkml/30yzdgkdqtzfxx/", "parse_column"),  # list_columns
    ]


def test_first_page_of_a_two_page_list(spider) -> None:
    entries, pages = walk(spider, "qzfndbg_index.htm")
    assert pages == [QZFNDBG + "index_1.htm"]  # createPageHTML(2, 0, "index", "htm")
    assert len(entries) == 8
    assert entries[0] == ListEntry(
        url=QZFNDBG + "202601/t20260128_3262168.htm",
        title="泉州市鲤城区人民政府2025年政府信息公开工作年度报告",
        date="2026-01-28",
    )
    # 政府信息公开指南 and 年度报表 are listed beside the reports and skipped
    assert (stats(spider)["portal/list_entries"], stats(spider)["portal/nonreport_skipped"]) == (
        10,
        2,
    )


def test_last_page_of_a_two_page_list(spider) -> None:
    entries, pages = walk(spider, "qzfndbg_index_1.htm")
    assert pages == []  # createPageHTML(2, 1, ...): no page after the last
    assert [e.url for e in entries] == [
        QZFNDBG + "201702/t20170220_1122219.htm",
        QZFNDBG + "201607/t20160714_1015262.htm",
        QZFNDBG + "201503/t20150307_771020.htm",
    ]


def test_three_page_notice_list_keeps_only_the_forwarding_notice(spider) -> None:
    first, first_next = walk(spider, "notices_index.htm")
    middle, middle_next = walk(spider, "notices_index_1.htm")
    last, last_next = walk(spider, "notices_index_2.htm")
    assert (first_next, middle_next, last_next) == (
        [NOTICES + "index_1.htm"],
        [NOTICES + "index_2.htm"],
        [],
    )
    # 关于报送…年度报告的通知 (page 1) and 泉鲤政办〔2017〕168号 (page 2) name the report but are not one
    assert first == [
        ListEntry(
            url=FORWARD,
            title="泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知",
            date="2024-01-22",
        )
    ]
    assert middle == last == []
    assert stats(spider)["portal/nonreport_skipped"] == 21


def test_one_page_list_has_no_next_page_and_dates_from_its_rows(spider) -> None:
    entries, pages = walk(spider, "jljd_nb.htm")
    assert pages == []  # createPageHTML(1, 0, ...)
    assert [(e.url, e.date) for e in entries] == [
        (JLJD_NB + "202202/t20220228_2703718.htm", "2022-02-28"),
        (JLJD_NB + "202002/t20200213_2018983.htm", "2020-02-13"),
        (SEED, "2018-01-02"),
    ]


@pytest.mark.parametrize(
    ("name", "title", "unit", "year", "published_at"),
    [
        # pre-2019 template: no meta tags, no metadata list; 来源 names the unit, 时间 the date
        ("t20180103_1277517.htm", "金龙街道办事处2017年政府信息公开工作年度报告", "金龙街道办事处", 2017, "2018-01-02T12:03"),
        # pre-2019, 来源:本站: the unit comes from the title
        ("t20160223_945388.htm", "泉州市鲤城区人民政府开元街道办事处2015年政府信息公开年度报告", "开元街道办事处", 2015, "2016-02-23T17:44"),
        # the district government itself, 来源:鲤城区人民政府
        ("t20180312_1344365.htm", "泉州市鲤城区人民政府2017年政府信息公开工作年度报告", "鲤城区人民政府", 2017, "2018-03-12T15:51"),
        # post-2019 template without the metadata list: meta tags, ContentSource = 来源
        ("t20220107_2681142.htm", "泉州市鲤城区商务局2021年政府信息公开工作年度报告", "鲤城区商务局", 2021, "2022-01-07T09:12:00"),
        # ContentSource and 来源 say 本站: the title's unit
        ("t20210219_2375400.htm", "泉州市鲤城区农业农村和水利局2020年政府信息公开年度报告", "鲤城区农业农村和水利局", 2020, "2021-02-19T12:44"),
        # 发布机构 泉州市鲤城区科学技术局 wins over 来源:鲤城区科技局
        ("t20230110_2840494.htm", "泉州市鲤城区科学技术局2022年政府信息公开年度报告", "鲤城区科学技术局", 2022, "2023-01-10T09:04:00"),
        # 发布机构 泉州市鲤城区人民政府 wins over 来源:鲤城区人民政府办公室 (who posted it)
        ("t20260128_3262168.htm", "泉州市鲤城区人民政府2025年政府信息公开工作年度报告", "鲤城区人民政府", 2025, "2026-01-28T16:21"),
        # a title without a year: the year before publication
        ("t20210321_2404646.htm", "江南街道办事处政府信息公开工作年度报告", "江南街道办事处", 2020, "2021-03-21T08:36:00"),
    ],
)  # fmt: skip
def test_detail_fields_come_from_the_page(spider, name, title, unit, year, published_at) -> None:
    item = detail(spider, name)
    assert (item.title, item.unit, item.report_year, item.published_at) == (
        title,
        unit,
        year,
        published_at,
    )
    assert item.url == DETAILS[name]
    assert item.content_selector == ".TRS_Editor"
    assert item.capture.referer == QZFNDBG


def test_forwarded_report_is_the_notice_s_page_with_the_report_s_unit(spider) -> None:
    item = detail(spider, "t20240122_2996819.htm")
    assert item.title == (
        "泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知"
    )
    # the page's 发布机构 is 泉州市鲤城区人民政府办公室 (the notice's); the report is the government's
    assert (item.unit, item.report_year, item.published_at) == (
        "鲤城区人民政府",
        2023,
        "2024-01-22T16:05:00",
    )
    response = fixture_response(PORTAL, "t20240122_2996819.htm")
    assert spider.attachment_links(response) == [
        (
            NOTICES + "202401/P020240122847466123872.pdf",
            "泉州市鲤城区人民政府2023年政府信息公开工作年度报告.pdf",
        )
    ]


def test_attachment_only_report_links_its_docx_from_the_month_folder(spider) -> None:
    item = detail(spider, "t20220309_2708291.htm")
    assert (item.title, item.unit, item.report_year) == (
        "2021年泉州市鲤城区市场监督管理局政府信息公开工作年度报告",
        "鲤城区市场监督管理局",
        2021,
    )
    response = fixture_response(PORTAL, "t20220309_2708291.htm")
    assert spider.attachment_links(response) == [
        (
            ONLY.rsplit("/", 1)[0] + "/P020220309631150310031.docx",
            "2021年泉州市鲤城区市场监督管理局政府信息公开工作年度报告.docx",
        )
    ]
    body = response.css(".TRS_Editor p ::text").getall()
    assert [t.strip() for t in body if t.strip()] == [
        "现将《2021年泉州市鲤城区市场监督管理局政府信息公开工作年度报告》予以公开，详见附件。"
    ]


def test_canonical_url_is_https_on_the_portal_host(spider) -> None:
    assert spider.canonical_url(SEED.replace("https:", "http:")) == SEED


@pytest.mark.sandbox
def test_a_sandbox_crawl_archives_every_report_and_nothing_else(tmp_path) -> None:
    import sandbox

    run = crawl_portal(PORTAL, tmp_path / "qzlc.db")
    assert run.returncode == 0, run.stderr
    assert "recall 100% precision 100% of 58" in run.stdout
    archived, truth, wrong = against_manifest(run, PORTAL)
    assert archived == truth
    assert wrong == []
    manifest = sandbox.manifest()
    reports = [r for r in manifest["reports"] if r["portal"] == PORTAL]
    attachments = run.query("SELECT a.url, a.status, a.mime FROM attachments a ORDER BY a.url")
    sighted = {url for (url,) in run.query("SELECT url FROM sightings")}
    expected_files = sorted(a["url"] for r in reports for a in r["attachments"])
    assert [url for url, _s, _m in attachments] == expected_files
    assert {status for _u, status, _m in attachments} == {"ok"}  # octet-stream ones sniffed
    nonreports = {u for u in manifest["nonreports"] if "qzlc" in u}
    assert len(nonreports) == 147 and sighted.isdisjoint(nonreports)
    assert "t20230115_2841976.htm" in run.stderr  # the listed 404, warned by URL


if __name__ == "__main__":
    from tests.helpers import refresh

    refresh(PORTAL, PAGES)
