"""Row writes on the crawl's hot path, as plain prepared statements.

sqlite-utils' Table API introspects the schema on every call (a dozen catalogue queries per
stored report); the tables written per report are known, so their statements are built once
and SQLite's statement cache reuses them. Table and column names come from this package's
code, never from input.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlite_utils import Database


@cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


@cache
def _update_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"


def insert(db: Database, table: str, row: dict[str, Any]) -> int:
    """Insert `row`; its rowid."""
    columns = tuple(row)
    return db.conn.execute(_insert_sql(table, columns), list(row.values())).lastrowid


def update(db: Database, table: str, row_id: Any, changes: dict[str, Any]) -> None:
    """Set `changes` on the row whose `id` is `row_id`."""
    columns = tuple(changes)
    db.conn.execute(_update_sql(table, columns), [*changes.values(), row_id])


def get(db: Database, table: str, row_id: Any) -> dict[str, Any] | None:
    cursor = db.conn.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row, strict=True)) if row else None
