"""The web UI in a real Chromium (Debian's, as the crawl's scrapy-playwright uses it): the home
page, a search for 依申请公开 typed into the form, a 2-character search, a report with tables and
an attachment, and a download whose bytes hash to the stored sha256. Screenshots are saved in
output/ui/ for people to look at."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from tests.search.archive_fixture import TITLES
from tests.search.datasette_server import running_server
from tests.ui.conftest import SCREENSHOTS
from tests.ui.ui_archive import XLS_BYTES, XLS_NAME, sha

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(ui_archive: Path, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with running_server(ui_archive, log) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"],
            args=PLAYWRIGHT_LAUNCH_OPTIONS["args"],
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=base, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        browser.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20_000  # a drawn page, not a blank one
    return path


def hit_ids(page) -> list[int]:
    return [
        int(i) for i in page.locator("li.gr-hit").evaluate_all("ls => ls.map(l => l.dataset.id)")
    ]


def test_home_page(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "政府信息公开工作年度报告档案"
    assert page.locator("#total-reports").inner_text() == "7"
    assert page.locator("#year-matrix tbody tr").count() == 5
    assert page.locator(".gr-chart svg").count() == 1
    assert "run-20240301" in page.locator("#last-run").inner_text()
    shot(page, "home")


def test_search_for_yishenqing_gongkai_typed_into_the_form(page):
    page.goto("/")
    page.fill("form.gr-search input[name=q]", "依申请公开")
    page.locator("form.gr-search input[type=submit]").click()
    page.wait_for_url("**/archive/search?q=*")
    assert page.locator("#hit-count").inner_text().startswith("共找到 4 篇报告")
    assert hit_ids(page) == [3, 6, 2, 1]
    assert page.locator("li.gr-hit mark").first.inner_text() == "依申请公开"
    assert page.locator("#facet-place li").count() == 2
    shot(page, "search-yishenqing-gongkai")
    page.locator("a.gr-hit-title").first.click()
    page.wait_for_url("**/archive/report/3")
    assert page.locator("#report-title").inner_text() == TITLES[3]


def test_two_character_search(page):
    page.goto("/archive/search")
    page.fill("form.gr-search input[name=q]", "年报")
    page.locator("form.gr-search input[type=submit]").click()
    page.wait_for_url("**q=*")
    assert hit_ids(page) == [5, 2, 6]
    snippets = page.locator("p.gr-snippet").all_inner_texts()
    assert snippets[0] == (
        "…件精神，鲁城街道高度重视政府信息公开工作。本年度年报经街道党工委审定后发布。"
        " 二、主动公开政府信息情况 全年主动公开信息86条。"
    )
    shot(page, "search-nianbao")


def test_report_page_with_tables_and_an_attachment(page):
    page.goto("/archive/report/4")
    assert page.locator("#report-title").inner_text() == TITLES[4]
    assert page.locator("#text table.gr-report-table").count() == 3
    cell = page.locator("#text table.gr-report-table td", has_text="1700.35万元")
    assert cell.count() == 1
    assert page.locator(".gr-attachment h3").inner_text() == XLS_NAME
    assert page.locator(".gr-attachment table.gr-report-table").count() == 1
    # the last correction (one figure, 560 -> 581), after the excerpt grew into the whole text
    assert page.locator("#versions h3").last.inner_text() == (
        "版本 2022-05-10T02:30:00Z → 2024-03-01T02:40:00Z 的改动"
    )
    last_diff = page.locator("#versions .gr-diff").last
    assert last_diff.locator("del").all_inner_texts() == ["60"]
    assert last_diff.locator("ins").all_inner_texts() == ["81"]
    shot(page, "report-with-tables-and-attachment")


def test_download_hashes_to_the_stored_sha256(page, tmp_path: Path):
    page.goto("/archive/report/4")
    with page.expect_download() as info:
        page.locator(".gr-attachment a.gr-download").click()
    download = info.value
    saved = tmp_path / "download.bin"
    download.save_as(saved)
    assert download.suggested_filename == XLS_NAME
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == sha(XLS_BYTES)
    assert saved.read_bytes() == XLS_BYTES
