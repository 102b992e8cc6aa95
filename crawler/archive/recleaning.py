"""What `reclean` reads: each report's current text and the stored page bytes it came from.

The new text goes back through `Archive.revise_text`, the crawl's own versioning path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

_PAGE = """
SELECT r.id, r.title, r.text, r.portal, r.canonical_url, r.attachment_text, r.capture_id,
       r.first_seen, r.unit, r.template_version, c.final_url, c.url, c.kind, c.headers, b.body
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
    unit: str | None
    template_version: str | None
    final_url: str | None
    url: str | None
    kind: str | None
    headers: dict[str, list[str]]
    body: bytes | None


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
