"""The `runs` table: one row per crawl run, written at its start and at its end.

Rows are handed out as plain dicts (column -> value, `stats` still JSON text): what a run's
health means is the run lifecycle's business (crawler.history), not the archive's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from crawler import __version__
from crawler.clock import utc_now


def start_run(db: Database, run_id: str, spiders: list[str], pid: int) -> None:
    with db.atomic():
        db["runs"].upsert(
            {
                "id": run_id,
                "started_at": utc_now(),
                "spiders": json.dumps(spiders),
                "status": "running",
                "pid": pid,
                "crawler_version": __version__,
            },
            pk="id",
        )


def finish_run(
    db: Database, run_id: str, stats: dict[str, Any], exit_status: int, status: str
) -> None:
    with db.atomic():
        db["runs"].update(
            run_id,
            {
                "finished_at": utc_now(),
                "stats": json.dumps(stats, ensure_ascii=False, default=str),
                "exit_status": exit_status,
                "status": status,
            },
        )


def recent_runs(db: Database, limit: int) -> list[dict[str, Any]]:
    """The last `limit` run rows, newest first."""
    sql = "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?"
    return list(_rows(db, sql, [limit]))


def runs_with_stats(db: Database) -> Iterator[dict[str, Any]]:
    """Every run row that recorded a summary, newest first."""
    sql = "SELECT * FROM runs WHERE stats IS NOT NULL ORDER BY started_at DESC, rowid DESC"
    return _rows(db, sql, [])


def running_runs(db: Database) -> list[tuple[str, int | None, str | None]]:
    """(id, pid, started_at) of every row still `running`."""
    sql = "SELECT id, pid, started_at FROM runs WHERE status = 'running'"
    return [tuple(row) for row in db.execute(sql).fetchall()]


def mark_aborted(db: Database, run_ids: list[str], when: str) -> None:
    with db.atomic():
        for run_id in run_ids:
            db["runs"].update(run_id, {"status": "aborted", "finished_at": when})


def run_stats(db: Database) -> list[dict[str, Any]]:
    """Each run's stored summary (portal -> health dict), oldest first."""
    rows = db.execute("SELECT stats FROM runs ORDER BY started_at, rowid").fetchall()
    return [json.loads(stats) if stats else {} for (stats,) in rows]


def _rows(db: Database, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(columns, row, strict=True))
