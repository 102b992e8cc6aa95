"""A crawl killed mid-way (kill -9, or SIGTERM from a scheduler): the archive stays whole, holds
no half report, and the next run completes the work and records the killed run as aborted."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.cron.helpers import (
    HOST,
    archived,
    crawl,
    query,
    run_id_of,
    run_rows,
    start_crawl,
    truth,
    wait_for,
)

pytestmark = pytest.mark.sandbox
SLOW = ("--fault", "zc_gov_cn:slow=0.5")  # every answer waits: the crawl is caught mid-way
REPORTS = "SELECT count(*) FROM reports"


def assert_whole(archive: Path) -> None:
    """SQLite's own checks, then: no report without its capture, bytes, version and sighting."""
    assert query(archive, "PRAGMA integrity_check") == [("ok",)]
    assert query(archive, "PRAGMA foreign_key_check") == []
    half = query(
        archive,
        """SELECT r.id FROM reports r
           LEFT JOIN captures c ON c.id = r.capture_id
           LEFT JOIN blobs b ON b.sha256 = c.sha256
           WHERE b.sha256 IS NULL
              OR NOT EXISTS (SELECT 1 FROM sightings s WHERE s.report_id = r.id)
              OR (SELECT count(*) FROM report_versions v
                  WHERE v.report_id = r.id AND v.valid_to IS NULL) != 1""",
    )
    assert half == []
    assert query(archive, "SELECT count(*) FROM reports_fts") == query(archive, REPORTS)


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    """kill -9 of the crawl (and its sandbox: the whole session) once 5 reports are stored."""
    archive = tmp_path_factory.mktemp("kill9") / "archive.db"
    proc = start_crawl(archive, "zc_gov_cn", *SLOW)
    try:
        wait_for(archive, REPORTS, 5, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    ((kept,),) = query(archive, REPORTS)
    rows = run_rows(archive)
    return archive, proc.pid, kept, rows


def test_kill_9_leaves_a_whole_archive_without_half_reports(killed):
    archive, pid, kept, rows = killed
    assert 5 <= kept < 48
    assert_whole(archive)
    ((_, status, exit_status, finished),) = rows
    assert (status, exit_status, finished) == ("running", None, 0)
    # the lock file still names the dead holder; its flock died with it
    assert (archive.parent / "archive.db.lock").read_text() == f"pid {pid} on {HOST}"


def test_the_next_run_completes_the_work_and_marks_the_killed_run_aborted(killed, manifest):
    archive, _, kept, (killed_row,) = killed
    after = crawl(archive, "zc_gov_cn")
    assert after.returncode == 0, after.stderr
    assert f"  run {killed_row[0]} had died without finishing: marked aborted" in after.lines
    assert (
        f"found   48  new {48 - kept:>4}  changed   0  unchanged {kept:>4}  gone   0"
    ) in after.stdout
    assert archived(archive, "zc_gov_cn") == truth(manifest, "zc_gov_cn")
    assert run_rows(archive) == [
        (killed_row[0], "aborted", None, 1),
        (run_id_of(after), "finished", 0, 1),
    ]
    assert_whole(archive)


def test_sigterm_ends_the_run_as_aborted_with_exit_143(tmp_path, manifest):
    archive = tmp_path / "archive.db"
    proc = start_crawl(archive, "zc_gov_cn", *SLOW)
    try:
        wait_for(archive, REPORTS, 5, proc)
        proc.send_signal(signal.SIGTERM)  # the crawl only: it stops its sandbox itself
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    run_id = out.split()[1]
    assert out.splitlines()[0] == f"run {run_id} -> {archive} (exit status 143: aborted by SIGTERM)"
    assert "      zc_gov_cn: spider ended with 'shutdown'" in out.splitlines()
    assert run_rows(archive) == [(run_id, "aborted", 143, 1)]
    assert_whole(archive)
    after = crawl(archive, "zc_gov_cn")  # the lock was released; nothing left to mark
    assert after.returncode == 0, after.stderr
    assert "had died" not in after.stdout
    assert archived(archive, "zc_gov_cn") == truth(manifest, "zc_gov_cn")
