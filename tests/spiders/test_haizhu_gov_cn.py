"""haizhu_gov_cn on pages saved from the sandbox (tests/fixtures/haizhu_gov_cn/), plus one real
crawl of the sandbox checked against its manifest.

Re-save the pages after a sandbox change: `.venv/bin/python tests/spiders/test_haizhu_gov_cn.py`.
"""

import pytest

from crawler.portal import ListEntry
from spiders.haizhu_gov_cn import HaizhuGovCnSpider
from tests.helpers import against_manifest, crawl_portal, detail_item, fixture_response, spider_for

PORTAL = "haizhu_gov_cn"
ROOT = "https://www.haizhu.gov.cn/zwgk/zfxxgknb/"
STREETS, DEPARTMENTS = ROOT + "jd/", ROOT + "bm/"
GUANZHOU = STREETS + "content/post_6438811.html"
GUANZHOU_TITLE = "广州市海珠区人民政府官洲街道办事处2019年政府信息公开工作年度报告"
PAGES = {
    "jd_index.html": STREETS,
    "list_2891.json": "https://www.haizhu.gov.cn/postmeta/i/2891.json",
    "list_2891_2.json": "https://www.haizhu.gov.cn/postmeta/i/2891_2.json",
    "bm_index.html": DEPARTMENTS,
    "bm_index_2.html": DEPARTMENTS + "index_2.html",
    "post_6438811.html": GUANZHOU,
    "mpost_6438811.html": GUANZHOU.replace("post_", "mpost_"),
    "post_5601594.html": DEPARTMENTS + "content/post_5601594.html",
}


spider = spider_for(HaizhuGovCnSpider)


def detail(spider: HaizhuGovCnSpider, name: str, entry_title: str = ""):
    response = fixture_response(PORTAL, name, meta={"list_url": STREETS})
    return detail_item(spider, response, ListEntry(response.url, entry_title))


def test_streets_column_reads_its_html_list_and_its_json_list(spider) -> None:
    requests = list(spider.parse_column(fixture_response(PORTAL, "jd_index.html")))
    json_lists = [r for r in requests if r.callback == spider.parse_json_list]
    assert [r.url for r in json_lists] == ["https://www.haizhu.gov.cn/postmeta/i/2891.json"]
    # the breadcrumb's parent column (区 政府信息公开年报) and its siblings are columns too
    columns = [r.url for r in requests if r.callback == spider.parse_column]
    assert ROOT in columns


def test_json_list_follows_reports_and_skips_guides(spider) -> None:
    answer = fixture_response(PORTAL, "list_2891.json", meta={"column": STREETS})
    first = list(spider.parse_json_list(answer))
    assert len(first) == 14  # 15 posts, one of them 海珠区2022年街道政务公开工作要点
    assert first[0].cb_kwargs["entry"] == ListEntry(
        url=STREETS + "content/mpost_11047639.html",  # this item links the mobile twin
        title="广州市海珠区人民政府昌岗街道办事处2025年度政府信息公开工作年度报告",
        date="2026-03-18",
    )
    assert {r.meta["column"] for r in first} == {STREETS}
    stats = spider.crawler.stats.get_stats()
    assert (stats["portal/list_entries"], stats["titles/rejected/work_plan"]) == (15, 1)


def test_departments_column_has_no_json_so_its_html_pages_are_walked(spider) -> None:
    page_1 = fixture_response(PORTAL, "bm_index.html")
    assert spider.category_id(page_1) is None
    requests = list(spider.parse_list(page_1))
    details = [r for r in requests if r.callback == spider.parse_detail]
    assert len(details) == 13  # 15 rows: 申请流程图 and 2020年…年度报表 are not reports
    assert details[0].cb_kwargs["entry"] == ListEntry(
        url=DEPARTMENTS + "content/post_11058896.html",
        title="广州市海珠区教育局2025年度政府信息公开工作年度报告",
        date="2026-03-24",
    )
    assert [r.url for r in requests if r.callback == spider.parse_list] == [
        DEPARTMENTS + "index_2.html"
    ]
    last = list(spider.parse_list(fixture_response(PORTAL, "bm_index_2.html")))
    assert len([r for r in last if r.callback == spider.parse_detail]) == 7


def test_seed_002_page_title_unit_year_date_and_tables(spider) -> None:
    item = detail(spider, "post_6438811.html")
    assert item.title == GUANZHOU_TITLE
    # 来源:本网 and ContentSource 本网: the unit comes from the title
    assert (item.unit, item.report_year, item.published_at) == (
        "官洲街道办事处",
        2019,
        "2020-01-22T09:12:36",
    )
    body = fixture_response(PORTAL, "post_6438811.html").css("#zoomcon")
    assert len(body.css("table")) == 3  # sections 二, 三, 四 of the 2019 trial format
    assert body.css("table td::text").getall()[:3] == [
        "第二十条第（一）项",
        "信息内容",
        "本年新制作数量",
    ]
    assert "2020年1月22日" in body.css("p ::text").getall()[-1]
    assert "分享到" not in body.get() and "浏览量" not in body.get()
    assert item.capture.referer == STREETS
    assert item.capture.run_id == "run-test"


def test_empty_title_meta_falls_back_to_the_page_title(spider) -> None:
    page = fixture_response(PORTAL, "post_5601594.html")
    assert page.css('meta[name="ArticleTitle"]::attr(content)').get() == ""
    item = detail(spider, "post_5601594.html")
    assert item.title == "广州市海珠区民政局2015年政府信息公开年度报告"
    assert (item.unit, item.report_year, item.published_at) == (
        "海珠区民政局",  # from ContentSource; a department keeps its district
        2015,
        "2016-03-09T10:47:55",
    )


def test_mobile_twin_has_the_same_report_and_canonical_url(spider) -> None:
    item = detail(spider, "mpost_6438811.html")
    assert item.title == GUANZHOU_TITLE
    assert spider.canonical_url(item.url) == GUANZHOU
    assert spider.canonical_url(GUANZHOU.replace("https:", "http:")) == GUANZHOU


@pytest.mark.sandbox
def test_a_sandbox_crawl_archives_every_report_and_nothing_else(tmp_path) -> None:
    run = crawl_portal(PORTAL, tmp_path / "hz.db")
    assert run.returncode == 0, run.stderr
    assert "recall 100% precision 100% of 40" in run.stdout
    archived, truth, wrong = against_manifest(run, PORTAL)
    assert archived == truth
    assert wrong == []


if __name__ == "__main__":
    from tests.helpers import refresh

    refresh(PORTAL, PAGES)
