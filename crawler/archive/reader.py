"""Read-only lookups of incremental state (what was fetched before, and as which report).

Opened on first use, after the writer has created the archive; without an archive every lookup
answers "nothing known", so a first crawl simply fetches everything.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.archive.connection import ArchiveUnavailable, open_archive

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredCapture:
    id: int
    url: str
    final_url: str
    status: int
    headers: dict[str, list[str]]
    sha256: str
    fetched_at: str
    run_id: str

    def header(self, name: str) -> str | None:
        for key, values in self.headers.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None


class ArchiveReader:
    """Incremental state, read through its own read-only connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._db: Database | None = None
        self._unavailable = False
        self._missing = False  # no file yet: looked for again at each lookup (one stat)

    def _conn(self) -> Database | None:
        if self._db is not None or self._unavailable:
            return self._db
        if self._missing and not Path(self.path).exists():
            return None
        try:
            self._db = open_archive(self.path, readonly=True)
            self._missing = False
        except ArchiveUnavailable as exc:
            if not self._missing:
                log.warning("incremental state unavailable (%s): fetching everything", exc)
            # A reader shared by the crawlers of a process may be asked before any writer has
            # created the file; a file that exists and cannot be read stays unavailable.
            self._missing = not Path(self.path).exists()
            self._unavailable = not self._missing
        return self._db

    def _one(self, sql: str, params: list[Any]) -> tuple | None:
        db = self._conn()
        return db.execute(sql, params).fetchone() if db is not None else None

    def latest_capture(
        self, url: str, kind: str, not_run: str | None = None
    ) -> StoredCapture | None:
        """The newest capture of `url` as requested (of another run than `not_run`)."""
        row = self._one(
            """SELECT id, url, final_url, status, headers, sha256, fetched_at, run_id
               FROM captures WHERE url = ? AND kind = ? AND run_id IS NOT ?
               ORDER BY id DESC LIMIT 1""",
            [url, kind, not_run],
        )
        if row is None:
            return None
        return StoredCapture(*row[:4], json.loads(row[4] or "{}"), *row[5:])

    def extraction(self, sha256: str) -> dict[str, Any] | None:
        """What an earlier run extracted from these exact bytes (a deterministic outcome only:
        a timeout may go better next time)."""
        row = self._one(
            """SELECT mime, text, method, status, error FROM attachments
               WHERE sha256 = ? AND status NOT IN ('timeout', 'fetch_failed')
               ORDER BY id DESC LIMIT 1""",
            [sha256],
        )
        return (
            dict(zip(("mime", "text", "method", "status", "error"), row, strict=True))
            if row
            else None
        )

    def body(self, sha256: str) -> bytes | None:
        row = self._one("SELECT body FROM blobs WHERE sha256 = ?", [sha256])
        return row[0] if row else None

    def live_report(self, url: str) -> int | None:
        """The report `url` was last sighted as (a re-post counts as its original), if not gone."""
        row = self._one(
            """SELECT r.id, r.gone_at FROM sightings s JOIN reports r ON r.id = s.report_id
               WHERE s.url = ? ORDER BY s.id DESC LIMIT 1""",
            [url],
        )
        return row[0] if row and row[1] is None else None

    def sighted_in(self, report_id: int, run_id: str) -> bool:
        sql = "SELECT 1 FROM sightings WHERE report_id = ? AND run_id = ? LIMIT 1"
        return self._one(sql, [report_id, run_id]) is not None

    def warc_original(self, sha256: str) -> tuple[str, str] | None:
        """(final URL, fetch time) of the first capture of these bytes that has a WARC record:
        what a revisit record of the same bytes refers to (crawler/warc.py)."""
        row = self._one(
            """SELECT final_url, fetched_at FROM captures
               WHERE sha256 = ? AND warc_file IS NOT NULL ORDER BY id LIMIT 1""",
            [sha256],
        )
        return (row[0], row[1]) if row else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
