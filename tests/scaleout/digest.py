"""What an archive holds, keyed by what is stable across archives (never integer ids): two
archives with equal digests hold the same reports, bytes, versions, sightings and files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

QUERIES = {
    "reports": """SELECT portal, canonical_url, title, report_year, text_sha256,
                    first_seen, last_seen, gone_at FROM reports""",
    "blobs": "SELECT sha256, size FROM blobs",
    "captures": "SELECT uid, url, kind, sha256, run_id FROM captures",
    "versions": """SELECT r.canonical_url, v.text_sha256, v.valid_from, v.valid_to, c.uid
                   FROM report_versions v JOIN reports r ON r.id = v.report_id
                   LEFT JOIN captures c ON c.id = v.capture_id""",
    "sightings": """SELECT r.canonical_url, s.url, s.run_id, s.reason, c.uid
                    FROM sightings s JOIN reports r ON r.id = s.report_id
                    LEFT JOIN captures c ON c.id = s.capture_id""",
    "attachments": """SELECT r.canonical_url, a.url, a.sha256, a.status, a.text
                      FROM attachments a JOIN reports r ON r.id = a.report_id""",
    "attachment_versions": """SELECT r.canonical_url, a.url, v.sha256, v.valid_from, v.valid_to
                   FROM attachment_versions v JOIN attachments a ON a.id = v.attachment_id
                   JOIN reports r ON r.id = a.report_id""",
    "related": """SELECT a.canonical_url, b.canonical_url, round(x.similarity, 6)
                  FROM related x JOIN reports a ON a.id = x.report_id
                  JOIN reports b ON b.id = x.other_id""",
    "runs": "SELECT id, status FROM runs",
}


def digest(path: Path, tables: tuple[str, ...] = tuple(QUERIES)) -> dict[str, list[tuple]]:
    """Each table's rows as sorted tuples."""
    with sqlite3.connect(path) as db:
        return {t: sorted(db.execute(QUERIES[t]).fetchall(), key=repr) for t in tables}


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
