"""The archive's single writer thread.

SQLite wants one writer, and Scrapy's reactor must never wait on disk: every write runs on one
dedicated thread per archive file, shared by all spiders of a process, and the pipeline awaits it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from crawler.archive.per_file import PerFile
from crawler.archive.store import Archive

T = TypeVar("T")


class ArchiveWriter:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")
        self._archive: Archive | None = None
        self.users = 0

    def _get(self) -> Archive:
        if self._archive is None:
            self._archive = Archive.open(self.path)
        return self._archive

    def open(self) -> None:
        """Open (create, migrate) the archive now; raises ArchiveUnavailable."""
        self.call_sync(lambda archive: None)

    def call_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(archive, *args) on the writer thread and wait (for setup and teardown)."""
        return self._pool.submit(lambda: fn(self._get(), *args)).result()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(archive, *args) on the writer thread without blocking the event loop."""
        return await asyncio.wrap_future(self._pool.submit(lambda: fn(self._get(), *args)))

    def shutdown(self) -> None:
        if self._archive is not None:
            self._pool.submit(self._archive.close).result()
        self._pool.shutdown(wait=True)


_writers = PerFile(ArchiveWriter)
acquire = _writers.acquire
release = _writers.release
