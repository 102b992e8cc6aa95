"""Is this page a report the archive already holds?  Three levels, strongest first:

1. the same canonical URL (post_/mpost_ twins, http/https, a migrated host: one URL after
   canonicalization);
2. the same raw bytes (sha256 of the page) under another URL;
3. the same normalized text under another URL (a re-post on the city portal: other chrome, same
   report).  The text fingerprint ignores the title line, whitespace and punctuation, which
   re-posts change freely.

Every match becomes a sighting of the one report; nothing is merged away.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from sqlite_utils import Database

from crawler.items import ReportItem

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


# Below this many letters a body is a note ("详见附件"), shared by unrelated reports: not an identity.
MIN_FINGERPRINT_CHARS = 200


def reduce_text(text: str | None) -> str:
    """Letters and digits only: whitespace, punctuation and full/half width are ignored."""
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text or ""))


def body_of(text: str | None) -> str:
    """The cleaned text without its title line (a re-post renames it freely)."""
    return (text or "").split("\n", 1)[1] if "\n" in (text or "") else ""


def fingerprint(text: str | None, attachment_text: str | None = None) -> str | None:
    """sha256 of the body text reduced to letters and digits (title line dropped); a page that is
    only a note in front of its attachment is identified by the attachment's text too."""
    reduced = reduce_text(body_of(text))
    if len(reduced) < MIN_FINGERPRINT_CHARS:
        reduced += reduce_text(attachment_text)
    if len(reduced) < MIN_FINGERPRINT_CHARS:
        return None
    return hashlib.sha256(reduced.encode("utf-8")).hexdigest()


def find_existing(db: Database, item: ReportItem) -> tuple[int, str] | None:
    """(report id, reason) of the report this item is, or None when it is new."""
    row = db.execute(
        "SELECT id FROM reports WHERE canonical_url = ?", [item.canonical_url]
    ).fetchone()
    if row:
        return row[0], "canonical_url"
    row = db.execute(
        """SELECT s.report_id FROM sightings s JOIN captures c ON c.id = s.capture_id
           WHERE c.sha256 = ? AND c.kind = 'page' LIMIT 1""",
        [item.capture.sha256],
    ).fetchone()
    if row:
        return row[0], "same_bytes"
    if item.text_sha256:
        row = db.execute(
            "SELECT id FROM reports WHERE text_sha256 = ? ORDER BY id LIMIT 1", [item.text_sha256]
        ).fetchone()
        if row:
            return row[0], "same_text"
    return None
