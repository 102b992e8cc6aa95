"""How report titles are phrased on real portals, and the non-report titles that share their
columns (docs/portals.md §10.1, §10.2): what a variant draws its titles from.

Positive forms (H unless marked): `…YYYY年政府信息公开工作年度报告`, `…YYYY年度政府信息公开工作年度报告`
(平潭 2016-2025), `…YYYY年度政府信息公开工作报告` (M), `…YYYY年信息公开年度报告` (平潭地方税务局 2013, no
政府), `…YYYY年政府信息公开年度报告` (沭阳县发展和改革局 2023), `…政府信息公开工作年报` (M), and 转发
notices that carry a report (`…关于转发《…年度报告》的通知`, 泉鲤政办〔2024〕3号).
Negative forms, seen in the same columns: 公开指南, 政务公开工作要点, 年度政府网站年度工作报表,
法治政府建设年度报告, 工作总结, 要点落实情况的函, 履行教育职责自查自评的报告; plus the notices about
compiling reports (their titles name the 年度报告 and are not one).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime

from sandbox.corpus import ReportSpec
from sandbox.document import Document, Para
from sandbox.variants import pick, some

REPORT_FORMS: dict[str, str] = {
    "work_annual": "{long}{year}年政府信息公开工作年度报告",
    "annual_work_annual": "{long}{year}年度政府信息公开工作年度报告",
    "annual_work": "{long}{year}年度政府信息公开工作报告",
    "no_government": "{long}{year}年信息公开年度报告",
    "annual": "{long}{year}年政府信息公开年度报告",
    "work_nianbao": "{long}{year}年政府信息公开工作年报",
    "year_first": "{year}年{long}政府信息公开工作年度报告",
}

NEGATIVE_FORMS: tuple[str, ...] = (
    "{org}政府信息公开指南",
    "{org}{year}年政务公开工作要点",
    "{org}{year}年度政府网站年度工作报表",
    "{org}{year}年度法治政府建设年度报告",
    "{org}{year}年政务公开工作总结",
    "{org}关于{year}年政府信息公开工作要点落实情况的函",
    "{org}{year}年政府信息公开工作年度报表",
    "{org}关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知",
)
EDUCATION_NEGATIVE = "{org}关于{year}年度履行教育职责自查自评的报告"

FORWARD_TITLE = "{issuer}关于转发《{report}》的通知"


@dataclass(frozen=True)
class TitlePlan:
    """Which phrasings a variant's reports use: each report draws one of `forms`."""

    forms: tuple[str, ...]

    @classmethod
    def drawn(cls, rng: random.Random) -> TitlePlan:
        return cls(tuple(some(rng, list(REPORT_FORMS), 3, 5)))

    def title(self, long_name: str, year: int, rng: random.Random) -> str:
        return REPORT_FORMS[pick(rng, self.forms)].format(long=long_name, year=year)

    def retitled(self, spec: ReportSpec, long_name: str, rng: random.Random) -> ReportSpec:
        """The same report under a title of this plan (real seeds keep their own titles)."""
        if spec.seed_key is not None:
            return spec
        title = self.title(long_name, spec.year, rng)
        return replace(spec, document=Document(title, list(spec.document.blocks)))


def forwarded(report: ReportSpec, issuer: str, doc_no: str, when: datetime) -> ReportSpec:
    """The report as a 转发 notice carries it: the notice's own text, then the whole report."""
    title = FORWARD_TITLE.format(issuer=issuer, report=report.title)
    notice = [
        Para(doc_no),
        Para("各有关单位："),
        Para(
            f"现将《{report.title}》转发给你们，请结合工作实际，认真抓好政府信息公开工作各项任务的"
            "落实。"
        ),
        Para(issuer),
        Para(f"{when.year}年{when.month}月{when.day}日"),
        Para(report.title),
    ]
    return replace(report, document=Document(title, notice + list(report.document.blocks)))


def negative_titles(
    org: str, years: range, rng: random.Random, count: int, education: bool = False
) -> list[tuple[str, int]]:
    """`count` distinct non-report titles of `org` with the year each is about."""
    forms = NEGATIVE_FORMS + ((EDUCATION_NEGATIVE,) if education else ())
    out: dict[str, int] = {}
    while len(out) < count:
        year = rng.choice(list(years))
        out.setdefault(pick(rng, forms).format(org=org, year=year), year)
    return list(out.items())


def negative_document(title: str, office: str) -> Document:
    """A non-report post: one sentence naming it, and the issuing office."""
    lead = f"根据工作安排，现将《{title}》予以公布，请各有关单位认真贯彻落实。"
    return Document(title, [Para(lead), Para(office)])
