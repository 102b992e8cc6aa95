"""The character index `reports_chars`: FTS5 where every character of a report is one token.

The trigram index cannot match terms of 1-2 characters (公开, 年报), and LIKE scans cost more as
the archive grows. FTS5's built-in unicode61 tokenizer, fed a shadow text in which every
character stands alone (``依申请公开`` -> ``依 申 请 公 开``), turns any substring into a phrase
query (``"申 请 公"``) answered from the index: no SQLite extension, so Datasette and the sqlite3
shell can query it too.

- ``categories`` makes letters, digits, marks, punctuation and symbols tokens, so ``，`` and
  ``《`` take part in a phrase as they do in LIKE; each whitespace character becomes the token
  ``WHITESPACE``, so a term never matches across a line break (LIKE would not either).
- ``remove_diacritics 0``: é is not e (LIKE and trigram do not fold accents either); case is
  folded, as LIKE and trigram fold ASCII.
- The table is contentless (``content=''``): it holds the index only, never a second copy of the
  texts. The triggers call the SQL function ``govreports_chars_v1`` that every writer connection
  registers (crawler.archive.connection); a contentless table deletes a row by being sent the
  same tokens again, so the function must never change: a new rule takes a new name and a
  migration that rebuilds the table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sqlite_utils import Database

TABLE = "reports_chars"
FUNCTION = "govreports_chars_v1"
COLUMNS = ("title", "text", "attachment_text")
WHITESPACE = "␣"  # U+2423: a symbol (So), hence a token under the categories below
TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'"


def spaced(text: str | None) -> str | None:
    """The shadow text: every character one token (whitespace as WHITESPACE)."""
    if text is None:
        return None
    return " ".join(WHITESPACE if c.isspace() else c for c in text)


def phrase(term: str) -> str:
    """An FTS5 phrase matching ``term`` as a substring of a spaced text; user input is quoted,
    so it is never FTS syntax."""
    return '"' + spaced(term).replace('"', '""') + '"'


def register(conn: sqlite3.Connection) -> None:
    """Make the triggers' function available on a writer connection."""
    conn.create_function(FUNCTION, 1, spaced, deterministic=True)


def _values(prefix: str) -> str:
    return ", ".join(f"{FUNCTION}({prefix}.{c})" for c in COLUMNS)


def create(db: Database) -> None:
    """The table and the triggers that keep it in step with `reports`."""
    columns = ", ".join(COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5({columns}, content='', tokenize=\"{TOKENIZE}\")"
    )
    db.execute(
        f"""CREATE TRIGGER {TABLE}_ai AFTER INSERT ON reports BEGIN
              INSERT INTO {TABLE} (rowid, {columns}) VALUES (new.id, {_values("new")});
            END"""
    )
    db.execute(
        f"""CREATE TRIGGER {TABLE}_ad AFTER DELETE ON reports BEGIN
              INSERT INTO {TABLE} ({TABLE}, rowid, {columns})
                VALUES ('delete', old.id, {_values("old")});
            END"""
    )
    # Only when an indexed column changed: sightings update last_seen on every run.
    db.execute(
        f"""CREATE TRIGGER {TABLE}_au AFTER UPDATE OF title, text, attachment_text ON reports
              WHEN old.title IS NOT new.title OR old.text IS NOT new.text
                OR old.attachment_text IS NOT new.attachment_text
            BEGIN
              INSERT INTO {TABLE} ({TABLE}, rowid, {columns})
                VALUES ('delete', old.id, {_values("old")});
              INSERT INTO {TABLE} (rowid, {columns}) VALUES (new.id, {_values("new")});
            END"""
    )


def fill(db: Database, batch: int = 500) -> int:
    """Index every report already in the archive (the migration's backfill); how many."""
    count = 0
    cursor = db.execute(f"SELECT id, {', '.join(COLUMNS)} FROM reports ORDER BY id")
    while rows := cursor.fetchmany(batch):
        db.conn.executemany(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?)",
            _spaced_rows(rows),
        )
        count += len(rows)
    return count


def _spaced_rows(rows: Iterable[tuple]) -> Iterable[tuple]:
    for id_, *texts in rows:
        yield (id_, *(spaced(t) for t in texts))
