"""Opening the archive: one place that decides the SQLite engine, pragmas and schema version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from crawler.schema import migrate


class ArchiveUnavailable(Exception):
    """The archive cannot be opened or migrated; nothing was fetched yet."""


def open_archive(path: str | Path, *, readonly: bool = False) -> Database:
    """Open (and for writers, create and migrate) the archive at ``path``.

    WAL lets readers (search, Datasette) work while a crawl writes; ``synchronous=NORMAL`` in WAL
    mode still never corrupts the file on a crash, it may only lose the last transactions.
    """
    path = Path(path)
    try:
        if readonly:
            if not path.exists():
                raise ArchiveUnavailable(f"no archive at {path}")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            return Database(conn)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        db = Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
        return db
    except (sqlite3.Error, OSError) as exc:
        raise ArchiveUnavailable(f"archive {path} unavailable: {exc}") from exc
