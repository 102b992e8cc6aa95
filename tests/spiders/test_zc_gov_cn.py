"""zc_gov_cn on pages saved from the sandbox (tests/fixtures/zc_gov_cn/, see tests/helpers.py)."""

import pytest

from crawler.portal import ListEntry
from tests.helpers import detail_item, fixture_response, spider_for
from tests.portals import ZcGovCnSpider

COLUMN = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
ZHUCUN = COLUMN + "content/post_5672236.html"
ZHUCUN_TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"


spider = spider_for(ZcGovCnSpider, project=False)


def detail(spider, name: str):
    response = fixture_response("zc_gov_cn", name, meta={"list_url": COLUMN + "index_3.html"})
    return detail_item(spider, response)


def by_callback(requests) -> dict[str, list]:
    found: dict[str, list] = {}
    for request in requests:
        found.setdefault(request.callback.__name__, []).append(request)
    return found


def test_first_list_page_follows_reports_and_every_page_its_pager_names(spider) -> None:
    made = by_callback(spider.parse_list(fixture_response("zc_gov_cn", "index.html")))
    assert len(made["parse_detail"]) == 18
    first = made["parse_detail"][0].cb_kwargs["entry"]
    assert first == ListEntry(
        url=COLUMN + "content/post_11053017.html",
        title="2025年广州市增城区人民政府增江街道办事处政府信息公开工作年度报告",
        date="2026-03-21",
    )
    assert [p.url for p in made["parse_list"]] == [COLUMN + "index_2.html", COLUMN + "index_3.html"]
    assert {p.meta["column"] for p in made["parse_list"]} == {COLUMN}
    stats = spider.crawler.stats.get_stats()
    assert (stats["portal/list_entries"], stats["portal/nonreport_skipped"]) == (20, 2)
    # 增城区政府信息公开申请表（样式）, 增城区2023年政府信息公开工作要点
    assert (stats["titles/rejected/no_report_name"], stats["titles/rejected/work_plan"]) == (1, 1)


def test_last_list_page_has_no_next_page(spider) -> None:
    last = fixture_response("zc_gov_cn", "index_3.html")
    made = by_callback(spider.parse_list(last))
    assert spider.next_page(last) is None
    # its pager still names the earlier pages (requested once per run: Scrapy filters repeats)
    assert [p.url for p in made["parse_list"]] == [COLUMN + "index_2.html"]


def test_column_page_reads_its_html_and_its_json_list(spider) -> None:
    column = fixture_response("zc_gov_cn", "index.html", meta={"column": COLUMN})
    made = by_callback(spider.parse_column(column))
    assert len(made["parse_detail"]) == 18
    (json_list,) = made["parse_json_list"]
    assert json_list.url == "https://www.zc.gov.cn/postmeta/i/5060.json"
    assert json_list.meta["column"] == COLUMN
    assert json_list.headers["X-Requested-With"] == b"XMLHttpRequest"
    answer = fixture_response("zc_gov_cn", "list_5060.json", meta={"column": COLUMN})
    # the same 18 reports as the HTML page: each is requested once
    assert list(spider.parse_json_list(answer)) == []
    assert spider.crawler.stats.get_value("portal/entries_listed_twice") == 18


def test_json_list_alone_gives_its_page_and_invents_no_next_one(spider) -> None:
    answer = fixture_response("zc_gov_cn", "list_5060.json", meta={"column": COLUMN})
    requests = list(spider.parse_json_list(answer))
    assert len(requests) == 18
    assert requests[0].cb_kwargs["entry"].date == "2026-03-21"
    assert {r.callback for r in requests} == {spider.parse_detail}


@pytest.mark.parametrize("spider", [{"list_source": "html"}], indirect=True)
def test_list_source_html_walks_html_pages_only(spider) -> None:
    made = by_callback(spider.parse_column(fixture_response("zc_gov_cn", "index.html")))
    assert "parse_json_list" not in made
    assert len(made["parse_detail"]) == 18 and len(made["parse_list"]) == 2


def test_a_json_answer_of_another_shape_is_a_counted_skip(spider) -> None:
    broken = fixture_response("zc_gov_cn", "index_2.html", meta={"column": COLUMN})
    assert list(spider.parse_json_list(broken)) == []
    assert spider.crawler.stats.get_value("portal/json_list_unknown_shape") == 1


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
