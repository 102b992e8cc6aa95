"""`govreports jobs work` and `govreports jobs status`: the archive's extraction queue.

A crawl with `-s EXTRACT_DEFERRED=True` archives every attachment unread and queues an `extract`
job for each distinct file; with `-s OCR_DEFERRED=True` it archives scans and table images
without OCR and queues an `ocr` job for each (crawler/archive/jobqueue.py); `jobs work` runs them
on any node that reaches the archive (crawler/jobs.py), several workers at once if wanted:
`extract` jobs first (one that leaves OCR to an `ocr` job queues it), then `ocr` jobs.

Exit codes: 0 every job taken was done (or none was waiting), 1 some jobs failed (recorded with
their reason; `--retry-failed` queues them again), 2 usage error, 4 archive unavailable.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crawler import cliargs
from crawler.archive import Archive, ArchiveView
from crawler.archive.jobqueue import KINDS
from crawler.attachment_text import extraction_limits, ocr_deferred
from crawler.commands import archive_option
from crawler.commands.clean import rules_for_portal
from crawler.extract import Limits

if TYPE_CHECKING:
    from crawler.jobs import WorkCounts

EXIT_FAILED, EXIT_ARCHIVE = 1, 4
STATUSES = ("queued", "taken", "done", "failed")


@click.group()
def jobs() -> None:
    """Extraction and OCR jobs queued by crawls with EXTRACT_DEFERRED or OCR_DEFERRED, worked
    by any node."""


@jobs.command()
@archive_option
@click.option(
    "--kind", type=click.Choice(KINDS), help="Only this kind of job (default: extract, then ocr)."
)
@click.option("--node", help="This worker's name in the queue (default: host:pid).")
@click.option("--limit", type=cliargs.LIMIT, help="Stop after N jobs (default: until none left).")
@click.option(
    "--lease-minutes",
    type=click.IntRange(min=1, max=7 * 24 * 60),
    default=15,
    show_default=True,
    help="A job taken longer ago than this by a worker that has not finished it is taken again.",
)
@click.option("--retry-failed", is_flag=True, help="Queue the failed jobs again first.")
@click.option("-s", "settings_pairs", multiple=True, help="Setting NAME=VALUE (OCR_TIMEOUT...).")
def work(
    archive: Path,
    kind: str | None,
    node: str | None,
    limit: int | None,
    lease_minutes: int,
    retry_failed: bool,
    settings_pairs: tuple[str, ...],
) -> None:
    """Take the archive's waiting jobs one by one, extract or OCR each file with the crawl's
    own code and limits, and write its text to every attachment and report waiting for it.
    An `extract` job OCRs a file only OCR can read, unless `-s OCR_DEFERRED=True`: then it
    queues the file's `ocr` job (for OCR nodes).

    Example (cron, every 10 minutes, on each OCR node):
    govreports jobs work --archive /srv/govreports/archive.db --limit 50
    """
    from crawler.jobs import work as work_jobs
    from crawler.runner import project_settings

    if not archive.exists():  # opening would create an empty one
        _fail(f"no archive at {archive}", EXIT_ARCHIVE)
    settings = project_settings(cliargs.crawl_settings(settings_pairs))
    limits = {
        "extract": extraction_limits(settings),
        "ocr": Limits.from_settings(settings, ocr=True),
    }
    failed = 0
    with Archive.open(archive) as opened:
        for each in (kind,) if kind else KINDS:
            if retry_failed:
                click.echo(f"{opened.requeue_failed_jobs(each)} failed {each} jobs queued again")
            counts = work_jobs(
                opened,
                rules_for_portal,
                kind=each,
                node=node or f"{socket.gethostname()}:{os.getpid()}",
                limits=limits[each],
                lease=timedelta(minutes=lease_minutes),
                limit=limit,
                defer_ocr=ocr_deferred(settings),
            )
            _report(each, counts)
            failed += counts.failed
            if limit is not None:
                limit -= counts.done + counts.failed
                if limit <= 0:
                    break
    if failed:
        sys.exit(EXIT_FAILED)


def _report(kind: str, counts: WorkCounts) -> None:
    click.echo(
        f"{counts.done} {kind} jobs done, {counts.failed} failed; "
        f"{counts.reports_changed} reports got new attachment text, "
        f"{counts.figures_changed} new figures"
    )
    for error in counts.errors:
        click.echo(f"failed: {error}", err=True)


@jobs.command()
@archive_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (for machines).")
def status(archive: Path, as_json: bool) -> None:
    """The extraction queue's backlog: jobs per kind and status."""
    if not archive.exists():
        _fail(f"no archive at {archive}", EXIT_ARCHIVE)
    with ArchiveView.open(archive) as view:
        counts = view.job_counts()
    table = {kind: {status: counts.get((kind, status), 0) for status in STATUSES} for kind in KINDS}
    if as_json:
        click.echo(json.dumps(table))
        return
    click.echo(f"{'kind':<8}" + "".join(f"{status:>8}" for status in STATUSES))
    for kind, row in table.items():
        click.echo(f"{kind:<8}" + "".join(f"{row[status]:>8}" for status in STATUSES))


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: {message}", err=True)
    sys.exit(code)


COMMANDS = [jobs]
