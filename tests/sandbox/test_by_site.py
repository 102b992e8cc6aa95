"""www.by.gov.cn and its re-posts on www.gz.gov.cn through the proxy: every column's HTML pages and
JSON twin, the gkmlpt list only a script fills, seed 000's chrome, mobile twins, the gz.gov.cn
copy, tables served as PNG images, PDF attachments (some mislabelled), 404s, faults, the manifest."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import pytest
from parsel import Selector
from PIL import Image

import sandbox

BY = "https://www.by.gov.cn"
ZJ = f"{BY}/zwgk/qzfxxgknb/zj/"
GQ = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
SEED_URL = ZJ + "content/post_5784622.html"
SEED_TITLE = "广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告"
# column path, cat id, rows, pages
COLUMNS = [
    ("/zwgk/qzfxxgknb/", 25190, 5, 1),
    ("/zwgk/qzfxxgknb/bm/", 25191, 17, 2),
    ("/zwgk/qzfxxgknb/zj/", 25192, 26, 3),
    ("/gzjg/qwbgs/zfxxgkgzndbg/", 25320, 4, 1),
    ("/gzjg/qczj/zfxxgkgzndbg/", 25334, 8, 2),
    ("/gzjg/qsfj/zfxxgkgzndbg/", 25341, 5, 1),
]


def rows_of(html: str) -> list[tuple[str, str, str]]:
    page = Selector(text=html)
    return [
        (li.css("a::attr(href)").get(), li.css("a::attr(title)").get(), li.css("span::text").get())
        for li in page.css("ul.list-ul > li, ul.wjbh_list > li")
    ]


def html_pages(client, base: str, pages: int) -> list[str]:
    names = ["index.html"] + [f"index_{n}.html" for n in range(2, pages + 1)]
    return [client.get(base + name).text for name in names]


@pytest.fixture(scope="module")
def manifest(sb) -> dict:
    """The whole manifest: this site's reports, non-reports and 404s are picked out of it here."""
    return sb.manifest


@pytest.fixture(scope="module")
def reports(manifest) -> list[dict]:
    return [r for r in manifest["reports"] if r["portal"] == "by_gov_cn"]


@pytest.fixture(scope="module")
def listed(client) -> list[tuple[str, str, str]]:
    out = []
    for path, _cat, _rows, pages in COLUMNS:
        for html in html_pages(client, BY + path, pages):
            out += rows_of(html)
    return out


def test_manifest_of_by_gov_cn(reports, manifest) -> None:
    assert len(reports) == 64
    assert Counter(r["url"].split("/")[2] for r in reports) == {
        "www.by.gov.cn": 63,
        "www.gz.gov.cn": 1,
    }
    assert Counter(r["template"] for r in reports) == {"2021": 32, "pre2019": 20, "2019": 12}
    assert Counter(r["year"] for r in reports) == {
        2014: 4, 2015: 4, 2016: 4, 2017: 4, 2018: 4, 2019: 5,
        2020: 7, 2021: 8, 2022: 7, 2023: 8, 2024: 6, 2025: 3,
    }  # fmt: skip
    ours = [u for u in manifest["nonreports"] if "by.gov.cn" in u or "gz.gov.cn" in u]
    assert len(ours) == 6
    assert [u for u in manifest["missing"] if "by.gov.cn" in u] == [
        ZJ + "content/post_5597898.html"
    ]
    assert len({r["text"] for r in reports}) == 64


@pytest.mark.parametrize(("path", "cat", "count", "pages"), COLUMNS)
def test_column_pages_equal_their_json_list(client, path, cat, count, pages) -> None:
    from_html = [row for html in html_pages(client, BY + path, pages) for row in rows_of(html)]
    from_json = []
    for n in range(1, pages + 1):
        name = f"{cat}.json" if n == 1 else f"{cat}_{n}.json"
        data = json.loads(client.get(f"{BY}/postmeta/i/{name}").body)
        assert (data["total"], data["pages"], data["page"]) == (count, pages, n)
        from_json += [(a["url"], a["title"], a["date"]) for a in data["articles"]]
    assert from_json == from_html and len(from_html) == count
    dates = [d for _u, _t, d in from_html]
    assert dates == sorted(dates, reverse=True)
    assert client.get(f"{BY}/postmeta/i/{cat}_{pages + 1}.json").status == 404
    assert client.get(f"{BY}{path}index_{pages + 1}.html").status == 404
    assert client.get(f"{BY}{path}index_1.html").status == 404


def test_next_links_and_the_central_column_children(client) -> None:
    pages = [Selector(text=h) for h in html_pages(client, ZJ, 3)]
    assert [p.xpath('//a[text()="下一页"]/@href').get() for p in pages] == [
        "index_2.html",
        "index_3.html",
        None,
    ]
    assert [len(p.css("ul.list-ul > li")) for p in pages] == [10, 10, 6]
    assert "var NFCMS_CAT_ID = '25192';" in client.get(ZJ).text
    root = json.loads(client.get(f"{BY}/postmeta/i/25190.json").body)
    assert [(c["id"], c["name"], c["publish_count"]) for c in root["children"]] == [
        (25191, "部门", 17),
        (25192, "镇街", 26),
    ]


def test_every_listed_row_is_a_report_a_nonreport_or_the_missing_post(listed, reports, manifest):
    canonical = {
        u.replace("http://", "https://").replace("/mpost_", "/post_") for u, _t, _d in listed
    }
    expected = {r["url"] for r in reports if "/gkmlpt/" not in r["url"]} - {
        GQ + "content/post_5632792.html"
    }
    expected |= {u for u in manifest["nonreports"] if "www.by.gov.cn" in u and "/gkmlpt/" not in u}
    expected |= {u for u in manifest["missing"] if "www.by.gov.cn" in u}
    assert canonical == expected
    assert sorted(u for u, _t, _d in listed if u.startswith("http://")) == [
        "http://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_5673210.html",
        "http://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_8730332.html",
    ]
    assert sorted(u for u, _t, _d in listed if "/mpost_" in u) == [
        f"{BY}/gzjg/qsfj/zfxxgkgzndbg/content/mpost_10911078.html",
        f"{BY}/gzjg/qsfj/zfxxgkgzndbg/content/mpost_9449560.html",
    ]


def test_seed_000_page_has_the_by_chrome_in_order(client) -> None:
    html = client.get(SEED_URL).text
    text = Selector(text=html).xpath("string(//body)").get()
    order = [
        "智能问答",
        "当前位置: 首页 > 政务公开 > 区政府信息公开年报 > 镇街",
        SEED_TITLE,
        "发布时间:2019-02-13 来源:鹤龙街 字体大小:大 中 小",
        "（2019年2月13日）",
        "本报告的电子版可在白云区人民政府白云信息网网站http://www.by.gov.cn/下载",
        "【打印本页】",
        "网站标识码：4401110001",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    body = Selector(text=html).css("#zoomcon").get()
    assert "广州市白云区鹤龙街道办事处" in body and "智能问答" not in body
    meta = {m.attrib["name"]: m.attrib["content"] for m in Selector(text=html).css("meta[name]")}
    assert (meta["ArticleTitle"], meta["PubDate"], meta["ContentSource"]) == (
        SEED_TITLE,
        "2019-02-13 16:05",
        "鹤龙街",
    )


def test_every_report_page_shows_title_date_and_unit_as_the_manifest_says(client, reports):
    quirks = Counter()
    for report in reports:
        fetched = client.get(report["url"])
        page = Selector(text=fetched.body.decode("utf-8"))
        meta = {m.attrib["name"]: m.attrib["content"] for m in page.css("meta[name]")}
        assert (
            meta["ArticleTitle"]
            == report["title"]
            == page.css("h1.content_title::text, h1.gkmlpt-title::text, h1.m-title::text").get()
        )
        assert meta["PubDate"][:10] == report["published_at"]
        assert str(report["year"] + 1) <= report["published_at"][:4]
        source = meta["ContentSource"]
        quirks["no_charset"] += fetched.headers["content-type"] == "text/html"
        quirks["abbreviated"] += source.endswith("街") and report["unit"].startswith(source)
        quirks["empty_source"] += source == ""
        quirks["unit_only_in_title"] += source == "本网"
        if source == "":  # the 来源 label (gkmlpt: the 发布机构 row) names the unit
            label = (
                page.css(".laiyuan b::text").get()
                or page.xpath('//th[.="发布机构："]/following-sibling::td/text()').get()
            )
            assert report["unit"] in label
        elif source == "本网":
            assert report["unit"] in report["title"]
        else:
            assert report["unit"].startswith(source) or source == "广州市" + report["unit"]
    assert quirks == {
        "no_charset": 10,
        "abbreviated": 13,
        "empty_source": 15,
        "unit_only_in_title": 3,
    }


def test_mobile_twin_and_gz_repost_carry_the_same_body(client, reports) -> None:
    desktop = Selector(text=client.get(SEED_URL).text).css("#zoomcon > *").getall()
    mobile = client.get(SEED_URL.replace("/post_", "/mpost_")).text
    assert Selector(text=mobile).css("#zoomcon > *").getall() == desktop
    assert 'class="m-title"' in mobile and "智能问答" not in mobile
    [district] = [r for r in reports if r["url"].endswith("/content/post_10156706.html")]
    gz = [a for a in district["aliases"] if "www.gz.gov.cn" in a]
    assert gz == [
        "http://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_10121234.html",
        "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_10121234.html",
        "http://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/mpost_10121234.html",
        "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/mpost_10121234.html",
    ]
    by_page = Selector(text=client.get(district["url"]).text)
    gz_page = Selector(text=client.get(gz[1]).text)
    assert gz_page.css("#zoomcon > *").getall() == by_page.css("#zoomcon > *").getall()
    assert gz_page.css("#laiyuan b::text").get() == "广州市白云区人民政府"
    assert gz_page.css('meta[name="PubDate"]::attr(content)').get() == "2025-01-26 17:20"


def test_gz_column_lists_every_district_and_its_json_twin(client, reports) -> None:
    rows = [row for html in html_pages(client, GQ, 2) for row in rows_of(html)]
    assert len(rows) == 12
    districts = Counter(re.search(r"广州市(\w\w区)", t).group(1) for _u, t, _d in rows)
    assert districts == {
        "白云区": 3, "海珠区": 2, "增城区": 1, "天河区": 1, "越秀区": 1,
        "番禺区": 1, "花都区": 1, "荔湾区": 1, "黄埔区": 1,
    }  # fmt: skip
    assert (GQ + "2020n/content/post_7094298.html") in {u for u, _t, _d in rows}
    assert (GQ + "content/mpost_5632792.html") in {u for u, _t, _d in rows}
    data = json.loads(client.get("https://www.gz.gov.cn/postmeta/i/5842.json").body)
    assert [(a["url"], a["title"], a["date"]) for a in data["articles"]] == rows[:10]
    assert client.get(GQ + "2020n/content/post_7094298.html").status == 200
    assert client.get(GQ + "content/post_7094298.html").status == 404  # only in its year folder
    [only_gz] = [r for r in reports if "www.gz.gov.cn" in r["url"]]
    assert (only_gz["url"], only_gz["year"], only_gz["unit"]) == (
        GQ + "content/post_5632792.html",
        2015,
        "白云区人民政府",
    )


def test_tables_posted_as_images_are_real_pngs(client, reports) -> None:
    [report] = [r for r in reports if r["url"].endswith("/post_9472985.html")]
    html = client.get(report["url"]).text
    srcs = Selector(text=html).css("#zoomcon img::attr(src)").getall()
    assert [BY + s for s in srcs] == [i["url"] for i in report["images"]]
    assert srcs[0] == "/img/9/9472/9472986/1705995746322.png"
    for image in report["images"]:
        fetched = client.get(image["url"])
        assert fetched.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(fetched.body)).format == "PNG"
    assert report["images"][2]["text"].split("\n")[0].startswith("（本列数据的勾稽关系为")
    assert "本年新收政府信息公开申请数量" not in html  # the table is only in the picture
    assert "三、收到和处理政府信息公开申请情况" in report["text"]


def test_pdf_attachments_with_real_and_mislabelled_types(client, reports) -> None:
    files = [a for r in reports for a in r["attachments"]]
    assert [(a["url"].rsplit("/", 1)[-1], a["format"], a["content_type"]) for a in files] == [
        ("6419323.pdf", "pdf", "application/pdf"),
        ("6926597.pdf", "pdf", "application/octet-stream"),
        ("7140112.pdf", "pdf_cid", "application/octet-stream"),
        ("11010937.pdf", "pdf_cid", "application/pdf"),
    ]
    for attachment in files:
        fetched = client.get(attachment["url"])
        assert fetched.headers["content-type"] == attachment["content_type"]
        assert fetched.body.startswith(b"%PDF-1.")
    [note_only] = [r for r in reports if r["url"].endswith("/post_6419323.html")]
    assert note_only["text"].split("\n")[1].endswith("全文予以公开，详见附件。")
    assert note_only["attachments"][0]["text"].startswith(note_only["title"])


def test_gkmlpt_list_exists_only_for_a_browser(client, reports) -> None:
    shell = client.get(f"{BY}/gzbyjy/gkmlpt/index").text
    assert "/content/" not in shell and "加载中" in shell and "window._CONFIG" in shell
    api = f"{BY}/gzbyjy/gkmlpt/api/all/2851?page=1&sid=200711"
    data = json.loads(client.get(api).body)
    assert data["classify"] == {"id": 2851, "name": "政府信息公开年报", "post_count": 7}
    gkmlpt = {r["url"] for r in reports if "/gkmlpt/" in r["url"]}
    assert len(gkmlpt) == 6 and gkmlpt < {a["url"] for a in data["articles"]}
    assert client.get(api.replace("sid=200711", "sid=1")).status == 404
    detail = client.get(sorted(gkmlpt)[0]).text
    assert "发布机构：</th><td>广州市白云区教育局" in detail and 'id="zoomcon"' in detail


def test_listed_post_that_is_gone_answers_404(client, listed) -> None:
    missing = ZJ + "content/post_5597898.html"
    assert missing in {u for u, _t, _d in listed}
    assert client.get(missing).status == 404
    assert client.get(missing.replace("/post_", "/mpost_")).status == 404
    assert client.get(f"{BY}/robots.txt").status == 404


def test_list500_fault_breaks_by_lists_only(client_for) -> None:
    with sandbox.running(faults=["by_gov_cn:list500"]) as broken:
        client = client_for(broken.proxy_url)
        assert client.get(ZJ).status == 500
        assert client.get(f"{BY}/postmeta/i/25192.json").status == 500
        assert client.get(f"{BY}/gzbyjy/gkmlpt/api/all/2851?page=1&sid=200711").status == 500
        assert client.get(SEED_URL).status == 200
        assert client.get(GQ).status == 200  # the city portal is another site
