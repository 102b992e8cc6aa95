"""Writing the archive: one transaction per report, so a crash never leaves half a report.

Identity (is this page a report we already hold?) is decided inside the same transaction as the
write (crawler.archive.identity), so two twins arriving together cannot both become new reports.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.archive import (
    attachments,
    captures,
    deletions,
    figures,
    identity,
    jobqueue,
    places,
    recleaning,
    rows,
    runs,
    similar,
    versions,
)
from crawler.archive.connection import open_archive
from crawler.archive.view import ArchiveView
from crawler.figures.report import ReportFigures
from crawler.items import Capture, ReportItem
from crawler.places import Place


def _on_domain(url: str | None, domain: str) -> bool:
    host = urlsplit(url or "").hostname or ""
    return host == domain or host.endswith("." + domain)


@dataclass(frozen=True)
class StoreResult:
    report_id: int
    outcome: str  # new | unchanged | new_version | same_bytes | same_text
    capture_id: int | None = field(default=None, compare=False)  # the page's capture row


@dataclass(frozen=True)
class _Change:
    outcome: str
    owner: bool = False  # the item is the report's own page: its attachments are the report's
    relink: bool = False  # the report's text changed: near-duplicate links are recomputed


@dataclass(frozen=True)
class CleanedText:
    """What cleaning makes of a page: the report columns `reclean` may change."""

    text: str
    text_sha256: str | None
    template_version: str | None
    sections: list[str]


def _text_of(item: ReportItem, capture_id: int) -> versions.Text:
    return versions.Text(item.title, item.text, item.text_sha256, capture_id)


class Archive(ArchiveView):
    """The archive as the crawl writes it.  Not thread-safe: use it from one thread."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        # near-duplicates at or above this similarity are linked in `related` (see similar.py)
        self.related_threshold = similar.DEFAULT_THRESHOLD

    @classmethod
    def open(cls, path: str | Path, *, verify: bool = False) -> Archive:
        """Open for writing (created and migrated as needed).  ``verify`` runs SQLite's
        quick_check first: what a run or a reclean does before it writes."""
        return cls(open_archive(path, verify=verify))

    def transaction(self) -> AbstractContextManager[Database]:
        """One transaction (a savepoint when nested): all of it lands, or none of it."""
        return self.db.atomic()

    # --- runs ------------------------------------------------------------------------------
    def start_run(self, run_id: str, spiders: list[str], pid: int) -> None:
        runs.start_run(self.db, run_id, spiders, pid)

    def finish_run(self, run_id: str, stats: dict[str, Any], exit_status: int, status: str) -> None:
        runs.finish_run(self.db, run_id, stats, exit_status, status)

    def mark_runs_aborted(self, run_ids: list[str], when: str) -> None:
        runs.mark_aborted(self.db, run_ids, when)

    # --- places ----------------------------------------------------------------------------
    def declare_portal(
        self,
        portal: str,
        name: str | None,
        city: str | None,
        county: str | None,
        place: Place | None,
    ) -> None:
        """Record the name and place a portal's spider declares; re-place the portal's reports."""
        places.declare(self.db, portal, name, city, county, place)

    # --- reports ---------------------------------------------------------------------------
    def store(self, item: ReportItem) -> StoreResult:
        """Store one report page (and its attachments) as a new report, a new version, or a
        sighting of the report it is, in one transaction."""
        with self.db.atomic():
            capture_id = captures.store_capture(self.db, item.capture)
            match = identity.find_existing(self.db, item)
            if match is None:
                report_id = self._insert_report(item, capture_id)
                change = _Change("new", owner=True, relink=True)
            else:
                report_id, reason = match
                change = self._update_report(report_id, reason, item, capture_id)
            sighting = {
                "report_id": report_id,
                "url": item.url,
                "capture_id": capture_id,
                "run_id": item.capture.run_id,
                "seen_at": item.capture.fetched_at,
                "reason": "first" if change.outcome == "new" else change.outcome,
                "column_key": item.column,
            }
            rows.insert(self.db, "sightings", sighting)
            self._store_attachments(report_id, item, change.owner)
            if change.owner and item.figures is not None:  # a re-post's numbers are not its
                figures.store_figures(self.db, report_id, item.figures, item.capture.fetched_at)
            if change.relink:
                similar.link_related(self.db, report_id, self.related_threshold)
        return StoreResult(report_id, change.outcome, capture_id)

    def sight(
        self,
        report_id: int,
        url: str,
        capture_id: int,
        run_id: str,
        seen_at: str,
        column: str | None = None,
    ) -> None:
        """A report seen again without a new fetch (its list page proved it unchanged): one
        sighting pointing at the capture that holds its bytes; nothing is copied.  `column`:
        the column that listed it."""
        with self.db.atomic():
            sighting = {
                "report_id": report_id,
                "url": url,
                "capture_id": capture_id,
                "run_id": run_id,
                "seen_at": seen_at,
                "reason": "unchanged",
                "column_key": column,
            }
            rows.insert(self.db, "sightings", sighting)
            rows.update(self.db, "reports", report_id, {"last_seen": seen_at, "gone_at": None})

    def record_listings(self, run_id: str, listings: Iterable[deletions.Listing]) -> None:
        """What each column of a run listed, and how each listed URL answered."""
        with self.db.atomic():
            deletions.record_listings(self.db, run_id, listings)

    def mark_gone(
        self,
        portal: str,
        run_id: str,
        when: str,
        complete_columns: Collection[str] | None = None,
        legacy: bool = True,
    ) -> int:
        """Mark gone (never delete; a later sighting clears gone_at) the reports of `portal` that
        run `run_id` proves deleted: not sighted, their columns in `complete_columns` (None:
        every column was read completely; `legacy`: reports sighted before columns were
        recorded may be judged), and not listed in this run without a 404/410
        (crawler.archive.deletions).  Returns how many."""
        with self.db.atomic():
            return deletions.mark_gone(self.db, portal, run_id, when, complete_columns, legacy)

    def bulk_load_reports(self, reports: Iterable[dict[str, Any]], batch_size: int = 2000) -> None:
        """Report rows as they are, in one transaction (benchmarks): no capture, version or
        sighting is made; the full-text triggers index each row."""
        with self.db.atomic():
            self.db["reports"].insert_all(reports, batch_size=batch_size)

    def store_list_capture(self, capture: Capture) -> None:
        """A list page: its blob and capture row together, no report."""
        with self.db.atomic():
            self.store_capture(capture)

    def store_capture(self, capture: Capture) -> int:
        """A capture (and its blob) on its own: one transaction, like every public write."""
        with self.db.atomic():
            return captures.store_capture(self.db, capture)

    def _report_row(self, item: ReportItem, capture_id: int) -> dict[str, Any]:
        return {
            "portal": item.portal,
            "unit": item.unit,
            "title": item.title,
            "report_year": item.report_year,
            "published_at": item.published_at,
            "text": item.text,
            "text_sha256": item.text_sha256,
            "attachment_text": item.attachment_text,
            "template_version": item.template_version,
            "sections": json.dumps(item.sections, ensure_ascii=False),
            "capture_id": capture_id,
        }

    def _insert_report(self, item: ReportItem, capture_id: int) -> int:
        seen = item.capture.fetched_at
        row = self._report_row(item, capture_id)
        row.update(canonical_url=item.canonical_url, first_seen=seen, last_seen=seen, gone_at=None)
        report_id = rows.insert(self.db, "reports", row)
        versions.open_version(self.db, report_id, _text_of(item, capture_id), seen)
        return report_id

    def _update_report(
        self, report_id: int, reason: str, item: ReportItem, capture_id: int
    ) -> _Change:
        current = rows.get(self.db, "reports", report_id)
        seen: dict[str, Any] = {"last_seen": item.capture.fetched_at, "gone_at": None}
        if reason == "canonical_url":
            # Any edit is a version (researchers study punctuation and figure changes too).
            if (current["text"], current["attachment_text"]) == (item.text, item.attachment_text):
                rows.update(self.db, "reports", report_id, seen)
                return _Change("unchanged", owner=True)
            # Same URL, new text: close the old version and keep it; the report shows the new.
            changes = {**self._report_row(item, capture_id), **seen}
            text = _text_of(item, capture_id)
            versions.revise(self.db, report_id, text, changes, item.capture.fetched_at)
            return _Change("new_version", owner=True, relink=True)
        if self._moves_home(current["canonical_url"], item):
            self._rehome(report_id, item, capture_id, seen)
            return _Change(reason, owner=True, relink=True)
        rows.update(self.db, "reports", report_id, seen)  # a twin or a re-post: a sighting only
        return _Change(reason)

    def _moves_home(self, canonical_url: str, item: ReportItem) -> bool:
        """A report first archived from a re-post (the city portal) takes its own portal's page
        once it is seen there, whatever order the crawl met the two pages in."""
        home = item.home_domain
        if not home or _on_domain(canonical_url, home) or not _on_domain(item.canonical_url, home):
            return False
        taken = self.db.execute(
            "SELECT 1 FROM reports WHERE canonical_url = ?", [item.canonical_url]
        ).fetchone()
        return taken is None

    def _rehome(
        self, report_id: int, item: ReportItem, capture_id: int, seen: dict[str, Any]
    ) -> None:
        """The portal's own page owns the report: its URL, title, unit, publication date, text
        and attachments replace the re-post's, as if it had come first (the re-post's bytes
        stay in captures, its URL in sightings)."""
        attachments.drop_attachments(self.db, report_id)
        versions.rehome_version(self.db, report_id, _text_of(item, capture_id))
        changes = {**self._report_row(item, capture_id), **seen}
        changes["canonical_url"] = item.canonical_url
        rows.update(self.db, "reports", report_id, changes)

    def _store_attachments(self, report_id: int, item: ReportItem, owner: bool) -> None:
        """The owning page's attachments are the report's; a re-post's or a twin's files are
        kept as captures (nothing fetched is lost) but do not become the report's."""
        seen = item.capture.fetched_at
        for attachment in [*item.attachments, *item.images]:
            if owner:
                attachments.store_attachment(self.db, report_id, attachment, seen)
            elif attachment.capture is not None:
                captures.store_capture(self.db, attachment.capture)

    # --- figures -----------------------------------------------------------------------------
    def store_figures(self, report_id: int, result: ReportFigures, when: str) -> str:
        """A report's figures computed again (reclean): its current set unless they equal it
        (``figures.UNCHANGED``); the unit's cross-year checks follow."""
        with self.db.atomic():
            return figures.store_figures(self.db, report_id, result, when)

    # --- extraction jobs (crawler/jobs.py) ------------------------------------------------------
    def take_job(
        self, node: str, kind: str, lease_expired_before: str
    ) -> jobqueue.ExtractionJob | None:
        return jobqueue.take(self.db, node, kind, lease_expired_before)

    def finish_job(self, job_id: int, error: str | None = None) -> None:
        jobqueue.finish(self.db, job_id, error)

    def requeue_failed_jobs(self, kind: str) -> int:
        return jobqueue.requeue_failed(self.db, kind)

    def is_awaited(self, sha256: str, kind: str) -> bool:
        """Some attachment of the file waits for `kind` work."""
        return attachments.is_awaited(self.db, sha256, kind)

    def waiting_file(self, sha256: str, kind: str) -> tuple[bytes, str | None] | None:
        """The bytes (and a name) of a file whose attachments wait for `kind` work."""
        return attachments.waiting_file(self.db, sha256, kind)

    def fill_waiting_attachments(
        self, sha256: str, kind: str, fields: dict[str, Any], when: str
    ) -> list[int]:
        """The job's result becomes a new version of every attachment waiting for it; returns
        the reports whose files they are."""
        with self.db.atomic():
            return attachments.fill_waiting(self.db, sha256, kind, fields, when)

    def revise_attachment_text(
        self, report_id: int, attachment_text: str | None, when: str
    ) -> bool:
        """The report's files read later (an extraction job) give it another attachment text:
        the crawl's versioning path, as when a crawl sees the report's files change (the page
        text stays; the fingerprint, search index and near-duplicate links follow).  False if
        the text is the one the report has."""
        title, text, current, capture_id = self.db.execute(
            "SELECT title, text, attachment_text, capture_id FROM reports WHERE id = ?",
            [report_id],
        ).fetchone()
        if current == attachment_text:
            return False
        sha = identity.fingerprint(text, attachment_text)
        changes = {"attachment_text": attachment_text, "text_sha256": sha}
        with self.db.atomic():
            versions.revise(
                self.db, report_id, versions.Text(title, text, sha, capture_id), changes, when
            )
            similar.link_related(self.db, report_id, self.related_threshold)
        return True

    # --- reclean -----------------------------------------------------------------------------
    def report_ids(self, portal: str | None = None) -> list[int]:
        return recleaning.report_ids(self.db, portal)

    def stored_page(self, report_id: int) -> recleaning.StoredPage | None:
        return recleaning.stored_page(self.db, report_id)

    def revise_text(self, report_id: int, cleaned: CleanedText, when: str) -> None:
        """The report's page, cleaned again from the same capture, gave another text: the
        crawl's versioning path (old text kept as a closed version, near-duplicates relinked)."""
        title, capture_id = self.db.execute(
            "SELECT title, capture_id FROM reports WHERE id = ?", [report_id]
        ).fetchone()
        text = versions.Text(title, cleaned.text, cleaned.text_sha256, capture_id)
        changes = {
            "text": cleaned.text,
            "text_sha256": cleaned.text_sha256,
            "template_version": cleaned.template_version,
            "sections": cleaned.sections,
        }
        with self.db.atomic():
            versions.revise(self.db, report_id, text, changes, when)
            similar.link_related(self.db, report_id, self.related_threshold)
