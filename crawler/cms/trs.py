"""TRS WCM static publishing (Fujian cluster: qzlc.gov.cn, quanzhou.gov.cn, pingtan.gov.cn): how
its columns list documents, and where its pages state their fields.

Facts (docs/portals.md §5, §10.1): a column is a folder whose list is `index.htm`, `index_1.htm`,
… written by `createPageHTML(pages, current, "index", "htm")` (the base's pager reads it);
documents are `{column}{YYYYMM}/t{YYYYMMDD}_{docid}.htm`, linked relatively, dates in a `<dd>`
beside the link on the newer template. A newer list may show only its first records and load the
rest by script from a search endpoint whose answer is not documented: its `recordCount` is the
declared count, so the column is reported incomplete instead of read partially in silence.
Reports are scattered: every unit under the `bm/` (部门) and `zj/` (镇街) channels has its own
columns (the base's unit directories), some only inside its 公开目录 categories.

A detail page states 发布机构 in its 公开目录 metadata list (索引号 / 备注/文号 / 发布机构 /
公文生成日期), then `来源:… 时间:YYYY-MM-DD HH:MM`; 来源 may be an abbreviation (鲤城区科技局),
so 发布机构 wins.  A report may be forwarded inside a notice ("关于转发《…年度报告》的通知"):
the notice is the report's only page, and the unit is the forwarded report's, not the notice's.
"""

from __future__ import annotations

import re
from typing import ClassVar

from scrapy.http import Response

from crawler import fields, titles

URL_DATE_RE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+\.s?html?$")
_TIME_LABEL_RE = re.compile(r"时\s*间\s*[:：]")


class TrsMixin:
    """Mix into PortalSpider: `class QzlcGovCnSpider(TrsMixin, PortalSpider)`."""

    abstract = True
    detail_url_re: ClassVar[str] = r"/\d{6}/t\d{8}_\d+\.s?html?$"

    # --- fields: the page's own labels first, then meta tags, title and URL -------------------
    def page_date(self, response: Response) -> str | None:
        return (
            fields.parse_date(self.meta(response, "PubDate"))  # type: ignore[attr-defined]
            or self.labelled_date(response)
            or url_date(response.url)
        )

    def labelled_date(self, response: Response) -> str | None:
        """'时间:2023-01-10 09:04' -> '2023-01-10T09:04'."""
        text = self.page_text(response)  # type: ignore[attr-defined]
        match = _TIME_LABEL_RE.search(text)
        return fields.parse_date(text[match.end() : match.end() + 40]) if match else None

    def page_unit(self, response: Response) -> str | None:
        forwarded = titles.forwarded_report(self.page_title(response) or "")  # type: ignore[attr-defined]
        if forwarded:
            return self.unit_name(fields.unit_from_title(forwarded, self.city, self.district))  # type: ignore[attr-defined]
        publisher = fields.labelled(self.page_text(response), "发布机构")  # type: ignore[attr-defined]
        if publisher:
            return self.unit_name(publisher)
        return super().page_unit(response)  # type: ignore[misc]

    def unit_name(self, name: str | None) -> str | None:
        if not name:
            return None
        return fields.normalize_unit(name, self.city, self.district) or None  # type: ignore[attr-defined]


def forwarded_title(title: str) -> str | None:
    """'…办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知' -> the report's
    title; None for any other title (crawler/titles.py decides)."""
    return titles.forwarded_report(title)


def url_date(url: str) -> str | None:
    """'…/202401/t20240122_2996819.htm' -> '2024-01-22' (the day TRS first published it)."""
    match = URL_DATE_RE.search(url)
    return fields.parse_date("-".join(match.groups())) if match else None
