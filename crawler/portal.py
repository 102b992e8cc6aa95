"""PortalSpider: the crawl loop every portal shares, written once.

A portal file declares where to start and what differs (entry points, hints, selectors, the
district's name); a CMS mixin (crawler/cms/) supplies how that CMS lists posts and paginates.
The loop:

    entry points (home page, 政务公开 channel)      hints (report columns docs/portals.md names)
      -> discovery: channel links down DISCOVERY_MAX_DEPTH, unit directories, at most
         DISCOVERY_MAX_PAGES pages, on the portal's own hosts (crawler/discovery.py)
      -> report columns, recognised by name, slug, breadcrumb or ColumnName (and their
         sub-columns) -> list pages (pager, JSON list API, datastore) -> every list and
         pagination request carries meta["column"] (crawler/columns.py)
      -> title classifier (crawler/titles.py; rejections counted by reason) -> detail page
      -> attachments and body images fetched -> one ReportItem with provenance

A start URL or hint that fails is named in the run's health; a column whose pages declare more
records than they showed is reported incomplete (`column_incomplete`), never read partially in
silence. Declarations are checked when the class is defined, so a broken portal file fails at
import (`scrapy list`, pytest) with a message that says what to fix.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit
from weakref import WeakKeyDictionary

import scrapy
from cssselect import GenericTranslator, SelectorError
from cssselect import parse as parse_css
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler import columns, discovery, fields, listing, titles
from crawler.discovery import Link
from crawler.items import AttachmentItem, Capture, ReportItem
from crawler.provenance import capture_from_response

ATTACHMENT_URL_RE = re.compile(
    r"\.(?:pdf|docx?|wps|xlsx?|et|ods|odt)(?:$|\?)|/attachment/|downfile\.jsp", re.IGNORECASE
)
# 来源 values that name the website, not the unit that published the report.
GENERIC_SOURCES = frozenset({"本网", "本站", "网站", "原创", "", "-"})
# HTTP answers that say a linked page does not exist (a dead link, not a failed read).
MISSING = {404, 410}


class PortalDeclarationError(TypeError):
    """A portal spider's class declaration is incomplete or invalid."""


@dataclass(frozen=True)
class ListEntry:
    """One post as a list page (or list API) shows it."""

    url: str
    title: str
    date: str | None = None


@dataclass
class Discovery:
    """What this run has requested and read, so that each channel and column is read once."""

    channels: set[str] = field(default_factory=set)  # folder keys requested as channels
    channels_read: set[str] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)  # column keys requested or read
    # keys requested as channels before a link showed them to be columns
    named_columns: set[str] = field(default_factory=set)
    pages: int = 0  # channel pages requested
    followed: set[str] = field(default_factory=set)  # report URLs requested (a post listed twice,
    # by a column's HTML page and by its JSON list, is requested, or vouched for, once)
    entry_links: set[str] = field(default_factory=set)  # every link of the entry pages read
    units: set[str] = field(default_factory=set)  # folder keys of units (below a unit directory)
    limit_logged: bool = False
    tallies: dict[str, listing.ColumnTally] = field(default_factory=dict)


# A page's text by CSS scope, for as long as its response lives.
_PAGE_TEXTS: WeakKeyDictionary[Response, dict[str, str]] = WeakKeyDictionary()


@functools.cache
def _text_xpath(css: str) -> str:
    """The XPath parsel runs for `css ::text`."""
    return HTMLTranslator().css_to_xpath(f"{css} ::text")


def html_of(response: Response) -> Selector:
    """The page as HTML, whatever its type says: a body that merely looks like JSON or XML
    (`{}` served as a page) must not turn every CSS query into an exception."""
    if not isinstance(response, TextResponse):
        return Selector(text="<html></html>", type="html")
    selector = response.selector
    if selector.type == "html":
        return selector
    return Selector(text=response.text, type="html", base_url=response.url)


def meta_of(response: Response) -> dict[str, Any]:
    """The response's request meta; an empty dict for a response made without a request."""
    try:
        return response.meta
    except AttributeError:
        return {}


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


class PortalSpider(scrapy.Spider):
    # --- what a portal file declares -------------------------------------------------------
    portal_name: ClassVar[str]  # human name, e.g. "广州市增城区"
    allowed_domains: ClassVar[list[str]]
    # entry points: the home page (and its 政务公开 / 信息公开 channels); discovery starts here
    start_urls: ClassVar[list[str]]
    # report columns docs/portals.md names: read first, never the limit of what is read
    hints: ClassVar[list[str]] = []
    # URLs read as report lists wherever discovery meets them (a CMS's catalogue categories)
    list_columns: ClassVar[str | None] = None
    content_selector: ClassVar[str]  # CSS of the report body on a detail page
    title_selector: ClassVar[str] = "h1"  # CSS; the ArticleTitle meta tag wins when present
    # the district's names, stripped from units as portals print them (see fields.normalize_unit)
    city: ClassVar[str | None] = None  # "广州市"
    district: ClassVar[str | None] = None  # "增城区"
    host_aliases: ClassVar[dict[str, str]] = {}  # migrated hosts: old -> current
    # --- supplied by CMS mixins ------------------------------------------------------------
    detail_url_re: ClassVar[str] = r"."  # which links on a list page are posts
    attachment_url_re: ClassVar[re.Pattern[str]] = ATTACHMENT_URL_RE

    _required: ClassVar[tuple[str, ...]] = (
        "name",
        "portal_name",
        "allowed_domains",
        "start_urls",
        "content_selector",
    )
    _css: ClassVar[tuple[str, ...]] = ("content_selector", "title_selector")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):  # bases and CMS mixins are not portals
            return
        _check_declaration(cls)

    abstract: ClassVar[bool] = True

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.report_incomplete_columns, signal=signals.spider_idle)
        return spider

    # --- run state ---------------------------------------------------------------------------
    @property
    def run_id(self) -> str:
        if not hasattr(self, "_run_id"):
            self._run_id = self.settings.get("GOVREPORTS_RUN_ID") or new_run_id()
        return self._run_id

    @property
    def found(self) -> Discovery:
        if not hasattr(self, "_found"):
            self._found = Discovery()
        return self._found

    @property
    def max_depth(self) -> int:
        return self.settings.getint("DISCOVERY_MAX_DEPTH", 4)

    @property
    def max_pages(self) -> int:
        return self.settings.getint("DISCOVERY_MAX_PAGES", 400)

    def stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(key, count)

    # --- start: entry points, then hints -------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            request = self.channel_request(Link(url, ""), depth=0, entry=True)
            if request is not None:
                yield request
        for url in self.hints:
            request = self.hint_request(url)
            if request is not None:
                yield request

    def hint_request(self, url: str) -> scrapy.Request | None:
        return self.column_request(Link(url, ""), hint=True)

    def channel_request(
        self, link: Link, depth: int, entry: bool = False, **context: Any
    ) -> scrapy.Request | None:
        """A page walked for links (discovery), each once, at most DISCOVERY_MAX_PAGES of them.
        `context` rides in the request's meta: `unit_root` (the folder of the unit the page
        belongs to), `child_of` (the 年报 parent column that linked it)."""
        key = discovery.folder(link.url)
        found = self.found
        again = False
        if key in found.channels or key in found.columns:
            if context.get("unit_root") != key or key in found.units or key in found.columns:
                return None
            # walked as a plain channel before a unit directory showed it a unit
            found.units.add(key)
            if key not in found.channels_read:
                return None  # discover() will read it as the unit it is
            again = True
        if not entry and not self.spend_page():
            return None
        found.channels.add(key)
        if context.get("unit_root") == key:
            found.units.add(key)
        meta = {"discovery": True, "key": key, "depth": depth, "via": link.text, "entry": entry}
        return scrapy.Request(
            link.url,
            callback=self.parse_channel,
            errback=self.page_failed,
            meta={**meta, **context},
            dont_filter=again,
        )

    def spend_page(self) -> bool:
        """One page of discovery's budget (DISCOVERY_MAX_PAGES); False, said once, when spent."""
        found = self.found
        if found.pages >= self.max_pages:
            self.stat("discovery/page_limit")
            if not found.limit_logged:
                found.limit_logged = True
                self.logger.warning("discovery stopped at DISCOVERY_MAX_PAGES=%d", self.max_pages)
            return False
        found.pages += 1
        return True

    def column_request(
        self, link: Link, hint: bool = False, speculative: bool = False
    ) -> scrapy.Request | None:
        """A report column's first page.  A column found on a page is navigation until it answers
        (a dead link is no evidence); a hint is a list from the start.  A speculative column (a
        unit's column that no name shows a report column) costs a page of discovery's budget."""
        key = self.column_key(link.url)
        found = self.found
        if key in found.columns:
            return None
        if key in found.channels:  # requested as a channel before a link showed it a column
            found.named_columns.add(key)
            if key not in found.channels_read:
                return None  # parse_channel will read it as the column it is
        elif speculative and not self.spend_page():
            return None
        found.columns.add(key)
        meta = {"column": key, "key": key, "via": link.text, "hint": hint, "discovery": not hint}
        if speculative:
            meta["unit_column"] = True
        return scrapy.Request(
            link.url,
            callback=self.parse_column,
            errback=self.page_failed,
            meta=meta,
            dont_filter=key in found.channels,
        )

    def column_key(self, url: str) -> str:
        """The column's key (crawler/columns.py): its first page's URL, `index.html` dropped."""
        return discovery.folder(url)

    # --- discovery -------------------------------------------------------------------------------
    def parse_channel(self, response: Response) -> Iterable[scrapy.Request]:
        """A page walked for links; a report column when the page says it is one."""
        key = meta_of(response).get("key") or discovery.folder(response.url)
        self.found.channels_read.add(key)
        if not isinstance(response, TextResponse):
            self.stat("discovery/not_html")
            return
        self.stat("discovery/channels")
        if self.is_report_column(response, key):
            self.found.columns.add(key)
            meta_of(response)["column"] = key
            yield from self.read_column(response)
            return
        yield from self.discover(response)

    def is_report_column(self, response: TextResponse, key: str) -> bool:
        """By a link that showed it one, the name that led here, its slug, a list_columns match,
        its ColumnName meta or a breadcrumb step that names a report column (docs/portals.md
        §0.1, §10.4)."""
        if key in self.found.named_columns:
            return True
        if discovery.names_report_column(meta_of(response).get("via")):
            return True
        if discovery.report_slug_in(response.url) or self.is_list_column(response.url):
            return True
        if discovery.names_report_column(self.meta(response, "ColumnName")):
            return True
        return discovery.breadcrumb_names_report_column(html_of(response))

    def is_list_column(self, url: str) -> bool:
        return bool(self.list_columns and re.search(self.list_columns, url))

    def discover(self, response: TextResponse) -> Iterable[scrapy.Request]:
        """Follow a channel page's links by kind.  Below a unit directory every child folder is a
        unit; in a unit's folder every link that is no channel or column by name is a column of
        the unit's, read as a list (the title classifier decides, docs/portals.md §5)."""
        meta = meta_of(response)
        depth = meta.get("depth", 0)
        via = meta.get("via") or self.meta(response, "ColumnName")
        links = discovery.page_links(html_of(response), response.url)
        if meta.get("entry"):
            self.found.entry_links.update(link.url for link in links)
        units_below = discovery.is_unit_directory(response.url, via) or discovery.lists_units(
            links, response.url
        )
        key = meta.get("key") or discovery.folder(response.url)
        unit_root = meta.get("unit_root") or (key if key in self.found.units else None)
        for link in links:
            kind = self.link_kind(link, response.url, units_below)
            in_unit = bool(unit_root) and discovery.is_under(link.url, unit_root)
            if (
                kind is None
                and in_unit
                and self.on_portal(link.url)
                and self.could_be_page(link.url)
            ):
                kind = "unit_column"
            request = self.follow_link(link, kind, depth, unit_root if in_unit else None)
            if request is not None:
                yield request

    def link_kind(self, link: Link, page_url: str, units_below: bool = False) -> str | None:
        """column | unit | channel | None, for a link on a channel page."""
        url = link.url
        if not self.on_portal(url) or not self.could_be_page(url):
            return None
        if (
            discovery.names_report_column(link.text)
            or discovery.report_slug_in(url)
            or self.is_list_column(url)
        ):
            return "column"
        if units_below and discovery.child_folder(url, page_url):
            return "unit"
        if discovery.names_channel(link.text) or discovery.is_unit_directory(url, link.text):
            return "channel"
        if discovery.channel_slug(url) and not discovery.names_channel_noise(link.text):
            return "channel"
        if discovery.names_unit(link.text):
            return "channel"
        return None

    def follow_link(
        self, link: Link, kind: str | None, depth: int, unit_root: str | None = None
    ) -> scrapy.Request | None:
        """A request for a link of `kind`; `unit_root` is the unit folder the link lies in."""
        if kind == "column":
            return self.column_request(link)
        if kind == "unit_column":
            return self.column_request(link, speculative=True)
        if kind == "unit":  # a unit below a unit directory: structure, not a further hop
            return self.channel_request(link, depth, unit_root=discovery.folder(link.url))
        if kind == "channel" and depth + 1 <= self.max_depth:
            context = {"unit_root": unit_root} if unit_root else {}
            return self.channel_request(link, depth + 1, **context)
        return None

    def on_portal(self, url: str) -> bool:
        """On a host of the portal's own (a host of an entry point's domain): discovery never
        walks another site, not even an allowed one such as the city portal."""
        host = urlsplit(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self.discovery_domains)

    @property
    def discovery_domains(self) -> list[str]:
        hosts = {urlsplit(url).hostname or "" for url in self.start_urls}
        return [
            d for d in self.allowed_domains if any(h == d or h.endswith("." + d) for h in hosts)
        ]

    def allowed(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def could_be_page(self, url: str) -> bool:
        """Not a post, a file, an attachment or another page of a pager."""
        return not (
            self.is_post(url)
            or discovery.is_file(url)
            or self.attachment_url_re.search(url)
            or discovery.is_pager(url)
        )

    def is_post(self, url: str) -> bool:
        return bool(re.search(self.detail_url_re, url)) and self.detail_url_re != "."

    # --- a report column -------------------------------------------------------------------------
    def parse_column(self, response: Response) -> Iterable[scrapy.Request]:
        """A report column's first page (a hint, or a link that named a column)."""
        if not isinstance(response, TextResponse):
            self.stat("portal/list_not_html")
            return
        yield from self.read_column(response)

    def read_column(self, response: TextResponse) -> Iterable[scrapy.Request]:
        self.stat("discovery/columns")
        links = list(self.sub_columns(response))
        meta_of(response)["sub_columns"] = len(links)
        for link in links:
            request = self.column_request(link)
            if request is not None:
                yield request
        yield from self.parse_list(response)

    def sub_columns(self, response: TextResponse) -> Iterable[Link]:
        """Columns a report column's page links: its sub-columns (every folder below it) and any
        link named as a report column (its parent, its siblings) on the portal's hosts."""
        for link in discovery.page_links(html_of(response), response.url):
            if not self.allowed(link.url) or not self.could_be_page(link.url):
                continue
            named = discovery.names_report_column(link.text) or self.is_list_column(link.url)
            if discovery.is_under(link.url, response.url) or (named and self.on_portal(link.url)):
                yield link

    def column_of(self, response: Response) -> str:
        return meta_of(response).get("column") or self.column_key(response.url)

    def tally(self, column: str) -> listing.ColumnTally:
        tallies = self.found.tallies
        if column not in tallies:
            tallies[column] = listing.ColumnTally(column)
        return tallies[column]

    # --- list pages ------------------------------------------------------------------------------
    def parse_list(self, response: Response) -> Iterable[scrapy.Request]:
        """A list page: follow every report post, skip (and count) the others, then the pager."""
        if not isinstance(response, TextResponse):
            self.stat("portal/list_not_html")
            return
        self.stat("portal/list_pages")
        column = self.column_of(response)
        entries = list(self.list_entries(response))
        declared = listing.declared_count(response.text)
        self.tally(column).add([self.canonical_url(e.url) for e in entries], declared)
        yield from self.follow_entries(entries, response)
        for url in self.more_pages(response):
            yield self.list_page_request(url, column)

    def list_page_request(self, url: str, column: str, **kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=kwargs.pop("callback", self.parse_list),
            errback=self.page_failed,
            meta={"column": column, **kwargs.pop("meta", {})},
            **kwargs,
        )

    def follow_entries(
        self, entries: Iterable[ListEntry], response: Response
    ) -> Iterable[scrapy.Request]:
        for entry in entries:
            self.stat("portal/list_entries")
            decision = titles.classify(entry.title)
            if not decision.is_report:
                if titles.looks_truncated(entry.title) and "公开" in entry.title:
                    self.stat("portal/truncated_titles_followed")  # its page says what it is
                else:
                    self.stat("portal/nonreport_skipped")
                    self.stat(f"titles/rejected/{decision.reason}")
                    continue
            if entry.url in self.found.followed:
                self.stat("portal/entries_listed_twice")
                continue
            if not entry.url.lower().startswith(("http://", "https://")):  # javascript: …
                self.stat("portal/link_skipped/not_http")
                continue
            self.found.followed.add(entry.url)
            self.stat("portal/report_links")
            yield scrapy.Request(
                entry.url,
                callback=self.parse_detail,
                errback=self.detail_failed,
                cb_kwargs={"entry": entry},
                meta={"list_url": response.url, "column": self.column_of(response)},
            )

    def list_entries(self, response: Response) -> Iterable[ListEntry]:
        """Links on a list page whose URL looks like a post (the CMS mixin's detail_url_re),
        each once, the date from the link's row."""
        if not isinstance(response, TextResponse):
            return
        pattern = re.compile(self.detail_url_re)
        seen: dict[str, ListEntry] = {}
        for link in html_of(response).css("a[href]"):
            url = self.post_link(response.url, link.attrib.get("href") or "", pattern)
            if url is None:
                continue
            title = fields.squash(link.attrib.get("title") or " ".join(link.css("::text").getall()))
            if url in seen and len(seen[url].title) >= len(title):
                continue
            seen[url] = ListEntry(url=url, title=title, date=listing.row_date(link))
        yield from seen.values()

    def post_link(self, base_url: str, href: str, pattern: re.Pattern[str]) -> str | None:
        """The http(s) URL of a link to a post. A link that names a post but cannot be fetched
        (`javascript:void(0)//…/post_1.html`, `file:`) is a counted skip, not a silent one."""
        url = discovery.resolve(base_url, href)
        if url is None or not pattern.search(url):
            return None
        if not discovery.is_web_url(url):
            self.stat("portal/link_skipped/not_http")
            return None
        return url

    def next_page(self, response: Response) -> str | None:
        """The next page a pager proves: a 下一页 link, else a createPageHTML call."""
        if not isinstance(response, TextResponse):
            return None
        link = listing.next_link(html_of(response), response.url)
        if link:
            return link
        found = listing.pager(response.text)
        return found.next_url(response.url) if found else None

    def more_pages(self, response: TextResponse) -> list[str]:
        """Every further page the pager names: the next one and the numbered ones (each page
        is requested once however many pages link it)."""
        pages = dict.fromkeys([self.next_page(response) or ""])
        pages.update(dict.fromkeys(listing.numbered_pages(html_of(response), response.url)))
        return [url for url in pages if url and url != response.url]

    # --- detail pages ----------------------------------------------------------------------------
    async def parse_detail(self, response: Response, entry: ListEntry) -> AsyncIterator[ReportItem]:
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("portal/detail_not_html")
            self.logger.warning("report page %s is not a page (%s)", response.url, type(response))
            return
        content = html_of(response).css(self.content_selector)
        if not content:
            # The page changed shape: count it (portal health), let the fallback cleaner try.
            stats.inc_value("portal/detail_no_content")
            self.logger.warning("no %r on %s", self.content_selector, response.url)
        title = self.page_title(response) or entry.title
        published_at = self.page_date(response) or entry.date
        item = ReportItem(
            portal=self.name,
            url=response.url,
            title=title,
            capture=self.capture(response),
            unit=self.page_unit(response)
            or fields.unit_from_title(title, self.city, self.district),
            report_year=self.report_year(title, response, published_at),
            published_at=published_at,
            list_url=meta_of(response).get("list_url"),
            column=meta_of(response).get("column"),
            home_domain=self.allowed_domains[0],
            content_selector=self.content_selector,
        )
        item.attachments = [
            await self.fetch_attachment(url, name, response)
            for url, name in self.attachment_links(response)
        ]
        item.images = [
            await self.fetch_attachment(url, name, response)
            for url, name in self.body_images(response)
        ]
        stats.inc_value("portal/reports_found")
        yield item

    # --- failures and incomplete columns ----------------------------------------------------------
    def page_failed(self, failure: Any) -> None:
        """A channel, column or list page that did not answer: named when it is a start URL or a
        hint (portal health), a dead link when discovery found it, otherwise an incomplete
        column.  Never a crash."""
        request = failure.request
        meta = request.meta
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        reason = f"http_{status}" if status is not None else type(failure.value).__name__
        if meta.get("entry") or meta.get("hint"):
            self.crawler.stats.set_value(f"discovery/entry_failed/{request.url}", reason)
            self.logger.warning("start URL or hint %s failed (%s)", request.url, reason)
        if meta.get("discovery") and status in MISSING and not meta.get("hint"):
            self.stat(f"discovery/failed/{reason}")
            self.logger.info("dead link %s (%s) via %r", request.url, reason, meta.get("via"))
            return
        if meta.get("column") is not None:
            self.column_incomplete(meta["column"], f"list page failed: {request.url} ({reason})")
        else:
            self.stat(f"discovery/failed/{reason}")

    def report_incomplete_columns(self) -> None:
        """At the end of the crawl (spider_idle): every column whose pages declared more records
        than the run saw is incomplete, with the count."""
        for tally in self.found.tallies.values():
            verdict = tally.verdict()
            if verdict and not tally.reported:
                tally.reported = True
                self.column_incomplete(tally.column, verdict)

    def column_incomplete(self, column: str | None, reason: str) -> None:
        """This run did not read `column` completely: none of its reports may be marked gone on
        this run's evidence (crawler/columns.py).  Counted, logged, shown in the portal's health,
        and sent to the run."""
        self.crawler.stats.inc_value("portal/columns_incomplete")
        self.crawler.stats.set_value(f"portal/column_incomplete/{column}", reason)
        self.logger.warning("column %s not read completely: %s", column, reason)
        self.crawler.signals.send_catch_log(
            signal=columns.column_incomplete, column=column, reason=reason
        )

    def detail_failed(self, failure: Any) -> None:
        """A listed post that does not answer (404, timeout): counted, never a crash."""
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        self.crawler.stats.inc_value(f"portal/detail_failed/{reason}")
        self.logger.warning("detail page failed (%s): %s", reason, failure.request.url)

    # --- fields: meta tags first, then page text, then title/URL -------------------------------
    def meta(self, response: Response, name: str) -> str | None:
        if not isinstance(response, TextResponse):
            return None
        value = html_of(response).xpath(f'//meta[@name="{name}"]/@content').get()
        if value is None:
            value = html_of(response).xpath(f'//meta[@name="{name.lower()}"]/@content').get()
        value = (value or "").strip()
        return value or None

    def page_text(self, response: Response, css: str = "body") -> str:
        # Read up to three times a page (its date, its unit, its source): joined once. The
        # text nodes come from lxml itself: parsel's css(...).getall() gives the same strings
        # after wrapping each of a page's thousands of text nodes in a Selector.
        texts = _PAGE_TEXTS.setdefault(response, {})
        if css not in texts:
            found = html_of(response).root.xpath(_text_xpath(css), smart_strings=False)
            texts[css] = " ".join(t.strip() for t in found if t.strip())
        return texts[css]

    def page_title(self, response: Response) -> str | None:
        title = (
            self.meta(response, "ArticleTitle")
            or html_of(response).css(f"{self.title_selector} ::text").get()
        )
        return fields.squash(title) or None

    def page_date(self, response: Response) -> str | None:
        return fields.parse_date(self.meta(response, "PubDate"))

    def page_unit(self, response: Response) -> str | None:
        source = self.meta(response, "ContentSource")
        if not source or source in GENERIC_SOURCES:
            source = fields.labelled(self.page_text(response), "来源")
        if not source or source in GENERIC_SOURCES:
            return None
        return fields.normalize_unit(source, self.city, self.district) or None

    def report_year(self, title: str, response: Response, published_at: str | None) -> int | None:
        year = fields.year_in(titles.forwarded_report(title) or title)
        if year is None and published_at:
            # Reports come out in the first months after the year they cover.
            year = int(published_at[:4]) - 1
        return year

    # --- attachments and images ------------------------------------------------------------
    def attachment_links(self, response: Response) -> list[tuple[str, str]]:
        """Files linked from the body or the 相关附件 block, each once, in page order."""
        seen: dict[str, str] = {}
        for link in discovery.anchors(html_of(response)):
            # Any scheme: fetch_attachment records why a file: or javascript: link is not fetched
            url = discovery.resolve(response.url, link.get("href") or "")
            if url is None or url in seen or not self.attachment_url_re.search(url):
                continue
            text = fields.squash(" ".join(discovery.texts_of(link)))
            seen[url] = text if re.search(r"\.\w{2,4}$", text) else _basename(url)
        return list(seen.items())

    def body_images(self, response: Response) -> list[tuple[str, str]]:
        """Images inside the body: some portals post the report's tables only as pictures."""
        urls = html_of(response).css(f"{self.content_selector} img::attr(src)").getall()
        # Any scheme but data: (the image is in the page already): a file: or javascript:
        # source is recorded with the reason it was not fetched (fetch_attachment).
        unique = dict.fromkeys(discovery.resolve(response.url, u) for u in urls)
        return [(u, _basename(u)) for u in unique if u and not u.lower().startswith("data:")]

    async def fetch_attachment(self, url: str, name: str, page: Response) -> AttachmentItem:
        # meta "attachment": crawler.incremental revalidates it (If-None-Match) like a page
        item = AttachmentItem(url=url, filename=name)
        stats = self.crawler.stats
        try:
            request = scrapy.Request(
                url, headers={"Referer": page.url}, meta={"attachment": True}, dont_filter=True
            )
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as exc:
            item.fetch_error = f"ignored: {exc}"
        except ValueError:  # "javascript:download('x.pdf')": no URL at all
            item.fetch_error = "not_http"
        except Exception as exc:  # timeouts, DNS, connection resets: record, never crash
            item.fetch_error = type(exc).__name__
        else:
            item.capture = self.capture(response, kind="attachment")
            if response.status >= 400:
                item.fetch_error = f"http_{response.status}"
        stats.inc_value(
            "attachments/fetched" if not item.fetch_error else "attachments/fetch_failed"
        )
        return item

    def capture(self, response: Response, kind: str = "page") -> Capture:
        capture = capture_from_response(response, spider=self.name, run_id=self.run_id, kind=kind)
        # a 304 answered with the stored body (crawler.incremental): no new bytes were fetched
        capture.not_modified = bool(meta_of(response).get("not_modified"))
        return capture

    # --- identity ----------------------------------------------------------------------------
    def canonical_url(self, url: str) -> str:
        """One URL per report: https, the current host, no fragment.  Mixins add their twins."""
        parts = urlsplit(url)
        host = self.host_aliases.get(parts.hostname or "", parts.hostname or "")
        path = parts.path or "/"
        query = f"?{parts.query}" if parts.query else ""
        return f"https://{host}{path}{query}"


def _basename(url: str) -> str:
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or "download"


def _check_declaration(cls: type[PortalSpider]) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}"
    for attr in cls._required:
        if not getattr(cls, attr, None):
            raise PortalDeclarationError(f"{where}: '{attr}' is missing; declare it on the class")
    _check_domains_and_urls(cls, where)
    for attr in cls._css:
        _check_css(getattr(cls, attr), attr, where)
    for attr in ("detail_url_re", "list_columns"):
        try:
            re.compile(getattr(cls, attr) or "")
        except re.error as exc:
            raise PortalDeclarationError(f"{where}: {attr} is not a valid regex: {exc}") from exc
    _check_mixin_order(cls, where)


def _check_domains_and_urls(cls: type[PortalSpider], where: str) -> None:
    for attr in ("allowed_domains", "start_urls", "hints"):
        # A bare string would be walked character by character: 'h' is not a URL.
        if isinstance(getattr(cls, attr), str):
            raise PortalDeclarationError(
                f"{where}: {attr} must be a list, e.g. [{getattr(cls, attr)!r}]"
            )
    for domain in cls.allowed_domains:
        if "/" in domain or ":" in domain:
            raise PortalDeclarationError(
                f"{where}: allowed_domains entry {domain!r} must be a bare host name "
                f"such as 'zc.gov.cn' (no scheme, port or path)"
            )
    for kind, urls in (("start URL", cls.start_urls), ("hint", cls.hints)):
        for url in urls:
            _check_url(cls, where, kind, url)


def _check_url(cls: type[PortalSpider], where: str, kind: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise PortalDeclarationError(f"{where}: {kind} {url!r} is not an http(s) URL")
    if not any(
        parts.hostname == d or parts.hostname.endswith("." + d) for d in cls.allowed_domains
    ):
        raise PortalDeclarationError(
            f"{where}: {kind} {url!r} is outside allowed_domains {cls.allowed_domains}"
        )


def _check_css(selector: str, attr: str, where: str) -> None:
    try:
        GenericTranslator().css_to_xpath(selector)
        group = parse_css(selector)
    except SelectorError as exc:
        raise PortalDeclarationError(f"{where}: {attr} is not valid CSS: {exc}") from exc
    if len(group) > 1:
        # The crawl loop appends " ::text" / " img::attr(src)" to it: that reaches only the
        # last member of a group, and the first member's whole element would be taken instead.
        raise PortalDeclarationError(
            f"{where}: {attr} {selector!r} is a selector group, and the crawl appends "
            f"' ::text' / ' img' to it; write one selector: ':is({selector})'"
        )


def _check_mixin_order(cls: type[PortalSpider], where: str) -> None:
    """A CMS mixin listed after PortalSpider is shadowed by it: its paging silently never runs."""
    mro = cls.__mro__
    base = mro.index(PortalSpider)
    for klass in mro[base + 1 :]:
        if klass.__module__.startswith("crawler.cms."):
            raise PortalDeclarationError(
                f"{where}: {klass.__name__} must come before PortalSpider in the bases: "
                f"class {cls.__name__}({klass.__name__}, PortalSpider)"
            )
