"""Commands that read the archive: search, show, export, serve.

Exit codes: 0 ok, 1 no such report, 2 usage (bad query, options or values: an id SQLite cannot
hold, text that is not UTF-8), 3 serve's port is busy, 4 archive unavailable, 5 the output cannot
be written (crawler/cli.py maps 5 and the rest for every command).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click

from crawler import export as exports
from crawler.archive import (
    ArchiveUnavailable,
    ArchiveView,
    EngineMismatch,
    Filters,
    QueryError,
    ReportNotFound,
)
from crawler.archive.search import format_snippet
from crawler.cliargs import LIMIT, REPORT_ID, SEARCH_TEXT, YEAR
from crawler.commands import archive_option
from crawler.export import export_raw
from crawler.serve import DEFAULT_HOST, DEFAULT_PORT, BadAddress, PortBusy
from crawler.serve import serve as run_serve

EXIT_NOT_FOUND, EXIT_USAGE, EXIT_BUSY, EXIT_ARCHIVE = 1, 2, 3, 4


def filter_options(fn: Callable) -> Callable:
    fn = click.option(
        "--unit", type=SEARCH_TEXT, help="Publishing unit contains this, e.g. 朱村街道."
    )(fn)
    fn = click.option("--year", type=YEAR, help="Year the report covers, e.g. 2019.")(fn)
    return click.option("--portal", type=SEARCH_TEXT, help="Portal (spider name), e.g. zc_gov_cn.")(
        fn
    )


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: error: {message}", err=True)
    sys.exit(code)


def user_errors(fn: Callable) -> Callable:
    """Turn the errors a user can cause into one line on stderr and a documented exit code."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QueryError as exc:
            _fail(str(exc), EXIT_USAGE)
        except ReportNotFound as exc:
            _fail(str(exc), EXIT_NOT_FOUND)
        except (ArchiveUnavailable, EngineMismatch) as exc:
            _fail(str(exc), EXIT_ARCHIVE)
        except PortBusy as exc:
            _fail(str(exc), EXIT_BUSY)
        except BadAddress as exc:
            _fail(str(exc), EXIT_USAGE)
        except sqlite3.Error as exc:  # not a database, no reports table, locked ...
            _fail(f"archive unavailable: {exc}", EXIT_ARCHIVE)

    return wrapper


@contextmanager
def reading(path: Path) -> Iterator[ArchiveView]:
    with ArchiveView.open(path) as archive:
        yield archive


def _color() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


@click.command()
@click.argument("query", nargs=-1, required=True, type=SEARCH_TEXT)
@filter_options
@click.option("--limit", type=LIMIT, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print results as a JSON array.")
@archive_option
@user_errors
def search(query, portal, year, unit, limit, as_json, archive) -> None:
    """Search titles, texts and attachment texts; terms are ANDed, "quoted phrases" kept whole.

    Terms of any length work (1-2 character terms too). Example:

        govreports search 依申请公开 年报 --year 2019
    """
    filters = Filters(portal=portal, year=year, unit=unit)
    with reading(archive) as view:
        hits = view.search(" ".join(query), filters, limit=limit)
        total = view.tally(" ".join(query), filters).total if len(hits) == limit else len(hits)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
    else:
        _print_hits(hits)
    shown = f"{len(hits)} of {total} results (more with --limit)" if total > len(hits) else ""
    click.echo(shown or f"{total} result{'s' if total != 1 else ''}", err=True)


def _print_hits(hits: list) -> None:
    color = _color()
    for n, hit in enumerate(hits, 1):
        gone = f"  [gone {hit.gone_at}]" if hit.gone_at else ""
        click.echo(f"{n:>3}. #{hit.id}  {hit.title}{gone}")
        where = " · ".join(str(v) for v in (hit.portal, hit.unit, hit.report_year) if v)
        click.echo(f"     {where}")
        click.echo(f"     {format_snippet(hit.snippet, color)}")


@click.command()
@click.argument("report_id", type=REPORT_ID)
@click.option("--json", "as_json", is_flag=True, help="Print everything as one JSON object.")
@archive_option
@user_errors
def show(report_id, as_json, archive) -> None:
    """Show a report: cleaned text, provenance of every capture, attachments, versions,
    sightings. Example:

        govreports show 42
    """
    with reading(archive) as view:
        report = view.report(report_id)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for line in _show_lines(report):
        click.echo(line)


def _show_lines(r: dict) -> Iterator[str]:
    yield f"#{r['id']}  {r['title']}" + (f"  [gone {r['gone_at']}]" if r["gone_at"] else "")
    yield f"portal {r['portal']}  unit {r['unit']}  year {r['report_year']}"
    place = r.get("place") or {}
    if place.get("adcode"):
        names = " ".join(p for p in (place["province"], place["city"], place["county"]) if p)
        yield f"place {names} {place['adcode']}  unit name {place['unit_name']}"
    yield f"published {r['published_at']}  template {r['template_version']}"
    yield f"url {r['canonical_url']}"
    yield f"seen {r['first_seen']} .. {r['last_seen']}  text sha256 {r['text_sha256']}"
    yield f"\nCaptures ({len(r['captures'])})"
    for c in r["captures"]:
        yield f"  #{c['id']} {c['kind']} {c['status']} {c['fetched_at']} run {c['run_id']}"
        yield f"     url {c['url']}"
        if c["final_url"] and c["final_url"] != c["url"]:
            yield f"     final {c['final_url']}"
        if c["redirects"] and len(c["redirects"]) > 1:
            yield "     redirects " + " -> ".join(c["redirects"])
        yield f"     referer {c['referer'] or '-'}  sha256 {c['sha256']}  {c['size']} bytes"
    yield f"\nAttachments ({len(r['attachments'])})"
    for a in r["attachments"]:
        error = f" ({a['error']})" if a["error"] else ""
        yield f"  #{a['id']} {a['status']}{error} {a['method'] or '-'}  {a['filename']}"
        yield f"     {a['url']}"
        if len(a["versions"]) > 1:  # an edited file: every file and text it has had
            for v in a["versions"]:
                yield f"     version {v['valid_from']} .. {v['valid_to'] or 'now'}  {v['sha256']}"
    yield f"\nVersions ({len(r['versions'])})"
    for v in r["versions"]:
        yield f"  #{v['id']} {v['valid_from']} .. {v['valid_to'] or 'now'}  {v['text_sha256']}"
    yield f"\nSightings ({len(r['sightings'])})"
    for s in r["sightings"]:
        yield f"  {s['seen_at']} {s['reason']}  {s['url']}"
    yield "\nText"
    yield r["text"] or "(no text: see the attachments)"
    for a in r["attachments"]:  # OCR'd tables and attachment-only reports read here
        yield f"\nAttachment #{a['id']} {a['filename']} ({a['status']})"
        yield a["text"] or "(no text extracted)"


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*exports.FORMATS, "wacz"]),
    help="Default: from the -o suffix (.csv .xlsx .parquet .jsonl .wacz, .zip or a folder: txt), "
    "else jsonl. wacz: the reports' WARC records as a WACZ 1.1 package.",
)
@filter_options
@click.option("--report", "report_id", type=int, help="wacz: only this report (its id).")
@click.option("--run", "run_id", help="wacz: the reports sighted in this run.")
@click.option(
    "--query", type=SEARCH_TEXT, help="Only reports matching this search (same syntax as search)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, allow_dash=True),
    default="-",
    help="File (or folder/.zip for txt); - is stdout (csv, jsonl).",
)
@click.option(
    "--raw",
    nargs=2,
    type=(REPORT_ID, click.Path(file_okay=False, path_type=Path)),
    metavar="ID DIR",
    help="Write report ID's raw bytes (pages, attachments) and manifest.json into DIR.",
)
@archive_option
@user_errors
def export(fmt, portal, year, unit, report_id, run_id, query, output, raw, archive) -> None:
    """Export reports, each row with its provenance: CSV (UTF-8 with BOM, opens in Excel), XLSX,
    Parquet, JSON Lines, or one .txt per report with a metadata header (folder or .zip); or one
    report's raw bytes. Examples:

    govreports export --portal zc_gov_cn -o zc.xlsx

    govreports export --query 依申请公开 --format txt -o reports.zip

    govreports export --raw 42 out/report42

    govreports export --format wacz --portal zc_gov_cn --year 2023 -o zc-2023.wacz
    """
    if raw and (fmt or query or portal or year or unit):
        _fail("--raw takes no --format, --query or filters", EXIT_USAGE)
    to_stdout = str(output) == "-"
    if fmt == "wacz" or (fmt is None and str(output).endswith(".wacz")):
        _export_wacz(archive, None if to_stdout else output, report_id, portal, year, run_id,
                     unit or query)  # fmt: skip
        return
    if report_id is not None or run_id:
        _fail("--report and --run select a --format wacz package", EXIT_USAGE)
    fmt = exports.format_for(None if to_stdout else output, fmt)
    if not raw and to_stdout and fmt in exports.BINARY_FORMATS:
        _fail(f"--format {fmt} writes a file: give it with -o, e.g. -o reports.{fmt}", EXIT_USAGE)
    with reading(archive) as view:
        if raw:
            manifest = export_raw(view, raw[0], raw[1])
            written = len({m["file"] for m in manifest if m["file"]})
            click.echo(f"wrote {written} files and manifest.json to {raw[1]}", err=True)
            return
        rows = view.reports(Filters(portal=portal, year=year, unit=unit), query)
        count = _write(fmt, rows, None if to_stdout else output)
    click.echo(f"exported {count} reports", err=True)


def _write(fmt: str, rows: Iterator[dict], path: Path | None) -> int:
    if fmt in exports.BINARY_FORMATS:
        writer = {"xlsx": exports.write_xlsx, "parquet": exports.write_parquet}
        return writer.get(fmt, exports.write_txt)(rows, path)
    write = exports.write_csv if fmt == "csv" else exports.write_jsonl
    if path is None:
        return write(rows, sys.stdout)
    with path.open("w", encoding="utf-8", newline="") as out:
        return write(rows, out)


def _export_wacz(archive, path, report_id, portal, year, run_id, unsupported) -> None:
    from crawler.webarchive.wacz import NothingToExport, write_wacz

    if unsupported:
        _fail("--format wacz selects by --report, --portal, --year or --run", EXIT_USAGE)
    if path is None:
        _fail("--format wacz writes a file: give -o FILE.wacz", EXIT_USAGE)
    selection = {"report_id": report_id, "portal": portal, "year": year, "run_id": run_id}
    title = "govreports " + " ".join(f"{k}={v}" for k, v in selection.items() if v is not None)
    with reading(archive) as view:
        try:
            package = write_wacz(view, selection, path, title)
        except NothingToExport as exc:
            _fail(str(exc), EXIT_NOT_FOUND)
    for problem in package.missing:
        click.echo(f"govreports: warning: WARC record unreadable: {problem}", err=True)
    click.echo(
        f"wrote {path}: {len(package.pages)} reports, {len(package.records)} WARC records",
        err=True,
    )


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--host", type=SEARCH_TEXT, default=DEFAULT_HOST, show_default=True, help="Interface to bind."
)
@archive_option
@user_errors
def serve(port, host, archive) -> None:
    """Browse and search the archive in Datasette (read-only). Example:

    govreports serve --port 8001
    """
    run_serve(archive, host=host, port=port)


COMMANDS = [search, show, export, serve]
