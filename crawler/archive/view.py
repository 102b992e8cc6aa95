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

from crawler.archive import (
    figure_queries,
    jobqueue,
    overview,
    places,
    reports,
    runs,
    search,
    webarchive,
)
from crawler.archive.connection import open_archive
from crawler.figures.report import AttachmentSource


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
        self,
        query: str,
        filters: search.Filters | None = None,
        limit: int | None = 20,
        offset: int = 0,
    ) -> list[search.Hit]:
        return search.search(self.db, query, filters, limit, offset)

    def tally(self, query: str, filters: search.Filters | None = None) -> search.Tally:
        """Total matches and their facets by portal, year and place."""
        return search.tally(self.db, query, filters)

    def ids_by(self, term: str, how: str) -> set[int]:
        return search.ids_by(self.db, term, how)

    def index_sizes(self) -> dict[str, int]:
        return search.index_sizes(self.db)

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

    # --- places --------------------------------------------------------------------------------
    def portal_places(self) -> list[dict[str, Any]]:
        """Each portal's declared place and division code."""
        return list(places.portal_places(self.db))

    def portal_declaration(self, portal: str) -> tuple[str | None, str | None, str | None] | None:
        """(name, city, county) as the portal's spider last declared them; None if never."""
        return places.declared(self.db, portal)

    # --- the web UI's overview ---------------------------------------------------------------
    def year_counts(self) -> list[tuple[str, int | None, int]]:
        return overview.year_counts(self.db)

    def portal_overview(self) -> list[dict[str, Any]]:
        """Each portal with its place, report and unit counts and years (the web UI's home)."""
        return overview.portals(self.db)

    def totals(self) -> dict[str, int]:
        return overview.totals(self.db)

    def report_place(self, report_id: int) -> dict[str, Any] | None:
        return overview.report_place(self.db, report_id)

    def capture_of_report(self, report_id: int, capture_id: int) -> dict[str, Any] | None:
        return overview.capture_of_report(self.db, report_id, capture_id)

    def received_per_place(self) -> list[dict[str, Any]] | None:
        """The web UI's figures page: requests_received of every portal, by place."""
        return overview.requests_received(self.db)

    def check_statuses(self) -> list[dict[str, Any]] | None:
        return overview.check_statuses(self.db)

    # --- figures -------------------------------------------------------------------------------
    def figures(self, filters: figure_queries.FigureFilters) -> Iterator[dict]:
        """Current figures, one row per cell (figure_queries.FIGURE_COLUMNS)."""
        return figure_queries.figure_rows(self.db, filters)

    def figure_checks(
        self, filters: figure_queries.FigureFilters, status: str | None = None
    ) -> Iterator[dict]:
        return figure_queries.check_rows(self.db, filters, status)

    def requests_received(self, filters: figure_queries.FigureFilters) -> list[dict]:
        return figure_queries.requests_received(self.db, filters)

    def requests_received_per_unit(self, filters: figure_queries.FigureFilters) -> list[dict]:
        return figure_queries.requests_received_per_unit(self.db, filters)

    def figure_counts(self) -> dict[str, int]:
        return figure_queries.figure_counts(self.db)

    def report_attachments(self, report_id: int) -> list[AttachmentSource]:
        return figure_queries.report_attachments(self.db, report_id)

    # --- extraction jobs -----------------------------------------------------------------------
    def job_counts(self) -> dict[tuple[str, str], int]:
        """(kind, status) -> jobs of the extraction queue; empty for an archive without one."""
        if not self.db["extraction_jobs"].exists():  # an archive older than m010, read-only
            return {}
        return jobqueue.counts(self.db)

    # --- run history ---------------------------------------------------------------------------
    def recent_runs(self, limit: int) -> list[dict[str, Any]]:
        return runs.recent_runs(self.db, limit)

    def runs_with_stats(self) -> Iterator[dict[str, Any]]:
        return runs.runs_with_stats(self.db)

    def running_runs(self) -> list[tuple[str, int | None, str | None]]:
        return runs.running_runs(self.db)

    def run_stats(self) -> list[dict[str, Any]]:
        return runs.run_stats(self.db)

    # --- web archive (crawler/webarchive/) -----------------------------------------------------
    def export_reports(self, **selection: Any) -> list[dict[str, Any]]:
        """Reports to package: report_id, portal, year, run_id (any of them)."""
        return webarchive.export_reports(self.db, **selection)

    def report_captures(self, report_id: int) -> list[dict[str, Any]]:
        return webarchive.report_captures(self.db, report_id)

    def earlier_records(self, sha256: str, before_id: int) -> list[dict[str, Any]]:
        return webarchive.earlier_records(self.db, sha256, before_id)

    def warc_captures(self, run_id: str | None = None) -> Iterator[dict[str, Any]]:
        return webarchive.warc_captures(self.db, run_id)

    def blobs(self, run_id: str | None = None) -> Iterator[tuple[str, bytes]]:
        return webarchive.blobs(self.db, run_id)

    def blob_bytes(self) -> int:
        return webarchive.blob_bytes(self.db)

    def run_ids(self) -> list[str]:
        return webarchive.run_ids(self.db)

    @property
    def folder(self) -> Path:
        """The archive's folder: WARC paths in captures are relative to it."""
        name = self.db.execute("PRAGMA database_list").fetchone()[2]
        return Path(name).parent
