"""`govreports clean FILE [--url URL]` and `govreports reclean`.

Exit codes: 0 ok, 3 a crawl (or another reclean) holds the archive's lock, 4 archive
unavailable, damaged or newer than this govreports (as the other archive commands).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import click

from crawler.archive import Archive, ArchiveUnavailable
from crawler.cleaning import clean_html
from crawler.cliargs import SEARCH_TEXT
from crawler.commands import archive_option
from crawler.lock import Locked, RunLock
from crawler.reclean import reclean_archive

EXIT_LOCKED, EXIT_ARCHIVE = 3, 4


def rules_for_portal(portal: str) -> dict | None:
    """The declared rules of a portal (spider name); imported late: it loads every spider."""
    from crawler.portals import rules_for_portal as lookup

    return lookup(portal)


def rules_for_url(url: str) -> dict | None:
    """The portal rules for ``url`` (crawler.portals, imported late: it loads every spider)."""
    from crawler.portals import rules_for_url as lookup

    return lookup(url)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL: picks its portal's content selector.")
@click.option("--title", help="The report title, if known (default: read from the page).")
@click.option("--encoding", help="Declared charset, e.g. from the HTTP header.")
def clean(file: Path, url: str | None, title: str | None, encoding: str | None) -> None:
    """Print the cleaned text of a saved report page.

    With --url the portal's rules apply; without it (or for an unknown portal) the fallback
    finds the report by scoring the page's containers.
    """
    rules = (rules_for_url(url) if url else None) or {}
    cleaned = clean_html(
        file.read_bytes(),
        url=url,
        content_selector=rules.get("content_selector"),
        title=title,
        encoding=encoding,
    )
    click.echo(cleaned.text)


@click.command()
@archive_option
@click.option("--portal", type=SEARCH_TEXT, help="Only this portal's reports, e.g. zc_gov_cn.")
def reclean(archive: Path, portal: str | None) -> None:
    """Re-clean every archived report from its stored raw bytes (raw is never touched).

    Takes the archive's run lock, as a crawl does: exit 3 while a crawl runs."""
    if not archive.exists():  # opening would create an empty one
        _fail(f"no archive at {archive}", EXIT_ARCHIVE)
    with RunLock(archive) as lock:
        try:
            lock.acquire(f"reclean, pid {os.getpid()} on {socket.gethostname()}")
        except Locked as exc:
            _fail(str(exc), EXIT_LOCKED)
        try:
            opened = Archive.open(archive, verify=True)
        except ArchiveUnavailable as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        with opened:
            counts = reclean_archive(opened, rules_for_portal, portal=portal)
    click.echo(f"{counts.recleaned} reports re-cleaned, {counts.changed} changed")
    click.echo(f"figures: {counts.figures_changed} reports recomputed with other figures"
               + (f", {counts.figures_failed} failed" if counts.figures_failed else ""))  # fmt: skip
    if counts.skipped:
        click.echo(f"{counts.skipped} reports skipped (no stored page bytes)", err=True)


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: {message}", err=True)
    sys.exit(code)


COMMANDS = [clean, reclean]
