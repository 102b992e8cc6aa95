"""Every text a report has had: `report_versions`, one open row (valid_to NULL) per report.

One path changes a report's text, for the crawl and for `reclean` alike (`revise`): the open
version is closed, the new text opens one, the report row takes the new text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from crawler.archive import rows


@dataclass(frozen=True)
class Text:
    """A report's text as a version records it, and the capture it was cleaned from."""

    title: str | None
    text: str | None
    text_sha256: str | None
    capture_id: int | None


def open_version(db: Database, report_id: int, text: Text, valid_from: str) -> None:
    rows.insert(
        db,
        "report_versions",
        {
            "report_id": report_id,
            "title": text.title,
            "text": text.text,
            "text_sha256": text.text_sha256,
            "capture_id": text.capture_id,
            "valid_from": valid_from,
            "valid_to": None,
        },
    )


def revise(db: Database, report_id: int, text: Text, changes: dict[str, Any], when: str) -> None:
    """The report's text changed at `when`: keep the old one as a closed version, open the new
    one, and update the report row with `changes` (its text columns among them)."""
    closed = db.execute(
        "UPDATE report_versions SET valid_to = ? WHERE report_id = ? AND valid_to IS NULL",
        [when, report_id],
    ).rowcount
    if not closed:  # an archive written before versions existed: its text becomes the first
        _keep_unversioned_text(db, report_id, when)
    open_version(db, report_id, text, when)
    if "sections" in changes and not isinstance(changes["sections"], str):
        changes = {**changes, "sections": json.dumps(changes["sections"], ensure_ascii=False)}
    rows.update(db, "reports", report_id, changes)


def _keep_unversioned_text(db: Database, report_id: int, when: str) -> None:
    row = db.execute(
        "SELECT title, text, text_sha256, capture_id, first_seen FROM reports WHERE id = ?",
        [report_id],
    ).fetchone()
    title, text, sha, capture_id, first_seen = row
    db["report_versions"].insert(
        {
            "report_id": report_id,
            "title": title,
            "text": text,
            "text_sha256": sha,
            "capture_id": capture_id,
            "valid_from": first_seen,
            "valid_to": when,
        }
    )


def rehome_version(db: Database, report_id: int, text: Text) -> None:
    """The open version, made from a re-post, becomes the portal's own page's text: a version
    is a text the report had at its own URL, and a re-post's page is only a sighting of it (its
    bytes stay in captures)."""
    db.execute(
        """UPDATE report_versions SET title = ?, text = ?, text_sha256 = ?, capture_id = ?
           WHERE report_id = ? AND valid_to IS NULL""",
        [text.title, text.text, text.text_sha256, text.capture_id, report_id],
    )
