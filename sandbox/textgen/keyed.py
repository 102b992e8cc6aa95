"""A generated table while it is being built: its rows as text, plus which cell holds which
number under the template's canonical keys (reports.md §3). Irregularities (quirks.py) edit
both together, so the truth figures always describe the rows that are rendered."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.document import Fact, Table

MISSING_TEXTS = ("", "/", "—", "-", "无")


@dataclass(frozen=True)
class Key:
    table: str  # "二", "三", "四"
    row: str
    col: str
    unit: str
    derived: bool = False


@dataclass
class KeyedTable:
    section: str
    template: str
    rows: list[list[str]]
    keys: dict[tuple[int, int], Key] = field(default_factory=dict)
    quirks: list[str] = field(default_factory=list)
    soup: bool = False

    def add(self, labels: tuple[str, ...], cells: list[tuple[str, Key]]) -> None:
        r = len(self.rows)
        self.rows.append([*labels, *(text for text, _ in cells)])
        for i, (_text, key) in enumerate(cells):
            self.keys[(r, len(labels) + i)] = key

    def header(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def insert_row(self, at: int, cells: list[str], keys: dict[int, Key]) -> None:
        self.rows.insert(at, cells)
        self.keys = {(r + (r >= at), c): k for (r, c), k in self.keys.items()}
        self.keys.update({(at, c): k for c, k in keys.items()})

    def insert_column(self, r: int, at: int, text: str, key: Key | None) -> None:
        """One cell inserted into row r at column `at`; the row's later cells shift right."""
        self.rows[r].insert(at, text)
        moved = {(rr, c + (rr == r and c >= at)): k for (rr, c), k in self.keys.items()}
        if key is not None:
            moved[(r, at)] = key
        self.keys = moved

    def position(self, row: str, col: str) -> tuple[int, int] | None:
        return next((p for p, k in self.keys.items() if k.row == row and k.col == col), None)

    def table(self, expect: tuple[tuple[str, str, str], ...] = ()) -> Table:
        cells = tuple(
            Fact(
                k.table,
                k.row,
                k.col,
                value_of(self.rows[r][c]),
                unit_of(self.rows[r][c], k),
                k.derived,
            )
            for (r, c), k in sorted(self.keys.items())
        )
        return Table(
            tuple(tuple(row) for row in self.rows),
            cells=cells,
            template=self.template,
            soup=self.soup,
            quirks=tuple(self.quirks),
            expect=expect,
        )


def value_of(text: str) -> int | float | None:
    """The number a generated cell prints (the generator writes ints, one-decimal amounts and
    "1234.56万元"); None for the missing marks."""
    if text in MISSING_TEXTS:
        return None
    text = text.removesuffix("万元")
    return float(text) if "." in text else int(text)


def unit_of(text: str, key: Key) -> str:
    return "万元" if text.endswith("万元") else key.unit
