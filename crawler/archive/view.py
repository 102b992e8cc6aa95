"""The archive as its readers see it: search, reports, raw bytes, counts and run history.

Every query command (search, show, export, status, serve) and the run lifecycle's reads go
through this class; none of them holds SQL of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from crawler.archive import reports, runs, search
from crawler.archive.connection import open_archive


class ArchiveView:
    """Read access to one archive file (read-only when opened with `ArchiveView.open`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(cls, path: str | Path) -> ArchiveView:
        """Open an existing archive read-only (raises ArchiveUnavailable if there is none)."""
        return cls(open_archive(path, readonly=True))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ArchiveView:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- search and reports ------------------------------------------------------------------
    def search(
        self, query: str, filters: search.Filters | None = None, limit: int | None = 20
    ) -> list[search.Hit]:
        return search.search(self.db, query, filters, limit)

    def matching_ids(self, query: str, filters: search.Filters | None = None) -> set[int]:
        return search.matching_ids(self.db, query, filters)

    def scan_ids(self, term: str) -> set[int]:
        return search.scan_ids(self.db, term)

    def report(self, report_id: int) -> dict:
        """One report with its captures, attachments, versions and sightings (ReportNotFound)."""
        return reports.report_detail(self.db, report_id)

    def reports(
        self, filters: search.Filters | None = None, query: str | None = None
    ) -> Iterator[dict]:
        return reports.iter_reports(self.db, filters, query)

    def blob(self, sha256: str) -> bytes | None:
        return reports.blob_body(self.db, sha256)

    def report_urls(self, portal: str) -> list[set[str]]:
        return reports.report_urls(self.db, portal)

    def report_counts(self, portal: str) -> tuple[int, int]:
        return reports.report_counts(self.db, portal)

    def portal_counts(self) -> list[tuple[str, int, int]]:
        return reports.portal_counts(self.db)

    def reports_by_year(self) -> list[tuple[str, int | None, int]]:
        return reports.reports_by_year(self.db)

    def report_count(self) -> int:
        return reports.report_count(self.db)

    def capture_urls(self) -> list[str]:
        return reports.capture_urls(self.db)

    def check_searchable(self) -> None:
        reports.is_searchable(self.db)

    # --- run history ---------------------------------------------------------------------------
    def recent_runs(self, limit: int) -> list[dict[str, Any]]:
        return runs.recent_runs(self.db, limit)

    def runs_with_stats(self) -> Iterator[dict[str, Any]]:
        return runs.runs_with_stats(self.db)

    def running_runs(self) -> list[tuple[str, int | None, str | None]]:
        return runs.running_runs(self.db)

    def run_stats(self) -> list[dict[str, Any]]:
        return runs.run_stats(self.db)
