"""Reading the WARC records a capture points at (file, offset) without scanning the file."""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 20


class DamagedMember(ValueError):
    """A gzip member that does not decompress or fails its CRC."""


def read_member(fh: BinaryIO, offset: int) -> bytes:
    """The compressed bytes of the one gzip member at `offset`, checked (CRC and length) by
    decompressing it; DamagedMember if it is not whole.  warcio itself would print zlib's
    complaint and carry on, so members are checked here before warcio reads them."""
    fh.seek(offset)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    member = bytearray()
    try:
        while not inflater.eof:
            chunk = fh.read(_CHUNK)
            if not chunk:
                raise DamagedMember(f"gzip member at {offset} is cut off")
            inflater.decompress(chunk)
            member += chunk
    except zlib.error as exc:
        raise DamagedMember(f"gzip member at {offset}: {exc}") from exc
    return bytes(member[: len(member) - len(inflater.unused_data)])


def members(fh: BinaryIO) -> Iterator[tuple[int, bytes | DamagedMember]]:
    """(offset, member bytes or the damage) for every gzip member of a file; after a damaged
    one, reading resumes at the next gzip header."""
    size = fh.seek(0, io.SEEK_END)
    offset = 0
    while offset < size:
        try:
            member = read_member(fh, offset)
        except DamagedMember as exc:
            yield offset, exc
            offset = _next_magic(fh, offset + 1, size)
            continue
        yield offset, member
        offset += len(member)


def _next_magic(fh: BinaryIO, start: int, size: int) -> int:
    position = start
    while position < size:
        fh.seek(position)
        block = fh.read(_CHUNK + len(GZIP_MAGIC))
        found = block.find(GZIP_MAGIC)
        if found >= 0:
            return position + found
        position += _CHUNK
    return size


def payload_sha256(path: Path, offset: int) -> tuple[str, str, str | None]:
    """(record type, sha256 of the payload with its content-encoding undone, payload digest
    label) of the record at `offset`: what the capture's blob must hash to."""
    with path.open("rb") as fh:
        member = read_member(fh, offset)
    record = next(iter(ArchiveIterator(io.BytesIO(member))))
    body = record.content_stream().read()
    label = record.rec_headers.get_header("WARC-Payload-Digest")
    return record.rec_type, hashlib.sha256(body).hexdigest(), label
