"""DOCX text in reading order: paragraphs and tables as they follow each other in the body.

python-docx's ``document.paragraphs`` skips tables and ``row.cells`` repeats a merged cell once
per grid column it covers, so the body is walked here directly: ``w:p`` -> one line,
``w:tbl`` -> one line per ``w:tr`` with cells tab-joined, a merged cell once.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from crawler.extract.errors import Corrupt
from crawler.extract.ooxml import open_package, read_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Not text: properties (w:pPr holds tab-stop definitions named w:tab), deletions, and the
# fallback copy of what mc:Choice already holds.
_SKIP = {f"{W}pPr", f"{W}rPr", f"{W}del", MC_FALLBACK}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def docx_text(data: bytes) -> str:
    """The text of a .docx file (also what LibreOffice makes of a .doc or .wps)."""
    xml = read_part(open_package(data), "word/document.xml")
    try:
        root = etree.fromstring(xml, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise Corrupt(f"word/document.xml: {exc}") from exc
    body = root.find(f"{W}body")
    if body is None:
        raise Corrupt("word/document.xml has no w:body")
    return "\n".join(_blocks(body))


def _blocks(parent: etree._Element) -> Iterator[str]:
    for child in parent:
        if child.tag == f"{W}p":
            yield _inline(child)
        elif child.tag == f"{W}tbl":
            yield from _rows(child)
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _blocks(child)  # content controls wrap ordinary paragraphs and tables


def _rows(table: etree._Element) -> Iterator[str]:
    for row in table.iter(f"{W}tr"):
        if _parent_table(row) is table:  # rows of nested tables come out inside their cell
            cells = [_cell(tc) for tc in row.findall(f"{W}tc") if not _continues_merge(tc)]
            yield "\t".join(cells)


def _parent_table(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag != f"{W}tbl":
        parent = parent.getparent()
    return parent


def _continues_merge(tc: etree._Element) -> bool:
    """A vertically merged cell below its first row: its text was already given above.
    (Horizontal merges are one w:tc with a w:gridSpan, so they need nothing.)"""
    vmerge = tc.find(f"{W}tcPr/{W}vMerge")
    return vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"


def _cell(tc: etree._Element) -> str:
    return " ".join(line for line in _blocks(tc) if line.strip())


def _inline(element: etree._Element) -> str:
    """The text of a paragraph: w:t runs, tabs and breaks. Deleted text (w:delText), field
    codes (w:instrText) and bookmarks such as Word's _GoBack carry no w:t, so they drop out."""
    parts: list[str] = []
    for child in element:
        if child.tag == f"{W}t":
            parts.append(child.text or "")
        elif child.tag == f"{W}tab":
            parts.append("\t")
        elif child.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif child.tag not in _SKIP:
            parts.append(_inline(child))
    return "".join(parts)
