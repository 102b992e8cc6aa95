"""Page work off the reactor: worker processes shared by every crawler of the process.

Cleaning a page (lxml parse, chrome pruning, container scoring) and reading its figures (every
table cell of the page and its attachments) cost milliseconds of CPU that, on the reactor, stall
every download and hold the GIL: figures alone were a third of the reactor's CPU. The pool runs
`clean_html` and `report_figures` in `CLEAN_WORKERS` processes (default: the cores but one, at
least one) with the very same arguments, so the results are the same byte for byte
(tests/cleaning/test_clean_pool.py, tests/figures/test_figures_pipeline.py). When the crawl reads
figures, one call per page does both from one parse (crawler/figures/pagework.py
`clean_and_read`, tests/figures/test_pagework.py).

Workers are started with "spawn", as direct children of the crawl: no copy of the reactor's
threads and sockets, and `close()` reaps them, so their CPU counts in the crawl's own
getrusage(RUSAGE_CHILDREN); they die with the crawl, even a killed one. A worker that dies (a page that exhausts memory) breaks the pool:
its pages fail as one counted failure each, and the next page gets a new pool.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from crawler.cleaning.page import Cleaned, clean_html

__all__ = ["BrokenProcessPool", "CleaningPool", "acquire", "default_workers", "release"]


def default_workers() -> int:
    """The cores but one (the reactor's), at least one."""
    return max(1, (os.cpu_count() or 1) - 1)


def clean_from_kwargs(kwargs: dict[str, Any]) -> Cleaned:
    """`clean_html(**kwargs)`, callable with one picklable argument (what a worker is sent)."""
    return clean_html(**kwargs)


def _start_worker() -> None:
    # A crawl killed with SIGKILL cannot stop its workers: the kernel ends them with it (they
    # would otherwise wait on their queue forever). Then the parsers, once per worker.
    # (Only the kernel's request: the crawl's own PARENT_ENV names the crawl's parent, not ours.)
    import signal

    from crawler.procs import signal_when_parent_dies

    signal_when_parent_dies(signal.SIGKILL)
    import lxml.html  # noqa: F401


class CleaningPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, **kwargs: Any) -> Future:
        """`clean_html(**kwargs)` in a worker; a Future of its `Cleaned`."""
        return self.call(clean_from_kwargs, kwargs)

    def call(self, function: Callable[..., Any], *args: Any) -> Future:
        """`function(*args)` in a worker (both picklable: a module-level function and data)."""
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                )
            return self._executor.submit(function, *args)

    def broken(self) -> None:
        """A worker died: the next page gets a new pool."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers and reap them."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


# One pool per process, shared by the crawlers of a run (as the archive's writer is).
_shared: CleaningPool | None = None
_users = 0
_shared_lock = threading.Lock()


def acquire(workers: int) -> CleaningPool:
    global _shared, _users
    with _shared_lock:
        if _shared is None:
            _shared = CleaningPool(workers)
        _users += 1
        return _shared


def release(pool: CleaningPool) -> None:
    """The last crawler to let go closes the pool."""
    global _shared, _users
    with _shared_lock:
        _users -= 1
        last = _users <= 0 and _shared is pool
        if last:
            _shared, _users = None, 0
    if last:
        pool.close()
