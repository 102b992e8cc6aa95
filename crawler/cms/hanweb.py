"""Hanweb jcms (大汉, Shandong and many other provinces): how its columns list and page posts.

Facts (docs/portals.md §6, §10.4): a column `/col/col{C}/index.html` embeds its first records in a
`<datastore>` block (`<record><![CDATA[<li><a href title>…</a><b>date</b></li>]]></record>`)
and a jpage script (`totalRecord:N`, `perPage:15`); the next groups come from
`POST /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15` with the form
`col=1&appid=1&webid=W&path=/&columnid=C&sourceContentType=1&unitid=U&webname=…&permissiontype=0`,
whose values the block's `<nextgroup>` link carries. Posts are `/art/{Y}/{M}/{D}/art_{C}_{id}.html`
(body between `ZJEG_RSS.content` markers, source between `<$[信息来源]>` markers) or pages of the
信息公开 module such as `/module/xxgk/xxgkAnnualReport.jsp?area=…&fbtime=YYYY`. A 年报 parent
column lists its child columns (`/col/colN/index.html`) the way static CMSs list sub-channels
(§10.4), under any name (a unit, a year, 市直部门, 镇街): column ids are flat, so no path says
which `/col/` link is a child.  Every `/col/` link of a 年报 column that is not the site's
navigation (a link of the home page) nor a step of the page's breadcrumb is asked for once, and
read as a report column when its page shows itself one (its breadcrumb or ColumnName names a
年报 column) or lists a report by the title classifier.  When `totalRecord` declares more records
than the datastore and its groups yield, the column is reported incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse

from crawler import discovery, fields, listing, titles
from crawler.discovery import Link
from crawler.portal import GENERIC_SOURCES, ListEntry, html_of, meta_of

_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
_NEXTGROUP_RE = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)", re.DOTALL)
_TOTAL_RE = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)|<totalrecord>\s*(\d+)", re.IGNORECASE)
_PER_PAGE_RE = re.compile(r"perPage\s*:\s*['\"]?(\d+)")
_COLUMN_RE = re.compile(r"/col/col\d+/(?:index\.html?)?$")
_SOURCE_RE = re.compile(r"<!--<\$\[信息来源\]>begin-->(.*?)<!--<\$\[信息来源\]>end-->", re.DOTALL)
# The form jpage posts: the nextgroup link's parameters minus its own paging, plus these two.
_FORM_DEFAULTS = {"col": "1", "sourceContentType": "1"}
_NOT_FORM = {"page", "startrecord", "endrecord", "perpage"}


@dataclass(frozen=True)
class Jpage:
    """How to ask a column's dataproxy for more records."""

    proxy_url: str  # absolute, without query
    form: dict[str, str]
    total: int | None  # totalRecord, when the column page states it
    per_page: int
    group_pages: int

    @property
    def group_size(self) -> int:
        return self.per_page * self.group_pages

    def request_url(self, start: int) -> str:
        end = start + self.group_size - 1
        return f"{self.proxy_url}?startrecord={start}&endrecord={end}&perpage={self.per_page}"

    def has_more(self, start: int, last_group: int | None) -> bool:
        """More records from `start` on?  The total decides; without one, a full group does."""
        if self.total is not None:
            return start <= self.total
        return last_group is None or last_group >= self.group_size


class HanwebMixin:
    """Mix into PortalSpider: `class QufuGovCnSpider(HanwebMixin, PortalSpider)`."""

    abstract = True
    detail_url_re: ClassVar[str] = (
        r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$|/module/xxgk/\w+\.jsp\?"
    )
    per_page: ClassVar[int] = 15  # jpage's default when the column page does not say
    group_pages: ClassVar[int] = 3  # jpage asks for 3 pages per request (45 records)

    def read_column(self, response: TextResponse) -> Iterable[scrapy.Request]:
        """Besides the base's: every other `/col/` link of the page, a child column candidate."""
        candidates = list(self.child_candidates(response))
        meta_of(response)["child_candidates"] = len(candidates)
        yield from super().read_column(response)  # type: ignore[misc]
        parent = self.column_of(response)  # type: ignore[attr-defined]
        for link in candidates:
            # depth 1: a link of a report column is as near as one of the home page's
            request = self.channel_request(link, 1, child_of=parent)  # type: ignore[attr-defined]
            if request is not None:
                yield request

    def child_candidates(self, response: TextResponse) -> Iterable[Link]:
        """The `/col/` links of a 年报 column page that may be its child columns: not the page
        itself, not a step of its breadcrumb, not a link of an entry page (navigation)."""
        page = html_of(response)
        here = discovery.folder(response.url)
        ancestors = {discovery.folder(u) for u in discovery.breadcrumb_links(page, response.url)}
        navigation = {discovery.folder(u) for u in self.found.entry_links}  # type: ignore[attr-defined]
        for link in discovery.page_links(page, response.url):
            key = discovery.folder(link.url)
            if not _COLUMN_RE.search(link.url) or not self.on_portal(link.url):  # type: ignore[attr-defined]
                continue
            if key != here and key not in ancestors and key not in navigation:
                yield link

    def is_report_column(self, response: TextResponse, key: str) -> bool:
        """Besides the base's signs: a page a 年报 column linked that lists a report."""
        if super().is_report_column(response, key):  # type: ignore[misc]
            return True
        if not meta_of(response).get("child_of"):
            return False
        return any(titles.classify(e.title).is_report for e in self.list_entries(response))

    def parse_list(self, response: Response) -> Iterable[scrapy.Request]:
        """A column page: follow its embedded records, then ask dataproxy for the rest."""
        stats = self.crawler.stats  # type: ignore[attr-defined]
        if not isinstance(response, TextResponse):
            stats.inc_value("portal/list_not_html")
            return
        stats.inc_value("portal/list_pages")
        column = self.column_of(response)  # type: ignore[attr-defined]
        entries = list(self.list_entries(response))
        jpage = self.jpage(response)
        self.count_shown(column, entries, jpage.total if jpage else None)
        yield from self.follow_entries(entries, response)  # type: ignore[attr-defined]
        if jpage is None:
            meta = meta_of(response)
            if not meta.get("sub_columns") and not meta.get("child_candidates"):
                stats.inc_value("portal/jpage_missing")
                self.logger.warning("no <datastore> paging on %s", response.url)  # type: ignore[attr-defined]
            return
        start = len(entries) + 1
        if entries and jpage.has_more(start, None):
            yield self.group_request(jpage, start, response.url, column)

    def parse_group(self, response: Response, jpage: Jpage, start: int) -> Iterable[scrapy.Request]:
        """A dataproxy answer: the same <datastore> XML with the next group of records."""
        stats = self.crawler.stats  # type: ignore[attr-defined]
        if not isinstance(response, TextResponse):
            stats.inc_value("portal/list_not_html")
            return
        stats.inc_value("portal/list_pages")
        column = self.column_of(response)  # type: ignore[attr-defined]
        entries = list(self.list_entries(response))
        self.count_shown(column, entries, None)
        yield from self.follow_entries(entries, response)  # type: ignore[attr-defined]
        following = start + jpage.group_size
        if entries and jpage.has_more(following, len(entries)):
            referer = response.request.headers.get("Referer") if response.request else None
            page_url = referer.decode("latin-1") if referer else column
            yield self.group_request(jpage, following, page_url, column)

    def count_shown(self, column: str, entries: list[ListEntry], total: int | None) -> None:
        urls = [self.canonical_url(e.url) for e in entries]  # type: ignore[attr-defined]
        self.tally(column).add(urls, total)  # type: ignore[attr-defined]

    def group_request(
        self, jpage: Jpage, start: int, page_url: str, column: str | None = None
    ) -> scrapy.FormRequest:
        return scrapy.FormRequest(
            jpage.request_url(start),
            formdata=jpage.form,
            callback=self.parse_group,
            errback=self.page_failed,  # type: ignore[attr-defined]
            cb_kwargs={"jpage": jpage, "start": start},
            headers={"Referer": page_url, "X-Requested-With": "XMLHttpRequest"},
            meta={"column": column or self.column_key(page_url)},  # type: ignore[attr-defined]
        )

    def sub_columns(self, response: TextResponse) -> Iterable[Link]:
        """Besides the base's: the child columns a 年报 parent column lists, `/col/colN/` links
        named by a unit or a year."""
        yield from super().sub_columns(response)  # type: ignore[misc]
        here = discovery.folder(response.url)
        for link in discovery.page_links(html_of(response), response.url):
            if discovery.folder(link.url) == here or not _COLUMN_RE.search(link.url):
                continue
            if not self.on_portal(link.url):  # type: ignore[attr-defined]
                continue
            if discovery.names_unit(link.text) or discovery.names_year(link.text):
                yield link

    def list_entries(self, response: Response) -> Iterable[ListEntry]:
        """The records of a <datastore> block (column page) or a dataproxy answer; a column page
        without one is read as a plain HTML list."""
        if not isinstance(response, TextResponse):
            return
        records = _RECORD_RE.findall(response.text)
        if not records:
            yield from super().list_entries(response)  # type: ignore[misc]
            return
        pattern = re.compile(self.detail_url_re)
        for record in records:
            row = Selector(text=record)
            href = row.css("a::attr(href)").get()
            if not href:
                continue
            url = self.post_link(response.url, href, pattern)  # type: ignore[attr-defined]
            if url is None:
                continue
            link = row.css("a")[0]
            # List text is cut ("…整改任务完成..."); the title attribute has the whole title.
            title = link.attrib.get("title") or " ".join(link.css("::text").getall())
            yield ListEntry(url=url, title=fields.squash(title), date=listing.row_date(link))

    def next_page(self, response: Response) -> str | None:
        return None  # paging is the dataproxy POST, not a 下一页 link

    def jpage(self, response: Response) -> Jpage | None:
        """The dataproxy URL and form a column page's <nextgroup> link and jpage script give."""
        if not isinstance(response, TextResponse):
            return None
        match = _NEXTGROUP_RE.search(response.text)
        if not match:
            return None
        link = urlsplit(response.urljoin(match.group(1).replace("&amp;", "&")))
        form = dict(_FORM_DEFAULTS)
        for key, value in parse_qsl(link.query, keep_blank_values=True):
            if key not in _NOT_FORM:
                # webname arrives URL-encoded twice (%25E5...); send it as the browser does.
                form[key] = unquote(value) if key == "webname" else value
        total = _TOTAL_RE.search(response.text)
        per_page = _PER_PAGE_RE.search(response.text)
        return Jpage(
            proxy_url=f"{link.scheme}://{link.netloc}{link.path}",
            form=form,
            total=int(total.group(1) or total.group(2)) if total else None,
            per_page=int(per_page.group(1)) if per_page else self.per_page,
            group_pages=self.group_pages,
        )

    # --- detail pages: articles have the meta tags, module pages only their printed labels ---
    def page_date(self, response: Response) -> str | None:
        found = super().page_date(response)  # type: ignore[misc]
        return found or fields.parse_date(
            fields.labelled(self.page_text(response), "发布日期")  # type: ignore[attr-defined]
        )

    def page_unit(self, response: Response) -> str | None:
        for source in (
            self.meta(response, "ContentSource"),  # type: ignore[attr-defined]
            _marked_source(response.text),
            fields.labelled(self.page_text(response), "发布机构"),  # type: ignore[attr-defined]
        ):
            if source and source not in GENERIC_SOURCES:
                return fields.normalize_unit(source, self.city, self.district) or None  # type: ignore[attr-defined]
        return super().page_unit(response)  # type: ignore[misc]


def _marked_source(html: str) -> str | None:
    match = _SOURCE_RE.search(html)
    return fields.squash(re.sub(r"<[^>]+>", "", match.group(1))) if match else None
