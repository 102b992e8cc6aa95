"""The two row shapes of figures extraction: one Figure per table cell or stated number, one
CheckResult per identity checked. Both are flat, so storing them later (a `figures` and a
`checks` table with a report id and a capture id beside these fields) is one insert each."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

Value = int | Decimal

# Where a figure was read, and how far to trust it: a structured table (HTML, DOCX, XLS) keeps
# its cells apart; TAB rows of cleaned text may have lost a trailing blank; PDF text loses blank
# cells and wraps labels; prose is a sentence pattern; OCR misreads digits.
CONFIDENCE = {"html": 1.0, "docx": 1.0, "xls": 1.0, "text": 0.95, "pdf": 0.9, "ocr": 0.6}
PROSE_CONFIDENCE = 0.8

PASS, FAIL, UNCERTAIN = "PASS", "FAIL", "UNCERTAIN"


@dataclass(frozen=True)
class Figure:
    template: str  # "2021" (国办公开办函〔2021〕30号), "2019" (〔2019〕60号 trial), "pre2019"
    table: str  # "二", "三", "四" (sections of the unified templates) or "prose"
    row: str  # canonical row key, e.g. "一", "三（三）3", "行政许可" (labels.py)
    col: str  # canonical column key, e.g. "自然人", "总计", "本年制发件数"
    value: Value | None  # None: the cell is blank, "/", "—", "-" or "无": missing, never 0
    raw: str  # the cell text as found
    unit: str | None  # "件", "万元", "项", "条", "宗", "元"
    source: str  # "html", "docx", "pdf", "xls", "text", "ocr"
    confidence: float
    derived: bool = False  # a subtotal row or column the template does not have

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.col)

    def to_dict(self) -> dict:
        # Field by field, not dataclasses.asdict: its deep copy of flat values cost the archive's
        # writer ~30 ms a report (digests of every cell); the dict is the same.
        out = {name: getattr(self, name) for name in _FIGURE_FIELDS}
        out["value"] = json_value(self.value)
        return out


@dataclass(frozen=True)
class CheckResult:
    check: str  # "T3-a", "T3-b", "T3-c", "T4", "X-1", "X-2"
    scope: str  # the column, row or group the identity was checked for
    status: str  # PASS, FAIL or UNCERTAIN (a needed cell is missing)
    difference: Value | None  # left side minus right side; None when UNCERTAIN
    strength: str  # "exact", "strong" or "soft" (reports.md §3)
    missing: tuple[str, ...] = ()  # the needed cells that were missing, "table/row/col"
    # The cells of the identity, "table/row/col" (across years prefixed "Y-1/" or "Y/"):
    # left = right, so a reader sees what was added up without the template at hand.
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        out = {name: getattr(self, name) for name in _CHECK_FIELDS}
        out["difference"] = json_value(self.difference)
        for name in ("missing", "left", "right"):
            out[name] = list(getattr(self, name))
        return out


_FIGURE_FIELDS = tuple(f.name for f in fields(Figure))
_CHECK_FIELDS = tuple(f.name for f in fields(CheckResult))


def json_value(value: Value | None) -> int | float | None:
    """JSON has one number type: a decimal such as 1700.35 prints as itself."""
    if isinstance(value, Decimal):
        return float(value)
    return value
