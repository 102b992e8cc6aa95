"""zc_gov_cn on pages saved from the sandbox (tests/fixtures/zc_gov_cn/, see tests/helpers.py)."""

import pytest

from crawler.portal import ListEntry
from spiders.zc_gov_cn import ZcGovCnSpider
from tests.helpers import detail_item, fixture_response, spider_for

COLUMN = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
ZHUCUN = COLUMN + "content/post_5672236.html"
ZHUCUN_TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"


spider = spider_for(ZcGovCnSpider, project=False)


def detail(spider, name: str):
    response = fixture_response("zc_gov_cn", name, meta={"list_url": COLUMN + "index_3.html"})
    return detail_item(spider, response)


def test_first_list_page_follows_reports_and_the_next_page(spider) -> None:
    requests = list(spider.parse_list(fixture_response("zc_gov_cn", "index.html")))
    details, pages = requests[:-1], requests[-1:]
    assert len(details) == 18
    first = details[0].cb_kwargs["entry"]
    assert first == ListEntry(
        url=COLUMN + "content/post_11053017.html",
        title="2025年广州市增城区人民政府增江街道办事处政府信息公开工作年度报告",
        date="2026-03-21",
    )
    assert [p.url for p in pages] == [COLUMN + "index_2.html"]
    stats = spider.crawler.stats.get_stats()
    assert (stats["portal/list_entries"], stats["portal/nonreport_skipped"]) == (20, 2)


def test_last_list_page_has_no_next_page(spider) -> None:
    requests = list(spider.parse_list(fixture_response("zc_gov_cn", "index_3.html")))
    assert all(r.callback == spider.parse_detail for r in requests)
    assert spider.next_page(fixture_response("zc_gov_cn", "index_3.html")) is None


def test_column_page_switches_to_the_json_list(spider) -> None:
    column = fixture_response("zc_gov_cn", "index.html")
    (request,) = list(spider.parse_column(column))
    assert request.url == "https://www.zc.gov.cn/postmeta/i/5060.json"
    requests = list(
        spider.parse_json_list(fixture_response("zc_gov_cn", "list_5060.json"), column, "5060", 1)
    )
    assert len(requests) == 19  # 18 reports + page 2
    assert requests[0].cb_kwargs["entry"].date == "2026-03-21"
    assert requests[-1].url == "https://www.zc.gov.cn/postmeta/i/5060_2.json"
    last = list(
        spider.parse_json_list(fixture_response("zc_gov_cn", "list_5060_3.json"), column, "5060", 3)
    )
    assert all(r.callback == spider.parse_detail for r in last)


@pytest.mark.parametrize("spider", [{"list_source": "html"}], indirect=True)
def test_list_source_html_walks_html_pages(spider) -> None:
    requests = list(spider.parse_column(fixture_response("zc_gov_cn", "index.html")))
    assert requests[-1].url == COLUMN + "index_2.html"
    assert len(requests) == 19


def test_broken_json_falls_back_to_html_pages(spider) -> None:
    column = fixture_response("zc_gov_cn", "index.html")
    broken = fixture_response("zc_gov_cn", "index_2.html")  # HTML where JSON was expected
    requests = list(spider.parse_json_list(broken, column, "5060", 1))
    assert requests[-1].url == COLUMN + "index_2.html"
    assert spider.crawler.stats.get_value("portal/json_list_fallback") == 1


def test_seed_page_fields_come_from_the_page(spider) -> None:
    item = detail(spider, "post_5672236.html")
    assert item.title == ZHUCUN_TITLE
    assert item.unit == "朱村街道办事处"  # 来源: 本网 on this page, so from the title
    assert item.report_year == 2017
    assert item.published_at == "2018-03-15T10:26"
    assert item.content_selector == "#zoomcon"
    assert item.capture.status == 200
    assert item.capture.referer == COLUMN + "index_3.html"
    assert item.capture.run_id == "run-test"
    assert item.capture.sha256 == __import__("hashlib").sha256(item.capture.body).hexdigest()


def test_unit_from_content_source_meta(spider) -> None:
    item = detail(spider, "post_8011311.html")
    assert item.title == "广州市增城区人民政府办公室2021年度政府信息公开工作年度报告"
    assert (item.unit, item.report_year, item.published_at) == (
        "增城区人民政府办公室",
        2021,
        "2022-01-06T15:49:49",
    )


def test_mobile_twin_and_old_host_share_the_canonical_url(spider) -> None:
    item = detail(spider, "mpost_5672236.html")
    assert item.title == ZHUCUN_TITLE
    assert spider.canonical_url(item.url) == ZHUCUN
    assert spider.canonical_url(ZHUCUN.replace("https://www.zc", "http://www.zengcheng")) == ZHUCUN


def test_old_host_redirects_permanently_to_the_new_one() -> None:
    response = fixture_response("zc_gov_cn", "zengcheng_redirect.html")
    assert response.status == 301
    # same scheme and path on the new host
    assert (
        response.headers["Location"].decode()
        == "http://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
    )
