"""Fixture pages as raw bytes plus how they were fetched (URL, status, headers), so a test
response gets the same class and charset as in production.

`tests/fixtures/<portal>/fixtures.json` maps each saved file to its URL, status and headers;
`refresh(portal, {name: url})` re-saves them from the offline sandbox through its proxy.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

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


def project_crawler(spidercls: type, **overrides: Any):
    """A Crawler with this project's settings (crawler/settings.py) plus overrides, its spider
    created: for calling callbacks and pipelines directly, with no reactor."""
    from scrapy.utils.test import get_crawler

    from crawler import settings as project

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    crawler = get_crawler(spidercls, {**values, **overrides})
    crawler._apply_settings()
    crawler.spider = crawler._create_spider()
    return crawler
