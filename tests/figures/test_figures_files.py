"""The hand-written 2021 report in every file kind: DOCX (merged cells: gridSpan, vMerge), DOC
through LibreOffice, XLSX, XLS, PDF (tables as lines of words), and a table image (OCR)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawler.figures import UNCERTAIN, figures_from_bytes
from sandbox import files
from tests.figures.documents import EXPECTED, REPORT

TEMPLATE_CELLS = 10 + 25 * 7 + 15


@pytest.fixture(scope="module")
def rendered():
    cache: dict[str, bytes] = {}

    def get(fmt: str) -> bytes:
        if fmt not in cache:
            cache[fmt] = files.render(REPORT, fmt)
        return cache[fmt]

    return get


def values(extraction) -> dict:
    return {f.key: f.value for f in extraction.figures}


@pytest.mark.parametrize(("fmt", "source"), [("docx", "docx"), ("xlsx", "xls"), ("xls", "xls")])
def test_structured_files_read_every_cell(rendered, fmt, source):
    got = figures_from_bytes(rendered(fmt))
    assert (got.source, got.template, got.notes) == (source, "2021", [])
    cells = values(got)
    assert {key: cells[key] for key in EXPECTED} == EXPECTED
    assert cells[("二", "行政事业性收费", "本年收费金额")] == Decimal("17.35")
    assert len([f for f in got.figures if not f.derived]) == TEMPLATE_CELLS
    assert [f.key for f in got.figures if f.derived] == [
        ("三", "三（三）", col)
        for col in (
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计",
        )
    ]


def test_docx_has_vertical_merges(rendered):
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(rendered("docx"))).read("word/document.xml")
    assert b"<w:vMerge/>" in xml or b'w:val="continue"' in xml
    assert b'<w:vMerge w:val="restart"/>' in xml


def test_doc_through_libreoffice(rendered):
    got = figures_from_bytes(rendered("doc"))
    assert (got.source, got.template) == ("docx", "2021")
    assert {key: values(got)[key] for key in EXPECTED} == EXPECTED


@pytest.mark.parametrize("fmt", ["pdf", "pdf_cid"])
def test_pdf_reads_rows_whose_count_is_right_and_skips_the_one_with_a_blank(rendered, fmt):
    got = figures_from_bytes(rendered(fmt))
    assert (got.source, got.template) == ("pdf", "2021")
    cells = values(got)
    # The blank cell of （四）3 leaves 6 numbers in the PDF's words: not guessed.
    assert not any(key[1] == "三（四）3" for key in cells)
    assert got.notes == ["三: 三（四）3: 6 cells for 7 columns"]
    wanted = {k: v for k, v in EXPECTED.items() if k[1] != "三（四）3"}
    assert {key: cells[key] for key in wanted} == wanted
    assert len([f for f in got.figures if not f.derived]) == TEMPLATE_CELLS - 7
    assert {f.confidence for f in got.figures} == {0.9}
    checks = {(c.check, c.scope): c for c in got.checks}
    assert checks[("T3-a", "自然人")].missing == ("三/三（四）3/自然人",)
    assert checks[("T3-a", "自然人")].status == UNCERTAIN


def test_table_image_through_ocr(rendered):
    got = figures_from_bytes(rendered("png_table"))  # the first table: section 二's blocks
    assert (got.source, got.template) == ("ocr", "2021")
    cells = values(got)
    assert cells[("二", "行政规范性文件", "本年制发件数")] == 4
    assert cells[("二", "行政规范性文件", "现行有效件数")] == 31
    assert cells[("二", "规章", "本年制发件数")] is None
    assert cells[("二", "行政许可", "本年处理决定数量")] == 1286
    assert {f.confidence for f in got.figures} == {0.6}
    assert not any(key[0] == "三" for key in cells)
