"""NFCMS (Guangdong government-website cluster): how its columns list and paginate posts.

Facts (portals.md §1): columns are `index.html`, `index_2.html`, …; posts are
`…/content/post_{id}.html` with a mobile twin `mpost_{id}.html`; a column's posts are also served as
JSON by `/postmeta/i/{catId}.json`.  The JSON list is cheaper (no page chrome), so it is preferred;
when a column has no catId or its JSON fails, the HTML pages are walked instead.

Two cluster habits a portal may declare (by_gov_cn does):
- `js_lists = {url: css}`: a gkmlpt (政府信息公开目录平台) column is a page whose list a script
  builds from JSON; only a browser sees its links, so that start URL is fetched with headless
  Chromium (scrapy-playwright) until `css` appears, and nothing else is.
- `column_title_filters = {column url: regex}`: the city portal's 各区 column (www.gz.gov.cn)
  re-posts every district's report; a district's spider keeps the titles the regex matches.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from cssselect import GenericTranslator, SelectorError
from scrapy.http import Response
from scrapy_playwright.page import PageMethod

from crawler import fields
from crawler.portal import ListEntry, PortalDeclarationError

# How a column page names its category: <meta name="catId" content="5060">, or NFCMS_CAT_ID = "5060".
_CAT_ID_RES = (
    re.compile(r"""<meta\s+name=["']catId["']\s+content=["'](\d+)["']""", re.IGNORECASE),
    re.compile(r"""NFCMS_CAT_ID\s*=\s*["']?(\d+)"""),
    re.compile(r"""/postmeta/i/(\d+)(?:_\d+)?\.json"""),
)
LIST_SOURCES = ("auto", "json", "html")
# A gkmlpt post: /{site}/gkmlpt/content/{id//1e6}/{id//1e3}/post_{id}.html (portals.md §1).
_POST_RE = r"/content/(?:\d+/\d+/)?m?post_\d+\.html$"
PLAYWRIGHT_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}


class NfcmsMixin:
    """Mix into PortalSpider: `class ZcGovCnSpider(NfcmsMixin, PortalSpider)`."""

    abstract = True
    detail_url_re: ClassVar[str] = _POST_RE
    json_list_path: ClassVar[str] = "/postmeta/i/{cat}.json"
    js_lists: ClassVar[dict[str, str]] = {}  # start URL -> CSS that appears once the list is built
    column_title_filters: ClassVar[dict[str, str]] = {}  # column URL -> regex titles must match
    # -a list_source=json|html|auto: which list a run walks (auto prefers JSON, falls back to HTML)
    list_source: str = "auto"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        _check_cluster_declarations(cls)
        if cls.js_lists:
            # Only requests with meta["playwright"] reach the browser; the rest fall through to
            # Scrapy's own HTTP handler.
            cls.custom_settings = {
                "DOWNLOAD_HANDLERS": PLAYWRIGHT_HANDLERS,
                **(cls.custom_settings or {}),
            }

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.list_source not in LIST_SOURCES:
            raise ValueError(f"list_source must be one of {LIST_SOURCES}, not {self.list_source!r}")
        for url in self.start_urls:
            if url in self.js_lists:
                yield self.js_list_request(url)
            else:
                yield scrapy.Request(url, callback=self.parse_column, meta={"column": url})

    def js_list_request(self, url: str) -> scrapy.Request:
        """A list that exists only after the page's script ran: rendered by headless Chromium."""
        wait = PageMethod("wait_for_selector", self.js_lists[url])
        meta = {"column": url, "playwright": True, "playwright_page_methods": [wait]}
        return scrapy.Request(url, callback=self.parse_list, errback=self.js_list_failed, meta=meta)

    def js_list_failed(self, failure: Any) -> None:
        self.crawler.stats.inc_value("portal/js_list_failed")
        self.logger.warning("JS list %s not rendered: %r", failure.request.url, failure.value)

    def follow_entries(
        self, entries: Iterable[ListEntry], response: Response
    ) -> Iterable[scrapy.Request]:
        return super().follow_entries(self.in_scope(entries), response)  # type: ignore[misc]

    def in_scope(self, entries: Iterable[ListEntry]) -> Iterable[ListEntry]:
        """Entries of a filtered column whose title the column's regex does not match are skipped
        (and counted): another district's report on the city portal is not this portal's."""
        for entry in entries:
            where = _host_path(entry.url)
            patterns = [
                p for c, p in self.column_title_filters.items() if where.startswith(_host_path(c))
            ]
            if any(not re.search(p, entry.title) for p in patterns):
                self.crawler.stats.inc_value("portal/out_of_scope_skipped")
                continue
            yield entry

    def page_unit(self, response: Response) -> str | None:
        unit = super().page_unit(response)  # type: ignore[misc]
        title = self.page_title(response) or ""  # type: ignore[attr-defined]
        full = fields.unit_from_title(title, self.city, self.district)  # type: ignore[attr-defined]
        # 来源 abbreviates the unit the title names in full: 来源:棠景街 on 棠景街道办事处's report.
        if unit and full and full != unit and full.startswith(unit):
            return full
        return unit

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
            pages = self.json_page_count(data)
        except (ValueError, KeyError, TypeError, RecursionError, ZeroDivisionError) as exc:
            yield from self._fall_back_to_html(column, f"bad JSON ({exc})")
            return
        stats = self.crawler.stats
        stats.inc_value("portal/list_pages")
        stats.inc_value("portal/json_list_pages")
        yield from self.follow_entries(entries, response)
        if page < pages:
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


def _host_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}"


def _check_cluster_declarations(cls: type) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}"
    for url, css in cls.js_lists.items():
        if url not in cls.start_urls:
            raise PortalDeclarationError(f"{where}: js_lists key {url!r} is not in start_urls")
        try:
            GenericTranslator().css_to_xpath(css)
        except SelectorError as exc:
            raise PortalDeclarationError(
                f"{where}: js_lists CSS {css!r} is invalid: {exc}"
            ) from exc
    for column, pattern in cls.column_title_filters.items():
        if column not in cls.start_urls:
            raise PortalDeclarationError(
                f"{where}: column_title_filters key {column!r} is not in start_urls"
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PortalDeclarationError(
                f"{where}: title filter {pattern!r} is invalid: {exc}"
            ) from exc
