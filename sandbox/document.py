"""A report as structured content: the one model every rendering (HTML page, PDF, DOCX, DOC,
XLSX, image) is made from, and the source of the manifest's truth text and truth figures.

Figures ride on the blocks that print them (a Table's cells, a Para's stated numbers), so a
Document rebuilt from the same blocks (a renamed title, a note page) keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Fact:
    """One number a report states, under the canonical keys of its template (reports.md §3):
    table "二"/"三"/"四" for the unified templates' sections, "prose" for pre-2019 sentences."""

    table: str
    row: str
    col: str
    value: int | float | None  # None: printed as blank, "/", "—", "-" or "无" (missing)
    unit: str | None
    derived: bool = False  # a subtotal row or column the template does not have

    def truth(self, table_index: int | None) -> dict:
        return {
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "value": self.value,
            "unit": self.unit,
            "derived": self.derived,
            "t": table_index,  # which Table block holds it (None: a sentence)
        }


@dataclass(frozen=True)
class Para:
    text: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # merged cells appear once, in their first position
    caption: str | None = None
    cells: tuple[Fact, ...] = ()  # the numbers in the table, keyed
    template: str | None = None  # "2019" / "2021" for the unified templates' tables
    soup: bool = False  # rendered as Word-exported HTML: rowspan/colspan, <p>/<span> in cells
    quirks: tuple[str, ...] = ()  # irregularities injected into this table (textgen/quirks.py)
    expect: tuple[tuple[str, str, str], ...] = ()  # (check, scope, status) that is not PASS

    def merges(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(row, column) -> (rowspan, colspan) of the merged label cells a Word table has,
        read from the rows: a label cell spans down over "" label positions below it and right
        over the "" label positions after it (all of a header row's). The cleaner reads covered positions as ""
        and drops trailing ones, so the rendered grid gives back exactly these rows."""
        width = max(len(row) for row in self.rows)
        grid = [list(row) + [""] * (width - len(row)) for row in self.rows]
        firsts = [_first_number(row) for row in grid]
        covered: set[tuple[int, int]] = set()
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row in enumerate(grid):
            for c, text in enumerate(row):
                if not text or (r, c) in covered or c >= firsts[r]:
                    continue
                cols = 1  # a label spans the blank label positions after it
                while c + cols < firsts[r] and not row[c + cols] and (r, c + cols) not in covered:
                    cols += 1
                rows = 1
                while (
                    r + rows < len(grid)
                    and all(
                        not grid[r + rows][k]
                        and k < firsts[r + rows]
                        and (r + rows, k) not in covered
                        for k in range(c, c + cols)
                    )
                    and any(grid[r + rows][c + cols :])
                ):
                    rows += 1
                if (rows, cols) != (1, 1):
                    spans[(r, c)] = (rows, cols)
                    covered.update(
                        (r + i, c + j) for i in range(rows) for j in range(cols) if i or j
                    )
        return spans


Block = Heading | Para | Table


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def truth_text(self) -> str:
        """The text a perfect cleaner yields: title, then one line per heading or paragraph,
        one line per table row with tab-separated cells, in reading order."""
        lines = [self.title]
        for block in self.blocks:
            if isinstance(block, Table):
                if block.caption:
                    lines.append(block.caption)
                lines.extend("\t".join(cell for cell in row) for row in block.rows)
            else:
                lines.append(block.text)
        return "\n".join(lines)

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading)]

    def figures(self) -> dict | None:
        """The numbers the report states, for the manifest: template, keyed cells (with the
        index of the table holding each), the checks that must not PASS, the irregularities
        injected. None when nobody keyed them (the real seeds)."""
        tables = [b for b in self.blocks if isinstance(b, Table)]
        facts = [f.truth(None) for b in self.blocks if isinstance(b, Para) for f in b.facts]
        keyed = [t for t in tables if t.template]
        if not keyed and not facts:
            return None
        cells = [f.truth(i) for i, t in enumerate(tables) for f in t.cells]
        first_stating = next((b.text for b in self.blocks if isinstance(b, Para) and b.facts), "")
        return {
            "template": keyed[0].template if keyed else "pre2019",
            "cells": cells + facts,
            # What shows that a rendering holds table t (its last row, as text) or the
            # sentences (the first that states a number): images and spreadsheets hold the
            # tables only, a note page none of it.
            "tables": ["\t".join(t.rows[-1]) for t in tables],
            "prose": first_stating[:40],
            "expect": [
                {"check": check, "scope": scope, "status": status}
                for t in keyed
                for check, scope, status in t.expect
            ],
            "quirks": sorted({q for t in keyed for q in t.quirks}),
        }


def _first_number(row: list[str]) -> int:
    """Where a row's values start (its width for a header row without numbers)."""
    for i, text in enumerate(row):
        flat = text.replace(".", "", 1).removeprefix("-")
        if flat.isdigit() or text in ("/", "—", "-", "无"):
            return i
    return len(row)
