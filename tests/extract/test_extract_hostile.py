"""Hostile and broken files: each ends as one counted failure within its limits."""

from __future__ import annotations

import asyncio
import io

from PIL import Image

from crawler.extract import Limits, extract_async, extract_bytes
from sandbox import files


def test_truncated_pdf_is_corrupt():
    result = extract_bytes(files.hostile("truncated_pdf"), "年报.pdf")
    assert (result.status, result.text, result.mime) == ("corrupt", None, "application/pdf")
    assert result.error == "pdfium: Failed to load document (PDFium: Data format error)."


def test_zip_bomb_docx_is_refused_before_inflating():
    result = extract_bytes(files.hostile("zip_bomb_docx"), "年报.docx")
    assert (result.status, result.text) == ("too_large", None)
    assert result.error.startswith("word/document.xml inflates to 1,100,")


def test_looping_page_tree_is_corrupt():
    result = extract_bytes(files.hostile("looping_pdf"), "年报.pdf")
    assert (result.status, result.text, result.pages) == ("corrupt", None, None)
    assert result.error == "no page could be loaded (page 1: Failed to load page.)"


def test_huge_file_is_refused_without_a_worker():
    result = extract_bytes(
        files.hostile("huge", size=3_000_000), "年报.pdf", Limits(max_bytes=2_000_000)
    )
    assert (result.status, result.mime) == ("too_large", "application/pdf")
    assert result.error == "3,000,000 bytes > limit 2,000,000"


def test_a_worker_killed_mid_conversion_is_a_timeout_and_the_next_file_still_works(
    own_pool, rendered
):
    # LibreOffice needs more than 0.3 s to start (a pool of our own has none running yet): the
    # worker's alarm ends it mid-conversion.
    slow = extract_bytes(rendered("doc"), "年报.doc", Limits(timeout_s=0.3))
    assert (slow.status, slow.text, slow.mime) == ("timeout", None, "application/msword")
    assert slow.error == "parsing exceeded 0.3 s"
    after = extract_bytes(rendered("pdf"), "年报.pdf")
    assert after.status == "ok" and "陈镕、张喆" in after.text


def test_image_bomb_under_the_pixel_cap_hits_the_memory_limit():
    # 7000 x 7000 white pixels: a 62 kB PNG that needs 49 MB once decoded.
    buf = io.BytesIO()
    Image.new("L", (7000, 7000), 255).save(buf, "PNG")
    result = extract_bytes(buf.getvalue(), "table.png", Limits(memory_mb=100))
    assert (result.status, result.text, result.mime) == ("corrupt", None, "image/png")
    assert result.error == "out of memory (100 MB)"


def test_async_extraction_gives_the_same_results(rendered):
    async def both():
        return await asyncio.gather(
            extract_async(rendered("docx"), "年报.docx"),
            extract_async(files.hostile("truncated_pdf"), "年报.pdf"),
        )

    good, bad = asyncio.run(both())
    assert (good.status, good.method) == ("ok", "docx")
    assert good.text.splitlines()[-1] == "本机关2021年未收取信息处理费。"
    assert (bad.status, bad.text) == ("corrupt", None)
