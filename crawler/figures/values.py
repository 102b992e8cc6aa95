"""A cell's text -> a number, a missing mark, or text (a label).

Blank, "/", "—", "-", "无" mean the publisher gave no number: they are missing (None), never 0
(reports.md §3 rule Z; the one peer parser turns them into 0). Numbers may carry a unit
("1700.35万元") and arrive in full-width digits or with thousands separators."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from crawler.figures.model import Value

MISSING_MARKS = frozenset(
    {"", "/", "\\", "—", "——", "–", "-", "--", "－", "─", "━", "一", "无", "空", "∕", "／"}
)
UNITS = ("万元", "元", "件", "条", "项", "个", "宗")
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|件|条|项|个|宗)?$")


@dataclass(frozen=True)
class Cell:
    kind: str  # "number", "missing" or "text"
    value: Value | None
    unit: str | None
    raw: str


@lru_cache(maxsize=8192)  # a report repeats its cells ("0", "/", labels): read each once
def read_cell(text: str) -> Cell:
    raw = text.strip()
    flat = squeeze(raw)
    if flat in MISSING_MARKS:
        return Cell("missing", None, None, raw)
    match = _NUMBER.match(flat)
    if not match:
        return Cell("text", None, None, raw)
    sign, digits, fraction, unit = match.groups()
    digits = digits.replace(",", "")
    try:
        value: Value = Decimal(sign + digits + fraction) if fraction else int(sign + digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return Cell("text", None, None, raw)
    return Cell("number", value, unit, raw)


def squeeze(text: str) -> str:
    """Full-width forms folded (NFKC: "１２" -> "12", "（" -> "("), whitespace removed."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


_WHITESPACE = re.compile(r"\s+")  # compiled once: read for every cell of every table


def is_value(text: str) -> bool:
    return read_cell(text).kind != "text"
