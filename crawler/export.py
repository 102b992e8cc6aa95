"""Writing reports out of the archive: filtered rows as JSON Lines or CSV, and a report's raw
bytes under their original (sanitized) file names.  The reading is the archive's (ArchiveView)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from crawler.archive import EXPORT_COLUMNS, ArchiveView

MANIFEST_NAME = "manifest.json"
_MAX_NAME_BYTES = 200  # below every common filesystem's 255-byte limit, with room for " (2)"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", re.IGNORECASE)


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def sanitize_filename(name: str, fallback: str = "file") -> str:
    """A single safe path component that keeps Chinese names readable.

    Separators, control and Windows-reserved characters become ``_``; leading dots go (no hidden
    files, no ``..``); the name is cut to 200 UTF-8 bytes keeping its extension.
    """
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name or set(name) <= {"_", " ", "."}:
        name = fallback
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    return _truncate(name, _MAX_NAME_BYTES)


def _truncate(name: str, limit: int) -> str:
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    budget = limit - len(suffix.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    return stem + suffix


def _url_name(url: str | None) -> str:
    return unquote(urlsplit(url or "").path.rsplit("/", 1)[-1])


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    while candidate.lower() in taken:  # case-insensitive filesystems would merge them
        n += 1
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
    taken.add(candidate.lower())
    return candidate


def _raw_entries(report: dict) -> list[dict]:
    """Every capture of the report with the name it was published under and its role."""
    captures = {c["id"]: c for c in report["captures"]}
    entries = []
    for capture in report["captures"]:
        name = _url_name(capture["final_url"] or capture["url"])
        entries.append({"role": capture["kind"] or "page", "name": name, "capture": capture})
    for attachment in report["attachments"]:
        for entry in entries:
            if entry["capture"]["id"] == attachment["capture_id"]:
                entry.update(role="attachment", name=attachment["filename"] or entry["name"])
        if attachment["capture_id"] not in captures:
            entries.append({"role": "attachment", "name": attachment["filename"], "capture": None})
            entries[-1]["url"], entries[-1]["status"] = attachment["url"], attachment["status"]
    return entries


def export_raw(archive: ArchiveView, report_id: int, dest: str | Path) -> list[dict]:
    """Write the raw bytes of every capture of a report into ``dest`` plus ``manifest.json``
    (file name, URL, sha256, fetch time for each). Identical bytes are written once."""
    report = archive.report(report_id)  # before mkdir: an unknown id leaves nothing behind
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    taken, by_sha, manifest = {MANIFEST_NAME}, {}, []
    for entry in _raw_entries(report):
        capture = entry["capture"]
        if capture is None or not capture["sha256"]:
            manifest.append(_missing(entry))
            continue
        if capture["sha256"] not in by_sha:
            fallback = "report.html" if entry["role"] == "page" else "attachment"
            name = _unique(sanitize_filename(entry["name"] or "", fallback), taken)
            by_sha[capture["sha256"]] = (name, _write_blob(archive, capture["sha256"], dest / name))
        name, verified = by_sha[capture["sha256"]]
        manifest.append(_manifest_row(entry, name, verified))
    text = json.dumps(manifest, ensure_ascii=False, indent=2)
    (dest / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")
    return manifest


def _write_blob(archive: ArchiveView, sha256: str, path: Path) -> bool | None:
    """Write the blob; True if its bytes still hash to its key, None if the blob is missing."""
    body = archive.blob(sha256)
    if body is None:
        return None
    path.write_bytes(body)
    return hashlib.sha256(body).hexdigest() == sha256


def _manifest_row(entry: dict, name: str, verified: bool | None) -> dict:
    capture = entry["capture"]
    return {
        "file": name if verified is not None else None,
        "role": entry["role"],
        "original_name": entry["name"],
        "capture_id": capture["id"],
        "url": capture["url"],
        "final_url": capture["final_url"],
        "fetched_at": capture["fetched_at"],
        "status": capture["status"],
        "sha256": capture["sha256"],
        "size": capture["size"],
        "sha256_verified": verified,
    }


def _missing(entry: dict) -> dict:
    return {
        "file": None,
        "role": entry["role"],
        "original_name": entry["name"],
        "url": entry.get("url"),
        "status": entry.get("status"),
        "note": "no bytes archived",
    }
