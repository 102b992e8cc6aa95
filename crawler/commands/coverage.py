"""`govreports coverage --province 广东`: the province's county-level divisions, which have a
registered portal, and the archive's reports per year for each."""

from __future__ import annotations

import json
import sys

import click

from crawler.registry import RegistryError, registry_rows

EXIT_USAGE, EXIT_ARCHIVE = 2, 4


@click.command("coverage")
@click.option("--province", required=True, help="Province name, e.g. 广东 or 广东省.")
@click.option("--archive", "archive_path", help="Archive file (default: ARCHIVE_PATH setting).")
@click.option("--registry", "extra", multiple=True, help="Another registry file (TOML).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (for machines).")
def coverage_command(
    province: str, archive_path: str | None, extra: tuple[str, ...], as_json: bool
):
    """List the province's county-level units, their registered portal and reports per year.
    Example: govreports coverage --province 广东 --archive /srv/govreports/archive.db"""
    from crawler import coverage
    from crawler.archive import ArchiveUnavailable, ArchiveView
    from crawler.commands.status import _default_archive

    try:
        divisions = coverage.county_divisions(province)
        rows = registry_rows(extra)
    except (coverage.UnknownProvince, RegistryError) as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        with ArchiveView.open(archive_path or _default_archive()) as archive:
            counts = archive.reports_by_year()
    except ArchiveUnavailable as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_ARCHIVE)
    table = coverage.coverage(divisions, rows, counts)
    if as_json:
        click.echo(json.dumps([_entry(c) for c in table], ensure_ascii=False, indent=1))
        return
    covered = [c for c in table if c.portals]
    click.echo(
        f"{divisions[0].province}: {len(covered)} of {len(table)} county-level units "
        "have a registered portal"
    )
    for c in table:
        d = c.division
        years = ", ".join(f"{y or '?'}: {n}" for y, n in sorted(c.reports.items())) or "-"
        portal = ", ".join(c.portals) or "(no portal)"
        click.echo(f"{d.code} {d.city}{d.county:<8} {portal:<16} reports by year: {years}")


def _entry(c) -> dict:
    d = c.division
    return {
        "code": d.code,
        "city": d.city,
        "county": d.county,
        "portals": c.portals,
        "reports_by_year": {str(y): n for y, n in sorted(c.reports.items())},
    }


COMMANDS = [coverage_command]
