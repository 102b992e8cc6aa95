"""by_gov_cn on pages saved from the old sandbox (tests/fixtures/by_gov_cn/, refresh.py re-saves
them): every list shape (HTML pages, JSON list, the gz.gov.cn 各区 column, the gkmlpt list read
through its API) and every detail shape, with exact titles, units, years, dates and page URLs."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.http import Response

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import ListEntry, PortalDeclarationError, PortalSpider
from tests.helpers import detail_item, fixture_response, spider_for
from tests.portals import ByGovCnSpider

BY = "https://www.by.gov.cn"
ZJ = f"{BY}/zwgk/qzfxxgknb/zj/"
BM = f"{BY}/zwgk/qzfxxgknb/bm/"
QCZJ = f"{BY}/gzjg/qczj/zfxxgkgzndbg/"
GQ = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
GKMLPT = f"{BY}/gzbyjy/gkmlpt/index"
DISTRICT_2024 = "广州市白云区人民政府2024年度政府信息公开工作年度报告"
HELONG_2018 = "广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告"


class _Engine:
    """Answers the spider's attachment/image fetches without a network."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    async def download_async(self, request):
        self.urls.append(request.url)
        return Response(request.url, status=200, body=b"\x89PNG\r\n\x1a\n", request=request)


spider = spider_for(ByGovCnSpider, project=False, engine=_Engine)


def page(name: str, **meta) -> Response:
    return fixture_response("by_gov_cn", name, meta=meta or None)


def entries(requests) -> list[ListEntry]:
    return [r.cb_kwargs["entry"] for r in requests if r.callback.__name__ == "parse_detail"]


def stat(spider, key: str) -> int | None:
    return spider.crawler.stats.get_value(key)


def detail(spider, name: str):
    return detail_item(spider, page(name, list_url=ZJ))


def by_callback(requests) -> dict[str, list]:
    found: dict[str, list] = {}
    for request in requests:
        found.setdefault(request.callback.__name__, []).append(request)
    return found


# -- declaration ---------------------------------------------------------------------------------


def test_spider_declares_its_home_page_and_three_hints_and_no_browser() -> None:
    assert ByGovCnSpider.start_urls == [f"{BY}/"]
    assert ByGovCnSpider.hints == [f"{BY}/zwgk/qzfxxgknb/", GKMLPT, GQ]
    assert "DOWNLOAD_HANDLERS" not in (ByGovCnSpider.custom_settings or {})


def test_start_walks_the_home_page_then_reads_the_hints(spider) -> None:
    async def collect():
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    assert [(r.url, r.callback.__name__) for r in requests] == [
        (f"{BY}/", "parse_channel"),
        (f"{BY}/zwgk/qzfxxgknb/", "parse_column"),
        (GKMLPT, "parse_gkmlpt_index"),
        (GQ, "parse_column"),
    ]
    assert requests[0].meta["entry"] and requests[1].meta["hint"] and requests[3].meta["hint"]
    assert [r.meta.get("column") for r in requests] == [None, f"{BY}/zwgk/qzfxxgknb/", None, GQ]
    assert not any(r.meta.get("playwright") for r in requests)


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"js_lists": {"https://www.by.gov.cn/other/": "li a"}}, "js_lists key"),
        ({"hints": [f"{BY}/a/"], "js_lists": {f"{BY}/a/": "li[["}}, "js_lists CSS"),
        ({"hints": [f"{BY}/a/"], "column_title_filters": {f"{BY}/a/": "白云("}}, "title filter"),
        ({"column_title_filters": {GQ: "白云区"}}, "column_title_filters key"),
    ],
)
def test_cluster_declarations_fail_at_import(attrs: dict, message: str) -> None:
    body = {
        "name": "bad_portal",
        "portal_name": "测试",
        "allowed_domains": ["by.gov.cn"],
        "start_urls": [f"{BY}/"],
        "content_selector": "#zoomcon",
        **attrs,
    }
    with pytest.raises(PortalDeclarationError, match=message):
        type("BadSpider", (NfcmsMixin, PortalSpider), body)


def test_home_page_leads_to_every_report_column_it_links(spider) -> None:
    home = page("root_index.html")  # any page of the portal: its links are classified alike
    home.meta.update({"depth": 0})
    made = by_callback(spider.discover(home))
    columns = sorted(r.url for r in made.get("parse_column", []))
    assert f"{BY}/zwgk/qzfxxgknb/bm/" in columns and f"{BY}/zwgk/qzfxxgknb/zj/" in columns
    assert all(r.meta["discovery"] and r.meta["column"] for r in made["parse_column"])


# -- lists: HTML pages, the JSON list's page beside them ------------------------------------------


@pytest.mark.parametrize(
    ("name", "json_url"),
    [
        ("root_index.html", f"{BY}/postmeta/i/25190.json"),
        ("zj_index.html", f"{BY}/postmeta/i/25192.json"),
        ("qczj_index.html", f"{BY}/postmeta/i/25334.json"),
        ("gz_index.html", "https://www.gz.gov.cn/postmeta/i/5842.json"),
    ],
)
def test_column_page_also_asks_for_its_json_list(spider, name: str, json_url: str) -> None:
    made = by_callback(spider.parse_column(page(name)))
    assert [r.url for r in made["parse_json_list"]] == [json_url]
    assert made["parse_json_list"][0].meta["column"] == spider.column_key(page(name).url)


def test_json_list_follows_reports_and_invents_no_next_page(spider) -> None:
    requests = list(spider.parse_json_list(page("list_25192.json", column=ZJ)))
    found = entries(requests)
    assert len(requests) == len(found) == 8
    assert found[0] == ListEntry(
        url=ZJ + "content/post_11010937.html",
        title="广州市白云区人民政府三元里街道办事处2025年度政府信息公开工作年度报告",
        date="2026-02-27",
    )
    assert found[4].url == "http://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_8730332.html"
    assert (stat(spider, "portal/list_entries"), stat(spider, "portal/nonreport_skipped")) == (
        10,
        2,
    )


def test_json_list_of_the_central_column_holds_the_district_reports(spider) -> None:
    found = entries(spider.parse_json_list(page("list_25190.json", column=f"{BY}/zwgk/qzfxxgknb/")))
    assert [(e.title, e.date) for e in found] == [
        (DISTRICT_2024, "2025-01-26"),
        ("广州市白云区人民政府2023年政府信息公开工作年度报告", "2024-01-15"),
        ("广州市白云区人民政府2022年政府信息公开年度报告", "2023-02-22"),
        ("广州市白云区人民政府2020年政府信息公开年度报告", "2021-01-21"),
    ]
    assert stat(spider, "titles/rejected/guide") == 1  # 广州市白云区人民政府信息公开指南


@pytest.mark.parametrize("spider", [{"list_source": "html"}], indirect=True)
def test_list_source_html_walks_the_html_pages(spider) -> None:
    made = by_callback(spider.parse_column(page("zj_index.html")))
    assert len(made["parse_detail"]) == 8 and "parse_json_list" not in made
    assert [r.url for r in made["parse_list"]] == [ZJ + "index_2.html", ZJ + "index_3.html"]


@pytest.mark.parametrize(
    ("name", "reports", "next_url", "pages"),
    [
        ("root_index.html", 4, None, []),
        ("bm_index.html", 9, BM + "index_2.html", [BM + "index_2.html"]),
        ("zj_index.html", 8, ZJ + "index_2.html", [ZJ + "index_2.html", ZJ + "index_3.html"]),
        ("zj_index_2.html", 10, ZJ + "index_3.html", [ZJ + "index_3.html"]),
        ("zj_index_3.html", 6, None, [ZJ + "index_2.html"]),
        ("qczj_index.html", 4, QCZJ + "index_2.html", [QCZJ + "index_2.html"]),
        ("qczj_index_2.html", 3, None, []),
        ("gz_index.html", 2, GQ + "index_2.html", [GQ + "index_2.html"]),
        ("gz_index_2.html", 1, None, []),
    ],
)
def test_html_list_pages_and_their_pager(spider, name: str, reports: int, next_url, pages) -> None:
    requests = list(spider.parse_list(page(name)))
    assert len(entries(requests)) == reports
    assert spider.next_page(page(name)) == next_url
    assert [r.url for r in requests if r.callback == spider.parse_list] == pages


def test_seed_row_and_http_row_on_zj_pages(spider) -> None:
    found = entries(spider.parse_list(page("zj_index_2.html")))
    assert found[5] == ListEntry(ZJ + "content/post_5784622.html", HELONG_2018, "2019-02-13")
    http_row = found[8]
    assert http_row.url == "http://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_5673210.html"
    assert spider.canonical_url(http_row.url) == ZJ + "content/post_5673210.html"


def test_bm_lists_justice_reports_by_their_mobile_url(spider) -> None:
    found = entries(spider.parse_list(page("bm_index.html")))
    mobile = [e for e in found if "/mpost_" in e.url]
    assert [(e.url, e.title) for e in mobile] == [
        (
            f"{BY}/gzjg/qsfj/zfxxgkgzndbg/content/mpost_10911078.html",
            "广州市白云区司法局2025年政府信息公开工作年度报告",
        ),
        (
            f"{BY}/gzjg/qsfj/zfxxgkgzndbg/content/mpost_9449560.html",
            "2023年广州市白云区司法局政府信息公开工作年度报告",
        ),
    ]
    assert [spider.canonical_url(e.url) for e in mobile] == [
        f"{BY}/gzjg/qsfj/zfxxgkgzndbg/content/post_10911078.html",
        f"{BY}/gzjg/qsfj/zfxxgkgzndbg/content/post_9449560.html",
    ]


def test_gz_column_keeps_only_baiyun_reports(spider) -> None:
    found = entries(spider.parse_list(page("gz_index.html")))
    assert found == [
        ListEntry(GQ + "content/post_10121234.html", DISTRICT_2024, "2025-01-26"),
        ListEntry(
            GQ + "content/post_9459871.html",
            "广州市白云区人民政府2023年政府信息公开工作年度报告",
            "2024-01-15",
        ),
    ]
    assert stat(spider, "portal/out_of_scope_skipped") == 8  # other districts' reports
    raw = page("gz_index.html").text
    assert "广州市海珠区人民政府" in raw and "广州市番禺区人民政府" in raw


def test_gz_json_list_keeps_the_2015_report_listed_by_its_mobile_url(spider) -> None:
    requests = list(spider.parse_json_list(page("gz_list_5842.json", column=GQ)))
    assert [e.url for e in entries(requests)] == [
        GQ + "content/post_10121234.html",
        GQ + "content/post_9459871.html",
    ]
    page_two = entries(spider.parse_list(page("gz_index_2.html")))
    assert page_two == [
        ListEntry(
            GQ + "content/mpost_5632792.html",
            "广州市白云区人民政府2015年度政府信息公开工作年度报告",
            "2016-03-25",
        )
    ]


# -- the gkmlpt sub-site: its list API, no browser -----------------------------------------------


def test_gkmlpt_index_config_names_the_report_category_and_its_api(spider) -> None:
    index = page("gkmlpt_index.html", key=GKMLPT)
    (request,) = list(spider.parse_gkmlpt_index(index))
    assert request.url == f"{BY}/gzbyjy/gkmlpt/api/all/2851?page=1&sid=200711"
    assert request.meta["column"] == GKMLPT + "#2851"
    assert request.callback == spider.parse_gkmlpt_api
    assert "加载中" in index.text  # without a browser the page itself lists nothing


def test_gkmlpt_api_page_follows_reports_and_stops_at_post_count(spider) -> None:
    answer = page("gkmlpt_api_2851.json", column=GKMLPT + "#2851")
    kwargs = {"index": GKMLPT, "cat": "2851", "sid": "200711", "page": 1, "attempt": 0}
    requests = list(spider.parse_gkmlpt_api(answer, **kwargs))
    found = entries(requests)
    assert len(requests) == len(found) == 6  # post_count 7, all on page 1: no page 2
    assert found[0] == ListEntry(
        f"{BY}/gzbyjy/gkmlpt/content/10/10555/post_10555162.html",
        "2024年广州市白云区教育局政府信息公开工作年度报告",
        "2025-07-27T11:33:04",  # created_at, as the API gives it
    )
    assert found[-1].title == "广州市白云区教育局2019年政府信息公开工作年度报告"
    assert stat(spider, "portal/nonreport_skipped") == 1  # 广州市白云区教育局2024年部门预算
    spider.report_incomplete_columns()
    assert stat(spider, "portal/columns_incomplete") is None  # 7 shown of 7


def test_rendered_gkmlpt_list_reads_like_any_list(spider) -> None:
    found = entries(spider.parse_list(page("gkmlpt_rendered.html")))
    assert [e.url.rsplit("/", 1)[-1] for e in found] == [
        "post_10555162.html",
        "post_9407028.html",
        "post_8765295.html",
        "post_8327562.html",
        "post_7088641.html",
        "post_6500945.html",
    ]


# -- detail pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "unit", "year", "published_at", "canonical"),
    [
        # seed 000: 来源:鹤龙街 abbreviates the unit the title names in full
        ("post_5784622.html", HELONG_2018, "鹤龙街道办事处", 2018, "2019-02-13T16:05",
         ZJ + "content/post_5784622.html"),
        ("mpost_5784622.html", HELONG_2018, "鹤龙街道办事处", 2018, "2019-02-13T16:05",
         ZJ + "content/post_5784622.html"),
        # 来源:棠景街 (docs/portals.md §2), charset only in <meta>
        ("post_8041063.html", "广州市白云区人民政府棠景街道办事处2021年政府信息公开工作年度报告",
         "棠景街道办事处", 2021, "2022-01-24T10:12", ZJ + "content/post_8041063.html"),
        # 来源: 本网 in meta and label: the unit comes from the title
        ("post_5638147.html", "广州市白云区人民政府新市街道办事处2016年政府信息公开工作年度报告",
         "新市街道办事处", 2016, "2017-03-17T17:47:24", ZJ + "content/post_5638147.html"),
        # empty ContentSource meta: the 来源 label
        ("post_7043430.html", "广州市白云区人民政府办公室2020年政府信息公开年度报告",
         "白云区人民政府办公室", 2020, "2021-01-19T09:36", BM + "content/post_7043430.html"),
        ("post_9472985.html", "广州市白云区档案局2023年政府信息公开年度报告", "白云区档案局",
         2023, "2024-01-23T15:42:26", f"{BY}/gzjg/qwbgs/zfxxgkgzndbg/content/post_9472985.html"),
        ("post_6419323.html", "广州市白云区财政局2019年政府信息公开工作年度报告", "白云区财政局",
         2019, "2020-01-11T10:22", QCZJ + "content/post_6419323.html"),
        ("post_10156706.html", DISTRICT_2024, "白云区人民政府", 2024, "2025-01-26T17:20",
         f"{BY}/zwgk/qzfxxgknb/content/post_10156706.html"),
        # the same report on the city portal: same fields, its own URL (dedup joins them by text)
        ("gz_post_10121234.html", DISTRICT_2024, "白云区人民政府", 2024, "2025-01-26T17:20",
         GQ + "content/post_10121234.html"),
        ("gz_mpost_5632792.html", "广州市白云区人民政府2015年度政府信息公开工作年度报告",
         "白云区人民政府", 2015, "2016-03-25T10:04:51", GQ + "content/post_5632792.html"),
        ("gkmlpt_post_9407028.html", "广州市白云区教育局2023年政府信息公开年度报告",
         "白云区教育局", 2023, "2024-01-04T08:26",
         f"{BY}/gzbyjy/gkmlpt/content/9/9407/post_9407028.html"),
    ],
)  # fmt: skip
def test_detail_fields_come_from_the_page(spider, name, title, unit, year, published_at, canonical):
    item = detail(spider, name)
    assert (item.title, item.unit, item.report_year, item.published_at) == (
        title,
        unit,
        year,
        published_at,
    )
    assert spider.canonical_url(item.url) == canonical
    assert item.portal == "by_gov_cn" and item.content_selector == "#zoomcon"
    assert item.capture.referer == ZJ and item.capture.run_id == "run-test"


def test_abbreviated_source_is_what_the_page_says(spider) -> None:
    response = page("post_5784622.html")
    assert spider.meta(response, "ContentSource") == "鹤龙街"
    line = response.css(".laiyuan").xpath("string()").get()
    assert line == "发布时间:2019-02-13 来源:鹤龙街 字体大小:大 中 小"
    assert detail(spider, "post_5784622.html").unit == "鹤龙街道办事处"


def test_tables_posted_as_images_are_fetched_as_images(spider) -> None:
    item = detail(spider, "post_9472985.html")
    base = f"{BY}/img/9/9472/"
    assert [(a.url, a.filename) for a in item.images] == [
        (base + "9472986/1705995746322.png", "1705995746322.png"),
        (base + "9472987/clipbord_1705996755142.png", "clipbord_1705996755142.png"),
        (base + "9472988/clipbord_1705996762493.png", "clipbord_1705996762493.png"),
        (base + "9472989/clipbord_1705996769844.png", "clipbord_1705996769844.png"),
    ]
    assert item.attachments == []
    assert spider.crawler.engine.urls == [a.url for a in item.images]
    body = " ".join(page("post_9472985.html").css("#zoomcon ::text").getall())
    assert "本年新收政府信息公开申请数量" not in body  # table 3 exists only in the picture
    assert "二、主动公开政府信息情况" in body


def test_attachment_only_report_links_its_pdf(spider) -> None:
    item = detail(spider, "post_6419323.html")
    assert [(a.url, a.filename) for a in item.attachments] == [
        (
            f"{BY}/attachment/6/6419/6419308/6419323.pdf",
            "广州市白云区财政局2019年政府信息公开工作年度报告.pdf",
        )
    ]
    assert item.attachments[0].capture.referer == QCZJ + "content/post_6419323.html"
    body = " ".join(page("post_6419323.html").css("#zoomcon ::text").getall()).strip()
    assert body.endswith("全文予以公开，详见附件。")
    assert item.images == []


def test_report_with_a_pdf_copy_keeps_both(spider) -> None:
    item = detail(spider, "post_11010937.html")
    assert [a.url for a in item.attachments] == [f"{BY}/attachment/11/11010/11010893/11010937.pdf"]
    body = " ".join(page("post_11010937.html").css("#zoomcon ::text").getall())
    assert "一、总体情况" in body and "智能问答" not in body


def test_gz_repost_has_the_by_page_body_under_other_chrome() -> None:
    by = page("post_10156706.html")
    gz = page("gz_post_10121234.html")
    assert by.css("#zoomcon > *").getall() == gz.css("#zoomcon > *").getall()
    assert gz.css("#laiyuan b::text").get() == "广州市白云区人民政府"
    assert by.css(".laiyuan b::text").get() == "白云区人民政府"
    assert "广州市人民政府门户网站" in gz.css("title::text").get()


# -- sandbox scoring: a report counts under any of its URLs ---------------------------------------


def test_manifest_scores_follow_aliases_and_sightings(tmp_path) -> None:
    from crawler.archive import open_archive
    from crawler.commands.crawl import _manifest_scores

    seed = ZJ + "content/post_5784622.html"
    district = f"{BY}/zwgk/qzfxxgknb/content/post_10156706.html"
    gz_copy = GQ + "content/post_10121234.html"
    db = open_archive(tmp_path / "archive.db")
    archived = [  # (canonical URL, sighting URLs)
        (gz_copy, [gz_copy, district]),  # the city portal's copy happened to come first
        (seed, [seed.replace("/post_", "/mpost_")]),
        ("http://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_5784622.html", []),  # a missed dup
        (GQ + "2020n/content/post_7094298.html", []),  # another district's report
    ]
    for report_id, (canonical, sighted) in enumerate(archived, start=1):
        db["reports"].insert({"id": report_id, "portal": "by_gov_cn", "canonical_url": canonical})
        for url in sighted:
            db["sightings"].insert({"report_id": report_id, "url": url})
    db.close()
    manifest = {
        "reports": [
            {"portal": "by_gov_cn", "url": district, "aliases": [gz_copy]},
            {"portal": "by_gov_cn", "url": seed, "aliases": [seed.replace("https", "http")]},
            {"portal": "by_gov_cn", "url": ZJ + "content/post_8041063.html", "aliases": []},
        ]
    }
    recall, precision, expected = _manifest_scores(str(tmp_path / "archive.db"), manifest)[
        "by_gov_cn"
    ]
    assert (recall, precision, expected) == (2 / 3, 2 / 4, 3)
