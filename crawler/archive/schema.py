"""The archive schema, created and evolved only through sqlite-utils migrations.

Never edit an applied migration: add a new one. Tables:

- blobs: raw bytes, content-addressed by sha256, stored once.
- captures: every fetch of every page and attachment, with its provenance.
- reports: one row per distinct report, with its current cleaned text.
- report_versions: every text a report has had at one URL (nothing is overwritten).
- sightings: every URL / capture where a report was seen, and why it counts as that report.
- attachments: files linked from a report, their bytes (via captures) and extracted text.
- related: near-duplicate reports, linked with their similarity, never merged.
- attachment_versions: every file and text an attachment has had (nothing is overwritten).
- report_sketches, report_bands: each report's MinHash signature and its LSH band keys, so a
  new report finds its near-duplicate candidates by index (crawler.archive.similar).
- runs: one row per crawl run.
- merged_shards: every shard archive merged into this one (crawler.archive.merge), so a merge
  re-run skips what is done.
- extraction_jobs: attachments waiting for text extraction or OCR, a queue any node can take
  from (docs/scale-out.md).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from crawler.archive import similar

migrations = Migrations("govreports")


@migrations()
def m001_initial(db: Database) -> None:
    db["runs"].create(
        {
            "id": str,
            "started_at": str,
            "finished_at": str,
            "spiders": str,  # JSON list
            "stats": str,  # JSON: per-portal health and counters
            "exit_status": int,
            "status": str,  # running | finished | aborted
            "pid": int,
            "crawler_version": str,
        },
        pk="id",
    )
    db["blobs"].create({"sha256": str, "size": int, "body": bytes}, pk="sha256")
    db["captures"].create(
        {
            "id": int,
            "run_id": str,
            "spider": str,
            "kind": str,  # page | attachment
            "url": str,
            "final_url": str,
            "redirects": str,  # JSON list
            "referer": str,
            "status": int,
            "headers": str,  # JSON {name: [values]}
            "fetched_at": str,
            "sha256": str,
            "size": int,
            "not_modified": int,
            "crawler_version": str,
        },
        pk="id",
        foreign_keys=[("sha256", "blobs", "sha256")],
    )
    db["captures"].create_index(["url"])
    db["captures"].create_index(["sha256"])
    db["reports"].create(
        {
            "id": int,
            "portal": str,
            "unit": str,
            "title": str,
            "report_year": int,
            "published_at": str,
            "canonical_url": str,
            "text": str,
            "text_sha256": str,
            "attachment_text": str,
            "template_version": str,
            "sections": str,  # JSON list of headings
            "capture_id": int,
            "first_seen": str,
            "last_seen": str,
            "gone_at": str,
        },
        pk="id",
        foreign_keys=[("capture_id", "captures", "id")],
    )
    db["reports"].create_index(["canonical_url"], unique=True)
    db["reports"].create_index(["text_sha256"])
    db["reports"].create_index(["portal", "report_year"])
    db["report_versions"].create(
        {
            "id": int,
            "report_id": int,
            "title": str,
            "text": str,
            "text_sha256": str,
            "capture_id": int,
            "valid_from": str,
            "valid_to": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    )
    db["sightings"].create(
        {
            "id": int,
            "report_id": int,
            "url": str,
            "capture_id": int,
            "run_id": str,
            "seen_at": str,
            "reason": str,  # canonical_url | same_bytes | same_text | unchanged
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    )
    db["sightings"].create_index(["report_id"])
    db["sightings"].create_index(["url"])
    db["attachments"].create(
        {
            "id": int,
            "report_id": int,
            "url": str,
            "filename": str,
            "mime": str,
            "sha256": str,
            "capture_id": int,
            "text": str,
            "method": str,
            "status": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    )
    db["attachments"].create_index(["report_id", "url"], unique=True)
    db["related"].create(
        {"report_id": int, "other_id": int, "similarity": float, "measure": str},
        pk=("report_id", "other_id"),
    )
    # FTS5 trigram: substring search that works for Chinese (no word segmentation needed).
    # Terms of 1-2 characters cannot match a trigram index; crawler.archive.search answers those with LIKE.
    db["reports"].enable_fts(
        ["title", "text", "attachment_text"], tokenize="trigram", create_triggers=True
    )


@migrations()
def m002_run_and_content_indexes(db: Database) -> None:
    # Nightly runs look up "sighted in this run?" (gone marking) and "extracted these bytes
    # before?" (attachments): both scan without these once an archive holds years of runs.
    db["sightings"].create_index(["run_id"], if_not_exists=True)
    db["captures"].create_index(["run_id"], if_not_exists=True)
    db["attachments"].create_index(["sha256"], if_not_exists=True)


@migrations()
def m003_crawl_lookup_indexes(db: Database) -> None:
    # Every lookup a crawl makes is a SEARCH (tests/core/test_query_plans.py): "same bytes"
    # joins sightings on capture_id; "sighted in run X" and gone marking probe (report_id,
    # run_id); closing a version and relinking near-duplicates look a report up in
    # report_versions and on both sides of `related`.
    db["sightings"].create_index(["capture_id"], if_not_exists=True)
    db["sightings"].create_index(["report_id", "run_id"], if_not_exists=True)
    db.execute("DROP INDEX IF EXISTS idx_sightings_report_id")  # a prefix of the one above
    db["report_versions"].create_index(["report_id", "valid_to"], if_not_exists=True)
    db["related"].create_index(["other_id"], if_not_exists=True)
    db["captures"].create_index(["url", "kind"], if_not_exists=True)
    db.execute("DROP INDEX IF EXISTS idx_captures_url")  # a prefix of the one above
    # Re-index a report's text only when an indexed column changed, not on every sighting
    # (last_seen) or gone marking: the old trigger deleted and re-inserted the whole text.
    db.execute("DROP TRIGGER IF EXISTS reports_au")
    db.execute(
        """CREATE TRIGGER reports_au AFTER UPDATE OF title, text, attachment_text ON reports
           WHEN old.title IS NOT new.title OR old.text IS NOT new.text
             OR old.attachment_text IS NOT new.attachment_text
           BEGIN
             INSERT INTO reports_fts (reports_fts, rowid, title, text, attachment_text)
               VALUES ('delete', old.rowid, old.title, old.text, old.attachment_text);
             INSERT INTO reports_fts (rowid, title, text, attachment_text)
               VALUES (new.rowid, new.title, new.text, new.attachment_text);
           END"""
    )


@migrations()
def m004_near_duplicate_sketches(db: Database) -> None:
    # MinHash signatures persisted per report and their LSH band keys (crawler.archive.similar):
    # a new report is compared with its candidates only, never with its whole portal-year.
    db.execute(
        """CREATE TABLE report_sketches (
             report_id INTEGER PRIMARY KEY REFERENCES reports(id),
             portal TEXT, report_year INTEGER, sketch BLOB NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE report_bands (
             band INTEGER NOT NULL, report_id INTEGER NOT NULL,
             PRIMARY KEY (band, report_id)) WITHOUT ROWID"""
    )
    similar.index_all(db)


@migrations()
def m005_attachment_versions(db: Database) -> None:
    # An edited attachment keeps its old text, as a report does: `attachments` holds the current
    # file of each (report, URL), `attachment_versions` every file and text it has had.
    db["attachment_versions"].create(
        {
            "id": int,
            "attachment_id": int,
            "sha256": str,
            "capture_id": int,
            "text": str,
            "method": str,
            "status": str,
            "error": str,
            "valid_from": str,
            "valid_to": str,
        },
        pk="id",
        foreign_keys=[("attachment_id", "attachments", "id"), ("capture_id", "captures", "id")],
    )
    db["attachment_versions"].create_index(["attachment_id", "valid_to"])
    db.execute(
        """INSERT INTO attachment_versions
             (attachment_id, sha256, capture_id, text, method, status, error, valid_from)
           SELECT a.id, a.sha256, a.capture_id, a.text, a.method, a.status, a.error,
                  coalesce(c.fetched_at, r.first_seen)
           FROM attachments a JOIN reports r ON r.id = a.report_id
           LEFT JOIN captures c ON c.id = a.capture_id ORDER BY a.id"""
    )


@migrations()
def m010_scaleout(db: Database) -> None:
    # Shards crawled on other nodes are merged into one archive (crawler.archive.merge): a
    # capture's integer id collides across shards, so each capture gets a stable id. Existing
    # rows take run id + row id (a run writes to one archive only); new ones a random one.
    db["captures"].add_column("uid", str)
    db.execute("UPDATE captures SET uid = run_id || '/' || id")
    db["captures"].create_index(["uid"], unique=True)
    db["merged_shards"].create(
        {
            "shard_key": str,  # sha256 of the shard's run ids and capture uids
            "path": str,
            "merged_at": str,
            "reports": int,  # reports of the shard new to this archive
            "captures": int,  # captures of the shard new to this archive
        },
        pk="shard_key",
    )
    db["extraction_jobs"].create(
        {
            "id": int,
            "sha256": str,  # the attachment's bytes (blobs): one job per distinct file and kind
            "kind": str,  # extract | ocr
            "status": str,  # queued | taken | done | failed
            "node": str,
            "queued_at": str,
            "taken_at": str,
            "finished_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("sha256", "blobs", "sha256")],
    )
    db["extraction_jobs"].create_index(["sha256", "kind"], unique=True)
    db["extraction_jobs"].create_index(["status", "queued_at"])


def unknown_migrations(db: Database) -> list[str]:
    """Migrations the archive has applied that this code does not know: a newer govreports
    wrote it, and this one would misread or damage it.  Reads only."""
    known = {m.name for m in migrations.pending(Database(memory=True))}
    return [m.name for m in migrations.applied(db) if m.name not in known]


def migrate(db: Database) -> None:
    """Bring the archive to the current schema (safe to call on every open)."""
    migrations.apply(db)
