"""TRS WCM static publishing (Fujian cluster: qzlc.gov.cn, quanzhou.gov.cn, qzfz.gov.cn): how its
columns list and paginate documents, and where its pages state their fields.

Facts (portals.md §5): a column is a folder whose list is `index.htm`, `index_1.htm`, ... written
by `createPageHTML(pages, current, "index", "htm")`, a script: the static HTML has no 下一页 link;
documents are `{column}{YYYYMM}/t{YYYYMMDD}_{docid}.htm`, linked relatively; files sit beside them
(`./P0….pdf`).  Reports are scattered: besides the 年报 columns, every unit (部门, 街道) has its
own folder with report columns, listed on a unit directory page (`unit_directories`).

A detail page states 发布机构 in its 公开目录 metadata list (索引号 / 备注/文号 / 发布机构 /
公文生成日期), then `来源:… 时间:YYYY-MM-DD HH:MM`; 来源 may be an abbreviation (鲤城区科技局),
so 发布机构 wins.  A report may be forwarded inside a notice ("关于转发《…年度报告》的通知"):
the notice is the report's only page, and the unit is the forwarded report's, not the notice's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from typing import ClassVar

import scrapy
from scrapy.http import Response

from crawler import fields

_REPORT = r"政府信息公开(?:工作)?年(?:度)?(?:工作)?报告"
# A report title, or a notice that forwards (转发/印发) one.  Notices about compiling or sending
# reports ("关于做好…年度报告编制发布有关事项的通知", "关于报送…年度报告的通知") name the report
# too, but are not one.
TRS_REPORT_TITLE_RE = re.compile(
    rf"^(?!.*通知$).*{_REPORT}|关于(?:转发|印发)《?[^《》]*{_REPORT}》?的通知$"
)
FORWARDED_RE = re.compile(rf"关于(?:转发|印发)《?([^《》]*{_REPORT})》?的通知$")
# createPageHTML(3, 0, "index", "htm"): page count, current page (from 0), name, extension.
PAGER_RE = re.compile(
    r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([\w.-]+)["']\s*,\s*["'](\w+)["']\s*\)"""
)
URL_DATE_RE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+\.s?html?$")
_TIME_LABEL_RE = re.compile(r"时\s*间\s*[:：]")


class TrsMixin:
    """Mix into PortalSpider: `class QzlcGovCnSpider(TrsMixin, PortalSpider)`."""

    abstract = True
    detail_url_re: ClassVar[str] = r"/\d{6}/t\d{8}_\d+\.s?html?$"
    report_title_re: ClassVar[re.Pattern[str]] = TRS_REPORT_TITLE_RE
    # unit directory page -> the report columns (relative to each unit's folder) to walk
    unit_directories: ClassVar[dict[str, tuple[str, ...]]] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():
            yield request
        for url, columns in self.unit_directories.items():
            yield scrapy.Request(url, callback=self.parse_units, cb_kwargs={"columns": columns})

    def parse_units(self, response: Response, columns: tuple[str, ...]) -> Iterable[scrapy.Request]:
        """A unit directory (部门 / 镇街): each unit's report columns become list walks."""
        for folder in self.unit_folders(response):
            self.crawler.stats.inc_value("portal/unit_folders")
            for column in columns:
                url = response.urljoin(folder + column)
                yield scrapy.Request(url, callback=self.parse_list, meta={"column": url})

    def unit_folders(self, response: Response) -> list[str]:
        """Links to folders directly under the directory's own: `./swj/` -> …/zwgk/bm/swj/."""
        base = response.urljoin("./")
        found: dict[str, None] = {}
        for href in response.css("a::attr(href)").getall():
            url = re.sub(r"index\.s?html?$", "", response.urljoin(href.strip()).split("#")[0])
            if url.startswith(base) and re.fullmatch(r"[\w-]+/", url[len(base) :]):
                found[url] = None
        return list(found)

    def next_page(self, response: Response) -> str | None:
        """The page after this one, from the createPageHTML call (pages count from 0)."""
        match = PAGER_RE.search(response.text)
        if match is None:
            return super().next_page(response)
        pages, current, name, ext = int(match[1]), int(match[2]), match[3], match[4]
        if current + 1 >= pages:
            return None
        return response.urljoin(f"{name}_{current + 1}.{ext}")

    # --- fields: the page's own labels first, then meta tags, title and URL -------------------
    def page_date(self, response: Response) -> str | None:
        return (
            fields.parse_date(self.meta(response, "PubDate"))
            or self.labelled_date(response)
            or url_date(response.url)
        )

    def labelled_date(self, response: Response) -> str | None:
        """'时间:2023-01-10 09:04' -> '2023-01-10T09:04'."""
        text = self.page_text(response)
        match = _TIME_LABEL_RE.search(text)
        return fields.parse_date(text[match.end() : match.end() + 40]) if match else None

    def page_unit(self, response: Response) -> str | None:
        forwarded = forwarded_title(self.page_title(response) or "")
        if forwarded:
            return self.unit_name(fields.unit_from_title(forwarded, self.city, self.district))
        publisher = fields.labelled(self.page_text(response), "发布机构")
        if publisher:
            return self.unit_name(publisher)
        return super().page_unit(response)

    def unit_name(self, name: str | None) -> str | None:
        if not name:
            return None
        return fields.normalize_unit(name, self.city, self.district) or None


def forwarded_title(title: str) -> str | None:
    """'…办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知' -> the report's
    title; None for any other title."""
    match = FORWARDED_RE.search(fields.squash(title))
    return match.group(1) if match else None


def url_date(url: str) -> str | None:
    """'…/202401/t20240122_2996819.htm' -> '2024-01-22' (the day TRS first published it)."""
    match = URL_DATE_RE.search(url)
    return fields.parse_date("-".join(match.groups())) if match else None
