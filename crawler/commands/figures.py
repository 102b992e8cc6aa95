"""`govreports figures FILE [--url URL] [--json]`: the figures and checks of one saved report
page or attachment, for users and for debugging the extraction.

Exit codes: 0 figures read, 1 none found (or the file could not be read).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.figures import figures_from_bytes
from crawler.figures.model import PASS, json_value


def _selector(url: str | None) -> str | None:
    if not url:
        return None
    from crawler.portals import rules_for_url  # late: it loads every spider

    return (rules_for_url(url) or {}).get("content_selector")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL: picks its portal's content selector.")
@click.option(
    "--template",
    type=click.Choice(["2021", "2019", "pre2019"]),
    help="The template if known (e.g. from the report year); the tables' words decide first.",
)
@click.option("--no-ocr", is_flag=True, help="Do not OCR table images and scans.")
@click.option("--json", "as_json", is_flag=True, help="Print figures, checks and notes as JSON.")
def figures(file: Path, url: str | None, template: str | None, no_ocr: bool, as_json: bool) -> None:
    """Print the figures of FILE (a saved page, PDF, DOCX, DOC, XLS(X), image or text), one per
    line: table, row, column, value, unit, source, raw cell text; then the checks that did not
    pass. A missing cell ("/", "—", blank) prints as NULL, never 0.

    Example: govreports figures post_8011311.html --url https://www.zc.gov.cn/.../post_8011311.html
    """
    try:
        result = figures_from_bytes(
            file.read_bytes(), content_selector=_selector(url), hint=template, ocr=not no_ocr
        )
    except Exception as exc:  # a file the readers reject: say which and why, exit 1
        click.echo(f"govreports: cannot read {file.name}: {type(exc).__name__}: {exc}", err=True)
        raise SystemExit(1) from exc
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(f"# source: {result.source}  template: {result.template}  "
                   f"figures: {len(result.figures)}")  # fmt: skip
        for f in result.figures:
            value = "NULL" if f.value is None else json_value(f.value)
            derived = "  (derived)" if f.derived else ""
            click.echo(f"{f.table}\t{f.row}\t{f.col}\t{value}\t{f.unit or ''}\t{f.source}\t"
                       f"{f.raw}{derived}")  # fmt: skip
        passed = sum(c.status == PASS for c in result.checks)
        click.echo(f"# checks: {passed} of {len(result.checks)} pass")
        for c in result.checks:
            if c.status != PASS:
                detail = f"difference {json_value(c.difference)}" if c.missing == () else (
                    "missing " + ", ".join(c.missing))  # fmt: skip
                click.echo(f"# {c.status} {c.check} {c.scope}: {detail}")
        for note in result.notes:
            click.echo(f"# note: {note}")
    raise SystemExit(0 if result.figures else 1)


COMMANDS = [figures]
