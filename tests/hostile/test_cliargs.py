"""Command-line values a user can get wrong are usage errors (exit 2, one line), never
tracebacks: -s values of the wrong type, report ids SQLite cannot hold, search terms that are
not UTF-8 (crawler/cliargs.py, on a command built like govreports' own)."""

from __future__ import annotations

import math

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from crawler.cliargs import REPORT_ID, SEARCH_TEXT, SQLITE_INT_MAX, YEAR, parse_settings
from crawler.runner import project_settings

SETTINGS = project_settings()


@click.command()
@click.argument("report_id", type=REPORT_ID)
@click.argument("terms", nargs=-1, type=SEARCH_TEXT)
@click.option("--year", type=YEAR)
@click.option("-s", "pairs", multiple=True)
def command(report_id: int, terms: tuple[str, ...], year: int | None, pairs: tuple[str, ...]):
    click.echo(f"{report_id} {' '.join(terms)} {year} {parse_settings(pairs, SETTINGS)}")


def invoke(*args: str):
    return CliRunner().invoke(command, list(args))


@pytest.mark.parametrize(
    ("pair", "value"),
    [
        ("DOWNLOAD_DELAY=0.25", 0.25),
        ("PORTAL_REQUEST_BUDGET=500", 500),
        ("OCR_ENABLED=false", False),
        ("OCR_ENABLED=1", True),
        ('FETCHPOLICY_REPOST_DOMAINS={"zc_gov_cn": []}', {"zc_gov_cn": []}),
        ("ARCHIVE_PATH=/srv/a.db", "/srv/a.db"),
        ("SOME_NEW_SETTING=x", "x"),
    ],
)
def test_setting_values_take_the_type_of_the_setting(pair: str, value) -> None:
    name = pair.split("=")[0]
    assert parse_settings([pair], SETTINGS) == {name: value}


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("DOWNLOAD_DELAY=abc", "DOWNLOAD_DELAY expects a number"),
        ("DOWNLOAD_DELAY=nan", "DOWNLOAD_DELAY expects a number (not a finite number)"),
        ("PORTAL_REQUEST_BUDGET=1e3", "PORTAL_REQUEST_BUDGET expects a whole number"),
        ("OCR_ENABLED=maybe", "OCR_ENABLED expects a flag (True/False) (use True or False)"),
        ("FETCHPOLICY_REPOST_DOMAINS=[1]", "expects a dict (JSON dict expected)"),
        ("ARCHIVE_PATH", "-s expects NAME=VALUE, got 'ARCHIVE_PATH'"),
        ("=3", "-s expects NAME=VALUE"),
    ],
)
def test_a_setting_value_of_the_wrong_type_is_a_usage_error(pair: str, message: str) -> None:
    result = invoke("1", "-s", pair)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.filterwarnings("ignore::scrapy.exceptions.ScrapyDeprecationWarning")
@given(st.sampled_from(sorted(SETTINGS.keys())), st.text(max_size=30))
def test_any_setting_value_parses_or_is_a_usage_error(name: str, value: str) -> None:
    try:
        parsed = parse_settings([f"{name}={value}"], SETTINGS)[name]
    except click.UsageError as error:
        assert name in error.message or "NAME=VALUE" in error.message
        return
    current = SETTINGS.get(name)
    if isinstance(current, bool):
        assert isinstance(parsed, bool)
    elif isinstance(current, float):
        assert isinstance(parsed, float) and math.isfinite(parsed)
    elif isinstance(current, int):
        assert isinstance(parsed, int)


@given(st.integers())
def test_report_ids_outside_sqlite_are_usage_errors(number: int) -> None:
    result = invoke(str(number))
    if 1 <= number <= SQLITE_INT_MAX:
        assert result.exit_code == 0 and result.output.startswith(f"{number} ")
    else:
        assert result.exit_code == 2
        assert "Traceback" not in result.output


@given(st.integers())
def test_years_are_bounded(year: int) -> None:
    result = invoke("1", "--year", str(year))
    assert result.exit_code == (0 if 1 <= year <= 9999 else 2)


@given(st.binary(min_size=1, max_size=30))
def test_search_terms_from_any_bytes_parse_or_are_usage_errors(raw: bytes) -> None:
    term = raw.decode("utf-8", "surrogateescape")  # what Python makes of argv bytes
    result = invoke("1", "--", term)  # "--": a term may start with "-"
    valid = b"\x00" not in raw and _utf8(raw)
    assert result.exit_code == (0 if valid else 2), result.output
    if not valid:
        assert "not valid UTF-8" in result.output or "NUL" in result.output


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
