"""PortalSpider: the crawl loop every portal shares, written once.

A portal file only declares what differs (start URLs, selectors, the district's name); a CMS
mixin (crawler/cms/) supplies how that CMS lists posts and paginates.  The loop:

    start_urls (report columns) -> list pages (+ pagination / JSON list API)
      -> title filter (政府信息公开(工作)?年(度)?报告) -> detail page
      -> attachments and body images fetched -> one ReportItem with provenance

Declarations are checked when the class is defined, so a broken portal file fails at import
(`scrapy list`, pytest) with a message that says what to fix.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import scrapy
from cssselect import GenericTranslator, SelectorError
from cssselect import parse as parse_css
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler import columns, fields
from crawler.items import AttachmentItem, Capture, ReportItem
from crawler.provenance import capture_from_response

ATTACHMENT_URL_RE = re.compile(
    r"\.(?:pdf|docx?|wps|xlsx?|et|ods|odt)(?:$|\?)|/attachment/|downfile\.jsp", re.IGNORECASE
)
# 来源 values that name the website, not the unit that published the report.
GENERIC_SOURCES = frozenset({"本网", "本站", "网站", "原创", "", "-"})


class PortalDeclarationError(TypeError):
    """A portal spider's class declaration is incomplete or invalid."""


@dataclass(frozen=True)
class ListEntry:
    """One post as a list page (or list API) shows it."""

    url: str
    title: str
    date: str | None = None


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


class PortalSpider(scrapy.Spider):
    # --- what a portal file declares -------------------------------------------------------
    portal_name: ClassVar[str]  # human name, e.g. "广州市增城区"
    allowed_domains: ClassVar[list[str]]
    start_urls: ClassVar[list[str]]  # the report list columns
    content_selector: ClassVar[str]  # CSS of the report body on a detail page
    title_selector: ClassVar[str] = "h1"  # CSS; the ArticleTitle meta tag wins when present
    # the district's names, stripped from units as portals print them (see fields.normalize_unit)
    city: ClassVar[str | None] = None  # "广州市"
    district: ClassVar[str | None] = None  # "增城区"
    host_aliases: ClassVar[dict[str, str]] = {}  # migrated hosts: old -> current
    report_title_re: ClassVar[re.Pattern[str]] = fields.REPORT_TITLE_RE
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

    # --- the crawl loop --------------------------------------------------------------------
    @property
    def run_id(self) -> str:
        if not hasattr(self, "_run_id"):
            self._run_id = self.settings.get("GOVREPORTS_RUN_ID") or new_run_id()
        return self._run_id

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, meta={"column": url})

    def parse_list(self, response: Response) -> Iterable[scrapy.Request]:
        """A list page: follow every report post, skip (and count) the others, then paginate."""
        self.crawler.stats.inc_value("portal/list_pages")
        yield from self.follow_entries(self.list_entries(response), response)
        next_url = self.next_page(response)
        if next_url:
            yield response.follow(
                next_url, callback=self.parse_list, meta={"column": response.meta.get("column")}
            )

    def follow_entries(
        self, entries: Iterable[ListEntry], response: Response
    ) -> Iterable[scrapy.Request]:
        stats = self.crawler.stats
        for entry in entries:
            stats.inc_value("portal/list_entries")
            if not fields.is_report_title(entry.title, self.report_title_re):
                stats.inc_value("portal/nonreport_skipped")
                continue
            if not entry.url.lower().startswith(("http://", "https://")):  # javascript: …
                stats.inc_value("portal/link_skipped/not_http")
                continue
            stats.inc_value("portal/report_links")
            yield scrapy.Request(
                entry.url,
                callback=self.parse_detail,
                errback=self.detail_failed,
                cb_kwargs={"entry": entry},
                meta={"list_url": response.url, "column": response.meta.get("column")},
            )

    def list_entries(self, response: Response) -> Iterable[ListEntry]:
        """Links on a list page whose URL looks like a post (the CMS mixin's detail_url_re)."""
        pattern = re.compile(self.detail_url_re)
        for link in response.css("a[href]"):
            url = response.urljoin(link.attrib["href"].strip())
            if not pattern.search(url):
                continue
            title = link.attrib.get("title") or " ".join(link.css("::text").getall())
            row = " ".join(link.xpath("./ancestor::li[1]//text()").getall())
            yield ListEntry(url=url, title=fields.squash(title), date=fields.parse_date(row))

    def next_page(self, response: Response) -> str | None:
        href = response.xpath('//a[contains(normalize-space(.), "下一页")]/@href').get()
        if not href or href.strip() in {"#", ""} or href.startswith("javascript"):
            return None
        url = response.urljoin(href.strip())
        return None if url == response.url else url

    async def parse_detail(self, response: Response, entry: ListEntry) -> AsyncIterator[ReportItem]:
        stats = self.crawler.stats
        content = response.css(self.content_selector)
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
            list_url=response.meta.get("list_url"),
            column=response.meta.get("column"),
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

    def column_incomplete(self, column: str | None, reason: str) -> None:
        """This run did not read `column` completely: none of its reports may be marked gone on
        this run's evidence (crawler/columns.py).  Counted, logged, and sent to the run."""
        self.crawler.stats.inc_value("portal/columns_incomplete")
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
        value = response.xpath(f'//meta[@name="{name}"]/@content').get()
        if value is None:
            value = response.xpath(f'//meta[@name="{name.lower()}"]/@content').get()
        value = (value or "").strip()
        return value or None

    def page_text(self, response: Response, css: str = "body") -> str:
        return " ".join(t.strip() for t in response.css(f"{css} ::text").getall() if t.strip())

    def page_title(self, response: Response) -> str | None:
        title = (
            self.meta(response, "ArticleTitle")
            or response.css(f"{self.title_selector} ::text").get()
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
        year = fields.year_in(title)
        if year is None and published_at:
            # Reports come out in the first months after the year they cover.
            year = int(published_at[:4]) - 1
        return year

    # --- attachments and images ------------------------------------------------------------
    def attachment_links(self, response: Response) -> list[tuple[str, str]]:
        """Files linked from the body or the 相关附件 block, each once, in page order."""
        seen: dict[str, str] = {}
        for link in response.css("a[href]"):
            url = response.urljoin(link.attrib["href"].strip())
            if url in seen or not self.attachment_url_re.search(url):
                continue
            text = fields.squash(" ".join(link.css("::text").getall()))
            seen[url] = text if re.search(r"\.\w{2,4}$", text) else _basename(url)
        return list(seen.items())

    def body_images(self, response: Response) -> list[tuple[str, str]]:
        """Images inside the body: some portals post the report's tables only as pictures."""
        urls = response.css(f"{self.content_selector} img::attr(src)").getall()
        unique = dict.fromkeys(response.urljoin(u.strip()) for u in urls if u.strip())
        return [(url, _basename(url)) for url in unique if not url.startswith("data:")]

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
        capture.not_modified = bool(response.meta.get("not_modified"))
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
    try:
        re.compile(cls.detail_url_re)
    except re.error as exc:
        raise PortalDeclarationError(f"{where}: detail_url_re is not a valid regex: {exc}") from exc
    _check_mixin_order(cls, where)


def _check_domains_and_urls(cls: type[PortalSpider], where: str) -> None:
    for attr in ("allowed_domains", "start_urls"):
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
    for url in cls.start_urls:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise PortalDeclarationError(f"{where}: start URL {url!r} is not an http(s) URL")
        if not any(
            parts.hostname == d or parts.hostname.endswith("." + d) for d in cls.allowed_domains
        ):
            raise PortalDeclarationError(
                f"{where}: start URL {url!r} is outside allowed_domains {cls.allowed_domains}"
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
