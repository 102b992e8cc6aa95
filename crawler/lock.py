"""One crawl at a time per archive: an flock on a file beside it.

The kernel drops an flock when its holder dies (even by kill -9), so a stale lock file never
blocks the next run; the file only keeps the holder's description for the message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class Locked(Exception):
    """Another run holds the lock; the message names it."""


class RunLock:
    def __init__(self, archive_path: str | Path) -> None:
        self.path = Path(f"{archive_path}.lock")
        self._fd: int | None = None

    def acquire(self, holder: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            current = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            raise Locked(f"archive is locked by {current or 'another run'} ({self.path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode("utf-8"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
