"""Image-only content: OCR when it is on (about ten seconds a page), `no_text_layer` when off."""

from __future__ import annotations

from crawler.extract import Limits, extract_bytes
from sandbox import files
from tests.extract.helpers import assert_in_order, squash
from tests.extract.reports import SHORT_REPORT


def test_one_page_scan_is_read_by_ocr_with_its_table_numbers():
    result = extract_bytes(files.render(SHORT_REPORT, "scan_pdf"), "扫描件.pdf")
    assert (result.status, result.method, result.pages, result.error) == ("ocr", "ocr", 1, None)
    text = squash(result.text)
    assert_in_order(
        text,
        [
            "广州市白云区统计局2021年政府信息公开工作年度报告",
            "一、总体情况",
            "2021年，本局全年主动公开政府信息156条，新收政府信息公开申请7件，均已按时办结。",
            "规章000",
            "行政规范性文件3127",
        ],
    )


def test_table_posted_as_png_yields_its_digits_row_by_row(rendered):
    result = extract_bytes(rendered("png_table"), "table.png")
    assert (result.status, result.method, result.mime, result.pages) == (
        "ocr", "ocr", "image/png", 1,
    )  # fmt: skip
    # chi_sim reads "（一）" as "(一)"; the worker puts the full-width brackets back.
    assert result.text.splitlines()[0] == "第二十条第（一）项"
    rows = [squash(line) for line in result.text.splitlines()]
    assert_in_order(
        "\n".join(rows),
        ["规章000", "行政规范性文件3127", "行政许可1286", "行政处罚581", "行政强制12",
         "行政事业性收费1700.35"],
    )  # fmt: skip


def test_ocr_off_marks_the_scan_as_having_no_text_layer():
    result = extract_bytes(files.render(SHORT_REPORT, "scan_pdf"), limits=Limits(ocr=False))
    assert (result.status, result.text, result.method, result.pages) == (
        "no_text_layer", None, None, 1,
    )  # fmt: skip
    assert result.error == "image only; OCR is off"


def test_ocr_over_its_time_limit_is_a_timeout():
    scan = files.render(SHORT_REPORT, "scan_pdf")
    result = extract_bytes(scan, "扫描件.pdf", Limits(ocr_timeout_s=0.2))
    assert (result.status, result.text, result.mime) == ("timeout", None, "application/pdf")
    assert result.error.startswith("OCR")
