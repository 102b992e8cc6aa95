"""The web UI's pages, through Datasette in process: what a researcher sees on each, exactly."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from pathlib import Path

from crawler.serve import app
from tests.search.archive_fixture import TITLES
from tests.ui.ui_archive import REPORT4_TEXT, XLS_BYTES, XLS_NAME


def html(get, path: str) -> str:
    status, _, body = get(path)
    assert status == 200, body[:500]
    return body.decode()


def q(text: str) -> str:
    return urllib.parse.quote(text)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_home_shows_the_archive_at_a_glance_in_chinese(get):
    page = html(get, "/")
    assert '<html lang="zh-CN">' in page
    assert "<title>政府信息公开工作年度报告档案 · 概览</title>" in page
    assert '共 <strong id="total-reports">7</strong> 篇报告' in page
    assert "_sqlite_migrations" not in page
    matrix = page.split('id="year-matrix"')[1].split("</table>")[0]
    header = re.findall(r"<th>(\d{4})</th>", matrix)
    assert header == [str(y) for y in range(2017, 2024)]
    zc = matrix.split('data-portal="zc_gov_cn"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="gr-(\w+)"', zc) == [
        "none", "none", "has", "has", "has", "none", "none",
    ]  # fmt: skip
    assert "广东省广州市增城区" in zc and "440118" in zc
    assert "<svg" in page and "各门户每年报告数" in page  # the chart, drawn on the server
    assert "最近一次运行 <code>run-20240301</code>" in page
    health = text_of(page.split('id="portal-health">')[1].split("</table>")[0])
    assert (
        "haizhu_gov_cn 不健康 0 3 0 reports found (the archive holds 1) run-20240301 从未" in health
    )
    assert "zc_gov_cn 健康 3 1 40 run-20240301 2024-03-01T02:50:00Z" in health


def test_a_year_without_a_report_inside_a_portals_span_is_marked(tmp_path: Path):
    from tests.search.archive_fixture import build_archive

    path = tmp_path / "gap.db"
    db = build_archive(path)
    db.execute("UPDATE reports SET report_year = 2023 WHERE id = 7")  # zc: 2019, 2020, 2023
    db.conn.commit()
    db.conn.close()
    import asyncio

    page = asyncio.run(app(path).client.get("/")).text
    zc = page.split('data-portal="zc_gov_cn"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="gr-(\w+)"', zc) == [
        "none", "none", "has", "has", "gap", "gap", "has",
    ]  # fmt: skip
    assert "（2 处）" in page


def test_search_page_ands_terms_counts_and_facets(get):
    page = html(get, f"/archive/search?q={q('依申请公开')}")
    assert "共找到 <strong>4</strong> 篇报告" in page
    hits = re.findall(r'<li class="gr-hit" data-id="(\d+)">', page)
    assert hits == ["3", "6", "2", "1"]
    assert f'<a class="gr-hit-title" href="/archive/report/3">{TITLES[3]}</a>' in page
    assert "<mark>依申请公开</mark>" in page
    portals = text_of(page.split('id="facet-portal">')[1].split("</ul>")[0])
    assert portals == "广州市增城区 2 广州市白云区 1 qzlc_gov_cn 1"
    years = text_of(page.split('id="facet-year">')[1].split("</ul>")[0])
    assert years == "2023 1 2020 1 2019 1 2018 1"
    places = text_of(page.split('id="facet-place">')[1].split("</ul>")[0])
    assert places == "广州市增城区 440118 2 广州市白云区 440111 1"
    both = html(get, f"/archive/search?q={q('依申请公开 年报')}")
    assert re.findall(r'data-id="(\d+)"', both) == ["2", "6"]


def test_search_page_filters_by_facet_and_finds_two_character_terms(get):
    page = html(get, f"/archive/search?q={q('年报')}&adcode=440118")
    assert re.findall(r'data-id="(\d+)"', page) == ["2"]
    assert "地区 440118" in page
    page = html(get, f"/archive/search?q={q('诉')}")
    assert "共找到 <strong>4</strong> 篇报告" in page


def test_search_page_explains_a_bad_query(get):
    page = html(get, f"/archive/search?q={q(chr(34) + '依申请公开')}")
    assert "无法检索：unbalanced quote" in page
    assert 'data-id="' not in page


def test_list_pages_never_ship_whole_texts(get):
    search = html(get, f"/archive/search?q={q('官洲')}")
    assert re.findall(r'data-id="(\d+)"', search) == ["4"]
    assert len(search) < 20_000
    assert REPORT4_TEXT[400:480] not in search
    table = html(get, "/archive/reports")
    assert REPORT4_TEXT[:80] + "…" in text_of(table) or REPORT4_TEXT[:80] in table
    assert REPORT4_TEXT[400:480] not in table
    listing = html(get, "/archive/report_list")
    assert "text" not in re.findall(r'<th class="col-(\w+)', listing)


def test_report_page_is_made_for_reading(get):
    page = html(get, "/archive/report/4")
    assert f'<h1 id="report-title">{TITLES[4]}</h1>' in page
    facts = text_of(page.split('id="report-facts">')[1].split("</dl>")[0])
    assert facts.startswith(
        "发布机构 官洲街道办事处 地区 广东省 广州市 海珠区 行政区划代码 440105 报告年度 2019"
        " 格式 2019年试行格式 发布日期 2020-01-31 门户 广州市海珠区 haizhu_gov_cn"
    )
    assert "此报告已于 2024-05-02T03:00:00Z 从门户撤下" in page
    body = page.split('id="text"')[1].split('id="attachments"')[0]
    assert "<h3>二、主动公开政府信息情况</h3>" in body
    assert "<h3>（二）机关内部公开。" not in body  # a paragraph's lead-in is not a heading
    tables = re.findall(r'<table class="gr-report-table">(.*?)</table>', body, re.S)
    assert len(tables) == 3
    assert "<tr><td>行政处罚</td><td>1</td><td>0</td><td>581</td></tr>" in tables[0]


def test_report_page_shows_attachments_versions_and_provenance(get):
    page = html(get, "/archive/report/4")
    attachment = page.split('data-attachment="4"')[1].split('id="versions"')[0]
    assert XLS_NAME in attachment and "已提取文字" in attachment
    assert 'href="/archive/report/4/capture/7">下载原件</a>' in attachment
    assert "<td>一、本年新收政府信息公开申请数量</td>" in attachment
    versions = page.split('id="versions"')[1].split('id="sightings"')[0]
    assert "版本 2022-05-10T02:30:00Z → 2024-03-01T02:40:00Z 的改动" in versions
    assert "<del>60</del>" in versions and "<ins>81</ins>" in versions
    captures = page.split('id="captures"')[1]
    assert '<tr id="capture-7">' in captures
    assert "https://www.haizhu.gov.cn/attachment/0/60/60431/6043121.xls" in captures
    assert "application/vnd.ms-excel" in captures  # its response headers


def test_download_serves_the_original_bytes_name_and_type(get):
    status, headers, body = get("/archive/report/4/capture/7")
    assert status == 200
    assert body == XLS_BYTES
    assert hashlib.sha256(body).hexdigest() == headers["x-govreports-sha256"]
    assert headers["content-type"] == "application/vnd.ms-excel"
    assert headers["content-disposition"] == (
        "attachment; filename=\"_______2019__________.xls\"; filename*=UTF-8''"
        + urllib.parse.quote("附件：官洲街道2019年政府信息公开统计表.xls", safe="")
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "sandbox"
    assert get("/archive/report/1/capture/7")[0] == 404  # not a capture of report 1
    assert get("/archive/report/99/capture/7")[0] == 404


def test_figures_page_says_when_no_report_gave_a_number(get):
    page = html(get, "/archive/figures")  # the tables exist (m007), no figures stored in them
    assert 'id="no-figures"' in page and "还没有可画的数据" in page
    assert 'id="received-chart"' not in page


def test_figures_page_charts_requests_received_per_place_and_year(tmp_path: Path):
    import asyncio

    from crawler.archive import Archive
    from tests.figures.archived import item
    from tests.figures.archived import page as report_page

    path = tmp_path / "figures.db"
    with Archive.open(path) as opened:  # through the crawl's clean, figures and dedup steps
        opened.store(item(1, report_page(2021, rules="30"), 2021, "白云区人民政府"))
        opened.store(item(2, report_page(2021), 2021, "区民政局"))
        slash = ("35", "4", "0", "0", "1", "2", "7", "/")
        opened.store(item(3, report_page(2022, new=slash), 2022, "广州市白云区民政局"))
    page = asyncio.run(app(path).client.get("/figures/figures")).text
    cells = r"<td>(.*?)</td>" * 5
    rows = re.findall(rf"<tr>{cells}</tr>", page)
    assert rows == [  # the county's own report and its units' sum side by side, never added
        ("广州市白云区", "2021", "42", "42", "1"),
        ("广州市白云区", "2022", "—", "—", "1"),  # 民政局 left 2022's cell "/": not 0
    ]
    assert 'id="received-chart"' in page and 'id="checks-chart"' in page
    assert "依申请公开：收到申请数（区县政府本级报告）" in page
