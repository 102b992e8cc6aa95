"""The extraction queue (`extraction_jobs`, m010): attachment files waiting for text extraction
or OCR, one job per distinct file and kind, taken by any node and finished by it.

Taking a job is one UPDATE that claims the oldest queued row, so two workers on one archive
never take the same job; a job taken by a node that died goes back to the queue when its lease
runs out.  Only the queue exists so far: the crawl does not yet enqueue instead of extracting,
and no worker command runs jobs (docs/scale-out.md, "Extraction and OCR as jobs").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from crawler.clock import utc_now

KINDS = ("extract", "ocr")


@dataclass(frozen=True)
class ExtractionJob:
    id: int
    sha256: str
    kind: str


def enqueue(db: Database, sha256: str, kind: str) -> bool:
    """Queue `kind` work on the file `sha256`; False if that job exists already (any state)."""
    if kind not in KINDS:
        raise ValueError(f"unknown extraction kind {kind!r}; known: {', '.join(KINDS)}")
    with db.atomic():
        cursor = db.execute(
            """INSERT OR IGNORE INTO extraction_jobs (sha256, kind, status, queued_at)
               VALUES (?, ?, 'queued', ?)""",
            [sha256, kind, utc_now()],
        )
    return cursor.rowcount == 1


def take(db: Database, node: str, kind: str, lease_expired_before: str) -> ExtractionJob | None:
    """Claim the oldest queued job of `kind` for `node` (or one whose taker's lease, taken
    before `lease_expired_before`, ran out); None when there is nothing to do."""
    with db.atomic():
        row = db.execute(
            """UPDATE extraction_jobs SET status = 'taken', node = ?, taken_at = ?
               WHERE id = (SELECT id FROM extraction_jobs
                           WHERE kind = ? AND (status = 'queued'
                                 OR (status = 'taken' AND taken_at < ?))
                           ORDER BY queued_at, id LIMIT 1)
               RETURNING id, sha256, kind""",
            [node, utc_now(), kind, lease_expired_before],
        ).fetchone()
    return ExtractionJob(*row) if row else None


def finish(db: Database, job_id: int, error: str | None = None) -> None:
    """The job is done (or failed with `error`)."""
    status = "failed" if error else "done"
    with db.atomic():
        db.execute(
            "UPDATE extraction_jobs SET status = ?, finished_at = ?, error = ? WHERE id = ?",
            [status, utc_now(), error, job_id],
        )


def counts(db: Database) -> dict[tuple[str, str], int]:
    """(kind, status) -> jobs: the backlog a dashboard shows."""
    rows = db.execute("SELECT kind, status, count(*) FROM extraction_jobs GROUP BY kind, status")
    return {(kind, status): n for kind, status, n in rows}
