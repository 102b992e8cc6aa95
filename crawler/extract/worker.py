"""The code that runs INSIDE an extraction child process: sniff, parse, write one JSON line.

Two ways in, the same child code and the same limits:

- ``python -m crawler.extract.worker FILE [--filename NAME] [--no-ocr] [--timeout S]
  [--ocr-timeout S] [--memory-mb N]``: one interpreter per file (the first JSON line on stdout
  announces the file type, the last is the result);
- ``python -m crawler.extract.worker --serve``: a fork server (crawler/extract/pool.py). It
  imports the extraction code once, then forks one child per file on request, so a file costs a
  fork instead of an interpreter start (about 200 ms of CPU before any work). Each child is the
  same as a one-shot worker: its own session (its parent kills its whole process group past the
  deadline), the memory and CPU limits set before it reads the file, its own alarm, its own
  scratch folder, stdout and stderr in files of that folder. A new child per file keeps the
  hostile-file guarantee: a file that crashes, loops or exhausts memory takes only its own child.

Children die with their parent: the server with the crawl (PR_SET_PDEATHSIG, and EOF on its
stdin), each child with the server. `spawn_server` is the one place a server process starts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from crawler import procs
from crawler.extract import Extraction
from crawler.extract.errors import ExtractError, TooLarge, Unsupported
from crawler.extract.office_service import OfficeProcess
from crawler.extract.sniff import MIME, sniff
from crawler.extract.tidy import tidy

IMAGE_KINDS = ("png", "jpeg", "gif")
MAX_IMAGE_PIXELS = 60_000_000  # a 600-dpi A3 scan; past that an image is a decompression bomb


def main(argv: list[str] | None = None) -> None:
    if argv is None and sys.argv[1:] == ["--serve"]:
        serve()
        return
    args = _parse_args(argv)
    # C libraries may print to stdout: keep the real stdout for our one JSON line only.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    run(args, out)


def run(args: argparse.Namespace, out: TextIO) -> None:
    """Limit this process, then extract the file: what every child does, however started."""
    _limit_self(args.memory_mb, args.timeout + (args.ocr_timeout if args.ocr else 0))
    # Text extraction gets `timeout` seconds: SIGALRM's default action ends the process even
    # inside a C loop, and the parent records that as a timeout. OCR has its own budget.
    signal.setitimer(signal.ITIMER_REAL, args.timeout)
    result = extract_file(Path(args.file), args, out)
    out.write(result.to_json() + "\n")
    out.flush()


# --- the fork server ---------------------------------------------------------------------------
# Parsers most files need, imported by the server once: every child inherits them (a few MB of
# address space inside each child's memory limit, which it would map anyway for a PDF or image).
# The DOCX walker reads DOCX and, after LibreOffice, DOC and WPS. openpyxl is left out: 150 ms
# for every crawl to save 150 ms per spreadsheet, and most crawls meet none.
PRELOADED = ("crawler.extract.pdf", "PIL.Image", "crawler.extract.docx", "crawler.extract.office")


def spawn_server(env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a fork server (`--serve`): requests on its stdin, events on its stdout, one JSON
    line each (crawler/extract/pool.py speaks the protocol)."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.extract.worker", "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=procs.child_env(env),
        start_new_session=True,  # a Ctrl-C on the terminal is the crawl's to handle, not ours
    )


def serve() -> None:
    """The server loop: fork a child per request line, report its pid, then its exit status.

    Request: {"id": N, "argv": [worker arguments], "dir": scratch folder}; events:
    {"id": N, "pid": P} once forked, {"id": N, "status": waitstatus} once reaped. The children's
    DOC and WPS files go through one LibreOffice kept by this server (office_service.py)."""
    procs.die_with_parent(signal.SIGKILL)  # crawler/procs.py: even when the crawl is kill -9'd
    parent = os.getppid()
    for module in PRELOADED:
        __import__(module)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    office = OfficeProcess()
    os.environ.update(office.child_env())
    children: dict[int, Any] = {}
    requests = os.fdopen(sys.stdin.fileno(), "rb", buffering=0)
    events = sys.stdout.buffer
    pending = b""
    try:
        while True:
            watched = [requests, wake_r, office.requests]
            ready, _, _ = select.select(watched, [], [], 5.0)
            if wake_r in ready:
                os.read(wake_r, 4096)
            if office.requests in ready:
                office.on_request()
            _reap(children, events, office)
            if os.getppid() != parent:  # the crawl died before the kernel told us
                break
            if requests not in ready:
                continue
            chunk = requests.read(65536)
            if not chunk:
                break  # the crawl closed our stdin: it is done with us
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                pid = _fork_child(request, (requests, wake_r, wake_w, office.requests))
                children[pid] = request["id"]
                _event(events, {"id": request["id"], "pid": pid})
    finally:
        office.close()
    for pid in list(children):
        _kill_group(pid)
    while children:
        _reap(children, events, office, block=True)


def _reap(
    children: dict[int, Any], events: Any, office: OfficeProcess, block: bool = False
) -> None:
    while children or office.pid is not None:
        try:
            pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            children.clear()
            return
        if pid == 0:
            return
        if office.reaped(pid, status):
            continue
        request_id = children.pop(pid, None)
        if request_id is not None:
            _event(events, {"id": request_id, "status": status})
            if os.WIFSIGNALED(status):  # killed at its deadline: maybe inside the office
                office.close_office()
        if block:
            return


def _event(events: Any, event: dict[str, Any]) -> None:
    try:
        events.write(json.dumps(event).encode() + b"\n")
        events.flush()
    except BrokenPipeError:
        pass


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _fork_child(request: dict[str, Any], server_fds: tuple[Any, int, int, int]) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        _become_child(request, server_fds)
        args = _parse_args(request["argv"])
        scratch = request["dir"]
        with open(os.path.join(scratch, "out"), "w", encoding="utf-8") as out:
            run(args, out)
        code = 0
    except BaseException:  # the parent reads the traceback from our stderr file
        import traceback

        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)


def _become_child(request: dict[str, Any], server_fds: tuple[Any, int, int, int]) -> None:
    """A child of the server, set up as a one-shot worker would be: own session, default
    signals, dies with the server, stdout and stderr into its scratch folder, TMPDIR there."""
    os.setsid()
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(signum, signal.SIG_DFL)
    procs.signal_when_parent_dies(signal.SIGKILL)  # the server's end is ours
    scratch = request["dir"]
    err = os.open(os.path.join(scratch, "err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)  # the server's request pipe, no longer ours
    os.dup2(err, 1)  # the server's event pipe: C libraries may print to stdout
    os.dup2(err, 2)
    _, wake_r, wake_w, office_requests = server_fds
    for fd in {err, null, wake_r, wake_w, office_requests} - {0, 1, 2}:
        os.close(fd)
    sys.stdout = sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    # Converters write temporary files and profiles under TMPDIR and HOME: keep them in our
    # scratch folder, which the parent removes even when the child is killed.
    os.environ["TMPDIR"] = os.environ["HOME"] = scratch
    tempfile.tempdir = scratch


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
