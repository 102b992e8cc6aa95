"""`govreports status`: the archive's portals, their health as of their latest run, and the last
runs with their exit codes.  Read-only: it never takes the run lock nor changes a row."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from crawler import history, summary
from crawler.archive import ArchiveUnavailable, ArchiveView
from crawler.cliargs import COUNT
from crawler.health import PortalHealth
from crawler.history import RunRecord

EXIT_ARCHIVE = 4  # as `govreports crawl`: the archive cannot be read
EXIT_STALE = 1  # --max-age: a portal has had no healthy run for that long
_AGE = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class MaxAge(click.ParamType):
    """A duration: 90m, 36h, 3d, 2w."""

    name = "duration"

    def convert(self, value: Any, param: Any, ctx: Any) -> timedelta:
        if isinstance(value, timedelta):
            return value
        match = _AGE.match(str(value).strip())
        if not match or int(match[1]) == 0:
            self.fail(f"{value!r} is not a duration like 90m, 36h, 3d or 2w", param, ctx)
        return timedelta(**{_UNITS[match[2]]: int(match[1])})


@click.command()
@click.option("--archive", "archive_path", help="Archive file (default: ARCHIVE_PATH setting).")
@click.option(
    "--runs", "limit", type=COUNT, default=10, show_default=True, help="How many recent runs."
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (for machines).")
@click.option(
    "--max-age",
    type=MaxAge(),
    help="Exit 1, naming them on stderr, if a portal has had no healthy run for this long "
    "(90m, 36h, 3d, 2w).",
)
def status(archive_path: str | None, limit: int, as_json: bool, max_age: timedelta | None) -> None:
    """Show each portal's health as of its latest run and the last runs with their exit codes.

    Example: govreports status --archive /srv/govreports/archive.db --runs 5

    For alerting from cron: govreports status --max-age 3d > /dev/null
    """
    path = archive_path or _default_archive()
    try:
        archive = ArchiveView.open(path)
    except ArchiveUnavailable as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_ARCHIVE)
    with archive:
        report = archive_status(archive, limit)
        stale = stale_portals(archive, max_age, datetime.now(UTC)) if max_age else []
    if as_json:
        report = {**report, "stale": stale} if max_age else report
        click.echo(json.dumps({"archive": path, **report}, ensure_ascii=False, indent=1))
    else:
        _print_status(path, report)
    for entry in stale:
        click.echo(f"govreports: stale: {entry['message']}", err=True)
    if stale:
        sys.exit(EXIT_STALE)


def stale_portals(archive: ArchiveView, max_age: timedelta, now: datetime) -> list[dict[str, Any]]:
    """Portals whose last healthy run finished longer than ``max_age`` before ``now`` (or that
    never had one): every portal a run has recorded, or the archive holds reports of."""
    last_healthy: dict[str, str | None] = {portal: None for portal, *_ in archive.portal_counts()}
    for row in archive.runs_with_stats():  # newest first
        record = RunRecord.from_row(row)
        for portal, health in record.portals.items():
            last_healthy.setdefault(portal, None)
            if health.healthy and last_healthy[portal] is None:
                last_healthy[portal] = record.finished_at or record.started_at
    stale = []
    for portal, when in sorted(last_healthy.items()):
        age = now - _parse_time(when) if when else None
        if age is None or age > max_age:
            since = f"last healthy run finished {when} ({_age(age)} ago)" if when else "never"
            stale.append(
                {
                    "portal": portal,
                    "last_healthy": when,
                    "message": f"{portal}: no healthy run for more than {_age(max_age)}: {since}",
                }
            )
    return stale


def _parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _age(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return (
        f"{hours // 24}d {hours % 24}h"
        if hours >= 24
        else f"{hours}h {int(delta.total_seconds() // 60) % 60}m"
    )


def archive_status(archive: ArchiveView, limit: int) -> dict[str, Any]:
    """Portals (archive counts + latest health) and the last `limit` runs, as plain data."""
    runs = history.recent_runs(archive, limit)
    latest = _latest_health(archive)
    portals = {}
    for portal, reports, gone in archive.portal_counts():
        portals[portal] = {"reports": reports, "gone": gone, "latest": None}
    for portal, (run_id, health) in sorted(latest.items()):
        entry = portals.setdefault(portal, {"reports": 0, "gone": 0, "latest": None})
        entry["latest"] = {"run_id": run_id, **health.as_dict()}
    return {"portals": portals, "runs": [_run_dict(r) for r in runs]}


def _latest_health(archive: ArchiveView) -> dict[str, tuple[str, PortalHealth]]:
    """Each portal's health from the newest run that recorded it."""
    latest: dict[str, tuple[str, PortalHealth]] = {}
    for row in archive.runs_with_stats():
        record = RunRecord.from_row(row)
        for portal, health in record.portals.items():
            latest.setdefault(portal, (record.id, health))
    return latest


def _run_dict(run: RunRecord) -> dict[str, Any]:
    data = run.as_dict()
    data["state"] = run_state(run)
    data["unhealthy"] = [p for p, h in run.portals.items() if not h.healthy]
    return data


def run_state(run: RunRecord) -> str:
    """The row's status, except that a `running` row whose process is gone says so."""
    if run.status == "running" and not history.run_alive(run.pid, run.started_at):
        return "died"  # the next crawl marks it aborted
    return run.status


def _print_status(path: str, report: dict[str, Any]) -> None:
    click.echo(f"archive {path}")
    for portal, entry in report["portals"].items():
        click.echo(f"  {portal:<14} {entry['reports']:>5} reports  {entry['gone']:>4} gone")
    click.echo("portal health as of each portal's latest run:")
    for entry in report["portals"].values():
        if entry["latest"]:
            data = dict(entry["latest"])
            run_id = data.pop("run_id")
            lines = summary.portal_lines(PortalHealth.from_dict(data))
            click.echo(f"{lines[0]}  (run {run_id})")
            for line in lines[1:]:
                click.echo(line)
    click.echo(f"last {len(report['runs'])} runs:")
    for run in report["runs"]:
        click.echo(_run_line(run))


def _run_line(run: dict[str, Any]) -> str:
    exit_status = "-" if run["exit_status"] is None else str(run["exit_status"])
    line = (
        f"  {run['id']}  {run['started_at']}  {_duration(run):>8}  {run['state']:<8} "
        f"exit {exit_status:>3}  {','.join(run['spiders'])}"
    )
    if run["unhealthy"]:
        line += f"  unhealthy: {', '.join(run['unhealthy'])}"
    return line


def _duration(run: dict[str, Any]) -> str:
    if not run["finished_at"] or not run["started_at"]:
        return "-"
    began, ended = (
        datetime.fromisoformat(run[k].replace("Z", "+00:00")) for k in ("started_at", "finished_at")
    )
    seconds = int((ended - began).total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _default_archive() -> str:
    from crawler.runner import project_settings

    return project_settings().get("ARCHIVE_PATH")


COMMANDS = [status]
