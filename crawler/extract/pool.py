"""Pre-forked extraction: one fork server per process, a fresh child per file.

`ExtractionPool` starts `python -m crawler.extract.worker --serve` (crawler/extract/worker.py)
on first use and speaks its protocol (one JSON line per request and per event). A request writes
the file into a scratch folder, asks the server to fork a child for it, and waits for the child's
exit status within the deadline; past the deadline it kills the child's whole process group, as
the one-shot worker's parent always did. The child's result and stderr are files in the scratch
folder, read once it has exited; the folder goes with everything a converter left in it.

The pool is thread-safe and bound to no event loop: `extract` returns a concurrent Future that
asyncio code awaits through `asyncio.wrap_future` and blocking code through `.result()`. A
reader thread turns the server's events into results. The server dies with this process (see
worker.py); `close()` (at exit at the latest) ends it and waits for it, so its CPU and its
children's count in this process's own getrusage(RUSAGE_CHILDREN).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.extract import worker

# A child's end: (exit code as Popen reports it, its result file, its stderr, killed at deadline)
Outcome = tuple[int, bytes, bytes, bool]


class PoolClosed(RuntimeError):
    """The fork server is gone (closed, or it died)."""


@dataclass
class _Job:
    scratch: Path
    deadline_s: float
    future: Future = field(default_factory=Future)
    pid: int | None = None
    timer: threading.Timer | None = None
    killed: bool = False


class ExtractionPool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: Any = None
        self._reader: threading.Thread | None = None
        self._jobs: dict[int, _Job] = {}
        self._next_id = 0

    def run(self, argv: list[str], data: bytes, deadline_s: float) -> Future:
        """Extract `data` in a new child with worker arguments `argv` (the file's path is
        added); a Future of its Outcome. Past `deadline_s` the child's group is killed."""
        scratch = Path(tempfile.mkdtemp(prefix="govreports-extract-"))
        (scratch / "input").write_bytes(data)
        job = _Job(scratch, deadline_s)
        with self._lock:
            server = self._ensure_server()
            self._next_id += 1
            request_id = self._next_id
            self._jobs[request_id] = job
            line = {"id": request_id, "argv": [str(scratch / "input"), *argv], "dir": str(scratch)}
            try:
                server.stdin.write(json.dumps(line).encode() + b"\n")
                server.stdin.flush()
            except (BrokenPipeError, ValueError) as exc:
                self._jobs.pop(request_id)
                shutil.rmtree(scratch, ignore_errors=True)
                raise PoolClosed("the extraction server is gone") from exc
        return job.future

    def _ensure_server(self) -> Any:
        if self._server is None or self._server.poll() is not None:
            # The server's children write their scratch files themselves: TMPDIR stays ours.
            self._server = worker.spawn_server()
            self._reader = threading.Thread(
                target=self._read_events, args=(self._server,), daemon=True, name="extract-pool"
            )
            self._reader.start()
        return self._server

    def _read_events(self, server: Any) -> None:
        for line in server.stdout:
            event = json.loads(line)
            with self._lock:
                job = self._jobs.get(event["id"])
            if job is None:
                continue
            if "pid" in event:
                self._started(job, event["pid"])
            else:
                with self._lock:
                    self._jobs.pop(event["id"], None)
                self._finished(job, event["status"])
        with self._lock:  # the server ended: nothing more will be reported
            orphans, self._jobs = list(self._jobs.values()), {}
        for job in orphans:
            if job.pid is not None:
                worker._kill_group(job.pid)
            self._fail(job, PoolClosed("the extraction server ended"))

    def _started(self, job: _Job, pid: int) -> None:
        job.pid = pid
        job.timer = threading.Timer(job.deadline_s, self._kill, args=(job,))
        job.timer.daemon = True
        job.timer.start()

    def _kill(self, job: _Job) -> None:
        job.killed = True
        worker._kill_group(job.pid)

    def _finished(self, job: _Job, status: int) -> None:
        if job.timer is not None:
            job.timer.cancel()
        worker._kill_group(job.pid)  # a converter the child left behind
        try:
            out = _read(job.scratch / "out")
            err = _read(job.scratch / "err")
        finally:
            shutil.rmtree(job.scratch, ignore_errors=True)
        code = os.waitstatus_to_exitcode(status)
        job.future.set_result((code, out, err, job.killed))

    def _fail(self, job: _Job, error: Exception) -> None:
        shutil.rmtree(job.scratch, ignore_errors=True)
        if not job.future.done():
            job.future.set_exception(error)

    def close(self, timeout_s: float = 10.0) -> None:
        """End the server (its children are killed) and reap it."""
        with self._lock:
            server, self._server = self._server, None
        if server is None:
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            server.stdin.close()
        deadline = time.monotonic() + timeout_s
        while server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if server.poll() is None:
            server.kill()
        server.wait()
        if self._reader is not None:
            self._reader.join(timeout=timeout_s)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


_shared: ExtractionPool | None = None
_shared_lock = threading.Lock()


def shared() -> ExtractionPool:
    """This process's pool (started on first use, closed at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ExtractionPool()
            atexit.register(_shared.close)
        return _shared


def close_shared() -> None:
    """End this process's pool now (a crawl's end): its CPU is then this process's to count."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        atexit.unregister(pool.close)
        pool.close()
