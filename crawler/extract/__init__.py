"""Text from report attachments: PDF, DOCX, DOC/WPS, XLS/XLSX and images, typed by their magic
bytes, each parsed in a child process with size, time and memory limits.

Attachments are untrusted: a truncated PDF, a zip bomb or a file that makes a parser loop must
cost one counted failure, never the crawl. So the parsing code (`crawler.extract.worker`) only
ever runs in a child process, a new one per file, forked by a pre-started server
(`crawler.extract.pool`); this module asks for it, enforces the deadline and turns whatever
happens into an `Extraction` with a status:

``ok`` text layer, ``ocr`` text from OCR, ``no_text_layer`` image-only content and OCR off or
empty, ``unsupported`` not a document type we read, ``too_large``, ``timeout``, ``corrupt``.
"""

from __future__ import annotations

import asyncio
import json
import math
import signal
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from typing import Any

from crawler.extract.sniff import MIME, sniff_prefix

STATUSES = ("ok", "ocr", "no_text_layer", "unsupported", "too_large", "timeout", "corrupt")
_GRACE_S = 3.0  # interpreter start-up and JSON output, on top of the parsing budget


@dataclass(frozen=True)
class Extraction:
    text: str | None
    status: str
    method: str | None
    mime: str | None
    error: str | None
    pages: int | None

    @property
    def succeeded(self) -> bool:
        return self.status in ("ok", "ocr")

    @property
    def needs_ocr(self) -> bool:
        """Image-only content left unread because OCR was off: only OCR can read it (the
        worker's one `no_text_layer` without a method; OCR that found nothing says "ocr")."""
        return self.status == "no_text_layer" and self.method is None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50_000_000
    timeout_s: float = 60.0
    memory_mb: int = 1024
    ocr: bool = True
    ocr_timeout_s: float = 120.0

    @classmethod
    def from_settings(cls, settings: Any, ocr: bool | None = None) -> Limits:
        """The limits a crawl's settings give (ATTACHMENT_*, OCR_*); `ocr` overrides OCR_ENABLED."""
        return cls(
            max_bytes=settings.getint("ATTACHMENT_MAX_BYTES"),
            timeout_s=settings.getfloat("ATTACHMENT_TIMEOUT"),
            memory_mb=settings.getint("ATTACHMENT_MEMORY_MB"),
            ocr=settings.getbool("OCR_ENABLED") if ocr is None else ocr,
            ocr_timeout_s=settings.getfloat("OCR_TIMEOUT"),
        )

    @property
    def deadline_s(self) -> float:
        """Wall time after which the parent kills the worker's whole process group."""
        return self.timeout_s + (self.ocr_timeout_s if self.ocr else 0.0) + _GRACE_S


DEFAULT_LIMITS = Limits()


def refused(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Extraction | None:
    """What extraction says of a file without parsing it (too large for `limits`), else None:
    a crawl that leaves extraction to a job (EXTRACT_DEFERRED) applies the same limit."""
    return _too_large(data, limits) if len(data) > limits.max_bytes else None


def extract_bytes(
    data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Extraction:
    """Extract the text of one attachment, blocking until its child is done or killed."""
    if (refusal := refused(data, limits)) is not None:
        return refusal
    return _ended(data, _start(data, filename, limits).result(), limits)


async def extract_async(
    data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Extraction:
    """`extract_bytes` for an asyncio event loop (Scrapy's reactor): the loop never blocks."""
    if (refusal := refused(data, limits)) is not None:
        return refusal
    return _ended(data, await asyncio.wrap_future(_start(data, filename, limits)), limits)


def _start(data: bytes, filename: str | None, limits: Limits) -> Future:
    """The file handed to a child of the extraction fork server; a Future of how it ended."""
    from crawler.extract import pool

    return pool.shared().run(_arguments(filename, limits), data, limits.deadline_s)


def _arguments(filename: str | None, limits: Limits) -> list[str]:
    """The worker's arguments after the file's path."""
    arguments = ["--timeout", str(limits.timeout_s), "--memory-mb", str(limits.memory_mb)]
    arguments += ["--ocr-timeout", str(limits.ocr_timeout_s)]
    if filename:
        # One argument with "=": a name such as "-年报.pdf" must not read as an option; a link
        # text with NUL or a lone surrogate cannot be an argument at all.
        name = filename.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
        arguments.append(f"--filename={name}")
    if not limits.ocr:
        arguments.append("--no-ocr")
    return arguments


def _ended(data: bytes, outcome: tuple[int, bytes, bytes, bool], limits: Limits) -> Extraction:
    returncode, out, err, killed = outcome
    if killed:
        return _killed(out, data, limits)
    return _result(data, returncode, out, err, limits)


def _result(data: bytes, returncode: int, out: bytes, err: bytes, limits: Limits) -> Extraction:
    lines = out.decode("utf-8", "replace").splitlines()
    if returncode == 0:
        try:
            return Extraction(**json.loads(lines[-1]))
        except (ValueError, TypeError, IndexError) as exc:
            return _failed(lines, data, "corrupt", f"worker output unreadable: {exc}")
    if returncode in (-signal.SIGALRM, -signal.SIGXCPU):
        budget = f"{limits.timeout_s:g} s" if returncode == -signal.SIGALRM else "its CPU time"
        return _failed(lines, data, "timeout", f"parsing exceeded {budget}")
    return _failed(lines, data, "corrupt", _crash_message(returncode, err))


def _crash_message(returncode: int, err: bytes) -> str:
    cause = f"signal {signal.Signals(-returncode).name}" if returncode < 0 else f"exit {returncode}"
    tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return f"worker crashed ({cause}) {tail[0]}".strip()


def _too_large(data: bytes, limits: Limits) -> Extraction:
    return _failed([], data, "too_large", f"{len(data):,} bytes > limit {limits.max_bytes:,}")


def _killed(out: bytes, data: bytes, limits: Limits) -> Extraction:
    lines = out.decode("utf-8", "replace").splitlines()
    return _failed(lines, data, "timeout", f"killed after {math.ceil(limits.deadline_s)} s")


def _failed(lines: list[str], data: bytes, status: str, error: str) -> Extraction:
    mime = _announced_mime(lines) or MIME[sniff_prefix(data)]
    return Extraction(text=None, status=status, method=None, mime=mime, error=error, pages=None)


def _announced_mime(lines: list[str]) -> str | None:
    """The type the worker found before it died (its first line), if it got that far. The
    parent itself only looks at magic bytes: opening containers is the worker's job."""
    try:
        return json.loads(lines[0])["mime"]
    except (IndexError, ValueError, KeyError, TypeError):
        return None
