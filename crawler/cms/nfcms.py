"""NFCMS (Guangdong government-website cluster): how its columns list and paginate posts.

Facts (portals.md §1): columns are `index.html`, `index_2.html`, …; posts are
`…/content/post_{id}.html` with a mobile twin `mpost_{id}.html`; a column's posts are also served as
JSON by `/postmeta/i/{catId}.json`.  The JSON list is cheaper (no page chrome), so it is preferred;
when a column has no catId or its JSON fails, the HTML pages are walked instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawler import fields
from crawler.portal import ListEntry

# How a column page names its category: <meta name="catId" content="5060">, or NFCMS_CAT_ID = "5060".
_CAT_ID_RES = (
    re.compile(r"""<meta\s+name=["']catId["']\s+content=["'](\d+)["']""", re.IGNORECASE),
    re.compile(r"""NFCMS_CAT_ID\s*=\s*["']?(\d+)"""),
    re.compile(r"""/postmeta/i/(\d+)(?:_\d+)?\.json"""),
)
LIST_SOURCES = ("auto", "json", "html")


class NfcmsMixin:
    """Mix into PortalSpider: `class ZcGovCnSpider(NfcmsMixin, PortalSpider)`."""

    abstract = True
    detail_url_re: ClassVar[str] = r"/content/m?post_\d+\.html$"
    json_list_path: ClassVar[str] = "/postmeta/i/{cat}.json"
    # -a list_source=json|html|auto: which list a run walks (auto prefers JSON, falls back to HTML)
    list_source: str = "auto"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.list_source not in LIST_SOURCES:
            raise ValueError(f"list_source must be one of {LIST_SOURCES}, not {self.list_source!r}")
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_column, meta={"column": url})

    def parse_column(self, response: Response) -> Iterable[scrapy.Request]:
        """A column's first HTML page: switch to its JSON list if it has one."""
        cat = self.category_id(response)
        if cat and self.list_source != "html":
            yield scrapy.Request(
                self.json_list_url(response.url, cat, 1),
                callback=self.parse_json_list,
                errback=self.json_list_failed,
                cb_kwargs={"column": response, "cat": cat, "page": 1},
            )
            return
        if self.list_source == "json":
            self.crawler.stats.inc_value("portal/json_list_missing")
            self.logger.warning("no catId on %s; list_source=json finds nothing", response.url)
            return
        yield from self.parse_list(response)

    def category_id(self, response: Response) -> str | None:
        for pattern in _CAT_ID_RES:
            match = pattern.search(response.text)
            if match:
                return match.group(1)
        return None

    def json_list_url(self, column_url: str, cat: str, page: int) -> str:
        parts = urlsplit(column_url)
        path = self.json_list_path.format(cat=cat)
        if page > 1:
            path = path.replace(".json", f"_{page}.json")
        return f"{parts.scheme}://{parts.netloc}{path}"

    def parse_json_list(
        self, response: Response, column: Response, cat: str, page: int
    ) -> Iterable[scrapy.Request]:
        try:
            data = json.loads(response.text)
            entries = list(self.json_entries(data, response))
        except (ValueError, KeyError, TypeError) as exc:
            yield from self._fall_back_to_html(column, f"bad JSON ({exc})")
            return
        stats = self.crawler.stats
        stats.inc_value("portal/list_pages")
        stats.inc_value("portal/json_list_pages")
        yield from self.follow_entries(entries, response)
        if page < self.json_page_count(data):
            yield scrapy.Request(
                self.json_list_url(column.url, cat, page + 1),
                callback=self.parse_json_list,
                errback=self.json_list_failed,
                cb_kwargs={"column": column, "cat": cat, "page": page + 1},
            )

    def json_list_failed(self, failure: Any) -> Iterable[scrapy.Request]:
        kwargs = failure.request.cb_kwargs
        if kwargs["page"] > 1:
            # Half a JSON walk plus a full HTML walk would double-count; count and stop here.
            self.crawler.stats.inc_value("portal/json_list_failed")
            return
        yield from self._fall_back_to_html(kwargs["column"], repr(failure.value))

    def _fall_back_to_html(self, column: Response, why: str) -> Iterable[scrapy.Request]:
        self.crawler.stats.inc_value("portal/json_list_fallback")
        self.logger.warning("JSON list for %s unusable (%s); walking HTML pages", column.url, why)
        if self.list_source != "json":
            yield from self.parse_list(column)

    def json_entries(self, data: dict[str, Any], response: Response) -> Iterable[ListEntry]:
        for post in data["articles"]:
            yield ListEntry(
                url=response.urljoin(post["url"]),
                title=fields.squash(post["title"]),
                # publish_time is epoch seconds; the printed date is what a reader sees.
                date=fields.parse_date(str(post.get("date") or post.get("created_at") or "")),
            )

    def json_page_count(self, data: dict[str, Any]) -> int:
        total, size = int(data["total"]), int(data["pagesize"])
        return max(1, -(-total // size))

    def canonical_url(self, url: str) -> str:
        # The mobile theme serves the same post as mpost_{id}.html.
        return super().canonical_url(url.replace("/content/mpost_", "/content/post_"))  # type: ignore[misc]
