"""Report attachments as the portals serve them, rendered from one `Document`.

Each format imitates a kind of file seen on real 政府信息公开 portals, so the extractors are
tested on the same difficulties, while the truth (`Document.truth_text`) stays independent of
any extraction code:

- ``pdf``: a typeset PDF with an embedded CJK TrueType font (WenQuanYi Zen Hei), page numbers in
  the footer like a 公文 (``- 1 -``), tables drawn as grids with horizontally merged cells.
- ``pdf_cid``: the same layout with the *non-embedded* CID font STSong-Light (UniGB-UCS2-H,
  Adobe-GB1), as exported by many government systems; text only decodes through predefined CMaps.
- ``docx``: python-docx output with real tables (gridSpan merged cells; vMerge too for a table
  marked ``soup``), paragraphs split into several runs as Word does, an East Asian font name and
  Word's ``_GoBack`` bookmark.
- ``doc``: the docx converted by LibreOffice to Word 97 (OLE), like the many ``.doc`` attachments.
- ``wps``: the ``doc`` bytes: a Kingsoft ``.wps`` file is a Word-97-compatible OLE file.
- ``xlsx`` / ``xls``: the tables only, one sheet each (caption row merged across), numbers stored
  as numbers; ``xls`` is LibreOffice's Excel 97 conversion of the xlsx.
- ``scan_pdf``: the ``pdf`` rasterised to 200 dpi greyscale JPEG pages in an image-only PDF: a
  scanned report with no text layer, which only OCR can read.
- ``png_table``: the first table drawn as a PNG grid in a large clean font: a table posted as an
  ``<img>`` on a report page.

`hostile` returns broken or malicious bytes: a truncated PDF, a zip-bomb DOCX, a PDF whose page
tree and xref chain loop, and a huge junk file with a PDF header.

LibreOffice needs about 1.5 s a file, so its conversions are cached by content hash under
``sandbox/.cache/``; every other format is rendered deterministically (reportlab invariant mode,
fixed zip timestamps and document properties), which is what makes that cache hit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from sandbox.document import Document, Heading, Para, Table

FORMATS = ("pdf", "pdf_cid", "docx", "doc", "wps", "xlsx", "xls", "scan_pdf", "png_table")
HOSTILE_KINDS = ("truncated_pdf", "zip_bomb_docx", "looping_pdf", "huge")
TABLE_ONLY_FORMATS = ("xlsx", "xls", "png_table")

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
_FIXED_TIME = dt.datetime(2022, 1, 20, 9, 0, 0)
_SCAN_DPI = 200


def render(doc: Document, fmt: str) -> bytes:
    """The bytes of `doc` as a file of format `fmt` (one of FORMATS)."""
    renderers = {
        "pdf": lambda: _pdf(doc, _ttf_font()),
        "pdf_cid": lambda: _pdf(doc, _cid_font()),
        "docx": lambda: _docx(doc),
        "doc": lambda: _soffice(_docx(doc), "docx", "doc"),
        "wps": lambda: _soffice(_docx(doc), "docx", "doc"),
        "xlsx": lambda: _xlsx(doc),
        "xls": lambda: _soffice(_xlsx(doc), "xlsx", "xls"),
        "scan_pdf": lambda: _scan_pdf(render(doc, "pdf")),
        "png_table": lambda: table_png(_first_table(doc)),
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    return renderers[fmt]()


def truth_for(doc: Document, fmt: str) -> str:
    """What a perfect extractor gets from `render(doc, fmt)`: spreadsheets and table images hold
    only the tables, every other format the whole document."""
    if fmt == "png_table":
        return _table_text(_first_table(doc), caption=False)
    if fmt in ("xlsx", "xls"):
        return "\n".join(_table_text(t, caption=True) for t in _tables(doc))
    return doc.truth_text()


# --- layout shared by every renderer -------------------------------------------------------


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def _first_table(doc: Document) -> Table:
    tables = _tables(doc)
    if not tables:
        raise ValueError(f"{doc.title!r} has no table")
    return tables[0]


def _table_text(table: Table, caption: bool) -> str:
    lines = [table.caption] if caption and table.caption else []
    lines.extend("\t".join(row) for row in table.rows)
    return "\n".join(lines)


def _width(table: Table) -> int:
    return max(len(row) for row in table.rows)


def _spans(table: Table) -> Iterator[list[tuple[int, int, str]]]:
    """Per row, (first column, column span, text) of each cell. `Table` keeps merged cells once,
    so a row shorter than the table is laid out with its first cell spanning the missing
    columns: the label cells of the 2021 tables and the 第二十条 header rows look like that."""
    width = _width(table)
    for row in table.rows:
        span = width - len(row) + 1
        cells = [(0, span, row[0])]
        cells.extend((span + i, 1, text) for i, text in enumerate(row[1:]))
        yield cells


def _merged_cells(table: Table) -> Iterator[list[tuple[int, int, str]]]:
    """Per row, (column, column span, text) of each cell a `soup` table's merges leave: a
    label spans right over the blank label positions after it; cells covered from above are
    left blank (a reportlab table cannot break a page inside a row span)."""
    merges = table.merges()
    covered = {
        (r + i, c + j) for (r, c), (rows, cols) in merges.items()
        for i in range(rows) for j in range(cols) if i or j
    }  # fmt: skip
    for r, row in enumerate(table.rows):
        yield [
            (c, merges.get((r, c), (1, 1))[1], text)
            for c, text in enumerate(row)
            if (r, c) not in covered
        ]


# --- PDF (reportlab) -----------------------------------------------------------------------


@cache
def _ttf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WenQuanYiZenHei", str(FONT_PATH), subfontIndex=0))
    return "WenQuanYiZenHei"


@cache
def _cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _pdf(doc: Document, font: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = _pdf_styles(font)
    story = [Paragraph(escape(doc.title), styles["title"])]
    for block in doc.blocks:
        if isinstance(block, Table):
            if block.caption:
                story.append(Paragraph(escape(block.caption), styles["caption"]))
            story.append(_pdf_table(block, styles["cell"], A4[0] - 144))
        else:
            style = styles["heading" if isinstance(block, Heading) else "body"]
            story.append(Paragraph(escape(block.text), style))

    def footer(canvas, template) -> None:
        canvas.setFont(font, 10)
        canvas.drawCentredString(A4[0] / 2, 36, f"- {template.page} -")

    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf, pagesize=A4, invariant=1, leftMargin=72, rightMargin=72, title=doc.title
    )
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def _pdf_styles(font: str) -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    def style(name: str, size: float, **kw) -> ParagraphStyle:
        # wordWrap="CJK" breaks lines between any two ideographs, as Chinese typesetting does.
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.5, wordWrap="CJK", **kw
        )

    return {
        "title": style("title", 18, alignment=TA_CENTER, spaceAfter=12),
        "heading": style("heading", 14, spaceBefore=6, spaceAfter=4),
        "body": style("body", 12, firstLineIndent=24, spaceAfter=4),
        "caption": style("caption", 11, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4),
        "cell": style("cell", 9),
    }


def _pdf_table(table: Table, cell_style, avail: float):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    width = _width(table)
    natural = [32.0 if table.soup else 24.0] * width
    grid: list[list] = []
    commands = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, cells in enumerate(_merged_cells(table) if table.soup else _spans(table)):
        line: list = [""] * width
        for col, span, text in cells:
            line[col] = Paragraph(escape(text), cell_style)
            if span > 1:
                commands.append(("SPAN", (col, r), (col + span - 1, r)))
            else:
                size = stringWidth(text, cell_style.fontName, cell_style.fontSize) + 8
                # Word keeps a merged table's label columns narrow enough for its numbers.
                natural[col] = max(natural[col], min(size, 100.0 if table.soup else 160.0))
        grid.append(line)
    scale = avail / sum(natural)
    return RLTable(grid, colWidths=[w * scale for w in natural], style=commands)


def _scan_pdf(pdf: bytes) -> bytes:
    """Rasterise each page as a scanner would (greyscale JPEG) and wrap the images in a PDF
    that has no text layer at all."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for page in pypdfium2.PdfDocument(pdf):
        size = page.get_size()
        image = page.render(scale=_SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=88, dpi=(_SCAN_DPI, _SCAN_DPI))
        canvas.setPageSize(size)
        canvas.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, *size)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


# --- PNG table (Pillow) --------------------------------------------------------------------


def table_png(table: Table, font_px: int = 28) -> bytes:
    """`table` drawn as a black-on-white grid, as portals post tables as images."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT_PATH), font_px)
    pad, row_h = font_px // 2, font_px * 2
    rows = list(_spans(table))
    cols = [0] * _width(table)
    for cells in rows:
        for col, span, text in cells:
            need = font.getlength(text) + 2 * pad
            if span == 1:
                cols[col] = max(cols[col], int(need))
    for cells in rows:  # a spanning label wider than its columns widens the last one
        col, span, text = cells[0]
        short = font.getlength(text) + 2 * pad - sum(cols[col : col + span])
        cols[col + span - 1] += max(0, int(short))
    lefts = [sum(cols[:i]) for i in range(len(cols) + 1)]
    image = Image.new("L", (lefts[-1] + 1, row_h * len(rows) + 1), 255)
    draw = ImageDraw.Draw(image)
    for r, cells in enumerate(rows):
        for col, span, text in cells:
            box = (lefts[col], r * row_h, lefts[col + span], (r + 1) * row_h)
            draw.rectangle(box, outline=0, width=2)
            draw.text((box[0] + pad, box[1] + row_h // 2), text, font=font, fill=0, anchor="lm")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


# --- DOCX (python-docx) --------------------------------------------------------------------


def _docx(doc: Document) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    out = docx.Document()
    _east_asian_font(out.styles["Normal"], "仿宋_GB2312")
    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title)
    run.bold, run.font.size = True, Pt(18)
    for block in doc.blocks:
        if isinstance(block, Table):
            _docx_table(out, block)
        elif isinstance(block, Heading):
            out.add_paragraph().add_run(block.text).bold = True
        else:
            _docx_para(out.add_paragraph(), block.text)
    _add_goback(out.paragraphs[-1])
    props = out.core_properties
    props.title, props.author = doc.title, "政务公开办"
    props.created = props.modified = _FIXED_TIME
    buf = io.BytesIO()
    out.save(buf)
    return _fixed_zip(buf.getvalue())


def _east_asian_font(style, name: str) -> None:
    from docx.oxml.ns import qn

    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _docx_para(paragraph, text: str) -> None:
    # Word splits a paragraph into runs wherever formatting or an edit session changed; a
    # bold lead-in like "（一）社会公开。" is the common case.
    lead, sep, rest = text.partition("。")
    if text.startswith("（") and rest:
        paragraph.add_run(lead + sep).bold = True
        text = rest
    for clause in _clauses(text):
        paragraph.add_run(clause)


def _clauses(text: str) -> list[str]:
    parts = text.split("，")
    return [p + "，" for p in parts[:-1]] + [parts[-1]] if len(parts) > 1 else [text]


def _docx_table(out, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if table.caption:
        out.add_paragraph(table.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
    grid = out.add_table(rows=len(table.rows), cols=_width(table))
    grid.style = "Table Grid"
    if table.soup:
        _docx_merged(grid, table)
        return
    for r, cells in enumerate(_spans(table)):
        for col, span, text in cells:
            cell = grid.cell(r, col)
            if span > 1:
                cell = cell.merge(grid.cell(r, col + span - 1))
            cell.text = text


def _docx_merged(grid, table: Table) -> None:
    """A `soup` table as Word builds it: label cells merged down (w:vMerge) and across
    (w:gridSpan) over the blanks the rows leave them (Table.merges), other cells in place."""
    merges = table.merges()
    for (r, c), (rows, cols) in merges.items():
        grid.cell(r, c).merge(grid.cell(r + rows - 1, c + cols - 1))
    covered = {
        (r + i, c + j) for (r, c), (rows, cols) in merges.items()
        for i in range(rows) for j in range(cols) if i or j
    }  # fmt: skip
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if text and (r, c) not in covered:
                grid.cell(r, c).text = text


def _add_goback(paragraph) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    # Word saves the last cursor position as a hidden bookmark; some converters print it.
    for tag in ('<w:bookmarkStart %s w:id="0" w:name="_GoBack"/>', '<w:bookmarkEnd %s w:id="0"/>'):
        paragraph._p.append(parse_xml(tag % nsdecls("w")))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so equal content gives equal bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(_fixed_member(info.filename), src.read(info))
    return buf.getvalue()


def _fixed_member(name: str) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, date_time=_FIXED_TIME.timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


# --- XLSX (openpyxl) -----------------------------------------------------------------------


def _xlsx(doc: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    for i, table in enumerate(_tables(doc), 1):
        _sheet(book.create_sheet(f"表{i}"), table)
    if not book.worksheets:
        raise ValueError(f"{doc.title!r} has no table")
    book.properties.created = book.properties.modified = _FIXED_TIME
    book.properties.creator = "政务公开办"
    buf = io.BytesIO()
    # Not Workbook.save: it stamps `modified` with the clock, so every process made other bytes
    # (and another xls, whose LibreOffice cache is keyed by these bytes).
    ExcelWriter(book, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip(buf.getvalue())


def _sheet(sheet, table: Table) -> None:
    width, top = _width(table), 1
    if table.caption:
        sheet.cell(1, 1, table.caption)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        top = 2
    for r, cells in enumerate(_spans(table), top):
        for col, span, text in cells:
            sheet.cell(r, col + 1, _number(text))
            if span > 1:
                sheet.merge_cells(
                    start_row=r, start_column=col + 1, end_row=r, end_column=col + span
                )


def _number(text: str) -> int | float | str:
    """A cell as a spreadsheet stores it: a number when the text is exactly a number."""
    for kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            continue
        return value if str(value) == text else text
    return text


# --- LibreOffice conversions (cached) ------------------------------------------------------


def _soffice(data: bytes, src_ext: str, target: str) -> bytes:
    key = hashlib.sha256(data + target.encode()).hexdigest()[:32]
    cached = CACHE_DIR / f"{key}.{target}"
    if cached.exists():
        return cached.read_bytes()
    with tempfile.TemporaryDirectory(prefix="sandbox-lo-") as tmp:
        src = Path(tmp, f"in.{src_ext}")
        src.write_bytes(data)
        # A private profile per call: two runs sharing one profile silently produce nothing.
        profile = Path(tmp, "profile").as_uri()
        command = ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}"]
        command += ["--convert-to", target, "--outdir", tmp, str(src)]
        subprocess.run(command, check=True, capture_output=True, timeout=180)
        out = Path(tmp, f"in.{target}")
        if not out.exists():
            # libreoffice-writer-nogui alone cannot open spreadsheets: xls needs Calc.
            hint = " (needs LibreOffice Calc: libreoffice-calc-nogui)" if target == "xls" else ""
            raise RuntimeError(f"LibreOffice made no .{target} from .{src_ext}{hint}")
        result = out.read_bytes()
    _atomic_write(cached, result)
    return result


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


# --- hostile and broken files --------------------------------------------------------------

_SAMPLE = Document(
    title="某县人民政府办公室2021年政府信息公开工作年度报告",
    blocks=[
        Heading("一、总体情况"),
        Para("2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。" * 40),
    ],
)


def hostile(kind: str, size: int = 60_000_000) -> bytes:
    """Broken or malicious bytes of `kind` (one of HOSTILE_KINDS); `size` is for ``huge``."""
    if kind == "truncated_pdf":
        pdf = render(_SAMPLE, "pdf")
        return pdf[: len(pdf) * 42 // 100]  # a download cut off part-way
    if kind == "zip_bomb_docx":
        return _zip_bomb().read_bytes()
    if kind == "looping_pdf":
        return _looping_pdf()
    if kind == "huge":
        return _huge(size)
    raise ValueError(f"unknown hostile kind {kind!r}; expected one of {HOSTILE_KINDS}")


def _zip_bomb(inflated: int = 1_100_000_000) -> Path:
    """A docx (1.7 MB) whose word/document.xml inflates to `inflated` bytes. It is written
    chunk by chunk to a file, so building it never holds the inflated text in memory."""
    path = CACHE_DIR / f"zip_bomb_{inflated}-fixed-time.docx"  # earlier builds held their hour
    if path.exists():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    chunk = b"<w:p><w:r><w:t>0</w:t></w:r></w:p>" * 30_000
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        # members dated as _fixed_zip dates them: the same bytes whenever and wherever built
        z.writestr(_fixed_member("[Content_Types].xml"), _CONTENT_TYPES)
        with z.open(_fixed_member("word/document.xml"), "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="%s"><w:body>' % _W_NS)
            for _ in range(inflated // len(chunk) + 1):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    tmp.replace(path)
    return path


_W_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _looping_pdf() -> bytes:
    """A PDF whose page tree points back to itself (Pages 2 -> Pages 3 -> Pages 2) and whose
    xref section names itself as its /Prev: a naive parser recurses or loops forever."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" % (len(objects) + 1, xref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _huge(size: int) -> bytes:
    header = b"%PDF-1.7\n"
    junk = hashlib.sha256(b"huge").digest() * (size // 32 + 1)
    return (header + junk)[:size]
