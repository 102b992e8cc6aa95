"""`govreports extract FILE` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crawler.cli import main
from crawler.commands.extract import extract
from sandbox import files
from tests.extract.reports import REPORT_2021


def test_prints_the_text_then_the_status_on_stderr(tmp_path, rendered):
    path = tmp_path / "2021年报.wps"
    path.write_bytes(rendered("docx"))  # a new WPS save is OOXML: the name does not matter
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 0
    assert result.stdout == REPORT_2021.truth_text() + "\n"
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert result.stderr == f"status: ok  method: docx  mime: {mime}\n"


def test_json_output_and_failure_exit_code(tmp_path):
    path = tmp_path / "年报.pdf"
    path.write_bytes(files.hostile("truncated_pdf"))
    result = CliRunner().invoke(extract, [str(path), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "text": None,
        "status": "corrupt",
        "method": None,
        "mime": "application/pdf",
        "error": "pdfium: Failed to load document (PDFium: Data format error).",
        "pages": None,
    }
    assert result.stderr.startswith("status: corrupt  mime: application/pdf  error: pdfium:")


def test_no_ocr_flag_on_a_table_image_and_registration(tmp_path, rendered):
    path = tmp_path / "table.png"
    path.write_bytes(rendered("png_table"))
    result = CliRunner().invoke(main, ["extract", "--no-ocr", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "status: no_text_layer  mime: image/png  pages: 1  error: image only; OCR is off\n"
    )
