"""Every text-layer format of one 2021 report gives the report's own text, tables included."""

from __future__ import annotations

import io
import zipfile

import pytest

from crawler.extract import extract_bytes
from sandbox import files
from tests.extract.helpers import assert_in_order, squash
from tests.extract.reports import REPORT_2021

SENTENCES = [
    "广州市白云区人民政府办公室2021年政府信息公开工作年度报告",
    "一、总体情况",
    "（一）主动公开。全年通过区政府门户网站主动公开政府信息2416条，",
    "由政务公开办陈镕、张喆负责登记和督办。",
    "二、主动公开政府信息情况",
    "行政规范性文件\t3\t1\t27",
    "行政事业性收费\t1700.35",
    "一、本年新收政府信息公开申请数量\t35\t4\t0\t0\t1\t2\t42",
    "三、本年度办理结果\t（一）予以公开\t20\t2\t0\t0\t1\t1\t24",
    "四、结转下年度继续办理\t5\t1\t0\t0\t0\t0\t6",
    "2\t1\t0\t0\t3\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0",
    "本机关2021年未收取信息处理费。",
]


@pytest.mark.parametrize("fmt", ["pdf", "pdf_cid"])
def test_pdf_text_layer_in_reading_order(rendered, fmt):
    result = extract_bytes(rendered(fmt), f"2021年报.{fmt}")
    assert (result.status, result.method, result.mime, result.pages, result.error) == (
        "ok", "pdfium", "application/pdf", 2, None,
    )  # fmt: skip
    assert_in_order(squash(result.text), [squash(s) for s in SENTENCES])
    assert "陈镕、张喆" in result.text  # outside GB2312, through the Adobe-GB1 CMap for pdf_cid
    assert "\ufffd" not in result.text and "(cid:" not in result.text
    assert result.text.splitlines()[0] == "- 1 -"  # the footer is there: cleaning's job


def test_docx_is_exactly_the_truth(rendered):
    result = extract_bytes(rendered("docx"), "2021年报.docx")
    assert (result.status, result.method, result.error) == ("ok", "docx", None)
    assert result.text == REPORT_2021.truth_text()
    document_xml = zipfile.ZipFile(io.BytesIO(rendered("docx"))).read("word/document.xml")
    assert b'w:name="_GoBack"' in document_xml and "_GoBack" not in result.text
    assert "bookmark" not in result.text


@pytest.mark.parametrize(
    ("fmt", "filename"),
    [("doc", "2021年报.doc"), ("wps", "2021年报.wps"), ("wps", "download.jsp")],
)
def test_word97_through_libreoffice_keeps_every_table_row(rendered, fmt, filename):
    result = extract_bytes(rendered(fmt), filename)
    assert (result.status, result.method, result.mime) == (
        "ok",
        "libreoffice",
        "application/msword",
    )
    assert result.text == REPORT_2021.truth_text()


def test_xlsx_rows_tab_separated_with_merged_cells_once(rendered):
    result = extract_bytes(rendered("xlsx"), "附表.xlsx")
    assert (result.status, result.method) == ("ok", "openpyxl")
    assert result.text == files.truth_for(REPORT_2021, "xlsx")
    assert "行政许可\t1286" in result.text.splitlines()
    assert "一、总体情况" not in result.text  # a spreadsheet holds the tables only


def test_xls_rows_through_xlrd_match_the_xlsx_rows(rendered):
    result = extract_bytes(rendered("xls"), "附表.xls")
    assert (result.status, result.method, result.mime) == ("ok", "xlrd", "application/vnd.ms-excel")
    assert result.text == files.truth_for(REPORT_2021, "xlsx")
    assert "行政许可\t1286" in result.text.splitlines()


def test_mislabelled_pdf_is_read_as_pdf(rendered):
    result = extract_bytes(rendered("pdf"), "P020220120.doc")
    assert (result.status, result.mime) == ("ok", "application/pdf")
    assert_in_order(squash(result.text), [squash(SENTENCES[0]), squash(SENTENCES[-1])])


def test_html_and_executables_are_unsupported():
    page = extract_bytes("<html><body>文件不存在</body></html>".encode(), "年报.pdf")
    assert (page.status, page.mime, page.text) == ("unsupported", "text/html", None)
    exe = extract_bytes(b"MZ\x90\x00" + bytes(200), "setup.exe")
    assert (exe.status, exe.mime, exe.text) == ("unsupported", "application/octet-stream", None)
    assert exe.error == "application/octet-stream (setup.exe) is not a document type we extract"
