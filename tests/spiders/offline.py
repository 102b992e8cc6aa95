"""A portal as a dict of pages, and a spider walked over it without a network: every request the
spider makes is answered from the dict (404 when absent), through the project's decoding
middleware, to its callback or errback, with Scrapy's duplicate filter and offsite rule; at the
end, what spider_idle does. Tests write small worlds by hand from docs/portals.md and check what
a spider finds in them: columns, reports, warnings.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import fingerprint
from twisted.python.failure import Failure

from crawler import columns
from crawler.decoding import DecodeOnceMiddleware
from crawler.items import ReportItem
from tests.helpers import project_crawler

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Page:
    body: str | bytes
    content_type: str = HTML
    status: int = 200
    location: str | None = None  # for a redirect

    def raw(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else self.body.encode("utf-8")


World = dict[str, "Page | str"]


@dataclass
class Walk:
    items: list[ReportItem] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)  # every URL answered, in order
    requests: list[Request] = field(default_factory=list)  # and the requests themselves
    incomplete: list[tuple[str | None, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def report_urls(self) -> list[str]:
        return sorted(item.url for item in self.items)

    def columns(self) -> set[str]:
        return {item.column for item in self.items}


class _Engine:
    def __init__(self, answer: Any) -> None:
        self.answer = answer

    async def download_async(self, request: Request) -> Response:
        return self.answer(request)


def walk(spidercls: type, world: World, **settings: Any) -> Walk:
    """Every page the spider asks for, answered from `world`, until it asks for nothing more."""
    crawler = project_crawler(spidercls, GOVREPORTS_RUN_ID="run-test", **settings)
    spider = crawler.spider
    decode = DecodeOnceMiddleware(crawler)
    result = Walk()

    def answer(request: Request) -> Response:
        page = world.get(request.url)
        if page is None:
            page = Page("<html><body>404 Not Found</body></html>", status=404)
        elif isinstance(page, str):
            page = Page(page)
        headers = {"Content-Type": page.content_type}
        if page.location:
            headers["Location"] = page.location
        body = page.raw()
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        response = cls(request.url, status=page.status, headers=headers, body=body, request=request)
        return decode.process_response(request, response)

    crawler.engine = _Engine(answer)
    crawler.signals.connect(
        lambda column, reason: result.incomplete.append((column, reason)),
        signal=columns.column_incomplete,
        weak=False,
    )

    async def run() -> None:
        queue: deque[Request] = deque([r async for r in spider.start()])
        seen: set[bytes] = set()
        while True:
            while queue:
                request = queue.popleft()
                if not spider.allowed(request.url):
                    crawler.stats.inc_value("offsite/filtered")
                    continue
                key = fingerprint(request)
                if not request.dont_filter and key in seen:
                    continue
                seen.add(key)
                result.requested.append(request.url)
                result.requests.append(request)
                for out in await _respond(spider, request, answer(request)):
                    if isinstance(out, Request):
                        queue.append(out)
                    elif isinstance(out, ReportItem):
                        result.items.append(out)
            spider.report_incomplete_columns()  # spider_idle
            if not queue:
                break

    asyncio.run(run())
    result.stats = crawler.stats.get_stats()
    return result


async def _respond(spider: Any, request: Request, response: Response) -> list[Any]:
    if 300 <= response.status < 400 and "Location" in response.headers:
        target = response.urljoin(response.headers["Location"].decode())
        return [request.replace(url=target)]
    if response.status >= 400:
        if request.errback is None:
            return []
        failure = Failure(HttpError(response, "Ignoring non-200 response"))
        failure.request = request  # as Scrapy sets it
        return await _collect(request.errback(failure))
    callback = request.callback or spider.parse
    return await _collect(callback(response, **request.cb_kwargs))


async def _collect(output: Any) -> list[Any]:
    if output is None:
        return []
    if inspect.isasyncgen(output):
        return [x async for x in output]
    if isinstance(output, Iterable):
        return list(output)
    return [output]


def host(url: str) -> str:
    return urlsplit(url).hostname or ""
