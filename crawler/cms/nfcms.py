"""NFCMS (Guangdong government-website cluster): how its columns list and paginate posts.

Facts (docs/portals.md §1): columns are `index.html`, `index_2.html`, … with a pager; posts are
`…/content/post_{id}.html` with a mobile twin `mpost_{id}.html`; a column's posts are also served
as JSON by `/postmeta/i/{catId}.json` -> `{articles: [{id, title, url, date, publish_time,
created_at, source}], children: [{id, name, publish_count}], updated}`. Nothing documents how
that JSON pages, so the HTML pages are always walked (the pager proves how many there are) and the
JSON list's one page is read beside them (`-a list_source=html` leaves it out): a column whose
list a script builds from the JSON still yields its posts. A JSON answer of another shape is a
logged, counted skip; the HTML list stands.

Departments also publish through gkmlpt sub-sites (`/{site}/gkmlpt/index`, §1, §10.3): their
categories named as annual-report columns are listed through the gkmlpt JSON API
(crawler/cms/gkmlpt.py), no browser needed.

Two cluster habits a portal may declare:
- `column_title_filters = {hint url: regex}`: the city portal's 各区 column (www.gz.gov.cn)
  re-posts every district's report; a district's spider keeps the titles the regex matches.
- `js_lists = {hint url: css}`: a list that only a script builds, from no API we know: fetched
  with headless Chromium (scrapy-playwright) until `css` appears. Chromium may contact no host but
  the portal's (crawler/browser.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from cssselect import GenericTranslator, SelectorError
from scrapy.http import Response, TextResponse
from scrapy_playwright.page import PageMethod

from crawler import browser, discovery, fields
from crawler.cms import gkmlpt
from crawler.discovery import Link
from crawler.portal import MISSING, ListEntry, PortalDeclarationError, meta_of

# How a column page names its category: the JSON list its script requests, or the page's
# NFCMS variables and stats beacon.
_CAT_ID_RES = (
    re.compile(r"""/postmeta/i/(\d+)\.json"""),
    re.compile(r"""NFCMS_CAT_ID\s*=\s*["']?(\d+)"""),
    re.compile(r"""<meta\s+name=["']catId["']\s+content=["'](\d+)["']""", re.IGNORECASE),
    re.compile(r"""statistics\.gd\.gov\.cn/visit/cat\?[^"'<>]*?\bcat=([1-9]\d*)"""),
)
LIST_SOURCES = ("auto", "html")
# A post: …/content/post_{id}.html; gkmlpt: /{site}/gkmlpt/content/{id//1e6}/{id//1e3}/post_{id}.html.
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
    js_lists: ClassVar[dict[str, str]] = {}  # hint URL -> CSS that appears once the list is built
    column_title_filters: ClassVar[dict[str, str]] = {}  # hint URL -> regex titles must match
    # -a list_source=auto|html: auto reads the JSON list's page beside the HTML pages
    list_source: str = "auto"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        _check_cluster_declarations(cls)
        if cls.js_lists:
            # Only requests with meta["playwright"] reach the browser; the rest fall through to
            # Scrapy's own HTTP handler.  The browser may ask the portal's hosts only.
            cls.custom_settings = {
                "DOWNLOAD_HANDLERS": PLAYWRIGHT_HANDLERS,
                "PLAYWRIGHT_ABORT_REQUEST": browser.PortalOnly(cls.allowed_domains),
                **(cls.custom_settings or {}),
            }

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)  # type: ignore[misc]
        if cls.js_lists:
            # after `govreports crawl --sandbox` routed the browser (cmdline priority)
            launch = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
            options = browser.portal_only_launch(launch, cls.allowed_domains)
            settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="cmdline")

    async def start(self):  # type: ignore[no-untyped-def]
        if self.list_source not in LIST_SOURCES:
            raise ValueError(f"list_source must be one of {LIST_SOURCES}, not {self.list_source!r}")
        async for request in super().start():  # type: ignore[misc]
            yield request

    # --- hints and links that lead to gkmlpt sub-sites or browser-only lists ----------------------
    def hint_request(self, url: str) -> scrapy.Request | None:
        if url in self.js_lists:
            return self.js_list_request(url)
        if gkmlpt.index_url(url):
            return self.gkmlpt_request(url, hint=True)
        return super().hint_request(url)  # type: ignore[misc]

    def link_kind(self, link: Link, page_url: str, units_below: bool = False) -> str | None:
        if self.on_portal(link.url) and gkmlpt.index_url(link.url):  # type: ignore[attr-defined]
            return "gkmlpt"
        return super().link_kind(link, page_url, units_below)  # type: ignore[misc]

    def follow_link(
        self, link: Link, kind: str | None, depth: int, unit_root: str | None = None
    ) -> scrapy.Request | None:
        if kind == "gkmlpt":
            return self.gkmlpt_request(link.url)
        return super().follow_link(link, kind, depth, unit_root)  # type: ignore[misc]

    def js_list_request(self, url: str) -> scrapy.Request:
        """A list that exists only after the page's script ran: rendered by headless Chromium."""
        wait = PageMethod("wait_for_selector", self.js_lists[url])
        key = self.column_key(url)  # type: ignore[attr-defined]
        self.found.columns.add(key)  # type: ignore[attr-defined]
        meta = {"column": key, "hint": True, "playwright": True, "playwright_page_methods": [wait]}
        return scrapy.Request(url, callback=self.parse_list, errback=self.js_list_failed, meta=meta)  # type: ignore[attr-defined]

    def js_list_failed(self, failure: Any) -> None:
        self.crawler.stats.inc_value("portal/js_list_failed")  # type: ignore[attr-defined]
        self.logger.warning("JS list %s not rendered: %r", failure.request.url, failure.value)  # type: ignore[attr-defined]
        self.page_failed(failure)  # type: ignore[attr-defined]

    # --- a column: HTML pages (base), plus its JSON list ------------------------------------------
    def read_column(self, response: TextResponse) -> Iterable[scrapy.Request]:
        yield from super().read_column(response)  # type: ignore[misc]
        cat = self.category_id(response)
        if cat and self.list_source == "auto":
            subs = meta_of(response).get("sub_columns", 0)
            yield self.json_list_request(response.url, cat, self.column_of(response), not subs)  # type: ignore[attr-defined]

    def category_id(self, response: Response) -> str | None:
        if not isinstance(response, TextResponse):
            return None
        for pattern in _CAT_ID_RES:
            match = pattern.search(response.text)
            if match:
                return match.group(1)
        return None

    def json_list_url(self, column_url: str, cat: str) -> str:
        parts = urlsplit(column_url)
        return f"{parts.scheme}://{parts.netloc}{self.json_list_path.format(cat=cat)}"

    def json_list_request(
        self, column_url: str, cat: str, column: str, children: bool
    ) -> scrapy.Request:
        # As the page's own script asks for it (docs/portals.md §1: zc.gov.cn).
        headers = {"X-Requested-With": "XMLHttpRequest", "Referer": column_url}
        return scrapy.Request(
            self.json_list_url(column_url, cat),
            callback=self.parse_json_list,
            errback=self.json_list_failed,
            cb_kwargs={"children": children},
            headers=headers,
            meta={"column": column},
        )

    def parse_json_list(
        self, response: Response, children: bool = False
    ) -> Iterable[scrapy.Request]:
        """A `/postmeta/i/{cat}.json` answer: its articles, and (for a column whose page links no
        sub-column) the lists of its children."""
        stats = self.crawler.stats  # type: ignore[attr-defined]
        data = _json(response)
        if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
            stats.inc_value("portal/json_list_unknown_shape")
            self.logger.warning(
                "JSON list %s has an unknown shape; the HTML list stands", response.url
            )  # type: ignore[attr-defined]
            return
        stats.inc_value("portal/list_pages")
        stats.inc_value("portal/json_list_pages")
        column = self.column_of(response)  # type: ignore[attr-defined]
        entries = self.json_entries(data, response)
        if len(entries) < len(data["articles"]):
            stats.inc_value("portal/json_entries_skipped", len(data["articles"]) - len(entries))
        self.tally(column).add([self.canonical_url(e.url) for e in entries])  # type: ignore[attr-defined]
        yield from self.follow_entries(entries, response)
        if children:
            yield from self.children_requests(data.get("children"), response.url)

    def json_entries(self, data: Any, response: Response) -> list[ListEntry]:
        """The articles of a `/postmeta/i/{cat}.json` answer as list entries (documented fields
        only; an article without a usable URL or title is left out)."""
        articles = data.get("articles") if isinstance(data, dict) else None
        if not isinstance(articles, list):
            return []
        for article in articles:  # a javascript: or file: URL is a counted skip
            href = article.get("url") if isinstance(article, dict) else None
            url = discovery.resolve(response.url, href) if isinstance(href, str) else None
            if url is not None and not discovery.is_web_url(url):
                self.crawler.stats.inc_value("portal/link_skipped/not_http")  # type: ignore[attr-defined]
        return [e for e in (article_entry(a, response.url) for a in articles) if e]

    def children_requests(self, children: Any, json_url: str) -> Iterable[scrapy.Request]:
        for child in children if isinstance(children, list) else []:
            cat = child.get("id") if isinstance(child, dict) else None
            if isinstance(cat, bool) or not isinstance(cat, int | str) or not str(cat).isdigit():
                continue
            url = self.json_list_url(json_url, str(cat))
            if url in self.found.columns:  # type: ignore[attr-defined]
                continue
            self.found.columns.add(url)  # type: ignore[attr-defined]
            self.crawler.stats.inc_value("discovery/json_children")  # type: ignore[attr-defined]
            yield self.json_list_request(json_url, str(cat), url, children=True)

    def json_list_failed(self, failure: Any) -> None:
        """No JSON list for this column: the HTML pages stand, unless they showed nothing."""
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value(f"portal/json_list_failed/{reason}")  # type: ignore[attr-defined]
        column = failure.request.meta.get("column")
        if not self.tally(column).shown:  # type: ignore[attr-defined]
            self.column_incomplete(column, f"list page failed: {failure.request.url} ({reason})")  # type: ignore[attr-defined]

    # --- gkmlpt sub-sites ------------------------------------------------------------------------
    def gkmlpt_request(self, url: str, hint: bool = False) -> scrapy.Request | None:
        index = gkmlpt.index_url(url)
        found = self.found  # type: ignore[attr-defined]
        if index is None or index in found.channels:
            return None
        found.channels.add(index)
        cat = urlsplit(url).fragment  # a hint may name its category: …/gkmlpt/index#2851
        meta = {
            "discovery": True,
            "hint": hint,
            "key": index,
            "cat": cat if cat.isdigit() else None,
        }
        return scrapy.Request(
            index,
            callback=self.parse_gkmlpt_index,
            errback=self.page_failed,
            meta=meta,  # type: ignore[attr-defined]
        )

    def parse_gkmlpt_index(self, response: Response) -> Iterable[scrapy.Request]:
        """`window._CONFIG`: the site id and the categories named as annual-report columns."""
        stats = self.crawler.stats  # type: ignore[attr-defined]
        config = gkmlpt.read_config(response.text) if isinstance(response, TextResponse) else None
        if config is None:
            stats.inc_value("portal/gkmlpt_config_missing")
            self.logger.warning("no window._CONFIG SID on %s", response.url)  # type: ignore[attr-defined]
            return
        wanted = {c.id: c.name for c in gkmlpt.report_categories(config)}
        if meta_of(response).get("cat"):
            wanted.setdefault(meta_of(response)["cat"], "")
        if not wanted:
            stats.inc_value("discovery/gkmlpt_without_report_category")
        index = meta_of(response).get("key") or gkmlpt.index_url(response.url) or response.url
        for cat in wanted:
            column = f"{index}#{cat}"
            if column in self.found.columns:  # type: ignore[attr-defined]
                continue
            self.found.columns.add(column)  # type: ignore[attr-defined]
            stats.inc_value("discovery/columns")
            yield self.gkmlpt_api_request(index, column, cat, config.sid, page=1, attempt=0)

    def gkmlpt_api_request(
        self, index: str, column: str, cat: str, sid: str, page: int, attempt: int
    ) -> scrapy.Request:
        url = gkmlpt.api_urls(index, cat, sid, page)[attempt]
        kwargs = {"index": index, "cat": cat, "sid": sid, "page": page, "attempt": attempt}
        return scrapy.Request(
            url,
            callback=self.parse_gkmlpt_api,
            errback=self.gkmlpt_api_failed,
            cb_kwargs=kwargs,
            headers={"X-Requested-With": "XMLHttpRequest", "Referer": index},
            meta={"column": column},
        )

    def parse_gkmlpt_api(
        self, response: Response, index: str, cat: str, sid: str, page: int, attempt: int
    ) -> Iterable[scrapy.Request]:
        """One API page: its articles; the next page while the category's post_count (or, without
        one, a full page of 100) says there are more."""
        column = self.column_of(response)  # type: ignore[attr-defined]
        api = gkmlpt.read_api(response.text) if isinstance(response, TextResponse) else None
        if api is None:
            self.crawler.stats.inc_value("portal/gkmlpt_unknown_shape")  # type: ignore[attr-defined]
            self.column_incomplete(column, f"gkmlpt list of unknown shape: {response.url}")  # type: ignore[attr-defined]
            return
        self.crawler.stats.inc_value("portal/list_pages")  # type: ignore[attr-defined]
        entries = [e for e in map(lambda a: article_entry(a, response.url), api.articles) if e]
        tally = self.tally(column)  # type: ignore[attr-defined]
        tally.add([self.canonical_url(e.url) for e in entries], api.post_count)  # type: ignore[attr-defined]
        yield from self.follow_entries(entries, response)
        if api.post_count is not None:
            more = bool(entries) and len(tally.shown) < api.post_count
        else:
            more = len(api.articles) >= gkmlpt.PAGE_SIZE
        if more:
            yield self.gkmlpt_api_request(index, column, cat, sid, page + 1, attempt)

    def gkmlpt_api_failed(self, failure: Any) -> Iterable[scrapy.Request]:
        request = failure.request
        kw = request.cb_kwargs
        column = request.meta.get("column")
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        reason = f"http_{status}" if status is not None else type(failure.value).__name__
        urls = gkmlpt.api_urls(kw["index"], kw["cat"], kw["sid"], kw["page"])
        if status in MISSING and kw["page"] == 1 and kw["attempt"] + 1 < len(urls):
            self.crawler.stats.inc_value("portal/gkmlpt_api_at_root")  # type: ignore[attr-defined]
            yield self.gkmlpt_api_request(
                kw["index"], column, kw["cat"], kw["sid"], page=1, attempt=kw["attempt"] + 1
            )
        elif status in MISSING and kw["page"] >= 2:
            # Some sites answer the whole category on page 1 (docs/portals.md §10.3): the
            # post_count decides at the end whether anything is missing.
            self.crawler.stats.inc_value("portal/gkmlpt_page_missing")  # type: ignore[attr-defined]
        else:
            self.column_incomplete(column, f"list page failed: {request.url} ({reason})")  # type: ignore[attr-defined]

    # --- entries -----------------------------------------------------------------------------------
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
                self.crawler.stats.inc_value("portal/out_of_scope_skipped")  # type: ignore[attr-defined]
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

    def canonical_url(self, url: str) -> str:
        # The mobile theme serves the same post as mpost_{id}.html.
        return super().canonical_url(url.replace("/content/mpost_", "/content/post_"))  # type: ignore[misc]


def article_entry(article: Any, base_url: str) -> ListEntry | None:
    """A list API article ({title, url | post_url, date | created_at | publish_time}) as a list
    entry; None when it has no usable URL or title."""
    if not isinstance(article, dict):
        return None
    href, title = article.get("url") or article.get("post_url"), article.get("title")
    if not isinstance(href, str) or not isinstance(title, str):
        return None
    url = discovery.absolute(base_url, href.strip())
    if url is None or not fields.squash(title):
        return None
    return ListEntry(url=url, title=fields.squash(title), date=_article_date(article))


def _article_date(article: dict[str, Any]) -> str | None:
    # The printed date first; publish_time and gkmlpt's numeric date are Unix seconds.
    for key in ("date", "created_at"):
        value = article.get(key)
        if isinstance(value, str) and fields.parse_date(value):
            return fields.parse_date(value)
    for key in ("date", "publish_time"):
        day = fields.date_from_epoch(article.get(key)) if article.get(key) else None
        if day:
            return day
    return None


def _json(response: Response) -> Any:
    if not isinstance(response, TextResponse):
        return None
    try:
        return json.loads(response.text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses
        return None


def _host_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}"


def _check_cluster_declarations(cls: type) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}"
    declared = set(cls.hints)
    for url, css in cls.js_lists.items():
        if url not in declared:
            raise PortalDeclarationError(f"{where}: js_lists key {url!r} is not in hints")
        try:
            GenericTranslator().css_to_xpath(css)
        except SelectorError as exc:
            raise PortalDeclarationError(
                f"{where}: js_lists CSS {css!r} is invalid: {exc}"
            ) from exc
    for column, pattern in cls.column_title_filters.items():
        if column not in declared:
            raise PortalDeclarationError(
                f"{where}: column_title_filters key {column!r} is not in hints"
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PortalDeclarationError(
                f"{where}: title filter {pattern!r} is invalid: {exc}"
            ) from exc
