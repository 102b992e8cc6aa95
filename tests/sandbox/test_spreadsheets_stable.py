"""The sandbox's spreadsheet attachments are the same bytes in every process: an incremental crawl
revalidates them (304) instead of downloading them again each night. Each render runs in its own
interpreter, with its own empty LibreOffice cache, so the xls is really converted twice."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from sandbox import files
from sandbox.document import Document, Para, Table

ROOT = Path(__file__).resolve().parents[2]
FIXED = "2022-01-20T09:00:00Z"
RENDER = """
import sys
from pathlib import Path
from sandbox import files
from tests.sandbox.test_spreadsheets_stable import REPORT
files.CACHE_DIR = Path(sys.argv[2])
sys.stdout.buffer.write(files.render(REPORT, sys.argv[1]))
"""
REPORT = Document(
    "广州市增城区人民政府朱村街道办事处2021年政府信息公开工作年度报告",
    [
        Para("本年度共收到政府信息公开申请12件。"),
        Table(
            (("申请情况", "", "数量"), ("收到申请", "自然人", "12"), ("办理结果", "予以公开", "9")),
            "表一 收到和处理政府信息公开申请情况",
        ),
    ],
)


def render_elsewhere(fmt: str, cache: Path) -> bytes:
    command = [sys.executable, "-c", RENDER, fmt, str(cache)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=120).stdout


def test_xlsx_is_the_same_bytes_in_two_processes_with_fixed_dates(tmp_path) -> None:
    first = render_elsewhere("xlsx", tmp_path / "a")
    assert render_elsewhere("xlsx", tmp_path / "b") == first == files.render(REPORT, "xlsx")
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert {info.date_time for info in book.infolist()} == {(2022, 1, 20, 9, 0, 0)}
        core = book.read("docProps/core.xml").decode()
    dates = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core)
    assert dates == [("created", FIXED), ("modified", FIXED)]
    sheet = load_workbook(io.BytesIO(first))["表1"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("表一 收到和处理政府信息公开申请情况", None, None),
        ("申请情况", None, "数量"),
        ("收到申请", "自然人", 12),
        ("办理结果", "予以公开", 9),
    ]


def test_xls_converted_twice_from_scratch_is_the_same_bytes(tmp_path) -> None:
    first = render_elsewhere("xls", tmp_path / "a")
    again = render_elsewhere("xls", tmp_path / "b")
    assert first[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: Excel 97
    assert again == first
    assert [p.suffix for p in (tmp_path / "a").iterdir()] == [".xls"]  # really converted
