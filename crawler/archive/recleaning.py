"""What `reclean` reads and writes: a report's stored page bytes in, its new text out.

Raw bytes (blobs, captures) are only read. A changed text updates the report and keeps the old
text in report_versions (its open version is closed, the new text opens one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

_PAGE = """
SELECT r.id, r.title, r.text, r.portal, r.canonical_url, r.attachment_text, r.capture_id,
       r.first_seen, c.final_url, c.url, c.kind, c.headers, b.body
FROM reports r
JOIN captures c ON c.id = r.capture_id
JOIN blobs b ON b.sha256 = c.sha256
WHERE r.id = ?
"""


@dataclass(frozen=True)
class StoredPage:
    """A report's current text and the stored bytes it was cleaned from."""

    id: int
    title: str | None
    text: str | None
    portal: str | None
    canonical_url: str | None
    attachment_text: str | None
    capture_id: int | None
    first_seen: str | None
    final_url: str | None
    url: str | None
    kind: str | None
    headers: dict[str, list[str]]
    body: bytes | None


@dataclass(frozen=True)
class NewText:
    text: str
    text_sha256: str | None
    template_version: str | None
    sections: list[str]


def report_ids(db: Database, portal: str | None = None) -> list[int]:
    where, args = ("WHERE portal = ?", [portal]) if portal else ("", [])
    return [row[0] for row in db.execute(f"SELECT id FROM reports {where} ORDER BY id", args)]


def stored_page(db: Database, report_id: int) -> StoredPage | None:
    row = db.execute(_PAGE, [report_id]).fetchone()
    if row is None:
        return None
    *head, headers, body = row
    return StoredPage(*head, _headers(headers), body)


def _headers(text: str | None) -> dict[str, list[str]]:
    try:
        headers = json.loads(text or "{}")
    except ValueError:
        return {}
    return headers if isinstance(headers, dict) else {}


def replace_text(db: Database, page: StoredPage, new: NewText, now: str) -> None:
    """Keep the old text as a closed version, store the new one as the report's current text."""
    _keep_old_version(db, page, now)
    db.execute(
        "UPDATE reports SET text = ?, text_sha256 = ?, template_version = ?, sections = ? "
        "WHERE id = ?",
        [
            new.text,
            new.text_sha256,
            new.template_version,
            json.dumps(new.sections, ensure_ascii=False),
            page.id,
        ],
    )
    db.execute(
        "INSERT INTO report_versions (report_id, title, text, text_sha256, capture_id, valid_from, "
        "valid_to) VALUES (?, ?, ?, ?, ?, ?, NULL)",
        [page.id, page.title, new.text, new.text_sha256, page.capture_id, now],
    )


def _keep_old_version(db: Database, page: StoredPage, now: str) -> None:
    # The writer keeps the current text as the one open version; close it. An archive written
    # without versions gets the old text inserted as a closed version instead.
    closed = db.execute(
        "UPDATE report_versions SET valid_to = ? WHERE report_id = ? AND valid_to IS NULL",
        [now, page.id],
    ).rowcount
    if not closed:
        old_sha = db.execute("SELECT text_sha256 FROM reports WHERE id = ?", [page.id])
        db.execute(
            "INSERT INTO report_versions (report_id, title, text, text_sha256, capture_id, "
            "valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                page.id,
                page.title,
                page.text,
                old_sha.fetchone()[0],
                page.capture_id,
                page.first_seen,
                now,
            ],
        )
