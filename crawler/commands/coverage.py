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
        rows = registry_rows(extra)
        coverage.county_divisions(province)  # an unknown province is a usage error, archive or not
    except (coverage.UnknownProvince, RegistryError) as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        with ArchiveView.open(archive_path or _default_archive()) as archive:
            counts = archive.reports_by_year()
    except ArchiveUnavailable as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_ARCHIVE)
    table = coverage.province_coverage(province, rows, counts)
    if as_json:
        entries = [_entry(table, c) for c in table.units]
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"{table.province}: {len(table.covered)} of {len(table.units)} county-level units "
        f"have a registered portal; {table.missing} of their years have no report"
    )
    for c in table.units:
        d = c.division
        years = ", ".join(f"{y or '?'}: {n}" for y, n in sorted(c.reports.items())) or "-"
        portal = ", ".join(c.portals) or "(no portal)"
        gaps = table.gaps(c)
        missing = f"; none in {', '.join(map(str, gaps))}" if gaps else ""
        click.echo(f"{d.code} {d.city}{d.county:<8} {portal:<16} reports by year: {years}{missing}")


def _entry(table, c) -> dict:
    d = c.division
    return {
        "code": d.code,
        "city": d.city,
        "county": d.county,
        "portals": c.portals,
        "reports_by_year": {str(y): n for y, n in sorted(c.reports.items())},
        "years_without_report": table.gaps(c),
    }


COMMANDS = [coverage_command]
