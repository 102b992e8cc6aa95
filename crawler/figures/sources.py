"""A report's bytes or text -> its figures and checks, whatever the source: a saved page
(HTML tables), DOCX (and DOC/WPS through LibreOffice), XLS/XLSX, PDF text, table images and
scans through OCR, or text (TAB rows of cleaned text; PDF-like lines; pre-2019 prose).

The kind comes from the bytes (crawler.extract.sniff), never from a name. Parsing a hostile
file is bounded the way extraction is (a zip bomb is refused before it inflates); run this in
the extraction worker's process when the bytes come from a crawl."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field

import lxml.html

from crawler.cleaning import clean_html, normalize_text, template_version
from crawler.cleaning.encoding import decode_html
from crawler.figures.checks import check_report
from crawler.figures.grids import Grid, docx_grids, html_grids, xls_grids, xlsx_grids
from crawler.figures.interpret import Reading, interpret
from crawler.figures.model import CheckResult, Figure
from crawler.figures.prose import prose_figures
from crawler.figures.rows import Line, grid_line, text_lines, token_lines

OCR_SECONDS = 120.0
# chi_sim reads a lone 1 in a table cell as 工 (or l, I, |) and a lone 0 as O: only a word
# standing alone between whitespace is taken for the digit.
_OCR_DIGITS = {"工": "1", "l": "1", "I": "1", "|": "1", "O": "0", "o": "0"}
_OCR_DIGIT = re.compile(r"(?<!\S)[工lI|Oo](?!\S)")


@dataclass
class Extraction:
    source: str | None  # html, docx, xls, pdf, text, ocr; None when nothing could be read
    template: str | None  # 2021, 2019, pre2019
    figures: list[Figure] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # how the rows were read: "grid" (HTML, DOCX, XLS tables), "tab_rows" (TAB rows of text),
    # "words" (PDF text, OCR), "prose" (pre-2019 sentences); None when nothing was read
    method: str | None = None

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "method": self.method,
            "template": self.template,
            "figures": [f.to_dict() for f in self.figures],
            "checks": [c.to_dict() for c in self.checks],
            "notes": self.notes,
        }


def figures_from_bytes(
    data: bytes,
    *,
    content_selector: str | None = None,
    hint: str | None = None,
    ocr: bool = True,
) -> Extraction:
    """`hint` is the template the caller already knows (from the report's year or its cleaned
    text); the tables' own words override it."""
    from crawler.extract.sniff import sniff

    kind = sniff(data)
    if kind == "html":
        return figures_from_html(data, content_selector=content_selector, hint=hint)
    if kind == "docx":
        return figures_from_docx(data, hint=hint)
    if kind == "ole-word":
        from crawler.extract.office import convert

        return figures_from_docx(convert(data, "doc", "docx", 180), hint=hint)
    if kind in ("xlsx", "ole-excel"):
        return figures_from_sheet(data, kind, hint=hint)
    if kind == "pdf":
        return figures_from_pdf(data, hint=hint, ocr=ocr)
    if kind in ("png", "jpeg", "gif"):
        return (
            figures_from_image(data, hint=hint)
            if ocr
            else Extraction(None, hint, notes=["OCR off"])
        )
    text = _decode_text(data)
    if text is None:
        return Extraction(None, None, notes=[f"cannot read a {kind} file"])
    return figures_from_text(text, hint=hint)


def figures_from_html(
    data: bytes | str,
    *,
    content_selector: str | None = None,
    hint: str | None = None,
    text: str | None = None,
    encoding: str | None = None,
) -> Extraction:
    """`text` is the page's cleaned text when the caller has it (the crawl's clean pipeline):
    the page is then not cleaned a second time; prose is read from it. `encoding` is the
    charset the crawl decoded the page with."""
    source = decode_html(data, encoding) if isinstance(data, bytes) else data
    if text is None:
        cleaned = clean_html(source, content_selector=content_selector)
        text, hint = cleaned.text, hint or cleaned.template_version
    hint = hint or template_version(text)
    root = lxml.html.fromstring(source.encode("utf-8"), parser=_HTML_PARSER)
    return html_extraction(html_grids(root), text, hint)


def html_extraction(grids: list[Grid], text: str, hint: str | None) -> Extraction:
    """figures_from_html once the page's grids are read and its hint known."""
    return _finish(_read(grids, "html", hint), text, hint, "html", "grid")


_HTML_PARSER = lxml.html.HTMLParser(huge_tree=True, encoding="utf-8")


def figures_from_docx(data: bytes, *, hint: str | None = None) -> Extraction:
    from crawler.extract.docx import docx_text

    text = normalize_text(docx_text(data))
    hint = hint or template_version(text)
    return _finish(_read(docx_grids(data), "docx", hint), text, hint, "docx", "grid")


def figures_from_sheet(data: bytes, kind: str, *, hint: str | None = None) -> Extraction:
    """An XLSX (`kind` "xlsx") or XLS ("ole-excel") workbook's tables."""
    grids = xlsx_grids(data) if kind == "xlsx" else xls_grids(data)
    return _finish(_read(grids, "xls", hint), "", hint, "xls", "grid")


def figures_from_pdf(data: bytes, *, hint: str | None = None, ocr: bool = True) -> Extraction:
    from crawler.extract.pdf import open_pdf, page_images, pdf_text

    pdf = open_pdf(data)
    layer = pdf_text(pdf)
    if layer.has_text:
        text = "\n".join(layer.pages)
        return figures_from_text(text, hint=hint, source="pdf")
    if not ocr:
        return Extraction(None, hint, notes=["no text layer; OCR off"])
    from crawler.extract.ocr import PSM_PAGE, ocr_image

    deadline = time.monotonic() + OCR_SECONDS
    text = "\n".join(ocr_image(image, deadline, PSM_PAGE) for image in page_images(pdf))
    return figures_from_text(text, hint=hint, source="ocr")


def figures_from_image(data: bytes, *, hint: str | None = None) -> Extraction:
    from PIL import Image

    from crawler.extract.ocr import PSM_TABLE, ocr_image

    text = ocr_image(Image.open(io.BytesIO(data)), time.monotonic() + OCR_SECONDS, PSM_TABLE)
    return figures_from_text(text, hint=hint, source="ocr")


def figures_from_text(
    text: str,
    *,
    hint: str | None = None,
    source: str = "text",
    tabbed: bool | None = None,
    confidence: float | None = None,
) -> Extraction:
    """TAB rows when the text has them (cleaned text, DOCX/XLS text); otherwise words, as a
    PDF's text layer and OCR give them. `tabbed` forces the choice (the extracted text of a
    DOC file is TAB rows though its source is docx); `confidence` overrides the source's."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if source == "ocr":
        text = _OCR_DIGIT.sub(lambda m: _OCR_DIGITS[m.group(0)], text)
    hint = hint or template_version(text)
    if tabbed is None:
        tabbed = source == "text"
    tabbed = tabbed and any("\t" in line for line in text.split("\n"))
    lines: list[Line] = text_lines(text) if tabbed else token_lines(text)
    reading = interpret(lines, source, hint, confidence)
    prose = normalize_text(text) if source in ("pdf", "ocr") else text
    return _finish(reading, prose, hint, source, "tab_rows" if tabbed else "words")


def _read(grids: list[Grid], source: str, hint: str | None) -> Reading:
    lines = [grid_line(cells, covered) for grid in grids for cells, covered in grid]
    return interpret(lines, source, hint)


def _finish(reading: Reading, text: str, hint: str | None, source: str, method: str) -> Extraction:
    """Tables decide; a report without them in a pre-2019 year is read as prose."""
    if reading.figures:
        template = reading.template
        return Extraction(source, template, reading.figures,
                          check_report(reading.figures, template), reading.notes,
                          method)  # fmt: skip
    if hint == "pre2019" or (hint is None and template_version(text) == "pre2019"):
        prose = prose_figures(text, source)
        return Extraction(source, "pre2019", prose, method="prose" if prose else None)
    return Extraction(source, hint, [], check_report([], hint), reading.notes)


def _decode_text(data: bytes) -> str | None:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None
