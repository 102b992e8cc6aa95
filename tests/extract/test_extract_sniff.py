"""Files are typed by their bytes: names and Content-Types on portals lie."""

from __future__ import annotations

import io
import zipfile

import pytest

from crawler.extract.sniff import sniff, sniff_prefix
from sandbox import files


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [
        ("pdf", "pdf"),
        ("pdf_cid", "pdf"),
        ("scan_pdf", "pdf"),
        ("docx", "docx"),
        ("doc", "ole-word"),
        ("wps", "ole-word"),
        ("xlsx", "xlsx"),
        ("png_table", "png"),
    ],
)
def test_rendered_formats_are_recognised_by_their_bytes(rendered, fmt, kind):
    assert sniff(rendered(fmt)) == kind


def test_wps_is_the_word97_file_and_only_the_name_differs(rendered):
    assert rendered("wps") == rendered("doc")
    assert rendered("wps").startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def test_pdf_header_after_junk_and_html_error_page():
    assert sniff(b"\r\n\r\n%PDF-1.4\n1 0 obj") == "pdf"
    page = "\ufeff<!DOCTYPE html><html><head><title>404 页面不存在</title>".encode()
    assert sniff(page) == "html"
    assert sniff(b"GIF89a\x01\x00") == "gif"
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "jpeg"


def test_plain_zip_and_unknown_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as package:
        package.writestr("附件/年报.txt", "政府信息公开")
    assert sniff(buf.getvalue()) == "zip"
    assert sniff(b"MZ\x90\x00\x03") == "unknown"


def test_containers_are_left_unopened_by_the_prefix_check():
    assert sniff_prefix(files.hostile("zip_bomb_docx")) == "zip"
    assert sniff(files.hostile("zip_bomb_docx")) == "docx"
