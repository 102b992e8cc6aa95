"""www.qufu.gov.cn (Hanweb jcms) through the proxy: the column's <datastore> block and jpage
script, dataproxy.jsp POST paging, articles with ZJEG_RSS markers, xxgkAnnualReport.jsp pages,
seed 003 with its DOCX, quirks, faults."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlencode

import pytest
from parsel import Selector

import sandbox
from tests.sandbox.qufu_portal import (
    ANNUAL,
    COLUMN,
    FORM,
    PORTAL,
    PROXY,
    SEED_TITLE,
    SEED_URL,
    SITE,
)

NEXTGROUP = (
    "/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=33&path=/&columnid=15260&unitid=52351"
    "&webname=%25E6%259B%25B2%25E9%2598%259C%25E5%25B8%2582%25E4%25BA%25BA%25E6%25B0%2591"
    "%25E6%2594%25BF%25E5%25BA%259C&permissiontype=0"
)


def _records(xml: str) -> list[tuple[str, str, str]]:
    rows = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml, re.DOTALL)
    out = []
    for row in rows:
        li = Selector(text=row)
        out.append(
            (li.css("a::attr(href)").get(), li.css("a::attr(title)").get(), li.css("b::text").get())
        )
    return out


def _post(client, start: int, end: int, form: dict[str, str] = FORM) -> str:
    url = f"{PROXY}?startrecord={start}&endrecord={end}&perpage=15"
    return client.get(url, method="POST", data=urlencode(form).encode()).text


@pytest.fixture(scope="module")
def mine(truth) -> dict:
    return {
        "reports": [r for r in truth["reports"] if r["portal"] == PORTAL],
        "nonreports": [u for u in truth["nonreports"] if "qufu" in u],
        "missing": [u for u in truth["missing"] if "qufu" in u],
    }


def test_column_page_embeds_the_first_group_and_the_jpage_setup(client) -> None:
    html = client.get(COLUMN).text
    xml = Selector(text=html).css('script[type="text/xml"]::text').get()
    assert xml.lstrip().startswith("<datastore>")
    assert len(_records(xml)) == 45
    assert re.search(r'<nextgroup><!\[CDATA\[<a href="([^"]+)"', xml).group(1) == NEXTGROUP
    assert "perPage:15,totalRecord:47,groupSize:3" in html
    assert "proxyUrl:'/module/web/jpage/dataproxy.jsp'" in html
    assert client.get(SITE + "/col/col15260/").text == html


def test_dataproxy_post_pages_by_startrecord_and_endrecord(client) -> None:
    embedded = _records(client.get(COLUMN).text)
    assert _records(_post(client, 1, 45)) == embedded
    second = _records(_post(client, 46, 90))
    assert second == [
        (
            "/module/xxgk/xxgkAnnualReport.jsp?area=23486577-7&fbtime=2014",
            "曲阜市防山镇人民政府2014年政府信息公开工作年度报告",
            "2015-01-13",
        ),
        (
            "/module/xxgk/xxgkAnnualReport.jsp?area=29447962-2&fbtime=2014",
            "曲阜市尼山镇人民政府2014年政府信息公开工作年度报告",
            "2015-01-10",
        ),
    ]
    assert _records(_post(client, 91, 135)) == []
    assert _records(_post(client, 1, 45, {**FORM, "columnid": "15257"})) == []  # another column
    assert _records(_post(client, 1, 45, {k: v for k, v in FORM.items() if k != "unitid"})) == []
    answer = client.get(
        f"{PROXY}?startrecord=46&endrecord=90&perpage=15",
        method="POST",
        data=urlencode(FORM).encode(),
    )
    assert answer.headers["content-type"] == "text/xml;charset=UTF-8"


def test_the_column_holds_every_post_of_the_manifest(client, mine) -> None:
    rows = _records(_post(client, 1, 45)) + _records(_post(client, 46, 90))
    hrefs = [href for href, _t, _d in rows]
    expected = {r["url"] for r in mine["reports"]} | set(mine["nonreports"]) | set(mine["missing"])
    assert {"https://www.qufu.gov.cn" + h.removeprefix(SITE) for h in hrefs} == expected
    assert (len(mine["reports"]), len(mine["nonreports"]), len(mine["missing"])) == (40, 6, 1)
    assert [h for h in hrefs if h.startswith("http")] == [
        SITE + "/art/2024/1/21/art_15260_3572478.html"
    ]
    kinds = [("art" if h.split("/")[-1].startswith("art_") else "module") for h in hrefs]
    assert (kinds.count("art"), kinds.count("module")) == (18, 29)
    dates = [d for _h, _t, d in rows]
    assert dates == sorted(dates, reverse=True)


def test_article_page_has_the_hanweb_markers(client) -> None:
    html = client.get(SITE + "/art/2022/3/13/art_15260_3334084.html").text
    page = Selector(text=html)
    meta = {m.attrib["name"]: m.attrib.get("content") for m in page.css("meta[name]")}
    assert (meta["ArticleTitle"], meta["PubDate"], meta["Maketime"], meta["ContentSource"]) == (
        "曲阜市教育局2021年政府信息公开工作年度报告",
        "2022-03-13 16:22",
        "2022-03-13 16:22:35",
        "",
    )
    assert "<!--<$[信息来源]>begin-->曲阜市教育局<!--<$[信息来源]>end-->" in html
    start, end = (
        html.index("<!--ZJEG_RSS.content.begin-->"),
        html.index("<!--ZJEG_RSS.content.end-->"),
    )
    assert html.index('<meta name="ContentStart"><div id="zoom">') < start < end
    assert "一、总体情况" in html[start:end] and "打印本页" not in html[start:end]
    assert "var i_columnid = 15260; var i_articleid = 3334084;" in html


def test_seed_003_is_on_its_annual_report_page_with_its_docx(client, mine) -> None:
    html = client.get(SEED_URL).text
    page = Selector(text=html)
    assert page.css(".title::text").get() == SEED_TITLE
    assert 'name="ArticleTitle"' not in html  # module pages carry no article meta
    cells = page.css(".nb_info td::text").getall()
    assert cells == [
        "发布机构：",
        "鲁城街道办事处",
        "年度：",
        "2017",
        "发布日期：",
        "2018-01-31",
        "公开方式：",
        "主动公开",
    ]
    body = " ".join(page.css("#zoom ::text").getall())
    assert body.lstrip().startswith("为认真贯彻落实") and "版权所有" not in body
    [href] = page.css(".fj a::attr(href)").getall()
    assert (
        href
        == "/module/download/downfile.jsp?classid=0&filename=75e7b80a0b51ac333d1b568b21bef2f4.docx"
    )
    docx = client.get(SITE + href)
    assert docx.headers["content-type"] == "application/octet-stream"
    document = zipfile.ZipFile(io.BytesIO(docx.body)).read("word/document.xml").decode()
    assert "为认真贯彻落实" in document
    [seed] = [r for r in mine["reports"] if r["url"] == SEED_URL.replace("http:", "https:")]
    assert (seed["unit"], seed["year"], seed["published_at"]) == (
        "鲁城街道办事处",
        2017,
        "2018-01-31",
    )
    assert seed["attachments"] == [
        {"url": SITE + href, "filename": SEED_TITLE + ".docx", "format": "docx"}
    ]


def test_unknown_unit_or_year_answers_an_empty_notice_and_listed_404(client, mine) -> None:
    empty = client.get(ANNUAL + "?area=49417463-2&fbtime=2016")
    assert empty.status == 200
    assert Selector(text=empty.text).css(".nodata::text").get() == "暂无2016年度报告信息"
    assert client.get(ANNUAL).status == 200
    [missing] = mine["missing"]
    assert client.get(missing.replace("https:", "http:")).status == 404
    assert (
        client.get(SITE + "/module/download/downfile.jsp?classid=0&filename=x.docx").status == 404
    )


def test_list500_fault_breaks_the_column_and_dataproxy_only(client_for) -> None:
    with sandbox.running(faults=[f"{PORTAL}:list500"]) as broken:
        client = client_for(broken.proxy_url)
        assert client.get(COLUMN).status == 500
        answer = client.get(
            f"{PROXY}?startrecord=46&endrecord=90&perpage=15",
            method="POST",
            data=urlencode(FORM).encode(),
        )
        assert answer.status == 500
        assert client.get(SEED_URL).status == 200
