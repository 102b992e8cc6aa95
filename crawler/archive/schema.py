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
- listings: which column of which run listed which report URL, and how that URL answered (the
  evidence a deletion is judged on, crawler.archive.deletions); a sighting names the column
  that listed the report (`sightings.column_key`).
- runs: one row per crawl run.
- portals, report_places: the place each portal's spider declares, and each report's place and
  unit under one spelling (crawler.archive.places); view report_list: reports without texts.
- reports_chars: the character index, every character one token (crawler.archive.charindex).
- units: a publishing unit's stable identity (portal + normalised 发布机构), for series over years.
- figure_sets: one computation of a report's figures (per text version; old sets kept, closed).
- figures: the numbers of a figure set, long format, one row per table cell or stated number.
- checks: the identities a figure set's numbers must satisfy, and across years per unit.
- captures.warc_file / warc_offset / warc_length: where a capture's WARC record is (m011).
- merged_shards: every shard archive merged into this one (crawler.archive.merge), so a merge
  re-run skips what is done.
- extraction_jobs: attachments waiting for text extraction or OCR, a queue any node can take
  from (docs/scale-out.md).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from crawler.archive import charindex, places, similar

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
def m006_listing_columns(db: Database) -> None:
    # Deletions are judged per column (crawler/columns.py): a sighting names the column that
    # listed the report, and each run records every URL each column listed with the HTTP status
    # it answered (NULL: no answer; a refused, dropped or failed fetch proves nothing).
    db["sightings"].add_column("column_key", str)
    db["listings"].create(
        {"run_id": str, "column_key": str, "url": str, "status": int},
        not_null={"run_id", "column_key", "url"},
    )
    # "was this URL listed in run X?" for each report a run did not sight (gone marking)
    db["listings"].create_index(["run_id", "url", "column_key"], unique=True)


@migrations()
def m007_figures(db: Database) -> None:
    # The numbers inside the reports (crawler/figures, crawler/archive/figures.py). A report's
    # figures are recomputed with each new text version (or better rules, by reclean); the old
    # set is closed (valid_to), never deleted, and keeps the version it was computed from.
    db.execute(
        """CREATE TABLE units (
             id INTEGER PRIMARY KEY,
             portal TEXT NOT NULL,
             key TEXT NOT NULL,          -- 民政局, 鹤龙街道, 新塘镇, 人民政府 (crawler/figures/units.py)
             level TEXT NOT NULL,        -- county | department | street | town | unknown
             name TEXT,                  -- the 发布机构 as first archived
             city TEXT, district TEXT,   -- the portal's, as its spider declares them
             county_name TEXT,           -- 广州市白云区, 曲阜市: the county-level government
             UNIQUE (portal, key))"""
    )
    db.execute(
        """CREATE TABLE figure_sets (
             id INTEGER PRIMARY KEY,
             report_id INTEGER NOT NULL REFERENCES reports(id),
             version_id INTEGER REFERENCES report_versions(id),
             unit_id INTEGER REFERENCES units(id),
             report_year INTEGER,
             template TEXT,
             sources TEXT,               -- JSON: every source read, its cells, the tables taken
             digest TEXT NOT NULL,       -- sha256 of template, rows and checks
             computed_at TEXT NOT NULL,
             valid_to TEXT)              -- NULL: the report's current figures"""
    )
    db.execute("CREATE INDEX idx_figure_sets_report ON figure_sets (report_id, valid_to)")
    db.execute(
        "CREATE INDEX idx_figure_sets_unit_year ON figure_sets (unit_id, report_year, valid_to)"
    )
    db.execute(
        """CREATE TABLE figures (
             id INTEGER PRIMARY KEY,
             set_id INTEGER NOT NULL REFERENCES figure_sets(id),
             report_id INTEGER NOT NULL REFERENCES reports(id),
             capture_id INTEGER REFERENCES captures(id),  -- the page or attachment read
             template TEXT,
             section TEXT NOT NULL,      -- 二, 三, 四, prose
             row_key TEXT NOT NULL,      -- 一, 三（三）3, 行政许可, 依申请公开
             col_key TEXT NOT NULL,      -- 自然人, 总计, 本年制发件数, 收到申请
             value NUMERIC,              -- NULL: blank, "/", "—", "-", "无": missing, never 0
             raw TEXT,
             unit TEXT,                  -- 件, 项, 条, 万元, 元
             source TEXT,                -- html, docx, xls, pdf, text, ocr
             method TEXT,                -- grid, tab_rows, words, prose
             confidence REAL,
             derived INTEGER NOT NULL)   -- a subtotal row or column the template lacks"""
    )
    db.execute("CREATE INDEX idx_figures_set_cell ON figures (set_id, section, row_key, col_key)")
    db.execute("CREATE INDEX idx_figures_report ON figures (report_id)")
    db.execute(
        """CREATE TABLE checks (
             id INTEGER PRIMARY KEY,
             set_id INTEGER NOT NULL REFERENCES figure_sets(id),
             report_id INTEGER NOT NULL REFERENCES reports(id),
             earlier_set_id INTEGER REFERENCES figure_sets(id),  -- X-1, X-2: the year before
             check_id TEXT NOT NULL,     -- T3-a, T3-b, T3-c, T4, X-1, X-2
             scope TEXT,
             status TEXT NOT NULL,       -- PASS | FAIL | UNCERTAIN (a needed cell missing)
             difference NUMERIC,         -- left - right; NULL when UNCERTAIN
             strength TEXT,              -- exact | strong | soft
             cells TEXT,                 -- JSON {"left": [...], "right": [...]}
             missing TEXT)               -- JSON list of the needed cells that are missing"""
    )
    db.execute("CREATE INDEX idx_checks_set ON checks (set_id, check_id)")
    db.execute("CREATE INDEX idx_checks_status ON checks (status, check_id)")
    db.execute("CREATE INDEX idx_checks_earlier ON checks (earlier_set_id)")
    db.execute("CREATE INDEX idx_checks_report ON checks (report_id)")


@migrations()
def m008_places_and_search(db: Database) -> None:
    # Places: each report's province, city, county-level division and code, and its unit under
    # one spelling, beside `reports` (crawler.archive.places). Search: FTS5 over a shadow text
    # where every character is one token, so 1-2 character terms come from an index, not a scan
    # (crawler.archive.charindex). Both are filled for the reports already archived; a portal's
    # place arrives when its spider next declares it (Archive.declare_portal).
    places.create(db)
    charindex.create(db)
    charindex.fill(db)


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


@migrations()
def m011_warc_records(db: Database) -> None:
    # Each capture points at its WARC record (crawler/warc.py): the file (relative to the
    # archive's folder), the offset of its gzip member and its length, so export and verify read
    # one record without scanning a file.  NULL for captures made before WARCs were written.
    for column in ("warc_file", "warc_offset", "warc_length"):
        db["captures"].add_column(column, str if column == "warc_file" else int)
    # A response whose bytes an earlier run archived becomes a revisit naming that capture:
    # looked up by sha256 for every response a crawl writes.
    db["captures"].create_index(["sha256"], if_not_exists=True)


def unknown_migrations(db: Database) -> list[str]:
    """Migrations the archive has applied that this code does not know: a newer govreports
    wrote it, and this one would misread or damage it.  Reads only."""
    known = {m.name for m in migrations.pending(Database(memory=True))}
    return [m.name for m in migrations.applied(db) if m.name not in known]


def migrate(db: Database) -> None:
    """Bring the archive to the current schema (safe to call on every open)."""
    migrations.apply(db)
