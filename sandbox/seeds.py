"""The five real reports (sandbox/corpus/seeds/*.txt, copied from the shared seeds) as Documents.

Seed 001 is the text of the real 朱村街 2017 page on www.zc.gov.cn, chrome included; the others
are attachment conversions (DOC/DOCX/PDF). Parsing keeps every line of the report's own text:
lines with tabs become table rows, short numbered lines become headings, the rest paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sandbox.document import Block, Document, Heading, Para, Table

SEED_DIR = Path(__file__).resolve().parent / "corpus" / "seeds"
HEADING = re.compile(r"^([一二三四五六七八九十]+[、 ]|[（(][一二三四五六七八九十]+[)）])")
ARTIFACTS = ("[bookmark: _GoBack]",)  # DOCX converter residue, not the report's text


@dataclass(frozen=True)
class SeedReport:
    key: str  # "000" ... "004"
    portal: str
    title: str  # the post title as its portal shows it
    unit: str
    year: int
    published: date
    source: str  # the 来源 label on its page
    document: Document

    @property
    def template(self) -> str:
        return "pre2019" if self.year <= 2018 else ("2019" if self.year <= 2020 else "2021")


# key: (portal, title, unit, year, published, source, first body line, last body line)
# Body lines are matched after stripping; None = from the start / to the end of the file.
_META = {
    "000": (
        "by_gov_cn",
        "广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告",
        "鹤龙街道办事处",
        2018,
        date(2019, 2, 13),
        "鹤龙街",
        "（2019年2月13日）",
        None,
    ),
    "001": (
        "zc_gov_cn",
        "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",
        "朱村街道办事处",
        2017,
        date(2018, 3, 15),
        "本网",
        "广州市增城区人民政府朱村街道办事处",
        "四是不断完善信息公开保密审查机制",
    ),
    "002": (
        "haizhu_gov_cn",
        "广州市海珠区人民政府官洲街道办事处2019年政府信息公开工作年度报告",
        "官洲街道办事处",
        2019,
        date(2020, 1, 22),
        "本网",
        "一、总体情况",
        None,
    ),
    "003": (
        "qufu_gov_cn",
        "曲阜市鲁城街道办事处2017年度政府信息公开工作年度报告",
        "鲁城街道办事处",
        2017,
        date(2018, 1, 31),
        "鲁城街道",
        "为认真贯彻落实",
        None,
    ),
    "004": (
        "qzlc_gov_cn",
        "金龙街道办事处2017年政府信息公开工作年度报告",
        "金龙街道办事处",
        2017,
        date(2018, 1, 3),
        "鲤城区金龙街道办事处",
        "泉鲤金办〔2018〕1号",
        None,
    ),
}


@cache
def load_seeds() -> dict[str, SeedReport]:
    """All five seeds by key ("000".."004")."""
    out = {}
    for path in sorted(SEED_DIR.glob("*.txt")):
        key = path.name[:3]
        portal, title, unit, year, published, source, first, last = _META[key]
        lines = _body_lines(path.read_text(encoding="utf-8"), first, last)
        document = Document(title, parse_blocks(lines))
        out[key] = SeedReport(key, portal, title, unit, year, published, source, document)
    return out


def _body_lines(text: str, first: str | None, last: str | None) -> list[str]:
    lines = text.splitlines()
    start = _find(lines, first) if first else 0
    end = _find(lines, last) + 1 if last else len(lines)
    return lines[start:end]


def _find(lines: list[str], prefix: str) -> int:
    for i, line in enumerate(lines):
        if _clean(line).startswith(prefix):
            return i
    raise ValueError(f"seed line not found: {prefix!r}")


def _clean(line: str) -> str:
    for artifact in ARTIFACTS:
        line = line.replace(artifact, "")
    return line.strip()


def parse_blocks(lines: list[str]) -> list[Block]:
    """Lines -> blocks. Consecutive tab-separated lines form one table (blank lines between
    rows are page-break residue and do not end it)."""
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    for raw in lines:
        if "\t" in raw:
            rows.append(_row(raw))
            continue
        text = _clean(raw)
        if not text:
            continue
        if rows:
            blocks.append(Table(tuple(rows)))
            rows = []
        blocks.append(Heading(text) if _is_heading(text) else Para(text))
    if rows:
        blocks.append(Table(tuple(rows)))
    return blocks


def _row(raw: str) -> tuple[str, ...]:
    cells = [c.strip() for c in raw.rstrip("\r\n").split("\t")]
    while cells and not cells[-1]:  # trailing empties = the first cell spans the row
        cells.pop()
    return tuple(cells)


def _is_heading(text: str) -> bool:
    short = len(text) <= 30 and "。" not in text  # a long or sentence-y line is a paragraph
    return bool(HEADING.match(text)) and short and not text.endswith(("：", ":"))
