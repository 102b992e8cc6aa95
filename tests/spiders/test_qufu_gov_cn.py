"""qufu_gov_cn (Hanweb jcms) on pages saved from the sandbox (tests/fixtures/qufu_gov_cn/), plus
one real crawl of the sandbox checked against its manifest.

Re-save the pages after a sandbox change: `.venv/bin/python tests/spiders/test_qufu_gov_cn.py`.
"""

import json
from urllib.parse import parse_qs

import pytest

from crawler.portal import ListEntry
from tests.helpers import (
    FIXTURES,
    against_manifest,
    crawl_portal,
    detail_item,
    fixture_response,
    spider_for,
)
from tests.portals import QufuGovCnSpider
from tests.sandbox.qufu_portal import (
    ANNUAL,
    COLUMN,
    FORM,
    PROXY,
    SEED_TITLE,
    SEED_URL,
    SITE,
)

PORTAL = "qufu_gov_cn"
PAGES = {
    "col15260.html": COLUMN,
    "art_15260_3334084.html": SITE + "/art/2022/3/13/art_15260_3334084.html",
    "art_15260_3846255.html": SITE + "/art/2026/3/10/art_15260_3846255.html",
    "annual_49417463-2_2017.html": SEED_URL,
    "annual_49417463-2_2016.html": ANNUAL + "?area=49417463-2&fbtime=2016",
}


spider = spider_for(QufuGovCnSpider)


def detail(spider: QufuGovCnSpider, name: str, entry: ListEntry | None = None):
    return detail_item(spider, fixture_response(PORTAL, name, meta={"list_url": COLUMN}), entry)


def test_column_page_follows_its_embedded_records_then_posts_for_the_next_group(spider) -> None:
    requests = list(spider.parse_list(fixture_response(PORTAL, "col15260.html")))
    details, more = requests[:-1], requests[-1]
    assert len(details) == 39  # 45 embedded records, 6 of them not reports (the 404 is followed)
    assert details[0].cb_kwargs["entry"] == ListEntry(
        url=SITE + "/art/2026/3/10/art_15260_3846255.html",
        title="2025年曲阜市住房和城乡建设局政府信息公开工作年度报告",
        date="2026-03-10",
    )
    assert details[1].url == ANNUAL + "?area=53652107-7&fbtime=2025"
    assert more.method == "POST"
    assert more.url == PROXY + "?startrecord=46&endrecord=90&perpage=15"
    assert {k: v[0] for k, v in parse_qs(more.body.decode()).items()} == FORM
    assert more.headers["Referer"] == COLUMN.encode()
    stats = spider.crawler.stats.get_stats()
    assert (stats["portal/list_entries"], stats["portal/nonreport_skipped"]) == (45, 6)


def test_list_titles_come_whole_from_the_title_attribute(spider) -> None:
    page = fixture_response(PORTAL, "col15260.html")
    entries = list(spider.list_entries(page))
    cut = [e for e in entries if "小雪街道" in e.title]
    assert [e.title for e in cut] == ["曲阜市人民政府小雪街道办事处2018年政府信息公开工作年度报告"]
    assert "曲阜市人民政府小雪街道办事处2018年政府信息公开工作年度报...</a>" in page.text


def test_dataproxy_group_holds_the_last_records_and_ends_the_walk(spider) -> None:
    jpage = spider.jpage(fixture_response(PORTAL, "col15260.html"))
    assert (jpage.total, jpage.per_page, jpage.group_size) == (47, 15, 45)
    group = fixture_response(PORTAL, "dataproxy_46_90.xml", meta={"column": COLUMN})
    requests = list(spider.parse_group(group, jpage=jpage, start=46))
    assert [r.url for r in requests] == [
        ANNUAL + "?area=23486577-7&fbtime=2014",
        ANNUAL + "?area=29447962-2&fbtime=2014",
    ]  # 47 records in all: no third request


def test_seed_003_annual_report_page(spider) -> None:
    item = detail(spider, "annual_49417463-2_2017.html")
    assert item.title == SEED_TITLE  # from .title: module pages carry no ArticleTitle
    # 发布机构 / 发布日期 as the module prints them
    assert (item.unit, item.report_year, item.published_at) == (
        "鲁城街道办事处",
        2017,
        "2018-01-31",
    )
    body = " ".join(
        fixture_response(PORTAL, "annual_49417463-2_2017.html").css("#zoom ::text").getall()
    )
    assert "为认真贯彻落实" in body and "版权所有" not in body and "发布机构" not in body
    assert spider.attachment_links(fixture_response(PORTAL, "annual_49417463-2_2017.html")) == [
        (
            SITE
            + "/module/download/downfile.jsp?classid=0&filename=75e7b80a0b51ac333d1b568b21bef2f4.docx",
            SEED_TITLE + ".docx",
        )
    ]
    assert spider.canonical_url(item.url) == SEED_URL.replace("http:", "https:")


def test_article_unit_from_the_source_marker_when_the_meta_is_empty(spider) -> None:
    page = fixture_response(PORTAL, "art_15260_3334084.html")
    assert page.css('meta[name="ContentSource"]::attr(content)').get() == ""
    item = detail(spider, "art_15260_3334084.html")
    assert item.title == "曲阜市教育局2021年政府信息公开工作年度报告"
    assert (item.unit, item.report_year, item.published_at) == (
        "曲阜市教育局",  # from <!--<$[信息来源]>begin-->曲阜市教育局<!--<$[信息来源]>end-->
        2021,
        "2022-03-13T16:22",
    )
    assert item.attachments == []


def test_article_with_its_meta_tags(spider) -> None:
    item = detail(spider, "art_15260_3846255.html")
    assert (item.title, item.unit, item.report_year, item.published_at) == (
        "2025年曲阜市住房和城乡建设局政府信息公开工作年度报告",
        "曲阜市住房和城乡建设局",
        2025,
        "2026-03-10T15:38",
    )
    body = fixture_response(PORTAL, "art_15260_3846255.html").css("#zoom").get()
    assert "<!--ZJEG_RSS.content.begin-->" in body and "打印本页" not in body
    assert "一、总体情况" in body


def test_a_unit_year_without_report_is_a_page_without_body(spider) -> None:
    page = fixture_response(PORTAL, "annual_49417463-2_2016.html")
    assert page.status == 200
    assert page.css(".nodata::text").get() == "暂无2016年度报告信息"
    assert page.css(spider.content_selector) == []


@pytest.mark.sandbox
def test_a_sandbox_crawl_archives_every_report_and_nothing_else(tmp_path) -> None:
    run = crawl_portal(PORTAL, tmp_path / "qf.db")
    assert run.returncode == 0, run.stderr
    assert "recall 100% precision 100% of 40" in run.stdout
    archived, truth, wrong = against_manifest(run, PORTAL)
    assert archived == truth
    assert wrong == []
    attachments = run.query(
        "SELECT filename, status, instr(text, '为认真贯彻落实') > 0 FROM attachments"
    )
    assert attachments == [(SEED_TITLE + ".docx", "ok", 1)]


def save_dataproxy() -> None:
    """The second group, POSTed as the spider posts it (helpers.refresh only GETs)."""
    import sandbox
    from tests.helpers import fetch_through

    url = PROXY + "?startrecord=46&endrecord=90&perpage=15"
    body = "&".join(f"{k}={v}" for k, v in FORM.items()).encode()
    with sandbox.running() as box:
        status, headers, data = fetch_through(box.proxy_url, url, data=body)
    folder = FIXTURES / PORTAL
    (folder / "dataproxy_46_90.xml").write_bytes(data)
    index = json.loads((folder / "fixtures.json").read_text("utf-8"))
    index["dataproxy_46_90.xml"] = {
        "url": url,
        "status": status,
        "headers": {"Content-Type": headers["Content-Type"]},
    }
    (folder / "fixtures.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    from tests.helpers import refresh

    refresh(PORTAL, PAGES)
    save_dataproxy()
