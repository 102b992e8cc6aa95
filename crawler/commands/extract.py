"""`govreports extract FILE`: the text of one attachment, the way the crawl would store it."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.extract import Limits, extract_bytes


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--no-ocr", is_flag=True, help="Do not OCR image-only files (scans, table images).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as one JSON object.")
def extract(file: Path, no_ocr: bool, as_json: bool) -> None:
    """Print the text of FILE (PDF, DOCX, DOC, WPS, XLS, XLSX, PNG, JPEG), then its status on
    stderr. The type comes from the bytes, not the name. Exit 0 for ok/ocr, 1 otherwise.

    Example: govreports extract 2021年报.wps
    """
    result = extract_bytes(file.read_bytes(), file.name, Limits(ocr=not no_ocr))
    if as_json:
        click.echo(result.to_json())
    elif result.text is not None:
        click.echo(result.text)
    status = f"status: {result.status}"
    for label, value in (("method", result.method), ("mime", result.mime), ("pages", result.pages)):
        if value is not None:
            status += f"  {label}: {value}"
    if result.error:
        status += f"  error: {result.error}"
    click.echo(status, err=True)
    raise SystemExit(0 if result.succeeded else 1)


COMMANDS = [extract]
