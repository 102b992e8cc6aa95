"""Spreadsheets as text: one line per row, cells tab-separated, a merged cell once, empty
trailing cells and empty rows dropped. XLSX through openpyxl, XLS (BIFF8) through xlrd."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from crawler.extract.errors import Corrupt
from crawler.extract.ooxml import open_package


def xlsx_text(data: bytes) -> str:
    import openpyxl
    from openpyxl.cell.cell import MergedCell

    open_package(data)  # refuses a zip bomb before openpyxl inflates anything
    try:
        # Not read_only: only the full mode knows merged ranges (MergedCell) to skip.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise Corrupt(f"openpyxl: {type(exc).__name__}: {exc}") from exc
    rows = (
        [_show(c.value) for c in row if not isinstance(c, MergedCell)]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
    )
    return "\n".join(_lines(rows))


def xls_text(data: bytes) -> str:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd.XLRDError, struct errors, ...
        raise Corrupt(f"xlrd: {type(exc).__name__}: {exc}") from exc
    lines: list[str] = []
    for index in range(book.nsheets):
        lines.extend(_lines(_xls_rows(book.get_sheet(index))))
    return "\n".join(lines)


def _xls_rows(sheet) -> Iterator[list[str]]:
    covered = {
        (r, c)
        for rlo, rhi, clo, chi in sheet.merged_cells
        for r in range(rlo, rhi)
        for c in range(clo, chi)
        if (r, c) != (rlo, clo)
    }
    for r in range(sheet.nrows):
        yield [_show(sheet.cell_value(r, c)) for c in range(sheet.ncols) if (r, c) not in covered]


def _lines(rows: Iterable[list[str]]) -> Iterator[str]:
    for cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield "\t".join(cells)


def _show(value: object) -> str:
    """A cell as it reads: 27.0 (xlrd's numbers are all floats) is 27."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
