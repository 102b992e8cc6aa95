"""The Datasette UI in a real headless Chromium: a term typed into the reports table's own search
box, submitted, read on the search page."""

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


def hit_ids(page) -> list[int]:
    return [
        int(i) for i in page.locator("li.gr-hit").evaluate_all("ls => ls.map(l => l.dataset.id)")
    ]


@pytest.mark.browser
def test_the_table_search_box_lands_on_the_search_page_with_every_hit(page):
    page.goto("/a/reports")
    assert page.locator("h1").inner_text() == "报告（含全文）"
    assert "全文检索" in page.locator(".metadata-description").inner_text()
    page.fill("input[name=_search]", "年报")  # 2 characters: the trigram box found nothing
    page.locator("form.filters input[type=submit]").click()
    page.wait_for_url("**/a/search?q=*")
    assert hit_ids(page) == [5, 2, 6]
    assert page.locator("a.gr-hit-title").all_inner_texts() == [TITLES[5], TITLES[2], TITLES[6]]
    assert page.locator("#hit-count").inner_text().startswith("共找到 3 篇报告")
    assert page.locator("li.gr-hit mark").first.inner_text() == "年报"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    assert (ARTIFACTS / "search.png").stat().st_size > 10_000
