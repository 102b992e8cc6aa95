"""DOM -> lines: block elements and <br> end lines, data tables become TAB-separated rows.

Inline soup (<font>, <span style>, <strong>, <a>) is flattened into the line it sits in. A line
break inside the HTML source between two Chinese characters is not a space (the source was
wrapped, not the sentence), while &nbsp; and real spaces stay one space. Word page breaks
(``page-break-before/after: always``) become ``\\f`` so normalize.join_lines can glue a
paragraph that the page break cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from lxml import etree

from crawler.cleaning.normalize import is_cjk

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
        "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_PAGE_BREAK = re.compile(r"(?:page-)?break-(before|after)\s*:\s*(always|page)", re.IGNORECASE)
_SOURCE_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_SPACES = re.compile(" {2,}")
_MAX_SPAN = 200  # a colspan/rowspan beyond this is a typo in the page, not a table


@dataclass
class Line:
    text: str
    owner: etree._Element  # innermost block element (or the table, for a row)
    link_chars: int = 0  # characters that came from inside <a>
    is_row: bool = False


@dataclass
class _Builder:
    lines: list[Line] = field(default_factory=list)
    parts: list[tuple[str, bool]] = field(default_factory=list)  # (raw text, inside <a>)

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.parts.append((text, in_link))

    def flush(self, owner: etree._Element) -> None:
        if not self.parts:
            return
        text = collapse("".join(text for text, _ in self.parts))
        link = sum(len(collapse(text)) for text, in_link in self.parts if in_link)
        self.parts = []
        if text:
            self.lines.append(Line(text, owner, min(link, len(text))))

    def page_break(self, owner: etree._Element) -> None:
        self.flush(owner)
        self.lines.append(Line("\f", owner))


def collapse(raw: str) -> str:
    """HTML whitespace rules, CJK-aware: a source line break next to a Chinese character or
    full-width punctuation vanishes (the editor wrapped the source, not the sentence)."""

    def space(match: re.Match[str]) -> str:
        if "\n" not in match.group(0):
            return " "
        start, end = match.start(), match.end()
        before = raw[start - 1] if start else ""
        after = raw[end] if end < len(raw) else ""
        return "" if is_cjk(before) or is_cjk(after) else " "

    # Without a line break every run is one space: no call back per run (same result).
    text = _SOURCE_SPACE.sub(space if "\n" in raw else " ", raw).replace("\u00a0", " ")
    return (_SPACES.sub(" ", text) if "  " in text else text).strip(" ")


def element_lines(root: etree._Element) -> list[Line]:
    """The lines of ``root`` in reading order (iterative walk: Word soup can nest very deep)."""
    return _Walk(root).run()


class _Walk:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.out = _Builder()
        self.blocks: list[etree._Element] = [root]  # the open block elements, innermost last
        self.links = 0  # how many <a> are open
        self.stack: list[tuple[str, etree._Element]] = [("open", root)]

    def run(self) -> list[Line]:
        while self.stack:
            action, el = self.stack.pop()
            if action == "open" and isinstance(el.tag, str):
                self.open(el)
            elif action == "close":
                self.close(el, break_after=False)
            elif action == "close-break":
                self.close(el, break_after=True)
            else:  # a tail after <br>, a data table or a comment
                self.out.add(el.tail, self.links > 0)
        self.out.flush(self.root)
        return self.out.lines

    def open(self, el: etree._Element) -> None:
        tag = el.tag
        side = _break_side(el)  # read once: the close needs it too
        if side == "before":
            self.out.page_break(self.blocks[-1])
        if tag == "br" or (tag == "table" and not is_layout_table(el)):
            self.out.flush(self.blocks[-1])
            if tag == "table":
                self.out.lines.extend(table_lines(el))
            if el is not self.root:
                self.stack.append(("tail", el))
            return
        if tag in BLOCK_TAGS:
            self.out.flush(self.blocks[-1])
            self.blocks.append(el)
        self.links += tag == "a"
        self.stack.append(("close-break" if side == "after" else "close", el))
        self.stack.extend(("open", child) for child in reversed(el))
        self.out.add(el.text, self.links > 0)

    def close(self, el: etree._Element, *, break_after: bool) -> None:
        tag = el.tag
        self.links -= tag == "a"
        if tag in BLOCK_TAGS:
            self.out.flush(self.blocks.pop())
        if break_after:
            self.out.page_break(self.blocks[-1])
        if el is not self.root:
            self.out.add(el.tail, self.links > 0)


def _break_side(el: etree._Element) -> str | None:
    """The side ("before" or "after") of the page break the element's style asks for (the first
    its style names decides), else None."""
    style = el.get("style")
    # Exact pre-check: every character the case-insensitive pattern accepts for the letters of
    # "break" lowers to them, so a style without "break" in lower case cannot match.
    if not style or "break" not in style.lower():
        return None
    match = _PAGE_BREAK.search(style)
    return match.group(1).lower() if match else None


# --- tables ---------------------------------------------------------------------------------


def is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout (nested tables, one column, or paragraphs in a cell)."""
    reads = _table_reads(table)
    if reads is None:
        return _is_layout_table(table)
    if reads.layout is None:
        reads.layout = _is_layout_table(table)
    return reads.layout


def _is_layout_table(table: etree._Element) -> bool:
    if any(True for _ in table.iterdescendants("table")):
        return True
    rows = _rows(table)
    if not rows or max(len(_cells(tr)) for tr in rows) < 2:
        return True
    # A cell's text is part of its row's: a row within the limit has no cell beyond it.
    return any(
        _longer_than(_string(cell), 400)
        for tr in rows
        if len(_string(tr)) > 400
        for cell in _cells(tr)
    )


def _longer_than(raw: str, limit: int) -> bool:
    # collapse() only removes whitespace: a raw text within the limit needs no collapsing.
    return len(raw) > limit and len(collapse(raw)) > limit


def table_lines(table: etree._Element) -> list[Line]:
    """Rows with merged cells once, at their first position; covered positions are empty, and
    trailing empty positions are dropped (a title row spanning the table is one cell)."""
    lines = []
    caption = table.find("caption")
    if caption is not None and (text := cell_text(caption)):
        lines.append(Line(text, table))
    for cells in table_grid(table):
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append(Line("\t".join(cells), table, is_row=True))
    return lines


def table_grid(table: etree._Element) -> list[list[str]]:
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    grid = []
    read = cell_reader(table)
    for tr in _rows(table):
        row: list[str] = []
        for cell in _cells(tr):
            _fill_carried(row, carry, stop_at_free=True)
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            start = len(row)
            row.append(read(cell))
            row.extend([""] * (colspan - 1))
            for column in range(start, start + colspan):
                if rowspan > 1:
                    carry[column] = rowspan - 1
        _fill_carried(row, carry, stop_at_free=False)
        grid.append(row)
    return grid


def _fill_carried(row: list[str], carry: dict[int, int], *, stop_at_free: bool) -> None:
    # Positions covered by a rowspan from an earlier row are empty in this one.
    while True:
        column = len(row)
        if carry.get(column, 0) > 0:
            carry[column] -= 1
            row.append("")
        elif not stop_at_free and any(c > column and n > 0 for c, n in carry.items()):
            row.append("")
        else:
            return


def _span(cell: etree._Element, name: str) -> int:
    if cell.get(name) is None:  # most cells: what the parsing below gives for no attribute
        return 1
    try:
        value = int(re.sub(r"\D", "", cell.get(name) or "") or 1)
    except ValueError:
        return 1
    return min(max(value, 1), _MAX_SPAN)


def _rows(table: etree._Element) -> list[etree._Element]:
    return [tr for tr in table.iterdescendants("tr")]


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [cell for cell in tr if cell.tag in ("td", "th")]


def cell_reader(table: etree._Element) -> Callable[[etree._Element], str]:
    """cell_text for the cells of `table` (within shared_reads(), each read once)."""
    reads = _table_reads(table)
    return cell_text if reads is None else reads.cell_text


def cell_text(cell: etree._Element) -> str:
    """A cell's paragraphs on one line (a cell is one value, even when Word split it)."""
    blocks = [el for el in cell.iterdescendants() if el.tag in _BLOCK_OR_BR]
    if not blocks:
        return collapse(_string(cell)).replace("\t", " ")  # the common case: inline only
    if _paragraphs_only(cell, blocks):  # Word's <td><p><span>..</span></p></td>
        parts = [text for text in map(collapse, _paragraph_segments(cell)) if text]
    else:
        parts = [line.text for line in element_lines(cell) if line.text != "\f"]
    text = ""
    for part in parts:
        part = part.replace("\t", " ")
        if text and not (is_cjk(text[-1]) or is_cjk(part[0])):
            text += " "
        text += part
    return text


# A set, not iterdescendants(*tags): lxml's many-tag matcher costs more than this walk.
_BLOCK_OR_BR = BLOCK_TAGS | {"br"}
_STYLES_BELOW = etree.XPath("descendant::*/@style", smart_strings=False)


def _string(el: etree._Element) -> str:
    """el.text_content(), cheaper: both are libxml2's node content (text and CDATA below el)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _paragraphs_only(cell: etree._Element, blocks: list[etree._Element]) -> bool:
    """The cell's block elements are its own children, none a <br> or a table, and nothing in it
    asks for a page break: then element_lines cuts the cell exactly at those children."""
    for block in blocks:
        if block.getparent() is not cell or block.tag in ("br", "table"):
            return False
    return not any("break" in style.lower() for style in _STYLES_BELOW(cell))


def _paragraph_segments(cell: etree._Element) -> list[str]:
    """The raw text element_lines would flush as each line of a _paragraphs_only cell: the text
    between its block children, and each block child's whole text."""
    segments = []
    parts = [cell.text or ""]
    for child in cell:
        if not isinstance(child.tag, str):  # a comment: only its tail is text
            parts.append(child.tail or "")
        elif child.tag in BLOCK_TAGS:
            segments += ["".join(parts), _string(child)]
            parts = [child.tail or ""]
        else:
            parts += [_string(child), child.tail or ""]
    segments.append("".join(parts))
    return segments


# --- one page's reads, shared -----------------------------------------------------------------
# Cleaning and figures read the same tables of a page (crawler/figures/pagework.py does both on
# one tree): within shared_reads(), a table's layout verdict and its cells' texts are computed
# once. They hold while the table keeps as many elements below it: between the two reads the
# tree only loses chrome (chrome.prune removes elements, and comments, whose removal leaves every
# text where it was), and a table that lost any is read again.

_tables: ContextVar[dict[etree._Element, _TableReads] | None] = ContextVar("tables", default=None)
_COUNT_BELOW = etree.XPath("count(descendant::*)")


@contextmanager
def shared_reads() -> Iterator[None]:
    """Table reads remembered per table element until the block ends."""
    token = _tables.set({})  # its keys keep lxml's proxies, so an element stays the same object
    try:
        yield
    finally:
        _tables.reset(token)


@dataclass
class _TableReads:
    size: float  # elements below the table when these were read
    layout: bool | None = None
    texts: dict[etree._Element, str] = field(default_factory=dict)

    def cell_text(self, cell: etree._Element) -> str:
        text = self.texts.get(cell)
        if text is None:
            text = self.texts[cell] = cell_text(cell)
        return text


def _table_reads(table: etree._Element) -> _TableReads | None:
    memo = _tables.get()
    if memo is None:
        return None
    size = _COUNT_BELOW(table)
    reads = memo.get(table)
    if reads is None or reads.size != size:
        reads = memo[table] = _TableReads(size)
    return reads
