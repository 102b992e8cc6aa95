"""OCR with the Tesseract CLI (``chi_sim``), for scans and tables posted as images.

About ten seconds a page on two cores: callers run it only on image-only content, in the worker
process, against a deadline.
"""

from __future__ import annotations

import io
import re
import subprocess
import time

from PIL import Image

from crawler.extract.errors import Timeout

LANG = "chi_sim"
PSM_PAGE, PSM_TABLE = "3", "6"  # automatic layout for pages; one uniform block for tables
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_COLUMN_GAP = re.compile(r" {2,}")
_WIDE = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}
_ASCII_PUNCT = re.compile(f"(?<=[{_CJK}]) ?[():;,?!]|[():;,?!](?= ?[{_CJK}])")
_DARK = bytes(255 if value < 160 else 0 for value in range(256))


def ocr_image(image: Image.Image, deadline: float, psm: str = PSM_PAGE) -> str:
    """The text Tesseract reads in `image`; raises Timeout past `deadline` (time.monotonic)."""
    image = image.convert("L")
    if psm == PSM_TABLE:
        # Only for table images: on a page scan the thin, grey, JPEG-blurred rules survive in
        # fragments, and the fragments made Tesseract misread the digits next to them.
        image = without_rules(image)
    png = io.BytesIO()
    image.save(png, "PNG")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Timeout("OCR time limit reached")
    command = ["tesseract", "stdin", "stdout", "-l", LANG, "--psm", psm]
    try:
        done = subprocess.run(
            command, input=png.getvalue(), capture_output=True, timeout=remaining, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise Timeout(f"OCR took longer than its limit ({exc.timeout:.0f} s left)") from exc
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed: {done.stderr.decode('utf-8', 'replace')[-200:]}")
    return _tidy_ocr(done.stdout.decode("utf-8", "replace"))


def _tidy_ocr(text: str) -> str:
    # Tesseract separates CJK glyphs with spaces now and then, and table columns with runs of
    # spaces: drop the first, turn the second into tabs like the other extractors' cells.
    lines = (_COLUMN_GAP.sub("\t", line.strip()) for line in text.split("\n"))
    lines = (_CJK_GAP.sub("", _full_width(line)) for line in lines)
    return "\n".join(line for line in lines if line)


def _full_width(line: str) -> str:
    """chi_sim reads the full-width punctuation of Chinese text as ASCII: "第 (一) 项". Put
    it back where a CJK character stands on either side."""
    return _ASCII_PUNCT.sub(lambda m: _WIDE[m.group(0).strip()], line)


def without_rules(image: Image.Image) -> Image.Image:
    """`image` with table rules painted white: Tesseract reads ruled tables as noise
    ("有 hh hh" for a clean 4-column table) and reads them well once the grid is gone.

    A horizontal rule is a dark run much longer than any glyph stroke; a vertical rule is a
    dark run whose both ends touch horizontal rules, which glyph strokes do not."""
    width, height = image.size
    pixels = bytearray(image.tobytes())
    dark = bytes(pixels).translate(_DARK)
    horizontal = _long_runs(dark, width, height, max(50, width // 12))
    by_row: dict[int, list[tuple[int, int]]] = {}
    for y, start, end in horizontal:
        by_row.setdefault(y, []).append((start, end))
    flipped = image.transpose(Image.Transpose.TRANSPOSE)
    dark_t = flipped.tobytes().translate(_DARK)
    # Paint one pixel beyond each rule too: its anti-aliased edge, left behind, reads as ”.
    for x, top, bottom in _long_runs(dark_t, height, width, 8):
        if _on_rule(by_row, x, top - 1) and _on_rule(by_row, x, bottom):
            for y in range(top, bottom):
                start = y * width + max(0, x - 1)
                pixels[start : y * width + min(width, x + 2)] = b"\xff" * (
                    min(width, x + 2) - max(0, x - 1)
                )
    for y, start, end in horizontal:
        for row in range(max(0, y - 1), min(height, y + 2)):
            pixels[row * width + start : row * width + end] = b"\xff" * (end - start)
    return Image.frombytes("L", (width, height), bytes(pixels))


def _long_runs(dark: bytes, width: int, height: int, length: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of at least `length` dark pixels, row by row."""
    pattern = re.compile(b"\xff{%d,}" % length)
    runs = []
    for row in range(height):
        line = dark[row * width : (row + 1) * width]
        runs.extend((row, m.start(), m.end()) for m in pattern.finditer(line))
    return runs


def _on_rule(rules: dict[int, list[tuple[int, int]]], x: int, y: int) -> bool:
    # Within 3 px of a horizontal rule: rules are drawn 1-3 px thick.
    return any(start <= x < end for row in range(y - 3, y + 4) for start, end in rules.get(row, ()))
