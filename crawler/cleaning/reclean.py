"""Re-clean every report in the archive from its stored raw bytes after the rules improve.

Raw bytes (blobs, captures) are only read. Where the new text differs, the report's text,
text_sha256, template_version and sections are updated and the old text stays in
report_versions (its open version is closed, the new text opens one), all in one transaction:
an interrupted reclean changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

from sqlite_utils import Database

from crawler.cleaning.page import clean_html

Rules = Callable[[str], "dict | None"]
# Attachments (PDF, OOXML/zip, OLE2 .doc/.wps/.xls) are not pages: their text is not HTML's.
_NOT_HTML = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")

_ROW = """
SELECT r.id, r.title, r.text, r.portal, r.canonical_url, r.attachment_text, r.capture_id,
       r.first_seen, c.final_url, c.url, c.kind, c.headers, b.body
FROM reports r
JOIN captures c ON c.id = r.capture_id
JOIN blobs b ON b.sha256 = c.sha256
WHERE r.id = ?
"""


@dataclass
class RecleanCounts:
    recleaned: int = 0
    changed: int = 0
    skipped: int = 0  # no stored page bytes, or the capture is a PDF/DOC file


def reclean_archive(
    db: Database, rules_for_url: Rules, *, portal: str | None = None
) -> RecleanCounts:
    """Re-clean the reports (of one ``portal``, or all) with the current cleaning rules."""
    counts = RecleanCounts()
    where, args = ("WHERE portal = ?", [portal]) if portal else ("", [])
    ids = [row[0] for row in db.execute(f"SELECT id FROM reports {where} ORDER BY id", args)]
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # as the archive writer stamps
    with db.conn:  # one transaction; plain SQL only, so no helper commits half-way
        for report_id in ids:
            row = db.execute(_ROW, [report_id]).fetchone()
            if row is None or _is_attachment(row[10], row[12]):
                counts.skipped += 1
                continue
            counts.recleaned += 1
            counts.changed += _reclean_one(
                db, dict(zip(_COLUMNS, row, strict=True)), rules_for_url, now
            )
    return counts


_COLUMNS = (
    "id", "title", "text", "portal", "canonical_url", "attachment_text", "capture_id",
    "first_seen", "final_url", "url", "kind", "headers", "body",
)  # fmt: skip


def _reclean_one(db: Database, row: dict, rules_for_url: Rules, now: str) -> bool:
    url = row["final_url"] or row["url"] or row["canonical_url"]
    rules = rules_for_url(url) or {}
    cleaned = clean_html(
        row["body"],
        url=url,
        content_selector=rules.get("content_selector"),
        title=row["title"],
        encoding=_charset(row["headers"]),
    )
    if cleaned.text == row["text"]:
        return False
    from crawler.dedup import fingerprint  # the archive's text_sha256 is dedup's fingerprint

    sha = fingerprint(cleaned.text, row["attachment_text"])
    _keep_old_version(db, row, now)
    db.execute(
        "UPDATE reports SET text = ?, text_sha256 = ?, template_version = ?, sections = ? "
        "WHERE id = ?",
        [
            cleaned.text,
            sha,
            cleaned.template_version,
            json.dumps(cleaned.sections, ensure_ascii=False),
            row["id"],
        ],
    )
    db.execute(
        "INSERT INTO report_versions (report_id, title, text, text_sha256, capture_id, valid_from, "
        "valid_to) VALUES (?, ?, ?, ?, ?, ?, NULL)",
        [row["id"], row["title"], cleaned.text, sha, row["capture_id"], now],
    )
    return True


def _keep_old_version(db: Database, row: dict, now: str) -> None:
    # The writer keeps the current text as the one open version; close it. An archive written
    # without versions gets the old text inserted as a closed version instead.
    closed = db.execute(
        "UPDATE report_versions SET valid_to = ? WHERE report_id = ? AND valid_to IS NULL",
        [now, row["id"]],
    ).rowcount
    if not closed:
        old_sha = db.execute("SELECT text_sha256 FROM reports WHERE id = ?", [row["id"]])
        db.execute(
            "INSERT INTO report_versions (report_id, title, text, text_sha256, capture_id, "
            "valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                row["id"],
                row["title"],
                row["text"],
                old_sha.fetchone()[0],
                row["capture_id"],
                row["first_seen"],
                now,
            ],
        )


def _is_attachment(kind: str | None, body: bytes | None) -> bool:
    return body is None or kind == "attachment" or bytes(body[:4]).startswith(_NOT_HTML)


def _charset(headers_json: str | None) -> str | None:
    """The charset of the stored Content-Type header ({name: [values]}), if any."""
    try:
        headers = json.loads(headers_json or "{}")
    except ValueError:
        return None
    for name, values in headers.items():
        if name.lower() == "content-type" and values:
            message = Message()
            message["content-type"] = values[0] if isinstance(values, list) else str(values)
            return message.get_content_charset()
    return None
