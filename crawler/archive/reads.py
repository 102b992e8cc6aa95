"""The archive's reader thread: the lookups a crawl makes while it runs, off the reactor.

Each lookup is an indexed read of a row or two, but on a large archive its pages are often not
in memory: measured on a 20,000-report archive, a capture by URL waits 0.1 ms, the first WARC
record of some bytes 0.5 ms, a stored body 1.2 ms (CPU: 30-170 us). On the reactor every such
wait stalls every download. Lookups run instead on one thread per archive file and process,
through one read-only connection (`ArchiveReader`, opened on that thread at first use), shared
by every crawler of the process as the writer's thread is (writer.py); middlewares and pipelines
await them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from crawler.archive.per_file import PerFile
from crawler.archive.reader import ArchiveReader

T = TypeVar("T")


class ArchiveReads:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-reader")
        self._reader = ArchiveReader(path)
        self.users = 0

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(reader, *args) on the reader thread, e.g. `call(ArchiveReader.body, sha256)`."""
        return await asyncio.wrap_future(self._pool.submit(fn, self._reader, *args))

    def call_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """The same, blocking (for code outside an event loop)."""
        return self._pool.submit(fn, self._reader, *args).result()

    def shutdown(self) -> None:
        self._pool.submit(self._reader.close).result()
        self._pool.shutdown(wait=True)


_readers = PerFile(ArchiveReads)
acquire = _readers.acquire
release = _readers.release  # the last user's release closes the connection and ends the thread


class ReadsArchive:
    """Mixed into a middleware or pipeline: `await self.read(ArchiveReader.body, sha256)` on the
    archive's reader thread, taken at the first lookup and let go by `release_reads()` (at
    spider_closed), so a crawler that never looks anything up holds no thread."""

    archive_path: str | Path
    _reads: ArchiveReads | None = None

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self._reads is None:
            self._reads = acquire(self.archive_path)
        return await self._reads.call(fn, *args)

    def release_reads(self) -> None:
        if self._reads is not None:
            release(self._reads)
            self._reads = None
