"""`govreports verify`: re-hash what the archive holds and say what no longer matches.

Three checks, each independent of the others:

- every blob's bytes hash to the sha256 it is stored under (SQLite bit rot, a hand edit);
- every WARC record's block and payload digests (warcio's check, gzip member by member: a
  flipped byte breaks the member's CRC or a digest);
- every capture that points at a WARC record finds one there, for its URL, whose payload (its
  content-encoding undone) hashes to the capture's sha256, or, for a revisit, names it.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.archive import ArchiveView
from crawler.warc import sha256_label
from crawler.webarchive.records import DamagedMember, members, payload_sha256, resolve

# What a damaged gzip member or WARC header raises while it is read.
_READ_ERRORS = (OSError, EOFError, zlib.error, ArchiveLoadFailed, ValueError)


@dataclass
class Report:
    blobs: int = 0
    records: int = 0
    captures: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(view: ArchiveView, run_id: str | None = None) -> Report:
    report = Report()
    for sha256, body in view.blobs(run_id):
        report.blobs += 1
        actual = hashlib.sha256(body or b"").hexdigest()
        if actual != sha256:
            report.problems.append(f"blob {sha256}: its bytes hash to {actual}")
    for path in warc_files(view.folder, run_id, view):
        report.files += 1
        report.records += check_file(path, report.problems)
    for capture in view.warc_captures(run_id):
        report.captures += 1
        problem = check_capture(view.folder, capture)
        if problem:
            report.problems.append(f"capture {capture['id']} ({capture['url']}): {problem}")
    return report


def warc_files(base: Path, run_id: str | None, view: ArchiveView) -> list[Path]:
    """The run's folder (every run's), plus any file a capture names elsewhere."""
    root = base / "warc"
    found = set((root / run_id).glob("*.warc.gz") if run_id else root.glob("*/*.warc.gz"))
    found |= {resolve(base, c["warc_file"]) for c in view.warc_captures(run_id)}
    return sorted(found)


def check_file(path: Path, problems: list[str]) -> int:
    """Records read from `path`, member by member; every damaged member and digest mismatch
    added to problems."""
    count = 0
    try:
        with path.open("rb") as fh:
            for offset, member in members(fh):
                count += 1
                if isinstance(member, DamagedMember):
                    problems.append(f"{path} @{offset}: {member}")
                    continue
                problems.extend(f"{path} @{offset}: {p}" for p in record_problems(member))
    except OSError as exc:
        problems.append(f"{path}: unreadable ({exc})")
    return count


def record_problems(member: bytes) -> list[str]:
    """warcio's digest check of the record in one (intact) gzip member."""
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(member), check_digests=True)))
        stream = record.content_stream()
        while stream.read(1 << 16):
            pass
    except _READ_ERRORS as exc:
        return [f"not a WARC record ({type(exc).__name__}: {exc})"]
    return list(record.digest_checker.problems)


def check_capture(base: Path, capture: dict) -> str | None:
    path = resolve(base, capture["warc_file"])
    try:
        kind, actual, label = payload_sha256(path, capture["warc_offset"])
    except StopIteration:
        return f"no WARC record at {capture['warc_file']} @{capture['warc_offset']}"
    except _READ_ERRORS as exc:
        return f"WARC record unreadable ({type(exc).__name__}: {exc})"
    if kind == "revisit":
        if label != sha256_label(capture["sha256"]):
            return f"revisit record names {label}, the capture holds {capture['sha256']}"
        return None
    if actual != capture["sha256"]:
        return f"WARC payload hashes to {actual}, the capture's blob is {capture['sha256']}"
    return None
