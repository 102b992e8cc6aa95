"""The archive's reader thread (crawler/archive/reads.py): lookups run off the event loop's
thread, one thread per archive file shared by its users, and a reader asked before the archive
exists finds it once a writer has made it."""

from __future__ import annotations

import asyncio
import threading

from crawler.archive import Archive, ArchiveReader
from crawler.archive import reads as archive_reads
from tests.core.factories import report


def test_a_lookup_runs_on_the_reader_thread_not_the_callers(tmp_path) -> None:
    Archive.open(tmp_path / "a.db").close()
    reads = archive_reads.acquire(tmp_path / "a.db")
    try:

        def where(reader: ArchiveReader) -> str:
            return threading.current_thread().name

        async def ask() -> tuple[str, str]:
            return threading.current_thread().name, await reads.call(where)

        caller, reader = asyncio.run(ask())
        assert caller == "MainThread" and reader.startswith("archive-reader")
    finally:
        archive_reads.release(reads)


def test_users_of_one_archive_share_one_reader_until_the_last_lets_go(tmp_path) -> None:
    first = archive_reads.acquire(tmp_path / "a.db")
    second = archive_reads.acquire(tmp_path / "." / "a.db")
    assert first is second and first.users == 2
    archive_reads.release(first)
    assert archive_reads.acquire(tmp_path / "a.db") is first  # still held by the second
    archive_reads.release(first)
    archive_reads.release(first)
    third = archive_reads.acquire(tmp_path / "a.db")
    assert third is not first
    archive_reads.release(third)


def test_a_reader_asked_before_the_archive_exists_finds_it_later(tmp_path) -> None:
    reader = ArchiveReader(tmp_path / "a.db")
    item = report()
    assert reader.latest_capture(item.url, "page") is None  # no archive yet: fetch everything
    archive = Archive.open(tmp_path / "a.db")
    archive.store(item)
    archive.close()
    found = reader.latest_capture(item.url, "page")
    assert found is not None and found.url == item.url
    reader.close()
