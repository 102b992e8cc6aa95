"""Is this title a 政府信息公开工作年度报告?  One classifier for every spider, mixin and pipeline.

`classify(title)` returns a decision and the reason for it, so that every rejection can be counted
by reason (`titles/rejected/<reason>`) and shown in the run summary.

What counts as a report (docs/portals.md §10.2, the seeds, the real pages of §10.1):

- `…2023年政府信息公开工作年度报告`, `…2023年度政府信息公开工作年度报告`,
  `…2020年度政府信息公开工作报告`, `…2013年信息公开年度报告` (no 政府),
  `…2023年政府信息公开年度报告`, `…政府信息公开工作年报`;
- a notice that forwards or issues one (`…关于转发《…年度报告》的通知`): on some portals it is the
  report's only page (docs/portals.md §5).

What does not, though it is often listed in the same columns (each with its reason):
工作要点 (`work_plan`), 工作报表 / 年度报表 (`statistical_form`), 法治政府建设年度报告
(`rule_of_law_report`), 公开指南 (`guide`), 工作总结 (`work_summary`), 要点落实情况的函
(`follow_up_letter`), 自查自评的报告 (`self_assessment`), and notices about compiling or sending
reports (`notice_about_reports`: 关于做好…年度报告编制发布…的通知, 关于报送…年度报告的通知).

A title is read with its whitespace removed: `金龙街道办事处 2017 年政府信息公开 工作年度报告`
(seed 004) is one title, not four words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The report's own name, in every phrasing seen: 信息公开 + (工作) + 年度报告 | 年报 | 工作报告.
_NAME = r"信息公开(?:工作)?(?:年度(?:工作)?报告|年报|工作报告)"
_REPORT_RE = re.compile(_NAME)
# 工作报告 without 年度/年报 is a report only when the title gives its year (年度…工作报告).
_BARE_WORK_REPORT_RE = re.compile(r"信息公开工作报告")
_YEAR_BEFORE_RE = re.compile(r"年度?.*信息公开工作报告")
# A notice that carries a report: 关于转发《…年度报告》的通知, 关于印发…年报的通知.
_CARRIER_RE = re.compile(rf"关于(?:转发|印发|公布|发布)《?(?P<report>[^《》]*{_NAME})》?的通知$")
_NOTICE_RE = re.compile(r"(?:通知|函|通报|说明)$")

# Rejections with a name, checked in order; the first that matches is the reason.
NEGATIVES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a notice that names a report but does not carry one: 关于做好…年度报告编制发布…的通知
    ("notice_about_reports", re.compile(rf"{_NAME}.*(?:通知|函|通报|说明)$")),
    ("follow_up_letter", re.compile(r"落实情况的函")),
    ("work_plan", re.compile(r"工作要点")),
    ("statistical_form", re.compile(r"报表")),
    ("rule_of_law_report", re.compile(r"法治政府建设")),
    ("guide", re.compile(r"公开指南")),
    ("work_summary", re.compile(r"工作总结")),
    ("self_assessment", re.compile(r"自查自评")),
)
REPORT = "report"
CARRIER = "forwarded_report"
NO_REPORT_NAME = "no_report_name"
EMPTY = "empty"


@dataclass(frozen=True)
class TitleDecision:
    is_report: bool
    reason: (
        str  # "report", "forwarded_report", or why not (a NEGATIVES name, no_report_name, empty)
    )
    report_title: str | None = None  # the report a forwarding notice carries, else the title

    def __bool__(self) -> bool:
        return self.is_report


def squash(title: str | None) -> str:
    """Whitespace out (incl. ideographic space and nbsp): titles are CJK, spaces are layout."""
    return re.sub(r"[\s\u3000\xa0]+", "", title or "")


def classify(title: str | None) -> TitleDecision:
    """The decision on one title, with its reason."""
    text = squash(title)
    if not text:
        return TitleDecision(False, EMPTY)
    carried = _CARRIER_RE.search(text)
    if carried:
        return TitleDecision(True, CARRIER, carried.group("report"))
    if _names_a_report(text) and not _NOTICE_RE.search(text):
        return TitleDecision(True, REPORT, text)
    for reason, pattern in NEGATIVES:
        if pattern.search(text):
            return TitleDecision(False, reason)
    return TitleDecision(False, NO_REPORT_NAME)


def _names_a_report(text: str) -> bool:
    match = _REPORT_RE.search(text)
    if not match:
        return False
    if _BARE_WORK_REPORT_RE.fullmatch(match.group(0)):
        return bool(_YEAR_BEFORE_RE.search(text))
    return True


def is_report_title(title: str | None) -> bool:
    return classify(title).is_report


def forwarded_report(title: str | None) -> str | None:
    """The report a forwarding notice carries ('…关于转发《X》的通知' -> X), else None."""
    decision = classify(title)
    return decision.report_title if decision.reason == CARRIER else None


_TRUNCATED_RE = re.compile(r"(?:\.{2,}|…+)$")


def looks_truncated(title: str | None) -> bool:
    """'…2018年政府信息公开工作年度报...': a list shortened the title; only its page can tell."""
    return bool(_TRUNCATED_RE.search(squash(title)))
