"""Which report template a text follows, and its section headings (reports.md §1).

- "pre2019": free-form reports under the 2008 条例 (概述 / 主动公开 / 依申请公开 / 收费 /
  复议诉讼 / 问题), seeds 000, 001, 003, 004.
- "2019": the 国办公开办函〔2019〕60号 trial format, six fixed sections and tables whose
  columns are 本年新制作数量 / 本年新公开数量 / 对外公开总数量, 上一年项目数量 (seed 002).
- "2021": the 国办公开办函〔2021〕30号 format, same six sections, columns 本年制发件数 /
  本年废止件数 / 现行有效件数, 本年处理决定数量, and 其他处理 split into three rows.
Table wording decides first; when tables are absent (images), the six-section layout plus the
report year from the title decides; a page that only points to its attachment gets the year's
template (the 60号 trial format applied to 2019-2020 reports, 30号 from 2021).
"""

from __future__ import annotations

import re

from crawler.cleaning.normalize import is_heading

_MARKS_2021 = re.compile(
    r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|逾期不补正|"
    r"逾期未按收费通知要求缴纳费用"
)
_MARKS_2019 = re.compile(
    r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|采购项目数量"
)
_SIX_SECTIONS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
_FREE_FORM = re.compile(r"概\s*述|主动公开|依申请")
_REPORT = re.compile(r"年度报告|年报|工作报告")
_REPORT_TITLE = re.compile(r"政府信息公开.*(年度报告|年报)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TOP_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、．.，,:：\s]|第[一二三四五六七八九十]+部分)"
)


def template_version(text: str) -> str | None:
    """ "pre2019" | "2019" | "2021" for a report text, None when the text is not a report."""
    if _MARKS_2021.search(text):
        return "2021"
    if _MARKS_2019.search(text):
        return "2019"
    year = report_year(text)
    compact = re.sub(r"\s+", "", text)
    if sum(section in compact for section in _SIX_SECTIONS) >= 3:
        return "2021" if year and year >= 2021 else "2019"
    titled = bool(_REPORT_TITLE.search(text.split("\n", 1)[0]))
    if not (titled or (_FREE_FORM.search(text) and _REPORT.search(text))) or (titled and not year):
        return None
    # Free-form text, or a page that only points to its attachment ("详见附件"): the year decides.
    if year is None or year <= 2018:
        return "pre2019"
    return "2019" if year <= 2020 else "2021"


def report_year(text: str) -> int | None:
    """The year the report covers, read from its first lines (the title)."""
    match = _YEAR.search("".join(text.split("\n")[:3]))
    return int(match.group(1)) if match else None


def section_headings(text: str) -> list[str]:
    """Top-level numbered headings ("一、总体情况", "一 概 述") in reading order."""
    return [
        line.strip()
        for line in text.split("\n")[1:]  # the first line is the title
        if is_heading(line) and _TOP_HEADING.match(line.strip())
    ]
