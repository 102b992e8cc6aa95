"""Run history: the `runs` rows as records with their health, and runs that died without saying so.

A run killed with SIGKILL (or by a power cut) leaves its row `running` forever.  The next run
marks such a row `aborted` before it starts: a row is dead when its process is gone, or when its
pid now belongs to a process that started after the run did (the pid was reused).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.archive import Archive, ArchiveView
from crawler.clock import utc_now
from crawler.health import PortalHealth

# The run row is written a moment after its process starts; the clocks agree to about a second.
_START_SLACK_S = 2.0


@dataclass
class RunRecord:
    id: str
    started_at: str
    finished_at: str | None
    status: str  # running | finished | aborted
    exit_status: int | None
    pid: int | None
    spiders: list[str] = field(default_factory=list)
    portals: dict[str, PortalHealth] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RunRecord:
        stats = json.loads(row["stats"]) if row.get("stats") else {}
        return cls(
            id=row["id"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            status=row["status"],
            exit_status=row["exit_status"],
            pid=row["pid"],
            spiders=json.loads(row["spiders"]) if row.get("spiders") else [],
            portals={p: PortalHealth.from_dict(h) for p, h in stats.items() if isinstance(h, dict)},
        )

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "portals"}
        data["portals"] = {p: h.as_dict() for p, h in self.portals.items()}
        return data


def recent_runs(archive: ArchiveView, limit: int) -> list[RunRecord]:
    """The last `limit` runs, newest first."""
    return [RunRecord.from_row(row) for row in archive.recent_runs(limit)]


def mark_aborted(archive: Archive) -> list[str]:
    """Mark every `running` row whose process is gone as aborted (finished now); return their ids.

    Call it while holding the run lock, before the new run's own row exists."""
    dead = [
        run_id
        for run_id, pid, started_at in archive.running_runs()
        if not run_alive(pid, started_at)
    ]
    archive.mark_runs_aborted(dead, utc_now())
    return dead


def run_alive(pid: int | None, started_at: str | None) -> bool:
    """Is the process that wrote this run row still running (and still that process)?"""
    if not pid:
        return False
    if pid == os.getpid():
        return True
    began = process_start_time(pid)
    if began is None:
        return False
    if not started_at:
        return True
    run_began = datetime.fromisoformat(started_at.replace("Z", "+00:00")).timestamp()
    return began <= run_began + _START_SLACK_S


def process_start_time(pid: int) -> float | None:
    """When a live process started (epoch seconds), None if it is gone or a zombie.

    Linux /proc: field 22 of /proc/<pid>/stat is the start in clock ticks since boot."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = _boot_time()
    except OSError:
        return _start_time_without_proc(pid)
    after_name = stat.rsplit(")", 1)[1].split()  # the name in (...) may contain spaces
    if after_name[0] in {"Z", "X"}:  # zombie or dead: killed, only waiting to be reaped
        return None
    return boot + int(after_name[19]) / os.sysconf("SC_CLK_TCK")


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise OSError("no btime in /proc/stat")


def _start_time_without_proc(pid: int) -> float | None:
    # Without /proc only existence can be told; treat a live pid as started long ago.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return float("-inf")
