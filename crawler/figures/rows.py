"""Rows of a table, from any source, as label cells followed by value cells.

Three shapes, by how much of the table's layout a source kept:
- ``grid`` (HTML, DOCX, XLS): every grid position known; positions covered by a merged cell are
  flagged, so a blank cell is a real, missing value.
- ``text`` (TAB-separated rows of cleaned or extracted text): cells in order, but a position
  covered by a merge and a blank cell both read "", and trailing blanks were dropped.
- ``tokens`` (PDF text, OCR): whitespace-separated words; label cells wrap over lines and
  blank cells vanish, so only a row whose count of values is exactly right can be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crawler.figures.values import read_cell

GRID, TEXT, TOKENS = "grid", "text", "tokens"


@dataclass
class Line:
    labels: list[str]  # label cells in order (a tokens line has one: the joined run)
    values: list[str]  # raw texts of the value cells after the labels ("" for a blank cell)
    mode: str
    words: list[str] = field(default_factory=list)  # tokens: the label run before joining

    @property
    def label(self) -> str:
        return "".join(self.labels)


def grid_line(cells: Sequence[str], covered: Sequence[bool]) -> Line:
    kept = [text for text, hidden in zip(cells, covered, strict=True) if not hidden]
    return _split(kept, GRID)


def text_lines(text: str) -> list[Line]:
    """A text's TAB rows (lines without a TAB are headings or prose, not rows)."""
    return [_split(line.split("\t"), TEXT) for line in text.split("\n") if "\t" in line]


def _split(cells: list[str], mode: str) -> Line:
    """Labels are the text cells up to the first number; values the number and missing cells
    after the last of those labels, up to the next text cell (a remark column)."""
    kinds = [read_cell(cell).kind for cell in cells]
    first_number = next((i for i, kind in enumerate(kinds) if kind == "number"), len(cells))
    last_label = max((i for i in range(first_number) if kinds[i] == "text"), default=-1)
    if first_number == len(cells) and last_label < 0:
        last_label = max((i for i, kind in enumerate(kinds) if kind == "text"), default=-1)
    labels = [cells[i].strip() for i in range(last_label + 1) if kinds[i] == "text"]
    values: list[str] = []
    for i in range(last_label + 1, len(cells)):
        if kinds[i] == "text":
            break
        values.append(cells[i].strip())
    return Line(labels, values, mode)


_PAGE_NUMBER = re.compile(r"^\s*[-—－]\s*\d{1,3}\s*[-—－]\s*$|^\s*第\s*\d{1,3}\s*页.*$")


def token_lines(text: str) -> list[Line]:
    """Words grouped into runs: a run of label words, then the run of values after it."""
    words = [w for line in text.split("\n") if not _PAGE_NUMBER.match(line) for w in line.split()]
    lines: list[Line] = []
    label_words: list[str] = []
    values: list[str] = []
    for i, word in enumerate(words):
        kind = read_cell(word).kind
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if kind == "text" or (not values and _label_char(word, nxt)):
            if values:
                lines.append(Line(["".join(label_words)], values, TOKENS, label_words))
                label_words, values = [], []
            label_words.append(word)
        else:
            values.append(word)
    if label_words or values:
        lines.append(Line(["".join(label_words)], values, TOKENS, label_words))
    return lines


def _label_char(word: str, after: str) -> bool:
    """ "无" and "一" alone are missing marks to read_cell, but a label wrapped in a narrow PDF
    cell puts them on a line of their own too ("（四）" "无" "法提供"): right after label words
    and before more label words, they are label."""
    return word in ("无", "一") and bool(after) and read_cell(after).kind == "text"


def fit(line: Line, expected: int) -> list[str] | None:
    """The line's values aligned to `expected` columns, or None when that is ambiguous."""
    values = list(line.values)
    if len(values) == expected:
        return values
    if line.mode == GRID:
        # Word leaves empty spacer cells at a row's end; a label may leave one at its start.
        while len(values) > expected and values[-1] == "":
            values.pop()
        while len(values) > expected and values[0] == "":
            values.pop(0)
        return values if len(values) == expected else None
    if line.mode == TEXT:
        # A trailing TAB is a converter's habit. A label merged over several columns leaves ""
        # behind it in cleaned text, but so does a blank first cell: only when every leading ""
        # goes is the count unambiguous.
        while len(values) > expected and values[-1] == "":
            values.pop()
        if len(values) == expected:
            return values
        stripped = values
        while stripped and stripped[0] == "":
            stripped = stripped[1:]
        return stripped if len(stripped) == expected else None
    return None


def lines_of(grids: Iterable[list[tuple[list[str], list[bool]]]]) -> list[Line]:
    return [grid_line(cells, covered) for grid in grids for cells, covered in grid]
