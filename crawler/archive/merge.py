"""Merging shard archives (one per portal and run, crawled on other nodes) into one archive.

Every row is matched by a stable key, never by its integer id (ids collide across shards):

- blobs by sha256 (the same bytes are stored once), runs by run id, captures by `uid` (m010);
- reports by canonical URL, then by text fingerprint (a re-post another shard archived first
  is a sighting of that report, as in a single-process crawl);
- report and attachment versions by (report or attachment, valid_from, hash); sightings by
  (report, capture, run, URL, column); attachments by (report, URL);
- listings (what each column of a run listed, m006) by (run, column, URL): with the sightings'
  columns they let the merged archive judge deletions per column, as a single-process crawl does;
- extraction jobs (m010) not finished in the shard by (sha256, kind), when the target holds
  attachments waiting for them (`extract_queued`, `ocr_queued`: EXTRACT_DEFERRED, OCR_DEFERRED): the shards' backlog is worked on
  the merged archive by any node (`govreports jobs work`).

One shard is merged in one transaction, and the same transaction records it in
`merged_shards`: a crash mid-merge leaves the target as it was, and a re-run merges the shards
that are not recorded yet.  Merging a shard again changes nothing, recorded or not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.archive import attachments, jobqueue, rows, similar
from crawler.archive.connection import open_archive
from crawler.clock import utc_now

# Called after each report of a shard, inside its transaction (tests stop a merge there).
ReportHook = Callable[[dict[str, Any]], None]


@dataclass
class ShardMerge:
    """What merging one shard did."""

    path: str
    shard_key: str
    skipped: bool = False  # recorded in merged_shards already
    counts: dict[str, int] = field(default_factory=dict)  # new rows per table


def merge_shards(
    target_path: str | Path,
    shard_paths: list[str | Path],
    *,
    on_report: ReportHook | None = None,
    verify: bool = True,
) -> list[ShardMerge]:
    """Merge each shard into the archive at `target_path` (created if missing), in order;
    `verify` checks the target with SQLite's quick_check first."""
    db = open_archive(target_path, verify=verify)
    try:
        return [merge_shard(db, path, on_report=on_report) for path in shard_paths]
    finally:
        db.close()


def merge_shard(
    db: Database,
    shard_path: str | Path,
    *,
    force: bool = False,
    on_report: ReportHook | None = None,
) -> ShardMerge:
    """Merge one shard into `db` in one transaction; skipped if recorded, unless `force`."""
    shard = open_archive(shard_path, readonly=True)
    try:
        key = shard_key(shard)
        result = ShardMerge(str(shard_path), key)
        done = db.execute("SELECT 1 FROM merged_shards WHERE shard_key = ?", [key]).fetchone()
        if done and not force:
            result.skipped = True
            return result
        with db.atomic():
            merger = _ShardMerger(db, shard)
            merger.merge(on_report)
            result.counts = merger.counts
            marker = {
                "shard_key": key,
                "path": str(shard_path),
                "merged_at": utc_now(),
                "reports": merger.counts["reports"],
                "captures": merger.counts["captures"],
            }
            db.execute(
                "INSERT OR IGNORE INTO merged_shards "
                "(shard_key, path, merged_at, reports, captures) VALUES (?, ?, ?, ?, ?)",
                list(marker.values()),
            )
        return result
    finally:
        shard.close()


def shard_key(shard: Database) -> str:
    """The shard's identity: its runs (and how they ended) and its captures.  A shard crawled
    again is another shard; the same file merged twice is the same one."""
    digest = hashlib.sha256()
    for run_id, finished_at in shard.execute(
        "SELECT id, coalesce(finished_at, '') FROM runs ORDER BY id"
    ):
        digest.update(f"run {run_id} {finished_at}\n".encode())
    for (uid,) in shard.execute(f"SELECT {_uid_sql(shard)} FROM captures ORDER BY id"):
        digest.update(f"capture {uid}\n".encode())
    return digest.hexdigest()


def _uid_sql(shard: Database) -> str:
    # A shard written before m010 has no uid column: m010's backfill gives run id + row id.
    has_uid = any(column.name == "uid" for column in shard["captures"].columns)
    return "coalesce(uid, run_id || '/' || id)" if has_uid else "run_id || '/' || id"


def _dicts(db: Database, sql: str, params: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


class _ShardMerger:
    """One shard's rows copied into the target, shard ids translated to target ids."""

    def __init__(self, db: Database, shard: Database) -> None:
        self.db, self.shard = db, shard
        self.captures: dict[int, int] = {}  # shard capture id -> target capture id
        self.counts = dict.fromkeys(
            (
                "runs",
                "listings",
                "blobs",
                "captures",
                "reports",
                "versions",
                "sightings",
                "attachments",
                "jobs",
            ),
            0,
        )
        self.columns = {t: self._common_columns(t) for t in _TABLES}

    def _common_columns(self, table: str) -> list[str]:
        ours = {c.name for c in self.db[table].columns}
        return [c.name for c in self.shard[table].columns if c.name in ours and c.name != "id"]

    def merge(self, on_report: ReportHook | None) -> None:
        self._merge_runs()
        self._merge_listings()
        self._merge_captures()
        for report in _dicts(self.shard, "SELECT * FROM reports ORDER BY id"):
            self._merge_report(report)
            if on_report:
                on_report(report)
        self._merge_jobs()

    def _row(self, table: str, source: dict[str, Any]) -> dict[str, Any]:
        return {c: source[c] for c in self.columns[table]}

    # --- runs, blobs, captures ------------------------------------------------------------
    def _merge_runs(self) -> None:
        for run in _dicts(self.shard, "SELECT * FROM runs ORDER BY id"):
            row = self.db.execute(
                "SELECT finished_at FROM runs WHERE id = ?", [run["id"]]
            ).fetchone()
            if row is None:
                rows.insert(self.db, "runs", {"id": run["id"], **self._row("runs", run)})
                self.counts["runs"] += 1
            elif row[0] is None and run["finished_at"]:  # the shard knows how it ended
                rows.update(self.db, "runs", run["id"], self._row("runs", run))

    def _merge_listings(self) -> None:
        """What each column of the shard's runs listed: gone marking in the merged archive
        reads them as a single-process crawl's (crawler/archive/deletions.py)."""
        if not self.shard["listings"].exists():  # a shard written before m006
            return
        sql = "SELECT run_id, column_key, url, status FROM listings ORDER BY rowid"
        for listing in self.shard.execute(sql).fetchall():
            added = self.db.execute(
                """INSERT INTO listings (run_id, column_key, url, status) VALUES (?, ?, ?, ?)
                   ON CONFLICT (run_id, url, column_key) DO NOTHING""",
                listing,
            )
            self.counts["listings"] += added.rowcount

    def _merge_captures(self) -> None:
        sql = f"SELECT *, {_uid_sql(self.shard)} AS stable_uid FROM captures ORDER BY id"
        for capture in _dicts(self.shard, sql):
            uid = capture["stable_uid"]
            row = self.db.execute("SELECT id FROM captures WHERE uid = ?", [uid]).fetchone()
            if row:
                self.captures[capture["id"]] = row[0]
                continue
            self._merge_blob(capture["sha256"])
            new = {**self._row("captures", capture), "uid": uid}
            self.captures[capture["id"]] = rows.insert(self.db, "captures", new)
            self.counts["captures"] += 1

    def _merge_blob(self, sha256: str | None) -> None:
        if sha256 is None:
            return
        if self.db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [sha256]).fetchone():
            return
        blob = self.shard.execute(
            "SELECT sha256, size, body FROM blobs WHERE sha256 = ?", [sha256]
        ).fetchone()
        if blob:
            rows.insert(self.db, "blobs", dict(zip(("sha256", "size", "body"), blob, strict=True)))
            self.counts["blobs"] += 1

    def _capture(self, shard_id: int | None) -> int | None:
        return self.captures.get(shard_id) if shard_id is not None else None

    # --- reports ------------------------------------------------------------------------------
    def _merge_report(self, report: dict[str, Any]) -> None:
        target_id, reason = self._match(report)
        relink = False
        if target_id is None:
            row = {
                **self._row("reports", report),
                "capture_id": self._capture(report["capture_id"]),
            }
            target_id = rows.insert(self.db, "reports", row)
            self.counts["reports"] += 1
            relink = True
        elif reason == "canonical_url":
            relink = self._update_report(target_id, report)
        else:  # a re-post of a report another shard holds: its sightings only, as a crawl does
            self._seen(target_id, report)
        owner = reason != "same_text"
        if owner:
            self._merge_versions(report["id"], target_id)
            self._merge_attachments(report["id"], target_id)
        self._merge_sightings(report["id"], target_id, owner)
        if relink:
            similar.link_related(self.db, target_id)

    def _match(self, report: dict[str, Any]) -> tuple[int | None, str | None]:
        row = self.db.execute(
            "SELECT id FROM reports WHERE canonical_url = ?", [report["canonical_url"]]
        ).fetchone()
        if row:
            return row[0], "canonical_url"
        if report["text_sha256"]:
            row = self.db.execute(
                "SELECT id FROM reports WHERE text_sha256 = ? ORDER BY id LIMIT 1",
                [report["text_sha256"]],
            ).fetchone()
            if row:
                return row[0], "same_text"
        return None, None

    def _update_report(self, target_id: int, report: dict[str, Any]) -> bool:
        """The same report in both: the later sighting's row is current.  True if its text
        changed (near-duplicate links are then recomputed)."""
        current = rows.get(self.db, "reports", target_id)
        changes: dict[str, Any] = {}
        if report["first_seen"] and report["first_seen"] < (current["first_seen"] or "~"):
            changes["first_seen"] = report["first_seen"]
        if report["last_seen"] and report["last_seen"] > (current["last_seen"] or ""):
            latest = self._row("reports", report)
            latest["capture_id"] = self._capture(report["capture_id"])
            latest.pop("first_seen", None)
            changes.update({k: v for k, v in latest.items() if current.get(k) != v})
        if changes:
            rows.update(self.db, "reports", target_id, changes)
        return "text" in changes or "attachment_text" in changes

    def _seen(self, target_id: int, report: dict[str, Any]) -> None:
        last_seen = self.db.execute(
            "SELECT last_seen FROM reports WHERE id = ?", [target_id]
        ).fetchone()[0]
        if report["last_seen"] and report["last_seen"] > (last_seen or ""):
            rows.update(self.db, "reports", target_id, {"last_seen": report["last_seen"]})

    def _merge_versions(self, shard_id: int, target_id: int) -> None:
        added = False
        sql = "SELECT * FROM report_versions WHERE report_id = ? ORDER BY valid_from, id"
        for version in _dicts(self.shard, sql, [shard_id]):
            exists = self.db.execute(
                """SELECT 1 FROM report_versions WHERE report_id = ? AND valid_from IS ?
                   AND text_sha256 IS ?""",
                [target_id, version["valid_from"], version["text_sha256"]],
            ).fetchone()
            if exists:
                continue
            row = self._row("report_versions", version)
            row.update(report_id=target_id, capture_id=self._capture(version["capture_id"]))
            rows.insert(self.db, "report_versions", row)
            self.counts["versions"] += 1
            added = True
        if added:
            _close_chain(self.db, "report_versions", "report_id", target_id)

    def _merge_sightings(self, shard_id: int, target_id: int, owner: bool) -> None:
        sql = "SELECT * FROM sightings WHERE report_id = ? ORDER BY id"
        for sighting in _dicts(self.shard, sql, [shard_id]):
            capture_id = self._capture(sighting["capture_id"])
            exists = self.db.execute(
                """SELECT 1 FROM sightings WHERE report_id = ? AND run_id IS ?
                   AND capture_id IS ? AND url = ? AND column_key IS ?""",
                [
                    target_id,
                    sighting["run_id"],
                    capture_id,
                    sighting["url"],
                    sighting.get("column_key"),
                ],
            ).fetchone()
            if exists:
                continue
            row = self._row("sightings", sighting)
            row.update(report_id=target_id, capture_id=capture_id)
            if not owner and row["reason"] == "first":
                row["reason"] = "same_text"
            rows.insert(self.db, "sightings", row)
            self.counts["sightings"] += 1

    # --- extraction jobs ------------------------------------------------------------------------
    def _merge_jobs(self) -> None:
        """The shard's waiting jobs, queued in the target (again, if the target had finished
        them) for the files whose attachments wait there; a job already waiting stays as it is."""
        if not self.shard["extraction_jobs"].exists():  # a shard written before m010
            return
        for sha256, kind in jobqueue.pending(self.shard):
            if not attachments.is_awaited(self.db, sha256, kind):
                continue
            self._merge_blob(sha256)
            self.counts["jobs"] += jobqueue.ensure_queued(self.db, sha256, kind)

    # --- attachments --------------------------------------------------------------------------
    def _merge_attachments(self, shard_id: int, target_id: int) -> None:
        sql = "SELECT * FROM attachments WHERE report_id = ? ORDER BY id"
        for attachment in _dicts(self.shard, sql, [shard_id]):
            row = self._row("attachments", attachment)
            row.update(report_id=target_id, capture_id=self._capture(attachment["capture_id"]))
            found = self.db.execute(
                "SELECT id FROM attachments WHERE report_id = ? AND url = ?",
                [target_id, attachment["url"]],
            ).fetchone()
            if found:
                attachment_id = found[0]
            else:
                attachment_id = rows.insert(self.db, "attachments", row)
                self.counts["attachments"] += 1
            if self._merge_attachment_versions(attachment["id"], attachment_id):
                self._current_attachment(attachment_id, row)

    def _merge_attachment_versions(self, shard_id: int, target_id: int) -> bool:
        added = False
        sql = "SELECT * FROM attachment_versions WHERE attachment_id = ? ORDER BY valid_from, id"
        for version in _dicts(self.shard, sql, [shard_id]):
            exists = self.db.execute(
                """SELECT 1 FROM attachment_versions WHERE attachment_id = ?
                   AND valid_from IS ? AND sha256 IS ? AND text IS ?""",
                [target_id, version["valid_from"], version["sha256"], version["text"]],
            ).fetchone()
            if exists:
                continue
            row = self._row("attachment_versions", version)
            row.update(attachment_id=target_id, capture_id=self._capture(version["capture_id"]))
            rows.insert(self.db, "attachment_versions", row)
            added = True
        if added:
            _close_chain(self.db, "attachment_versions", "attachment_id", target_id)
        return added

    def _current_attachment(self, target_id: int, row: dict[str, Any]) -> None:
        """The attachment row holds the file of its latest version, whichever archive had it."""
        latest = self.db.execute(
            """SELECT capture_id FROM attachment_versions WHERE attachment_id = ?
               ORDER BY valid_from DESC, id DESC LIMIT 1""",
            [target_id],
        ).fetchone()
        if latest and latest[0] == row["capture_id"]:
            rows.update(self.db, "attachments", target_id, row)


def _close_chain(db: Database, table: str, owner_column: str, owner_id: int) -> None:
    """Versions from two archives interleave: each one ends where the next begins, and only
    the latest stays open."""
    versions = db.execute(
        f"SELECT id, valid_from, valid_to FROM {table} WHERE {owner_column} = ? "
        "ORDER BY valid_from, id",
        [owner_id],
    ).fetchall()
    for (version_id, _, valid_to), (_, next_from, _) in pairwise(versions):
        if valid_to is None:
            rows.update(db, table, version_id, {"valid_to": next_from})


_TABLES = (
    "runs",
    "captures",
    "reports",
    "report_versions",
    "sightings",
    "attachments",
    "attachment_versions",
)
