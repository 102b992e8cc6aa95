"""What a list page says about itself: its rows, its pager, how many records it declares.

A list is read completely only when the pages prove it: a pager that names the next page or the
page count (`下一页`, `createPageHTML(pages, current, "index", "htm")`, numbered `index_N` links),
or a declared record count that the rows read add up to (`共N条`, the TRS search list's
`recordCount: '20'`, Hanweb's `totalRecord:N`). When a page declares more records than the column
yields, the column is incomplete and the spider says so (`ColumnTally.verdict`). Pure functions
on page text: the spider does the requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler import fields

# createPageHTML(3, 0, "index", "htm"): page count, current page (from 0), name, extension.
PAGER_RE = re.compile(
    r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([\w.-]+)["']\s*,\s*["'](\w+)["']\s*\)"""
)
# Declared record counts: 共25条, recordCount: '20' (TRS list2.trsapi), totalRecord:47 (Hanweb jpage),
# <totalrecord>47</totalrecord> (Hanweb dataproxy).
_DECLARED_RES = (
    re.compile(r"共\s*(\d{1,6})\s*条"),
    re.compile(r"""recordCount["']?\s*[:=]\s*["']?(\d{1,6})"""),
    re.compile(r"""totalRecord["']?\s*[:=]\s*["']?(\d{1,6})""", re.IGNORECASE),
    re.compile(r"<totalrecord>\s*(\d{1,6})\s*</totalrecord>", re.IGNORECASE),
)
_NUMBERED_RE = re.compile(r"(?:index|list|default)_(\d+)\.s?html?$")
_NEXT_TEXT = "下一页"


@dataclass(frozen=True)
class Pager:
    pages: int  # how many pages the column has
    current: int  # this page, counting from 0
    name: str
    ext: str

    def next_url(self, page_url: str) -> str | None:
        """TRS semantics: page 0 is `index.htm`, page k is `index_k.htm`."""
        if self.current + 1 >= self.pages:
            return None
        return urljoin(page_url, f"{self.name}_{self.current + 1}.{self.ext}")


def pager(text: str) -> Pager | None:
    match = PAGER_RE.search(text or "")
    if not match:
        return None
    return Pager(int(match[1]), int(match[2]), match[3], match[4])


def declared_count(text: str) -> int | None:
    """The record count a list page declares, the largest if it declares several."""
    found = [int(m.group(1)) for pattern in _DECLARED_RES for m in pattern.finditer(text or "")]
    return max(found) if found else None


def next_link(page: Selector, page_url: str) -> str | None:
    """The href of a 下一页 link, unless it is a script or points back at this page."""
    for href in page.xpath(f'//a[contains(normalize-space(.), "{_NEXT_TEXT}")]/@href').getall():
        href = href.strip()
        if not href or href == "#" or href.lower().startswith("javascript"):
            continue
        url = urljoin(page_url, href)
        if url != page_url:
            return url
    return None


def numbered_pages(page: Selector, page_url: str) -> list[str]:
    """Links of a numbered pager (`index_2.html`, `index_3.html` ...) in this page's own folder."""
    here = urlsplit(page_url)
    base = here.path.rsplit("/", 1)[0] + "/"
    found: dict[str, None] = {}
    for href in page.css("a::attr(href)").getall():
        url = urljoin(page_url, href.strip()).split("#")[0]
        parts = urlsplit(url)
        if parts.hostname != here.hostname or not parts.path.startswith(base):
            continue
        if _NUMBERED_RE.fullmatch(parts.path[len(base) :]) and url != page_url:
            found[url] = None
    return list(found)


def row_date(anchor: Selector) -> str | None:
    """The date printed beside a list link: in its <li>, its <dl> (a sibling <dd>, as on the
    Fujian cluster's lists, docs/portals.md §10.1) or its table row; the link's own text left out
    (a title may name a date)."""
    rows = anchor.xpath("ancestor::*[self::li or self::dl or self::tr][1]") or anchor.xpath("..")
    if not rows:
        return None
    link_text = " ".join(anchor.css("::text").getall())
    row_text = " ".join(rows[0].css("::text").getall()).replace(link_text, " ", 1)
    return fields.parse_date(row_text)


@dataclass
class ColumnTally:
    """What one column showed in this run, against what its pages declared."""

    column: str
    shown: set[str] = field(default_factory=set)  # canonical URLs of every post listed
    declared: int | None = None
    reported: bool = False  # the verdict was sent once

    def add(self, urls: list[str], declared: int | None = None) -> None:
        self.shown.update(urls)
        if declared is not None:
            self.declared = max(self.declared or 0, declared)

    def verdict(self) -> str | None:
        """'list incomplete: shows 10 of 20 (URL)' when the pages declared more than they showed."""
        if self.declared is None or len(self.shown) >= self.declared:
            return None
        return f"list incomplete: shows {len(self.shown)} of {self.declared} ({self.column})"
