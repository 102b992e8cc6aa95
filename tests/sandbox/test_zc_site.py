"""www.zc.gov.cn through the proxy: list pages and their JSON twin, detail pages and their mobile
twins, the chrome of seed 001, 404/304/301, non-report posts, faults and revision 1."""

from __future__ import annotations

import json

import pytest
from parsel import Selector

import sandbox
from sandbox.http import Request
from tests.sandbox.conftest import zc_only

BASE = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
SEED_URL = BASE + "content/post_5672236.html"
SEED_TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
NONREPORT_TITLES = [
    "增城区政府信息公开申请表（样式）",
    "增城区2023年政府信息公开工作要点",
    "增城区2022年第四季度政务公开工作动态",
    "增城区2021年政府信息公开工作年度报表",
    "广州市增城区人民政府政府信息公开指南",
]


def _items(html: str) -> list[tuple[str, str, str]]:
    page = Selector(text=html)
    return [
        (li.css("a::attr(href)").get(), li.css("a::attr(title)").get(), li.css("span::text").get())
        for li in page.css("ul.news_list > li")
    ]


def _body(html: str) -> str:
    return Selector(text=html).css("#zoomcon").get()


@pytest.fixture(scope="module")
def listing(client) -> list[tuple[str, str, str]]:
    items = []
    for name in ("index.html", "index_2.html", "index_3.html"):
        items += _items(client.get(BASE + name).text)
    return items


def test_three_list_pages_of_20_20_14_items_linked_by_next(client):
    pages = [Selector(text=client.get(BASE + n).text) for n in ("", "index_2.html", "index_3.html")]
    assert [len(p.css("ul.news_list > li")) for p in pages] == [20, 20, 14]
    assert [p.xpath('//a[text()="下一页"]/@href').get() for p in pages] == [
        "index_2.html",
        "index_3.html",
        None,
    ]
    assert pages[1].css("#page_div a.num::attr(href)").getall() == ["index.html", "index_3.html"]
    assert pages[0].css('meta[name="catId"]::attr(content)').get() == "5060"
    assert client.get(BASE + "index_4.html").status == 404
    assert client.get(BASE + "index_1.html").status == 404


def test_list_is_newest_first_and_holds_every_post_of_the_manifest(listing, zc_truth):
    dates = [date for _href, _title, date in listing]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2026-03-21"
    listed = {href for href, _t, _d in listing}
    old_host = {a for r in zc_truth["reports"] for a in r["aliases"] if "zengcheng" in a}
    assert len(old_host) == 3 and old_host <= listed
    canonical = {
        u.replace("http://", "https://").replace("www.zengcheng.gov.cn", "www.zc.gov.cn")
        for u in listed
    }
    expected = (
        {r["url"] for r in zc_truth["reports"]}
        | set(zc_truth["nonreports"])
        | set(zc_truth["missing"])
    )
    assert canonical == expected
    assert len(listed) == 54


def test_json_list_equals_the_html_list(client, listing):
    from_json = []
    for name in ("5060.json", "5060_2.json", "5060_3.json"):
        data = json.loads(client.get("https://www.zc.gov.cn/postmeta/i/" + name).body)
        assert (data["total"], data["pages"], data["pagesize"]) == (54, 3, 20)
        assert data["cat"] == {"id": 5060, "name": "政府信息公开工作年报", "url": BASE}
        from_json += [(a["url"], a["title"], a["date"]) for a in data["articles"]]
    assert from_json == listing
    assert client.get("https://www.zc.gov.cn/postmeta/i/5060_4.json").status == 404


def test_non_report_posts_are_listed_beside_the_reports(listing, zc_truth):
    titles = [title for _h, title, _d in listing]
    assert [t for t in titles if t in NONREPORT_TITLES] == NONREPORT_TITLES
    assert len(zc_truth["nonreports"]) == 5


def test_seed_001_page_has_the_real_chrome_in_order_around_the_report(client):
    html = client.get(SEED_URL).text
    text = " ".join(Selector(text=html).css("body *::text").getall())
    order = [
        "长者助手",
        "无障碍",
        SEED_TITLE,
        "2018-03-15",
        "来源: 本网",
        "【字号：",
        "分享",
        "本报告是根据《中华人民共和国政府信息公开条例》的规定",
        "相关附件",
        "相关新闻",
        "网站标识码：4401180001",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    body = _body(html)
    assert "四是不断完善信息公开保密审查机制,强化保密意识。" in body
    assert "长者助手" not in body and "相关新闻" not in body
    page = Selector(text=html)
    assert page.css('meta[name="ContentSource"]::attr(content)').get() == "本网"
    assert page.css('meta[name="PubDate"]::attr(content)').get() == "2018-03-15 10:26"
    assert page.css('meta[name="ArticleId"]::attr(content)').get() == "5672236"
    assert len(page.css(".related-news li a")) in (3, 4, 5)


def test_mobile_twin_has_the_same_body_and_detail_json_the_same_content(client):
    desktop = client.get(SEED_URL).text
    mobile = client.get(SEED_URL.replace("post_", "mpost_")).text
    assert 'class="m-title"' in mobile and "长者助手" not in mobile
    inner = Selector(text=desktop).css("#zoomcon > *").getall()
    assert Selector(text=mobile).css("#zoomcon > *").getall() == inner
    data = json.loads(client.get("https://www.zc.gov.cn/postmeta/p/5/5672/5672236.json").body)
    assert (data["id"], data["title"], data["source"]) == (5672236, SEED_TITLE, "本网")
    assert Selector(text=data["content"]).css("body > *").getall() == inner


def test_listed_post_that_is_gone_answers_404(client, zc_truth, listing):
    [missing] = zc_truth["missing"]
    assert missing in {href for href, _t, _d in listing}
    assert client.get(missing).status == 404
    assert client.get(missing.replace("post_", "mpost_")).status == 404


def test_conditional_get_answers_304(client):
    first = client.get(SEED_URL)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith(" GMT")
    assert client.get(SEED_URL, {"If-None-Match": etag}).status == 304
    assert client.get(SEED_URL, {"If-Modified-Since": modified}).status == 304
    assert client.get(SEED_URL, {"If-None-Match": '"other"'}).status == 200
    listing = client.get(BASE + "index.html")
    assert client.get(BASE + "index.html", {"If-None-Match": listing.headers["etag"]}).status == 304


def test_old_host_redirects_to_the_same_path_on_zc(client):
    path = "/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
    for scheme in ("http", "https"):
        moved = client.get(f"{scheme}://www.zengcheng.gov.cn{path}")
        assert moved.status == 301
        assert moved.headers["location"] == f"{scheme}://www.zc.gov.cn{path}"


def test_every_report_page_shows_title_date_and_unit_as_the_manifest_says(client, zc_truth):
    quirks = {"no_charset": 0, "wrong_column": 0, "minutes_only": 0, "unit_only_in_title": 0}
    for report in zc_truth["reports"]:
        fetched = client.get(report["url"])
        page = Selector(text=fetched.text)
        meta = {m.attrib["name"]: m.attrib["content"] for m in page.css("meta[name]")}
        assert meta["ArticleTitle"] == report["title"] == page.css("h1::text").get()
        assert meta["PubDate"][:10] == report["published_at"] == page.css(".time::text").get()
        label = page.css(".source::text").get().removeprefix("来源: ")
        assert report["unit"] in (meta["ContentSource"], label) or (
            {meta["ContentSource"], label} == {"本网"} and report["unit"] in report["title"]
        )
        quirks["no_charset"] += fetched.headers["content-type"] == "text/html"
        quirks["wrong_column"] += meta["ColumnName"] == "头部"
        quirks["minutes_only"] += len(meta["PubDate"]) == 16
        quirks["unit_only_in_title"] += meta["ContentSource"] == "本网"
        assert str(report["year"] + 1) <= report["published_at"][:4]
    assert quirks == {
        "no_charset": 4,
        "wrong_column": 4,
        "minutes_only": 17,
        "unit_only_in_title": 4,
    }


def test_list500_fault_breaks_lists_only(client_for):
    with sandbox.running(faults=["zc_gov_cn:list500"]) as broken:
        client = client_for(broken.proxy_url)
        assert client.get(BASE + "index.html").status == 500
        assert client.get(BASE + "index_2.html").status == 500
        assert client.get("https://www.zc.gov.cn/postmeta/i/5060.json").status == 500
        assert client.get(SEED_URL).status == 200


def test_markup_fault_changes_the_theme_so_nothing_known_parses(client_for):
    with sandbox.running(faults=["zc_gov_cn:markup"]) as broken:
        client = client_for(broken.proxy_url)
        listing = client.get(BASE + "index.html").text
        detail = client.get(SEED_URL).text
    assert _items(listing) == [] and "下一页" not in listing and "<a " not in listing
    assert _body(detail) is None and 'name="ArticleTitle"' not in detail and "<h1" not in detail
    assert "四是不断完善信息公开保密审查机制" in detail  # the content is still there


def test_slow_fault_delays_every_answer_of_that_portal_only():
    slow = sandbox.Sandbox(faults=["zc_gov_cn:slow=3.5"])  # not started: the delay is a value
    ask = slow.router.handle
    assert ask(Request("GET", "https", "www.zc.gov.cn", "/gk/zfxxgk/zfxxgkgznb/")).delay == 3.5
    assert ask(Request("GET", "https", "www.zengcheng.gov.cn", "/")).delay == 0.0
    default = sandbox.Sandbox(faults=["zc_gov_cn:slow"]).router
    assert default.handle(Request("GET", "http", "www.zc.gov.cn", "/")).delay == 2.0


def test_revision_1_adds_edits_and_deletes_one_report(client, zc_truth, client_for):
    with sandbox.running(revision=1) as later:
        after = zc_only(later.manifest)
        client1 = client_for(later.proxy_url)
        before_urls = {r["url"]: r for r in zc_truth["reports"]}
        after_urls = {r["url"]: r for r in after["reports"]}
        [new] = set(after_urls) - set(before_urls)
        [deleted] = set(before_urls) - set(after_urls)
        assert after["gone"] == [deleted]
        changed = [
            u
            for u in after_urls
            if u in before_urls and after_urls[u]["text"] != before_urls[u]["text"]
        ]
        assert len(changed) == 1
        [url] = changed
        old_lines = before_urls[url]["text"].splitlines()
        new_lines = after_urls[url]["text"].splitlines()
        assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 2
        assert client1.get(deleted).status == 404
        assert _items(client1.get(BASE).text)[0][0] == new
        assert client1.get(url).headers["etag"] != client.get(url).headers["etag"]
        same = zc_truth["reports"][-1]["url"]
        assert client1.get(same).headers["etag"] == client.get(same).headers["etag"]
    assert (len(after["reports"]), len(after["missing"]), len(after["nonreports"])) == (48, 1, 5)
