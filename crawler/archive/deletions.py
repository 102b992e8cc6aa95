"""Deletions: which reports a run proves gone, judged per column (crawler/columns.py).

A run records what each of its columns listed (`listings`: run, column, URL, the HTTP status the
URL answered). A report the run did not sight is marked gone when

- every column that listed it in the last run that sighted it (`sightings.column_key`) was read
  completely in this run (the run lifecycle says which: crawler.gone), or, for a report sighted
  before columns were recorded, the portal's whole run was complete (`legacy`); and
- none of its URLs was listed in this run with an answer other than 404/410: a listed URL that
  was refused, redirected away, dropped as a loop, timed out or answered 200 without becoming a
  sighting keeps its report as it was (it is still listed).

Gone is a mark (`reports.gone_at`), never a deletion; a later sighting clears it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlite_utils import Database

# Answers that prove a listed report page no longer exists.
DELETED_STATUSES = (404, 410)


@dataclass(frozen=True)
class Listing:
    column: str
    url: str
    status: int | None  # the final HTTP status of the listed URL; None: no answer


@dataclass(frozen=True)
class Candidate:
    """A report of the portal not sighted in the run, with what the archive knows of it."""

    report_id: int
    columns: frozenset[str]  # columns that listed it in the last run that sighted it
    still_listed: bool  # one of its URLs listed in this run without a proof of deletion


def record_listings(db: Database, run_id: str, listings: Iterable[Listing]) -> None:
    db.conn.executemany(
        """INSERT INTO listings (run_id, column_key, url, status) VALUES (?, ?, ?, ?)
           ON CONFLICT (run_id, url, column_key) DO UPDATE SET status = excluded.status""",
        [(run_id, item.column, item.url, item.status) for item in listings],
    )


_CANDIDATES = f"""
SELECT r.id,
  (SELECT json_group_array(s.column_key) FROM sightings s
    WHERE s.report_id = r.id
      AND s.run_id = (SELECT max(s2.run_id) FROM sightings s2 WHERE s2.report_id = r.id)),
  EXISTS (SELECT 1 FROM sightings s
          JOIN captures c ON c.id = s.capture_id
          JOIN listings l ON l.run_id = :run AND l.url = c.url
          WHERE s.report_id = r.id
            AND (l.status IS NULL OR l.status NOT IN {DELETED_STATUSES}))
FROM reports r
WHERE r.portal = :portal AND r.gone_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM sightings s WHERE s.report_id = r.id AND s.run_id = :run)
"""


def candidates(db: Database, portal: str, run_id: str) -> list[Candidate]:
    rows = db.conn.execute(_CANDIDATES, {"run": run_id, "portal": portal}).fetchall()
    return [
        Candidate(report_id, frozenset(c for c in json.loads(columns or "[]") if c), bool(listed))
        for report_id, columns, listed in rows
    ]


def proven_gone(
    candidate: Candidate, complete_columns: Collection[str] | None, legacy: bool
) -> bool:
    """Does this run prove `candidate` deleted?  `complete_columns` None: every column of the
    portal was read completely."""
    if candidate.still_listed:
        return False
    if not candidate.columns:  # sighted before columns were recorded (or never sighted)
        return legacy
    return complete_columns is None or candidate.columns <= set(complete_columns)


def mark_gone(
    db: Database,
    portal: str,
    run_id: str,
    when: str,
    complete_columns: Collection[str] | None = None,
    legacy: bool = True,
) -> int:
    """Mark the portal's reports this run proves deleted; how many."""
    doomed = [
        c.report_id
        for c in candidates(db, portal, run_id)
        if proven_gone(c, complete_columns, legacy)
    ]
    db.conn.executemany(
        "UPDATE reports SET gone_at = ? WHERE id = ? AND gone_at IS NULL",
        [(when, report_id) for report_id in doomed],
    )
    return len(doomed)
