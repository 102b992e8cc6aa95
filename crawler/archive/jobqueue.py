"""The extraction queue (`extraction_jobs`, m010): attachment files waiting for text extraction
or OCR, one job per distinct file and kind, taken by any node and finished by it.

Taking a job is one UPDATE that claims the oldest queued row, so two workers on one archive
never take the same job; a job taken by a node that died goes back to the queue when its lease
runs out.  A crawl with `OCR_DEFERRED` queues `ocr` jobs as it stores the attachments that wait
for them (`ensure_queued`, crawler/archive/attachments.py); `govreports jobs work` (crawler/jobs.py)
takes and finishes them; `govreports merge` carries a shard's waiting jobs into the target.
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


def ensure_queued(db: Database, sha256: str, kind: str) -> bool:
    """A file has attachments waiting for `kind` work: queue its job, or queue it again if it
    finished (the file came back as new rows, e.g. a `--full` crawl or another shard's); a job
    queued or taken already stays as it is.  True if a job was queued."""
    if enqueue(db, sha256, kind):
        return True
    with db.atomic():
        cursor = db.execute(
            """UPDATE extraction_jobs SET status = 'queued', queued_at = ?, node = NULL,
                      taken_at = NULL, finished_at = NULL, error = NULL
               WHERE sha256 = ? AND kind = ? AND status IN ('done', 'failed')""",
            [utc_now(), sha256, kind],
        )
    return cursor.rowcount == 1


def requeue_failed(db: Database, kind: str) -> int:
    """Queue the failed jobs of `kind` again (a missing OCR engine installed, a limit raised)."""
    with db.atomic():
        cursor = db.execute(
            """UPDATE extraction_jobs SET status = 'queued', node = NULL, taken_at = NULL,
                      finished_at = NULL, error = NULL
               WHERE kind = ? AND status = 'failed'""",
            [kind],
        )
    return cursor.rowcount


def pending(db: Database, kind: str | None = None) -> list[tuple[str, str]]:
    """(sha256, kind) of the jobs not finished (queued or taken), oldest first."""
    where, args = ("AND kind = ?", [kind]) if kind else ("", [])
    sql = f"""SELECT sha256, kind FROM extraction_jobs WHERE status IN ('queued', 'taken')
              {where} ORDER BY queued_at, id"""
    return [(sha, k) for sha, k in db.execute(sql, args)]


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
