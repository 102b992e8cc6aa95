"""One thread-owning object per archive file and process, shared by its users: the writer's
thread (writer.py) and the reader's (reads.py). Crawlers of one process that write or read the
same archive take the same one; the last to let go shuts it down."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, Protocol, TypeVar


class Shared(Protocol):
    path: str
    users: int

    def shutdown(self) -> None: ...


S = TypeVar("S", bound=Shared)


class PerFile(Generic[S]):
    def __init__(self, make: Callable[[str | Path], S]) -> None:
        self._make = make
        self._held: dict[str, S] = {}
        self._lock = threading.Lock()

    def acquire(self, path: str | Path) -> S:
        key = str(Path(path).resolve())
        with self._lock:
            shared = self._held.get(key)
            if shared is None:
                shared = self._held[key] = self._make(path)
            shared.users += 1
            return shared

    def release(self, shared: S) -> None:
        key = str(Path(shared.path).resolve())
        with self._lock:
            shared.users -= 1
            if shared.users > 0:
                return
            if self._held.get(key) is shared:
                del self._held[key]
        shared.shutdown()
