"""`govreports portals add|list|check`: the portal registry (portals.toml) from the command line."""

from __future__ import annotations

import json
import os
import sys
from contextlib import ExitStack
from typing import Any

import click

from crawler.registry import RegistryError, registry_rows, spider_class
from crawler.registry.rows import PortalRow

EXIT_USAGE, EXIT_ARCHIVE = 2, 4


@click.group()
def portals() -> None:
    """The portal registry: propose a row for a portal, list the rows, check each portal."""


def _rows(extra: tuple[str, ...]) -> list[PortalRow]:
    try:
        return registry_rows(extra)
    except RegistryError as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_USAGE)


@portals.command("list")
@click.option("--registry", "extra", multiple=True, help="Another registry file (TOML).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def list_rows(extra: tuple[str, ...], as_json: bool) -> None:
    """Every registered portal: key, host, division code, CMS family, name, spider."""
    rows = _rows(extra)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
        return
    for row in rows:
        spider = f"spiders/{row.spider}.py" if row.spider else f"generic {row.cms}"
        click.echo(
            f"{row.key:<20} {row.host:<24} {row.division} {row.cms:<7} {row.name}  [{spider}]"
        )
    click.echo(f"{len(rows)} portals")


@portals.command()
@click.option("--registry", "extra", multiple=True, help="Another registry file (TOML).")
@click.option("--archive", "archive_path", help="Archive file (default: ARCHIVE_PATH setting).")
def check(extra: tuple[str, ...], archive_path: str | None) -> None:
    """Each portal's health: its row builds a spider, and its latest run in the archive.
    Exit 1 when a row is broken or a portal's latest run was unhealthy."""
    from crawler.archive import ArchiveUnavailable, ArchiveView
    from crawler.commands.status import _default_archive, archive_status

    rows = _rows(extra)
    path = archive_path or _default_archive()
    try:
        with ArchiveView.open(path) as archive:
            known = archive_status(archive, 1)["portals"]
    except ArchiveUnavailable as exc:
        click.echo(f"govreports: {exc}", err=True)
        sys.exit(EXIT_ARCHIVE)
    bad = 0
    for row in rows:
        try:
            spider_class(row)
            built = "row ok"
        except RegistryError as exc:
            built, bad = f"row broken: {exc}", bad + 1
        entry = known.get(row.spider or row.key)
        latest = (entry or {}).get("latest")
        if latest is None:
            health = "never crawled"
        elif latest.get("healthy"):
            health = f"healthy as of {latest['run_id']}"
        else:
            bad += 1
            health = f"UNHEALTHY as of {latest['run_id']}: {'; '.join(latest.get('reasons', []))}"
        reports = (entry or {}).get("reports", 0)
        click.echo(f"{row.key:<20} {built:<8} reports {reports:>5}  {health}")
    sys.exit(1 if bad else 0)


@portals.command()
@click.argument("url")
@click.option("--sandbox", is_flag=True, help="Read the portal from the offline sandbox.")
@click.option(
    "--portals",
    "generated",
    default=0,
    type=click.IntRange(min=0),
    help="With --sandbox: serve N generated portals too.",
)
@click.option("--variant", default=0, type=click.IntRange(min=0), help="Sandbox world.")
@click.option(
    "--proxy",
    help="Read through this running sandbox's proxy (http://127.0.0.1:PORT) instead of "
    "starting one; its certificate is its own.",
)
@click.option(
    "--from-file",
    "saved",
    type=click.Path(exists=True, dir_okay=False),
    help="The home page saved to a file (no survey of its columns).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
def add(
    url: str,
    sandbox: bool,
    generated: int,
    variant: int,
    proxy: str | None,
    saved: str | None,
    as_json: bool,
) -> None:
    """Propose a registry row for the portal whose home page is URL, with what it lists.
    Example: govreports portals add https://www.qzlc.gov.cn/ --sandbox"""
    from crawler.registry import propose
    from crawler.sandbox_process import proxy_environment

    if not url.startswith(("http://", "https://")):
        click.echo(f"govreports: {url!r} is not an http(s) URL", err=True)
        sys.exit(EXIT_USAGE)
    with ExitStack() as stack:
        if proxy:
            os.environ.update(proxy_environment(proxy))
            sandbox = True
        else:
            proxy = _proxy(stack, sandbox, generated, variant)
        try:
            html = _read(saved) if saved else propose.fetch(url, proxy)
        except OSError as exc:
            click.echo(f"govreports: cannot read {url}: {exc}", err=True)
            sys.exit(1)
        cms = propose.fingerprint(html) if saved else propose.family_of(url, html, proxy)
        try:
            row = propose.proposed_row(url, html, cms)
        except RegistryError as exc:
            click.echo(f"govreports: {exc}", err=True)
            sys.exit(1)
        columns = {} if saved else propose.survey(row, _survey_settings(sandbox))
    _print_proposal(row, columns, as_json)


def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as saved:
        return saved.read()


def _proxy(stack: ExitStack, sandbox: bool, generated: int, variant: int) -> str | None:
    if not sandbox:
        return None
    from crawler.sandbox_process import proxy_environment, running_sandbox

    proxy = stack.enter_context(running_sandbox(variant=variant, portals=generated))
    os.environ.update(proxy_environment(proxy))  # the survey's Scrapy reads them
    return proxy


def _survey_settings(sandbox: bool) -> dict[str, Any]:
    if not sandbox:
        return {}
    from crawler.commands.crawl import SANDBOX_SETTINGS

    return dict(SANDBOX_SETTINGS)


def _print_proposal(row: PortalRow, columns: dict, as_json: bool) -> None:
    from crawler.registry.propose import row_toml

    found = {
        url: {
            "listed": len(c.listed),
            "reports_by_year": {str(y): n for y, n in sorted(c.reports.items())},
        }
        for url, c in sorted(columns.items())
    }
    if as_json:
        click.echo(
            json.dumps({"row": row.as_dict(), "columns": found}, ensure_ascii=False, indent=1)
        )
        return
    click.echo("# proposed row: check it, then append it to portals.toml")
    click.echo(row_toml(row))
    reporting = {u: c for u, c in found.items() if c["reports_by_year"]}
    click.echo(
        f"# report columns found from the home page: {len(reporting)} (first list page each)"
    )
    for url, c in reporting.items():
        years = ", ".join(f"{y}: {n}" for y, n in c["reports_by_year"].items())
        click.echo(f"#   {url}  lists {c['listed']}, reports by year {{{years}}}")
    quiet = [u for u, c in found.items() if not c["reports_by_year"]]
    if quiet:
        click.echo(f"# columns read with no report title on their first page: {len(quiet)}")


COMMANDS = [portals]
