"""The Datasette UI in a real headless Chromium: type a Chinese term, submit, read the rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from tests.search.archive_fixture import TITLES
from tests.search.datasette_server import running_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# the same Debian chromium and flags the crawl's scrapy-playwright uses
CHROMIUM = PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"]
CHROMIUM_ARGS = PLAYWRIGHT_LAUNCH_OPTIONS["args"]


@pytest.fixture(scope="module")
def page(archive_path: Path, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with running_server(archive_path, log) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, base_url=base)
        page.set_default_timeout(20_000)
        yield page
        browser.close()


def titles(page) -> list[str]:
    return page.locator("table.rows-and-columns td.col-title").all_inner_texts()


@pytest.mark.browser
def test_table_search_box_finds_a_chinese_term(page):
    page.goto("/a/reports")
    assert page.locator("h1").inner_text() == "reports"
    page.fill("input[name=_search]", "依申请公开")
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url("**_search=*")
    assert sorted(titles(page)) == sorted(TITLES[i] for i in (1, 2, 3, 4, 6))
    assert "the complete search" in page.locator(".metadata-description").inner_text()


@pytest.mark.browser
def test_complete_search_page_finds_a_two_character_term(page):
    page.goto("/a/search")
    page.fill("input[name=q]", "年报")
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_url("**q=*")
    assert titles(page) == [TITLES[6], TITLES[2], TITLES[5]]
    snippets = page.locator("table.rows-and-columns td.col-snippet").all_inner_texts()
    assert snippets[2] == (
        "…鲁城街道高度重视政府信息公开工作。本年度[年报]经街道党工委审定后发布。\n"
        "二、主动公开政府信息情况\n全年主动公开信息86条。 …"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    assert (ARTIFACTS / "search.png").stat().st_size > 10_000
