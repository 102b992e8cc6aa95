"""Tables of structured sources as grids: every row as (cell texts, covered flags), merged cells
expanded (rowspan/colspan in HTML, gridSpan/vMerge in DOCX, merged ranges in XLS/XLSX). A
position covered by a merge is flagged, so it is never mistaken for a blank (missing) cell."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from lxml import etree

from crawler.cleaning.html import cell_reader, is_layout_table
from crawler.extract.ooxml import open_package, read_part

GridRow = tuple[list[str], list[bool]]
Grid = list[GridRow]
_MAX_SPAN = 200  # a larger colspan/rowspan is a typo in the page, not a table


# --- HTML -----------------------------------------------------------------------------------


def html_grids(root: etree._Element) -> list[Grid]:
    """Every data table under `root` (layout tables, which hold other tables, are skipped)."""
    return [html_grid(t) for t in root.iter("table") if not is_layout_table(t)]


def html_grid(table: etree._Element) -> Grid:
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    grid: Grid = []
    read = cell_reader(table)
    for tr in _own_rows(table):
        texts: list[str] = []
        covered: list[bool] = []
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            _fill_carried(carry, texts, covered)
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            start = len(texts)
            texts += [read(cell)] + [""] * (colspan - 1)
            covered += [False] + [True] * (colspan - 1)
            if rowspan > 1:
                for column in range(start, start + colspan):
                    carry[column] = rowspan - 1
        _fill_carried(carry, texts, covered)
        for column in [c for c, n in carry.items() if c >= len(texts) and n > 0]:
            carry[column] -= 1  # a rowspan right of this row's last cell still uses a row up
        grid.append((texts, covered))
    return grid


def _fill_carried(carry: dict[int, int], texts: list[str], covered: list[bool]) -> None:
    """Positions covered by a rowspan from an earlier row, up to this row's next own cell."""
    while carry.get(len(texts), 0) > 0:
        carry[len(texts)] -= 1
        texts.append("")
        covered.append(True)


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for tr in table.iter("tr"):
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is table:
            rows.append(tr)
    return rows


def _span(cell: etree._Element, name: str) -> int:
    if cell.get(name) is None:  # most cells: what the parsing below gives for no attribute
        return 1
    digits = re.sub(r"\D", "", cell.get(name) or "")
    return min(max(int(digits[:4] or 1), 1), _MAX_SPAN)


# --- DOCX -----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def docx_grids(data: bytes) -> list[Grid]:
    """Tables of a .docx body (nested tables too, each as its own grid). The package is
    refused before inflating when it declares too much (a zip bomb)."""
    root = etree.fromstring(read_part(open_package(data), "word/document.xml"), parser=_PARSER)
    return [_docx_grid(tbl) for tbl in root.iter(f"{W}tbl")]


def _docx_grid(tbl: etree._Element) -> Grid:
    grid: Grid = []
    for tr in tbl.findall(f"{W}tr"):
        texts: list[str] = []
        covered: list[bool] = []
        _skip(tr, "gridBefore", texts, covered)
        for tc in tr.findall(f"{W}tc"):
            span = _int(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"
            texts += ["" if continues else _docx_cell(tc)] + [""] * (span - 1)
            covered += [continues] + [True] * (span - 1)
        _skip(tr, "gridAfter", texts, covered)
        grid.append((texts, covered))
    return grid


def _skip(tr: etree._Element, name: str, texts: list[str], covered: list[bool]) -> None:
    count = _int(tr.find(f"{W}trPr/{W}{name}"), 0)
    texts += [""] * count
    covered += [True] * count


def _int(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    digits = re.sub(r"\D", "", element.get(f"{W}val") or "")
    return min(int(digits[:4] or default), _MAX_SPAN)


def _docx_cell(tc: etree._Element) -> str:
    """A cell's paragraphs on one line; text of tables nested in it is left to their own grid."""
    parts = []
    for p in tc.iter(f"{W}p"):
        if _inside_nested_table(p, tc):
            continue
        parts.append("".join(t.text or "" for t in p.iter(f"{W}t")).strip())
    return _join(parts)


def _inside_nested_table(p: etree._Element, tc: etree._Element) -> bool:
    parent = p.getparent()
    while parent is not None and parent is not tc:
        if parent.tag == f"{W}tbl":
            return True
        parent = parent.getparent()
    return False


def _join(parts: list[str]) -> str:
    text = ""
    for part in filter(None, parts):
        ascii_edge = text and text[-1].isascii() and part[0].isascii()
        text += (" " if ascii_edge else "") + part
    return text


# --- XLSX / XLS -----------------------------------------------------------------------------


def xlsx_grids(data: bytes) -> list[Grid]:
    import openpyxl
    from openpyxl.cell.cell import MergedCell

    open_package(data)  # refuses a zip bomb before openpyxl inflates anything
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    grids = []
    for sheet in book.worksheets:
        grid: Grid = []
        for row in sheet.iter_rows():
            texts = [_show(c.value) if not isinstance(c, MergedCell) else "" for c in row]
            grid.append((texts, [isinstance(c, MergedCell) for c in row]))
        grids.append(grid)
    return grids


def xls_grids(data: bytes) -> list[Grid]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    return [_xls_grid(book.get_sheet(i)) for i in range(book.nsheets)]


def _xls_grid(sheet) -> Grid:
    covered = {
        (r, c)
        for rlo, rhi, clo, chi in sheet.merged_cells
        for r in range(rlo, rhi)
        for c in range(clo, chi)
        if (r, c) != (rlo, clo)
    }
    return [
        (
            [_show(sheet.cell_value(r, c)) for c in range(sheet.ncols)],
            [(r, c) in covered for c in range(sheet.ncols)],
        )
        for r in range(sheet.nrows)
    ]


def _show(value: object) -> str:
    """A cell as it reads: 27.0 (xlrd's numbers are all floats) is 27, 12.5 stays 12.5."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def rows_of(grids: list[Grid]) -> Iterator[GridRow]:
    for grid in grids:
        yield from grid
