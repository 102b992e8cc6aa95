"""DOC and WPS files of a crawl go through one running LibreOffice kept by the extraction fork
server (crawler/extract/office_service.py): the texts of one-shot conversions, one office for
many files, a stuck office replaced, and no office left behind, even by a crawl killed -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.extract import Limits, extract_async, extract_bytes
from crawler.extract.office_service import UNO_PYTHON_ENV, has_uno, office_binary, uno_python
from tests.extract.reports import REPORT_2021

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    office_binary() is None or not has_uno(uno_python()),
    reason="needs LibreOffice and python3-uno (the Makefile installs both)",
)


@pytest.fixture
def pool(own_pool):
    return own_pool


def offices_of(server_pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(server_pid), "-x", "soffice.bin"], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_doc_and_wps_files_share_one_office_and_read_as_one_shot_conversions_do(pool, rendered):
    results = [
        extract_bytes(rendered(fmt), name)
        for fmt, name in [("doc", "2021年报.doc"), ("wps", "2021年报.wps"), ("doc", "b.doc")]
    ]
    assert [(r.status, r.method, r.mime) for r in results] == [
        ("ok", "libreoffice", "application/msword")
    ] * 3
    assert {r.text for r in results} == {REPORT_2021.truth_text()}
    server = pool._server.pid
    assert len(offices_of(server)) == 1  # started once, for the first file, kept for the others
    office = offices_of(server)[0]
    pool.close()
    assert not alive(office)


def test_without_uno_the_one_shot_conversion_reads_the_same_text(monkeypatch, pool, rendered):
    monkeypatch.setenv(UNO_PYTHON_ENV, sys.executable)  # our virtualenv's Python has no uno
    result = extract_bytes(rendered("doc"), "2021年报.doc")
    assert (result.status, result.method, result.text) == (
        "ok", "libreoffice", REPORT_2021.truth_text(),
    )  # fmt: skip
    assert offices_of(pool._server.pid) == []


def test_a_file_cut_off_mid_conversion_takes_the_office_with_it(pool, rendered):
    # The office starts with this file and needs more than 0.3 s to: the child's alarm ends the
    # child inside the conversion, and the server kills the office, which may be stuck on it.
    slow = extract_bytes(rendered("wps"), "b.wps", Limits(timeout_s=0.3))
    assert (slow.status, slow.error) == ("timeout", "parsing exceeded 0.3 s")
    server = pool._server.pid
    deadline = time.monotonic() + 10
    while offices_of(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert offices_of(server) == []
    after = extract_bytes(rendered("doc"), "c.doc")  # a new office for the next file
    assert (after.status, after.text) == ("ok", REPORT_2021.truth_text())
    assert len(offices_of(server)) == 1


def test_two_files_at_once_both_convert(pool, rendered):
    import asyncio

    async def both():
        return await asyncio.gather(
            extract_async(rendered("doc"), "a.doc"), extract_async(rendered("wps"), "b.wps")
        )

    results = asyncio.run(both())
    assert [(r.status, r.text == REPORT_2021.truth_text()) for r in results] == [("ok", True)] * 2


KILLED_CRAWL = """
import sys, time
from crawler.extract import extract_bytes
from crawler.extract import pool
data = open(sys.argv[1], "rb").read()
print(extract_bytes(data, "a.doc").status, pool.shared()._server.pid, flush=True)
time.sleep(600)
"""


def test_a_crawl_killed_with_sigkill_leaves_no_office(tmp_path, rendered):
    doc = tmp_path / "a.doc"
    doc.write_bytes(rendered("doc"))
    crawl = subprocess.Popen(
        [sys.executable, "-c", KILLED_CRAWL, str(doc)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    status, server = crawl.stdout.readline().split()
    assert status == "ok"
    (office,) = offices_of(int(server))
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    deadline = time.monotonic() + 10
    while alive(office) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(office)


def test_a_file_that_finds_the_office_busy_past_the_wait_converts_one_shot(monkeypatch, tmp_path):
    import fcntl

    from crawler.extract import office_service

    _, request_w = os.pipe()
    monkeypatch.setenv(office_service.ENV, f"{request_w}:no-such-pipe:{tmp_path}")
    monkeypatch.setattr(office_service, "LOCK_WAIT_S", 0.2)
    with open(tmp_path / "lock", "a") as held:  # another file is in the office
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        assert office_service.convert(b"\xd0\xcf\x11\xe0", "doc", "docx", 30) is None
    assert 0.2 <= time.monotonic() - started < 5


def test_no_office_is_asked_for_when_the_server_found_none(monkeypatch, tmp_path):
    from crawler.extract import office_service

    request_r, request_w = os.pipe()
    os.set_blocking(request_r, False)
    monkeypatch.setenv(office_service.ENV, f"{request_w}:no-such-pipe:{tmp_path}")
    (tmp_path / "unavailable").touch()
    assert office_service.convert(b"\xd0\xcf\x11\xe0", "doc", "docx", 30) is None
    with pytest.raises(BlockingIOError):
        os.read(request_r, 1)  # nothing was asked of the server
    monkeypatch.delenv(office_service.ENV)
    assert office_service.convert(b"\xd0\xcf\x11\xe0", "doc", "docx", 30) is None  # no server
