"""`govreports verify`: re-hash blobs and WARC records; exit 0 only when everything matches.

Exit codes: 0 every hash matches, 1 at least one mismatch (each printed), 4 archive unavailable.
"""

from __future__ import annotations

import sys

import click

from crawler.commands import archive_option
from crawler.commands.query import reading, user_errors
from crawler.webarchive.verify import verify


@click.command("verify")
@click.option("--run", "run_id", help="Only what this run captured (default: everything).")
@archive_option
@user_errors
def verify_command(run_id: str | None, archive) -> None:
    """Re-hash the archive's blobs and WARC payloads; print every mismatch. Example:

    govreports verify --run 20261203T142823Z-812aa5
    """
    with reading(archive) as view:
        if run_id and run_id not in view.run_ids():
            click.echo(f"govreports: error: no run {run_id}", err=True)
            sys.exit(2)
        report = verify(view, run_id)
    for problem in report.problems:
        click.echo(f"MISMATCH {problem}")
    verdict = "ok" if report.ok else f"{len(report.problems)} mismatches"
    click.echo(
        f"{report.blobs} blobs, {report.files} WARC files, {report.records} records, "
        f"{report.captures} captures checked: {verdict}"
    )
    sys.exit(0 if report.ok else 1)


COMMANDS = [verify_command]
