"""Run rows left `running` by a dead process are marked aborted; live ones are left alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from crawler.archive import Archive
from crawler.clock import utc_now
from crawler.health import PortalHealth
from crawler.history import mark_aborted, process_start_time, recent_runs, run_alive


@pytest.fixture
def archive(tmp_path):
    archive = Archive.open(tmp_path / "archive.db")
    yield archive
    archive.close()


@pytest.fixture
def sleeper():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped: the pid is free
    return proc.pid


def add_run(archive: Archive, run_id: str, pid: int, started_at: str) -> None:
    archive.start_run(run_id, ["zc_gov_cn"], pid)
    archive.db["runs"].update(run_id, {"started_at": started_at})


def test_dead_and_reused_pids_are_aborted_live_runs_are_not(archive, sleeper) -> None:
    now = utc_now()
    add_run(archive, "20261101T020000Z-dead00", dead_pid(), "2026-11-01T02:00:00Z")
    # the sleeper started after this run: its pid was reused, the run's process is gone
    add_run(archive, "20261102T020000Z-reused", sleeper.pid, "2026-11-02T02:00:00Z")
    add_run(archive, "20261103T020000Z-live00", sleeper.pid, now)
    add_run(archive, "20261104T020000Z-done00", dead_pid(), "2026-11-04T02:00:00Z")
    archive.finish_run("20261104T020000Z-done00", {}, 0, "finished")

    assert mark_aborted(archive) == ["20261101T020000Z-dead00", "20261102T020000Z-reused"]
    rows = archive.db.execute(
        "SELECT id, status, finished_at IS NOT NULL, exit_status FROM runs ORDER BY id"
    ).fetchall()
    assert rows == [
        ("20261101T020000Z-dead00", "aborted", 1, None),
        ("20261102T020000Z-reused", "aborted", 1, None),
        ("20261103T020000Z-live00", "running", 0, None),
        ("20261104T020000Z-done00", "finished", 1, 0),
    ]
    assert mark_aborted(archive) == []  # nothing left to mark


def test_a_killed_but_unreaped_process_counts_as_gone(sleeper) -> None:
    assert process_start_time(sleeper.pid) is not None
    assert run_alive(sleeper.pid, utc_now())
    os.kill(sleeper.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process_start_time(sleeper.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.01)  # a zombie until the test's fixture reaps it
    assert process_start_time(sleeper.pid) is None
    assert not run_alive(sleeper.pid, utc_now())
    assert not run_alive(None, utc_now())


def test_recent_runs_newest_first_with_their_health(archive) -> None:
    add_run(archive, "20261101T020000Z-aaaaaa", 1, "2026-11-01T02:00:00Z")
    add_run(archive, "20261102T020000Z-bbbbbb", 1, "2026-11-02T02:00:00Z")
    add_run(archive, "20261103T020000Z-cccccc", 1, "2026-11-03T02:00:00Z")
    health = PortalHealth("zc_gov_cn", False, ["0 reports found"], reports_found=0)
    archive.finish_run("20261102T020000Z-bbbbbb", {"zc_gov_cn": health.as_dict()}, 1, "finished")

    runs = recent_runs(archive, 2)
    assert [r.id for r in runs] == ["20261103T020000Z-cccccc", "20261102T020000Z-bbbbbb"]
    assert (runs[1].status, runs[1].exit_status, runs[1].spiders) == ("finished", 1, ["zc_gov_cn"])
    assert runs[1].portals == {"zc_gov_cn": health}
    assert json.loads(json.dumps(runs[1].as_dict()))["portals"]["zc_gov_cn"]["reasons"] == [
        "0 reports found"
    ]
