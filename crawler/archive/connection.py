"""Opening the archive: one place that decides the SQLite engine, pragmas and schema version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from crawler import __version__
from crawler.archive import charindex, places
from crawler.archive.schema import migrate, unknown_migrations


class ArchiveUnavailable(Exception):
    """The archive cannot be opened or migrated; nothing was fetched yet."""


class ArchiveTooNew(ArchiveUnavailable):
    """A newer govreports wrote the archive: this one refuses to write to it."""


class ArchiveCorrupt(ArchiveUnavailable):
    """SQLite's own check found the file damaged."""


def open_archive(path: str | Path, *, readonly: bool = False, verify: bool = False) -> Database:
    """Open (and for writers, create and migrate) the archive at ``path``.

    A writer first refuses an archive whose schema is newer than this code, and with ``verify``
    one that `PRAGMA quick_check` finds damaged, before it writes anything (not even the WAL
    switch). WAL lets readers (search, Datasette) work while a crawl writes;
    ``synchronous=NORMAL`` in WAL mode still never corrupts the file on a crash, it may only lose
    the last transactions.
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
        register_functions(conn)
        db = Database(conn)
        _refuse_newer(db, path)
        if verify:
            check_integrity(db, path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
        return db
    except sqlite3.Error as exc:
        # SQLITE_CORRUPT and SQLITE_NOTADB arrive as the base DatabaseError itself
        damaged = type(exc) is sqlite3.DatabaseError
        kind = ArchiveCorrupt if damaged else ArchiveUnavailable
        raise kind(f"archive {path} unavailable: {exc}") from exc
    except OSError as exc:
        raise ArchiveUnavailable(f"archive {path} unavailable: {exc}") from exc


def register_functions(conn: sqlite3.Connection) -> None:
    """The functions the schema's triggers call (the character index, the unit spelling): a
    connection without them cannot write a report, so every writer gets them here."""
    charindex.register(conn)
    places.register(conn)


def _refuse_newer(db: Database, path: Path) -> None:
    unknown = unknown_migrations(db)
    if unknown:
        db.close()
        raise ArchiveTooNew(
            f"archive {path} was written by a newer govreports (schema migration(s) "
            f"{', '.join(unknown)} unknown to govreports {__version__}): upgrade govreports to "
            "use it; nothing was written"
        )


def check_integrity(db: Database, path: str | Path) -> None:
    """SQLite's quick_check (every page and index readable, in order; seconds per gigabyte)."""
    problems = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        db.close()
        raise ArchiveCorrupt(
            f"archive {path} is damaged (PRAGMA quick_check: {'; '.join(problems)}): restore it "
            "from a backup or recover it with sqlite3 .recover; nothing was written"
        )


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
