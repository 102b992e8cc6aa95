"""Opening the archive: one place that decides the SQLite engine, pragmas and schema version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from crawler.archive.schema import migrate


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


class EngineMismatch(RuntimeError):
    """sqlite-utils or Datasette would run on another SQLite build than the stdlib one."""


def ensure_stdlib_sqlite() -> None:
    """Both libraries silently switch to pysqlite3 when it is installed (stack-notes §3, §8).
    The archive is written and tested with the stdlib sqlite3; refuse to serve on another engine."""
    from datasette.utils import sqlite as datasette_sqlite
    from sqlite_utils import utils as sqlite_utils_utils

    for name, module in (
        ("sqlite-utils", sqlite_utils_utils.sqlite3),
        ("datasette", datasette_sqlite.sqlite3),
    ):
        if module is not sqlite3:
            raise EngineMismatch(
                f"{name} uses {module.__name__}, not the stdlib sqlite3: uninstall pysqlite3"
            )
