"""`govreports clean FILE [--url URL]` and `govreports reclean`.

Exit codes: 0 ok, 4 archive unavailable (as the other archive commands).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.archive import Archive, ArchiveUnavailable
from crawler.cleaning import clean_html
from crawler.commands import archive_option
from crawler.reclean import reclean_archive

EXIT_ARCHIVE = 4


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
@click.option("--portal", help="Only this portal's reports, e.g. zc_gov_cn.")
def reclean(archive: Path, portal: str | None) -> None:
    """Re-clean every archived report from its stored raw bytes (raw is never touched)."""
    try:
        if not archive.exists():  # opening would create an empty one
            raise ArchiveUnavailable(f"no archive at {archive}")
        opened = Archive.open(archive)
    except ArchiveUnavailable as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_ARCHIVE)
    with opened:
        counts = reclean_archive(opened, rules_for_url, portal=portal)
    click.echo(f"{counts.recleaned} reports re-cleaned, {counts.changed} changed")
    if counts.skipped:
        click.echo(f"{counts.skipped} reports skipped (no stored page bytes)", err=True)


COMMANDS = [clean, reclean]
