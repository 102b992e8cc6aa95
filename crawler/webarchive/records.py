"""Reading the WARC records a capture points at (file, offset) without scanning the file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


@dataclass(frozen=True)
class RawRecord:
    """One record as it lies in its file (one gzip member), and what it says."""

    type: str
    record_id: str
    target: str | None
    payload_digest: str | None
    file: Path
    offset: int
    length: int

    def raw(self) -> bytes:
        with self.file.open("rb") as fh:
            fh.seek(self.offset)
            return fh.read(self.length)


def resolve(base: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else base / path


def record_group(path: Path, offset: int) -> list[RawRecord]:
    """The record at `offset` and the records written with it (WARC-Concurrent-To it)."""
    group: list[RawRecord] = []
    with path.open("rb") as fh:
        fh.seek(offset)
        iterator = ArchiveIterator(fh)
        for record in iterator:
            headers = record.rec_headers
            if group and headers.get_header("WARC-Concurrent-To") != group[0].record_id:
                break
            iterator.read_to_end(record)  # so that its offset and length are known
            start = iterator.get_record_offset()  # warcio counts from the file handle's start
            group.append(
                RawRecord(
                    headers.get_header("WARC-Type"),
                    headers.get_header("WARC-Record-ID"),
                    headers.get_header("WARC-Target-URI"),
                    headers.get_header("WARC-Payload-Digest"),
                    path,
                    start,
                    iterator.get_record_length(),
                )
            )
    return group


def payload_sha256(path: Path, offset: int) -> tuple[str, str, str | None]:
    """(record type, sha256 of the payload with its content-encoding undone, payload digest
    label) of the record at `offset`: what the capture's blob must hash to."""
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        body = record.content_stream().read()
        label = record.rec_headers.get_header("WARC-Payload-Digest")
        return record.rec_type, hashlib.sha256(body).hexdigest(), label
