"""The code that runs INSIDE the extraction child process: sniff, parse, print one JSON line.

Run as ``python -m crawler.extract.worker FILE [--filename NAME] [--no-ocr] [--timeout S]
[--ocr-timeout S] [--memory-mb N]``. It limits itself before it reads the file, and its parent
(`crawler.extract.extract_bytes`) kills its whole process group past the deadline.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import TextIO

from crawler.extract import Extraction
from crawler.extract.errors import ExtractError, TooLarge, Unsupported
from crawler.extract.sniff import MIME, sniff
from crawler.extract.tidy import tidy

IMAGE_KINDS = ("png", "jpeg", "gif")
MAX_IMAGE_PIXELS = 60_000_000  # a 600-dpi A3 scan; past that an image is a decompression bomb


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    # C libraries may print to stdout: keep the real stdout for our one JSON line only.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    _limit_self(args.memory_mb, args.timeout + (args.ocr_timeout if args.ocr else 0))
    # Text extraction gets `timeout` seconds: SIGALRM's default action ends the process even
    # inside a C loop, and the parent records that as a timeout. OCR has its own budget.
    signal.setitimer(signal.ITIMER_REAL, args.timeout)
    result = extract_file(Path(args.file), args, out)
    out.write(result.to_json() + "\n")
    out.flush()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="crawler.extract.worker")
    parser.add_argument("file")
    parser.add_argument("--filename")
    parser.add_argument("--no-ocr", dest="ocr", action="store_false")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--ocr-timeout", type=float, default=120.0)
    parser.add_argument("--memory-mb", type=int, default=1024)
    return parser.parse_args(argv)


def _limit_self(memory_mb: int, cpu_s: float) -> None:
    # Set here rather than in the parent's preexec_fn: preexec_fn is unsafe in a threaded
    # parent (Scrapy's reactor has a thread pool). The file is read only after this line.
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = math.ceil(cpu_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def extract_file(path: Path, args: argparse.Namespace, out: TextIO) -> Extraction:
    data = path.read_bytes()
    kind = sniff(data)
    mime = MIME[kind]
    # Said at once, so that a worker killed later still leaves its file type behind.
    out.write(json.dumps({"mime": mime}) + "\n")
    out.flush()
    try:
        return _extract(kind, data, args)
    except ExtractError as exc:
        return Extraction(None, exc.status, None, mime, str(exc), None)
    except MemoryError:
        return Extraction(None, "corrupt", None, mime, f"out of memory ({args.memory_mb} MB)", None)
    except Exception as exc:  # a parser's bug on a broken file: one failure, with its cause
        return Extraction(None, "corrupt", None, mime, f"{type(exc).__name__}: {exc}", None)


def _extract(kind: str, data: bytes, args: argparse.Namespace) -> Extraction:
    if kind == "pdf":
        return _pdf(data, args)
    if kind in IMAGE_KINDS:
        return _image(data, kind, args)
    text, method = _text_of(kind, data, args)
    text = tidy(text)
    if not text:
        return Extraction(None, "no_text_layer", method, MIME[kind], "no text in the file", None)
    return Extraction(text, "ok", method, MIME[kind], None, None)


def _text_of(kind: str, data: bytes, args: argparse.Namespace) -> tuple[str, str]:
    if kind == "docx":
        from crawler.extract.docx import docx_text

        return docx_text(data), "docx"
    if kind == "ole-word":
        from crawler.extract.office import word97_text

        return word97_text(data, args.timeout)
    if kind == "xlsx":
        from crawler.extract.sheet import xlsx_text

        return xlsx_text(data), "openpyxl"
    if kind == "ole-excel":
        from crawler.extract.sheet import xls_text

        return xls_text(data), "xlrd"
    name = f" ({args.filename})" if args.filename else ""
    raise Unsupported(f"{MIME[kind]}{name} is not a document type we extract")


def _pdf(data: bytes, args: argparse.Namespace) -> Extraction:
    from crawler.extract.pdf import open_pdf, page_images, pdf_text

    pdf = open_pdf(data)
    found = pdf_text(pdf)
    error = "; ".join(found.failed) or None
    if found.has_text:
        return Extraction(
            tidy("\n".join(found.pages)), "ok", "pdfium", MIME["pdf"], error, len(pdf)
        )
    return _ocr(page_images(pdf), "3", "pdf", len(pdf), args)


def _image(data: bytes, kind: str, args: argparse.Namespace) -> Extraction:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as exc:
        raise TooLarge(str(exc)) from exc
    return _ocr(iter([image]), "6", kind, 1, args)


def _ocr(images, psm: str, kind: str, pages: int, args: argparse.Namespace) -> Extraction:
    if not args.ocr:
        return Extraction(None, "no_text_layer", None, MIME[kind], "image only; OCR is off", pages)
    from crawler.extract.ocr import ocr_image

    # OCR has its own budget, replacing the text-extraction alarm.
    signal.setitimer(signal.ITIMER_REAL, args.ocr_timeout + 1)
    deadline = time.monotonic() + args.ocr_timeout
    text = tidy("\n".join(ocr_image(image, deadline, psm) for image in images))
    if not text:
        return Extraction(None, "no_text_layer", "ocr", MIME[kind], "OCR found no text", pages)
    return Extraction(text, "ocr", "ocr", MIME[kind], None, pages)


if __name__ == "__main__":
    sys.exit(main())
