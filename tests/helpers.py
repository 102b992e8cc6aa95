"""Fixture pages as raw bytes plus how they were fetched (URL, status, headers), so a test
response gets the same class and charset as in production; spiders to call callbacks on; a real
crawl of one sandbox portal compared with the sandbox's manifest.

`tests/fixtures/<portal>/fixtures.json` maps each saved file to its URL, status and headers;
`refresh(portal, {name: url})` re-saves them from the offline sandbox through its proxy.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from crawler.portal import ListEntry
from tests.integration.conftest import CrawlRun, govreports_crawl

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_response(portal: str, name: str, meta: dict[str, Any] | None = None) -> Response:
    folder = FIXTURES / portal
    record = json.loads((folder / "fixtures.json").read_text("utf-8"))[name]
    body = (folder / name).read_bytes()
    headers = {k: v for k, v in record["headers"].items()}
    cls = responsetypes.from_args(headers=headers, url=record["url"], body=body)
    request = Request(record["url"], meta=meta or {})
    return cls(
        url=record["url"], status=record["status"], headers=headers, body=body, request=request
    )


def fetch_through(proxy_url: str, url: str, data: bytes | None = None) -> tuple[int, dict, bytes]:
    """GET (or POST) url through the sandbox proxy, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url}),
        urllib.request.HTTPSHandler(context=context),
        NoRedirect(),
    )
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def refresh(portal: str, pages: dict[str, str], **sandbox_kwargs: Any) -> None:
    """Save `pages` ({file name: URL}) from the sandbox into tests/fixtures/<portal>/."""
    import sandbox

    folder = FIXTURES / portal
    folder.mkdir(parents=True, exist_ok=True)
    index_path = folder / "fixtures.json"
    index = json.loads(index_path.read_text("utf-8")) if index_path.exists() else {}
    with sandbox.running(**sandbox_kwargs) as box:
        for name, url in pages.items():
            status, headers, body = fetch_through(box.proxy_url, url)
            (folder / name).write_bytes(body)
            keep = {k: v for k, v in headers.items() if k.lower() in {"content-type", "location"}}
            index[name] = {"url": url, "status": status, "headers": keep}
    index_path.write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", "utf-8")


def project_crawler(spidercls: type, spider_args: dict | None = None, **overrides: Any):
    """A Crawler with this project's settings (crawler/settings.py) plus overrides, its spider
    created (with `spider_args`): for calling callbacks and pipelines directly, no reactor."""
    from crawler import settings as project

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    return _crawler(spidercls, {**values, **overrides}, spider_args or {})


def _crawler(spidercls: type, settings: dict[str, Any], spider_args: dict[str, Any]):
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(spidercls, settings)
    crawler._apply_settings()
    crawler.spider = crawler._create_spider(**spider_args)
    return crawler


def spider_for(
    spidercls: type, project: bool = True, engine: Callable[[], Any] | None = None
) -> Callable:
    """A `spider` fixture for a test module: a new spider per test, run id "run-test", the
    project's settings (Scrapy's defaults with project=False); spider arguments come from
    `@pytest.mark.parametrize("spider", [{...}], indirect=True)`; `engine()` stands in for the
    engine (the attachment fetches of parse_detail)."""

    @pytest.fixture
    def spider(request: pytest.FixtureRequest):
        args = getattr(request, "param", {})
        if project:
            crawler = project_crawler(spidercls, args, GOVREPORTS_RUN_ID="run-test")
        else:
            crawler = _crawler(spidercls, {"GOVREPORTS_RUN_ID": "run-test"}, args)
        if engine is not None:
            crawler.engine = engine()
        return crawler.spider

    return spider


def detail_item(spider: Any, response: Response, entry: ListEntry | None = None) -> Any:
    """The one item `spider.parse_detail` yields for `response`, reached from `entry` (by
    default: a list entry with the response's URL and no title)."""

    async def collect() -> list:
        found = entry or ListEntry(response.url, "")
        return [item async for item in spider.parse_detail(response, entry=found)]

    (item,) = asyncio.run(collect())
    return item


def crawl_portal(portal: str, archive: Path) -> CrawlRun:
    """`govreports crawl PORTAL --sandbox` into `archive`, in a subprocess."""
    return govreports_crawl(archive, portal)


def against_manifest(run: CrawlRun, portal: str) -> tuple[set[str], set[str], list[str]]:
    """The archived reports' canonical URLs, the manifest's report URLs of `portal`, and the
    URLs (in both) whose archived title, unit, year, date or text differs from the manifest."""
    import sandbox

    rows = run.query(
        "SELECT canonical_url, title, unit, report_year, substr(published_at, 1, 10), text "
        "FROM reports"
    )
    truth = {r["url"]: r for r in sandbox.manifest()["reports"] if r["portal"] == portal}
    got = {url: tuple(rest) for url, *rest in rows}
    keys = ("title", "unit", "year", "published_at", "text")
    wrong = [u for u in truth if u in got and got[u] != tuple(truth[u][k] for k in keys)]
    return set(got), set(truth), wrong
