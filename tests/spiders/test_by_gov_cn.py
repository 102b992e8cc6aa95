"""by_gov_cn on pages saved from the sandbox (tests/fixtures/by_gov_cn/, refresh.py re-saves them):
every list shape (HTML pages, JSON list, the gz.gov.cn 各区 column, the gkmlpt list a script
builds) and every detail shape, with exact titles, units, years, dates and next-page URLs."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.http import HtmlResponse, Response

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import ListEntry, PortalDeclarationError, PortalSpider
from spiders.by_gov_cn import ByGovCnSpider
from tests.helpers import detail_item, fixture_response, spider_for

BY = "https://www.by.gov.cn"
ZJ = f"{BY}/zwgk/qzfxxgknb/zj/"
BM = f"{BY}/zwgk/qzfxxgknb/bm/"
QCZJ = f"{BY}/gzjg/qczj/zfxxgkgzndbg/"
GQ = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
GKMLPT = f"{BY}/gzbyjy/gkmlpt/index#2851"
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


# -- declaration ---------------------------------------------------------------------------------


def test_spider_declares_every_column_and_the_browser_only_for_gkmlpt() -> None:
    assert ByGovCnSpider.start_urls == [
        f"{BY}/zwgk/qzfxxgknb/",
        BM,
        ZJ,
        f"{BY}/gzjg/qwbgs/zfxxgkgzndbg/",
        QCZJ,
        f"{BY}/gzjg/qsfj/zfxxgkgzndbg/",
        GKMLPT,
        GQ,
    ]
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    assert ByGovCnSpider.custom_settings == {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler}
    }


def test_start_renders_only_the_gkmlpt_list_in_a_browser(spider) -> None:
    async def collect():
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    browser = [r for r in requests if r.meta.get("playwright")]
    assert [r.url for r in browser] == [GKMLPT]
    (wait,) = browser[0].meta["playwright_page_methods"]
    assert (wait.method, wait.args) == ("wait_for_selector", (".gkmlpt-list li a",))
    assert browser[0].callback == spider.parse_list
    assert browser[0].errback == spider.js_list_failed
    plain = [r for r in requests if not r.meta.get("playwright")]
    assert len(plain) == 7 and {r.callback for r in plain} == {spider.parse_column}


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"js_lists": {"https://www.by.gov.cn/other/": "li a"}}, "js_lists key"),
        ({"js_lists": {f"{BY}/a/": "li[["}}, "js_lists CSS"),
        ({"column_title_filters": {f"{BY}/a/": "白云("}}, "title filter"),
        ({"column_title_filters": {GQ: "白云区"}}, "column_title_filters key"),
    ],
)
def test_cluster_declarations_fail_at_import(attrs: dict, message: str) -> None:
    body = {
        "name": "bad_portal",
        "portal_name": "测试",
        "allowed_domains": ["by.gov.cn"],
        "start_urls": [f"{BY}/a/"],
        "content_selector": "#zoomcon",
        **attrs,
    }
    with pytest.raises(PortalDeclarationError, match=message):
        type("BadSpider", (NfcmsMixin, PortalSpider), body)


# -- lists: JSON first, HTML as the fallback -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "json_url"),
    [
        ("root_index.html", f"{BY}/postmeta/i/25190.json"),
        ("zj_index.html", f"{BY}/postmeta/i/25192.json"),
        ("qczj_index.html", f"{BY}/postmeta/i/25334.json"),
        ("gz_index.html", "https://www.gz.gov.cn/postmeta/i/5842.json"),
    ],
)
def test_column_page_switches_to_its_json_list(spider, name: str, json_url: str) -> None:
    (request,) = list(spider.parse_column(page(name)))
    assert request.url == json_url
    assert request.callback == spider.parse_json_list


def test_json_list_follows_reports_then_its_next_page(spider) -> None:
    column = page("zj_index.html")
    requests = list(spider.parse_json_list(page("list_25192.json"), column, "25192", 1))
    found = entries(requests)
    assert len(found) == 8
    assert found[0] == ListEntry(
        url=ZJ + "content/post_11010937.html",
        title="广州市白云区人民政府三元里街道办事处2025年度政府信息公开工作年度报告",
        date="2026-02-27",
    )
    assert found[4].url == "http://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_8730332.html"
    assert requests[-1].url == f"{BY}/postmeta/i/25192_2.json"
    assert (stat(spider, "portal/list_entries"), stat(spider, "portal/nonreport_skipped")) == (
        10,
        2,
    )


def test_last_json_page_has_no_next_page(spider) -> None:
    column = page("zj_index.html")
    requests = list(spider.parse_json_list(page("list_25192_3.json"), column, "25192", 3))
    assert [e.url.rsplit("/", 1)[-1] for e in entries(requests)] == [
        "post_5637143.html",
        "post_5630828.html",
        "post_5600229.html",
        "post_5597898.html",
        "post_5564056.html",
        "post_5562200.html",
    ]
    assert len(requests) == 6


def test_json_list_of_the_central_column_holds_the_district_reports(spider) -> None:
    column = page("root_index.html")
    found = entries(spider.parse_json_list(page("list_25190.json"), column, "25190", 1))
    assert [(e.title, e.date) for e in found] == [
        (DISTRICT_2024, "2025-01-26"),
        ("广州市白云区人民政府2023年政府信息公开工作年度报告", "2024-01-15"),
        ("广州市白云区人民政府2022年政府信息公开年度报告", "2023-02-22"),
        ("广州市白云区人民政府2020年政府信息公开年度报告", "2021-01-21"),
    ]
    assert stat(spider, "portal/nonreport_skipped") == 1  # 广州市白云区人民政府信息公开指南


@pytest.mark.parametrize("spider", [{"list_source": "html"}], indirect=True)
def test_list_source_html_walks_the_html_pages(spider) -> None:
    requests = list(spider.parse_column(page("zj_index.html")))
    assert len(entries(requests)) == 8
    assert requests[-1].url == ZJ + "index_2.html"


def test_broken_json_falls_back_to_the_html_pages(spider) -> None:
    column = page("zj_index.html")
    not_json = page("zj_index_2.html")  # an HTML page where JSON was expected
    requests = list(spider.parse_json_list(not_json, column, "25192", 1))
    assert len(entries(requests)) == 8
    assert requests[-1].url == ZJ + "index_2.html"
    assert stat(spider, "portal/json_list_fallback") == 1


@pytest.mark.parametrize(
    ("name", "reports", "next_url"),
    [
        ("root_index.html", 4, None),
        ("bm_index.html", 9, BM + "index_2.html"),
        ("zj_index.html", 8, ZJ + "index_2.html"),
        ("zj_index_2.html", 10, ZJ + "index_3.html"),
        ("zj_index_3.html", 6, None),
        ("qczj_index.html", 4, QCZJ + "index_2.html"),
        ("qczj_index_2.html", 3, None),
        ("gz_index.html", 2, GQ + "index_2.html"),
        ("gz_index_2.html", 1, None),
    ],
)
def test_html_list_pages_and_their_next_link(spider, name: str, reports: int, next_url) -> None:
    requests = list(spider.parse_list(page(name)))
    assert len(entries(requests)) == reports
    assert spider.next_page(page(name)) == next_url
    assert [r.url for r in requests if r.callback == spider.parse_list] == (
        [next_url] if next_url else []
    )


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
    column = page("gz_index.html")
    requests = list(spider.parse_json_list(page("gz_list_5842.json"), column, "5842", 1))
    assert [e.url for e in entries(requests)] == [
        GQ + "content/post_10121234.html",
        GQ + "content/post_9459871.html",
    ]
    assert requests[-1].url == "https://www.gz.gov.cn/postmeta/i/5842_2.json"
    page_two = entries(spider.parse_list(page("gz_index_2.html")))
    assert page_two == [
        ListEntry(
            GQ + "content/mpost_5632792.html",
            "广州市白云区人民政府2015年度政府信息公开工作年度报告",
            "2016-03-25",
        )
    ]


# -- the gkmlpt list: built by a script, so only a browser sees it -------------------------------


def test_gkmlpt_shell_without_javascript_has_no_post_link(spider) -> None:
    shell = page("gkmlpt_index.html")
    assert list(spider.parse_list(shell)) == []
    assert "加载中" in shell.text and "api/all/" in shell.text  # the script that builds it


def test_rendered_gkmlpt_list_follows_reports_and_has_no_next_page(spider) -> None:
    rendered = page("gkmlpt_rendered.html")
    requests = list(spider.parse_list(rendered))
    found = entries(requests)
    assert len(requests) == len(found) == 6
    assert found[0] == ListEntry(
        f"{BY}/gzbyjy/gkmlpt/content/10/10555/post_10555162.html",
        "2024年广州市白云区教育局政府信息公开工作年度报告",
        "2025-07-27",
    )
    assert found[-1].title == "广州市白云区教育局2019年政府信息公开工作年度报告"
    assert stat(spider, "portal/nonreport_skipped") == 1  # 广州市白云区教育局2024年部门预算
    assert spider.next_page(rendered) is None


@pytest.mark.browser
@pytest.mark.sandbox
def test_headless_chromium_renders_the_gkmlpt_list_the_spider_asks_for(spider) -> None:
    from playwright.sync_api import sync_playwright

    import sandbox

    request = spider.js_list_request(GKMLPT)
    with sandbox.running() as box, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", proxy={"server": box.proxy_url}
        )
        tab = browser.new_page(ignore_https_errors=True)
        tab.set_default_timeout(20_000)
        tab.goto(request.url)
        for method in request.meta["playwright_page_methods"]:  # the spider's own waits
            getattr(tab, method.method)(*method.args, **method.kwargs)
        html = tab.content()
        browser.close()
    rendered = HtmlResponse(request.url, body=html.encode(), encoding="utf-8", request=request)
    found = entries(spider.parse_list(rendered))
    assert [e.url.rsplit("/", 1)[-1] for e in found] == [
        "post_10555162.html",
        "post_9407028.html",
        "post_8765295.html",
        "post_8327562.html",
        "post_7088641.html",
        "post_6500945.html",
    ]
    assert found == entries(spider.parse_list(page("gkmlpt_rendered.html")))


# -- detail pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "unit", "year", "published_at", "canonical"),
    [
        # seed 000: 来源:鹤龙街 abbreviates the unit the title names in full
        ("post_5784622.html", HELONG_2018, "鹤龙街道办事处", 2018, "2019-02-13T16:05",
         ZJ + "content/post_5784622.html"),
        ("mpost_5784622.html", HELONG_2018, "鹤龙街道办事处", 2018, "2019-02-13T16:05",
         ZJ + "content/post_5784622.html"),
        # 来源:棠景街 (portals.md §2), charset only in <meta>
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
