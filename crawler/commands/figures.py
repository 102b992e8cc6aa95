"""`govreports figures`: the numbers inside the reports.

- over the archive: ``govreports figures [--portal P] [--year Y] [--unit U] [--check failed|
  passed|uncertain|all] [--received [--per-unit]] [--format csv|json|xlsx] [-o FILE]``: every
  current figure of the matching reports (long format), or their checks, or 依申请公开 requests
  received per district (or per unit) and year;
- for one saved file: ``govreports figures FILE [--url URL] [--json]``, for users and for
  debugging the extraction.

Exit codes: 0 ok; 1 FILE holds no figures (or could not be read); 2 usage; 4 archive
unavailable.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from crawler.archive.figure_queries import (
    CHECK_COLUMNS,
    FIGURE_COLUMNS,
    RECEIVED_COLUMNS,
    UNIT_RECEIVED_COLUMNS,
    FigureFilters,
)
from crawler.commands import archive_option
from crawler.commands.query import EXIT_USAGE, reading, user_errors
from crawler.figures import figures_from_bytes
from crawler.figures.model import PASS, json_value

CHECK_STATUS = {"failed": "FAIL", "passed": "PASS", "uncertain": "UNCERTAIN", "all": None}
FORMATS = ("csv", "json", "xlsx")


def _selector(url: str | None) -> str | None:
    if not url:
        return None
    from crawler.portals import rules_for_url  # late: it loads every spider

    return (rules_for_url(url) or {}).get("content_selector")


@click.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--url", help="FILE: the page's URL, which picks its portal's content selector.")
@click.option(
    "--template",
    type=click.Choice(["2021", "2019", "pre2019"]),
    help="FILE: the template if known; the tables' words decide first.",
)
@click.option("--no-ocr", is_flag=True, help="FILE: do not OCR table images and scans.")
@click.option("--json", "as_json", is_flag=True, help="FILE: figures, checks and notes as JSON.")
@archive_option
@click.option("--portal", help="Only this portal (spider name), e.g. by_gov_cn.")
@click.option("--year", type=int, help="Only reports on this year, e.g. 2021.")
@click.option("--unit", help="Only this unit, however spelled: 区民政局, 白云区民政局, 民政局.")
@click.option(
    "--check",
    type=click.Choice(list(CHECK_STATUS)),
    help="List the checks (of one report and across years) with this outcome instead.",
)
@click.option(
    "--received",
    is_flag=True,
    help="依申请公开 requests received per district and year (the district government's own "
    "report beside the sum over its units, each unit once).",
)
@click.option(
    "--per-unit",
    is_flag=True,
    help="With --received: one row per unit and year instead (the unit's number, its raw cell, "
    "its report), the one command a researcher runs: --received --per-unit -o received.xlsx",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: csv, or -o's suffix.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
@user_errors
def figures(
    file: Path | None,
    url: str | None,
    template: str | None,
    no_ocr: bool,
    as_json: bool,
    archive: Path,
    portal: str | None,
    year: int | None,
    unit: str | None,
    check: str | None,
    received: bool,
    per_unit: bool,
    fmt: str | None,
    output: Path | None,
) -> None:
    """The figures of the archive's reports, one row per table cell (CSV with a BOM, so Excel
    opens it; JSON; XLSX), their checks, or requests received per district and year. A missing
    cell ("/", "—", blank) is empty, never 0.

    With FILE (a saved page, PDF, DOCX, DOC, XLS(X), image or text): that file's figures, one
    per line, and the checks that did not pass.

    \b
    Examples:
      govreports figures --received --format xlsx -o received.xlsx
      govreports figures --received --per-unit -o received_per_unit.xlsx
      govreports figures --portal by_gov_cn --unit 民政局 -o minzheng.csv
      govreports figures --check failed
      govreports figures post_8011311.html --url https://www.zc.gov.cn/.../post_8011311.html
    """
    if file is not None:
        if any((portal, year, unit, check, received, per_unit, fmt, output)):
            _usage("FILE reads one saved file: --portal, --year, --unit, --check, --received, "
                   "--per-unit, --format and -o read the archive")  # fmt: skip
        _one_file(file, url, template, no_ocr, as_json)
        return
    if check and received:
        _usage("--check and --received are two different tables: choose one")
    if per_unit and not received:
        _usage("--per-unit splits --received by unit: give both")
    fmt = fmt or _format_of(output)
    if fmt == "xlsx" and output is None:
        _usage("--format xlsx needs -o FILE (a workbook is not text)")
    filters = FigureFilters(portal, year, unit)
    with reading(archive) as view:
        if received and per_unit:
            columns, sheet = UNIT_RECEIVED_COLUMNS, "received"
            rows = view.requests_received_per_unit(filters)
        elif received:
            columns, rows, sheet = RECEIVED_COLUMNS, view.requests_received(filters), "received"
        elif check:
            columns, sheet = CHECK_COLUMNS, "checks"
            rows = view.figure_checks(filters, CHECK_STATUS[check])
        else:
            columns, rows, sheet = FIGURE_COLUMNS, view.figures(filters), "figures"
        count = write(rows, columns, fmt, output, sheet)
    if output is not None:
        click.echo(f"{count} rows -> {output}", err=True)


def _usage(message: str) -> None:
    click.echo(f"govreports: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


# --- writing ---------------------------------------------------------------------------------


def write(
    rows: Iterable[dict], columns: Sequence[str], fmt: str, output: Path | None, sheet: str
) -> int:
    """`rows` as CSV (UTF-8 with a BOM: Excel reads it as UTF-8), JSON or XLSX, to `output` or
    stdout. Returns how many rows."""
    if fmt == "xlsx":
        return write_xlsx(rows, columns, output, sheet)
    buffer = io.StringIO()
    if fmt == "csv":
        buffer.write("\ufeff")
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
        writer.writeheader()
        count = 0
        for count, row in enumerate(rows, 1):  # noqa: B007 - the count is what is returned
            writer.writerow(row)
    else:
        listed = list(rows)
        count = len(listed)
        buffer.write(json.dumps(listed, ensure_ascii=False, indent=1) + "\n")
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
    else:
        output.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return count


def write_xlsx(rows: Iterable[dict], columns: Sequence[str], output: Path, sheet: str) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet)
    page.append(list(columns))
    count = 0
    for row in rows:
        page.append([row.get(column) for column in columns])
        count += 1
    book.save(output)
    return count


# --- one saved file --------------------------------------------------------------------------


def _one_file(file: Path, url: str | None, template: str | None, no_ocr: bool, as_json: bool):
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
