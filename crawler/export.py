"""Writing reports out of the archive: filtered rows as CSV (with a BOM, so Excel reads it as
UTF-8), XLSX, Parquet, JSON Lines, or one ``.txt`` per report with a metadata header (a folder
or a zip); and a report's raw bytes under their original (sanitized) file names. Every row
carries the provenance columns (crawler.archive.reports.EXPORT_FIELDS). The reading is the
archive's (ArchiveView); rows are streamed, so an export of the whole archive never sits in
memory."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from crawler.archive import EXPORT_COLUMNS, ArchiveView

MANIFEST_NAME = "manifest.json"
FORMATS = ("csv", "xlsx", "parquet", "jsonl", "txt")
BINARY_FORMATS = {"xlsx", "parquet", "txt"}  # written to a path, never to a terminal
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl", ".zip": "txt"}
XLSX_CELL_LIMIT = 32_767  # Excel's limit on the characters of one cell
INTEGER_COLUMNS = {"id", "report_year", "capture_id", "http_status"}
TEXT_COLUMNS = ("text", "attachment_text")
_MAX_NAME_BYTES = 200  # below every common filesystem's 255-byte limit, with room for " (2)"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", re.IGNORECASE)
# Characters XML 1.0 cannot hold: openpyxl refuses a cell containing one.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_for(path: Path | None, fmt: str | None) -> str:
    """The format asked for, else the one the output's suffix names, else JSON Lines."""
    if fmt:
        return fmt
    if path is None:
        return "jsonl"
    if path.suffix.lower() in SUFFIXES:
        return SUFFIXES[path.suffix.lower()]
    return "txt" if path.is_dir() or not path.suffix else "jsonl"


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    count = 0
    for row in rows:
        row = {**row, "attachments": _attachments(row)}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    """CSV with a UTF-8 byte order mark: Excel opens it as UTF-8 (without one it guesses the
    system code page and shows mojibake). ``out`` is a text stream."""
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_xlsx(rows: Iterable[dict], path: Path) -> int:
    """One sheet, a row per report (openpyxl's streaming writer). A text over Excel's 32,767
    characters a cell is cut, and says so and how long it is: the other formats hold it whole."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("reports")
    sheet.freeze_panes = "C2"
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(row[c]) for c in EXPORT_COLUMNS])
        count += 1
    book.save(path)
    return count


def _xlsx_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    if len(value) <= XLSX_CELL_LIMIT:
        return value
    note = f"…[cut at {XLSX_CELL_LIMIT:,} of {len(value):,} characters: CSV, JSONL, Parquet hold it whole]"
    return value[: XLSX_CELL_LIMIT - len(note)] + note


def write_parquet(rows: Iterable[dict], path: Path, batch: int = 1000) -> int:
    """Parquet (pyarrow), zstd-compressed, written a batch of rows at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [(c, pa.int64() if c in INTEGER_COLUMNS else pa.string()) for c in EXPORT_COLUMNS]
    )
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for chunk in _chunks(rows, batch):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_txt(rows: Iterable[dict], path: Path) -> int:
    """One UTF-8 ``.txt`` per report, ``ID-title.txt``: a header of ``column: value`` lines
    (every export column but the texts, the attachments one a line), a ``---`` line, the text,
    then the attachment text. Into ``path`` as a folder, or a zip if it ends in ``.zip``."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            return _each_txt(rows, lambda name, text: archive.writestr(name, text.encode()))
    path.mkdir(parents=True, exist_ok=True)
    return _each_txt(rows, lambda name, text: (path / name).write_text(text, encoding="utf-8"))


def _each_txt(rows: Iterable[dict], put: Callable[[str, str], object]) -> int:
    count = 0
    for row in rows:
        name = sanitize_filename(f"{row['id']}-{row['title'] or 'report'}.txt", f"{row['id']}.txt")
        put(name, report_txt(row))
        count += 1
    return count


def report_txt(row: dict) -> str:
    lines = [
        f"{column}: {'' if row[column] is None else row[column]}"
        for column in EXPORT_COLUMNS
        if column not in (*TEXT_COLUMNS, "attachments")
    ]
    for attachment in _attachments(row):
        lines.append(
            f"attachment: {attachment.get('filename')} <{attachment.get('url')}>"
            f" sha256 {attachment.get('sha256')} {attachment.get('status')}"
            f" fetched {attachment.get('fetched_at')}"
        )
    lines += ["---", row["text"] or ""]
    if row["attachment_text"]:
        lines += ["", "=== attachment text ===", row["attachment_text"]]
    return "\n".join(lines) + "\n"


def _attachments(row: dict) -> list[dict]:
    value = row.get("attachments")
    return json.loads(value) if isinstance(value, str) else list(value or [])


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
