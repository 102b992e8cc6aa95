"""www.haizhu.gov.cn through the proxy: the jd/ and bm/ columns (HTML pages, jd/'s JSON twin),
seed 002's page with the Haizhu chrome and its tables, mobile twins, quirks, 404/304, faults."""

from __future__ import annotations

import json

import pytest
from parsel import Selector

import sandbox

PORTAL = "haizhu_gov_cn"
ROOT = "https://www.haizhu.gov.cn/zwgk/zfxxgknb/"
STREETS, DEPARTMENTS = ROOT + "jd/", ROOT + "bm/"
SEED_URL = STREETS + "content/post_6438811.html"
SEED_TITLE = "广州市海珠区人民政府官洲街道办事处2019年政府信息公开工作年度报告"


def _items(html: str) -> list[tuple[str, str, str]]:
    page = Selector(text=html)
    return [
        (li.css("a::attr(href)").get(), li.css("a::attr(title)").get(), li.css(".date::text").get())
        for li in page.css("ul.hz-list > li")
    ]


def _canonical(url: str) -> str:
    return url.replace("http://", "https://").replace("/mpost_", "/post_")


@pytest.fixture(scope="module")
def mine(truth) -> dict:
    return {
        "reports": [r for r in truth["reports"] if r["portal"] == PORTAL],
        "nonreports": [u for u in truth["nonreports"] if "haizhu" in u],
        "missing": [u for u in truth["missing"] if "haizhu" in u],
    }


@pytest.fixture(scope="module")
def listing(client) -> dict[str, list[tuple[str, str, str]]]:
    return {
        column: _items(client.get(column).text) + _items(client.get(column + "index_2.html").text)
        for column in (STREETS, DEPARTMENTS)
    }


def test_two_columns_of_two_pages_each_linked_by_next(client) -> None:
    for column, sizes in ((STREETS, [15, 8]), (DEPARTMENTS, [15, 7])):
        pages = [Selector(text=client.get(column + n).text) for n in ("index.html", "index_2.html")]
        assert [len(p.css("ul.hz-list > li")) for p in pages] == sizes
        assert [p.xpath('//a[text()="下一页"]/@href').get() for p in pages] == [
            "index_2.html",
            None,
        ]
        assert client.get(column + "index_1.html").status == 404
        assert client.get(column + "index_3.html").status == 404


def test_the_lists_hold_every_post_of_the_manifest(listing, mine) -> None:
    listed = [href for items in listing.values() for href, _t, _d in items]
    assert len(listed) == 45
    expected = {r["url"] for r in mine["reports"]} | set(mine["nonreports"]) | set(mine["missing"])
    assert {_canonical(u) for u in listed} == expected
    assert (len(mine["reports"]), len(mine["nonreports"]), len(mine["missing"])) == (40, 4, 1)
    # the quirks: one item links the mobile twin, one plain http
    assert [u for u in listed if "mpost_" in u] == [STREETS + "content/mpost_11047639.html"]
    assert [u for u in listed if u.startswith("http:")] == [
        "http://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/content/post_6410307.html"
    ]
    dates = [d for _h, _t, d in listing[STREETS]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-03-18"


def test_streets_json_list_equals_its_html_list_and_departments_have_none(client, listing):
    from_json = []
    for name in ("2891.json", "2891_2.json"):
        data = json.loads(client.get("https://www.haizhu.gov.cn/postmeta/i/" + name).body)
        assert (data["total"], data["pages"], data["pagesize"]) == (23, 2, 15)
        assert data["cat"] == {"id": 2891, "name": "街道", "url": STREETS}
        from_json += [(a["url"], a["title"], a["date"]) for a in data["articles"]]
    assert from_json == listing[STREETS]
    bm = client.get(DEPARTMENTS).text
    assert "NFCMS_CAT_ID" not in bm and "postmeta" not in bm and 'name="catId"' not in bm
    assert "NFCMS_CAT_ID = '2891'" in client.get(STREETS).text
    assert client.get("https://www.haizhu.gov.cn/postmeta/i/0.json").status == 404


def test_seed_002_page_has_the_haizhu_chrome_in_order_around_the_report(client) -> None:
    html = client.get(SEED_URL).text
    text = " ".join(Selector(text=html).css("body *::text").getall())
    order = [
        "您当前所在的位置:",
        SEED_TITLE,
        "发布日期:2020-01-22 09:12:36",
        "来源:本网",
        "分享到:",
        "浏览量:",
        "一、总体情况",
        "2019年，在区委、区政府的正确领导下",
        "本单位暂无需要报告的其他事项",
        "2020年1月22日",
        "网站标识码：4401050001",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    body = Selector(text=html).css("#zoomcon")
    assert "分享到" not in body.get() and "您当前所在的位置" not in body.get()
    page = Selector(text=html)
    assert page.css(".hz-loc a::text").getall() == ["首页", "政务公开", "政府信息公开年报", "街道"]
    meta = {m.attrib["name"]: m.attrib["content"] for m in page.css("meta[name]")}
    assert (meta["ArticleTitle"], meta["PubDate"], meta["ContentSource"]) == (
        SEED_TITLE,
        "2020-01-22 09:12:36",
        "本网",
    )


def test_seed_002_tables_are_real_html_tables(client) -> None:
    body = Selector(text=client.get(SEED_URL).text).css("#zoomcon")
    tables = body.css("table")
    assert len(tables) == 3
    rows = [
        [" ".join(td.css("::text").getall()) for td in tr.css("td")] for tr in tables[0].css("tr")
    ]
    assert rows[:4] == [
        ["第二十条第（一）项"],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "0", "0", "0"],
        ["规范性文件", "0", "0", "0"],
    ]
    assert ["政府集中采购", "21", "1700.35万元"] in rows
    last = [td.css("::text").get() for td in tables[2].css("tr")[-1].css("td")]
    assert last == ["0"] * 15  # section 四: 复议 5 + 诉讼 10 columns


def test_mobile_twin_has_the_same_body(client) -> None:
    desktop = Selector(text=client.get(SEED_URL).text).css("#zoomcon > *").getall()
    mobile = client.get(SEED_URL.replace("post_", "mpost_")).text
    assert 'class="m-body"' in mobile and "分享到" not in mobile
    assert Selector(text=mobile).css("#zoomcon > *").getall() == desktop


def test_every_report_page_shows_title_date_and_unit_as_the_manifest_says(client, mine) -> None:
    quirks = {"empty_title_meta": 0, "minutes_only": 0, "unit_only_in_title": 0}
    for report in mine["reports"]:
        page = Selector(text=client.get(report["url"]).text)
        meta = {m.attrib["name"]: m.attrib["content"] for m in page.css("meta[name]")}
        assert page.css(".hz-title::text").get() == report["title"]
        assert meta["ArticleTitle"] in (report["title"], "")
        shown = page.css(".hz-meta span::text").getall()
        assert shown[0].startswith("发布日期:" + report["published_at"]) and len(shown[0]) == 24
        assert shown[1] == "来源:本网"
        assert meta["ContentSource"] in (report["unit"], "本网")
        quirks["empty_title_meta"] += meta["ArticleTitle"] == ""
        quirks["minutes_only"] += len(meta["PubDate"]) == 16
        quirks["unit_only_in_title"] += meta["ContentSource"] == "本网"
    assert quirks == {"empty_title_meta": 5, "minutes_only": 3, "unit_only_in_title": 8}


def test_listed_post_that_is_gone_answers_404_and_validators_answer_304(client, mine) -> None:
    [missing] = mine["missing"]
    assert missing == DEPARTMENTS + "content/post_5633840.html"
    assert client.get(missing).status == 404
    first = client.get(SEED_URL)
    assert client.get(SEED_URL, {"If-None-Match": first.headers["etag"]}).status == 304


def test_list500_fault_breaks_lists_only(client_for) -> None:
    with sandbox.running(faults=[f"{PORTAL}:list500"]) as broken:
        client = client_for(broken.proxy_url)
        assert client.get(STREETS).status == 500
        assert client.get(DEPARTMENTS + "index_2.html").status == 500
        assert client.get("https://www.haizhu.gov.cn/postmeta/i/2891.json").status == 500
        assert client.get(SEED_URL).status == 200
