"""Web-archive commands: `govreports verify` (re-hash blobs and WARC records) and
`govreports replay` (a WACZ in the browser, on 127.0.0.1).

verify exits 0 when every hash matches, 1 on a mismatch (each printed), 2 on an unknown run,
4 when the archive is unavailable.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

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


@click.command("replay")
@click.argument("wacz", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--port", type=int, default=8090, show_default=True)
def replay_command(wacz: Path, port: int) -> None:
    """Serve a WACZ (from `export --format wacz`) on 127.0.0.1 until Ctrl-C. Example:

    govreports replay zc-2023.wacz   # then open the URL it prints
    """
    from crawler.webarchive.replay import PREFIX, WaczArchive, serve

    server = serve(wacz, port=port)
    pages = WaczArchive(wacz).pages()
    click.echo(f"replaying {wacz} on http://127.0.0.1:{server.server_address[1]}{PREFIX}<URL>")
    for page in pages[:20]:
        click.echo(
            f"  http://127.0.0.1:{server.server_address[1]}{PREFIX}{page['url']}  {page['title']}"
        )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


COMMANDS = [verify_command, replay_command]
