"""Command-line values a user (or a hostile crontab line) can get wrong, parsed into a usage error
(exit 2) instead of a traceback: `-s NAME=VALUE` of the wrong type, report ids SQLite cannot hold,
search terms that are not valid UTF-8.

For the commands to use (crawler/commands/): `type=REPORT_ID` for a report id argument,
`type=YEAR` for --year, `type=LIMIT` / `type=COUNT` for how many, `type=SEARCH_TEXT` for search
terms and any text that reaches SQLite (--portal, --unit, --query), `parse_settings(pairs,
settings)` for the -s pairs of `govreports crawl` (`crawl_settings(pairs)` with the project's
settings as the types).
"""

from __future__ import annotations

import json
import os
from typing import Any

import click
from scrapy.settings import BaseSettings

# SQLite's INTEGER is a signed 64-bit number: a larger id is no id, not an OverflowError.
SQLITE_INT_MAX = 2**63 - 1
REPORT_ID = click.IntRange(min=1, max=SQLITE_INT_MAX)
YEAR = click.IntRange(min=1, max=9999)
LIMIT = click.IntRange(min=1, max=SQLITE_INT_MAX)  # a LIMIT: at least one row
COUNT = click.IntRange(min=0, max=SQLITE_INT_MAX)  # how many, none allowed
# Read with getfloat although their defaults are whole numbers: `-s DOWNLOAD_TIMEOUT=2.5` is fine.
READ_AS_FLOAT = frozenset({"DOWNLOAD_TIMEOUT", "DNS_TIMEOUT"})
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SearchText(click.ParamType):
    """Text that can reach SQLite: an argument whose bytes were not UTF-8 arrives from the OS as
    lone surrogates (PEP 383), which no UTF-8 codec can write."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if _has_surrogates(text):
            shown = os.fsencode(text).decode("utf-8", "backslashreplace")  # the bytes: \xff
            self.fail(f"'{shown}' is not valid UTF-8 text", param, ctx)
        if "\x00" in text:
            self.fail(f"{text!r} contains a NUL character", param, ctx)
        return text


SEARCH_TEXT = SearchText()


def parse_settings(pairs: tuple[str, ...] | list[str], settings: BaseSettings) -> dict[str, Any]:
    """`-s NAME=VALUE` pairs, each VALUE converted to the type of NAME's current value (a
    number, a flag, a list or a dict in JSON); a value that does not convert is a usage error."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"-s expects NAME=VALUE, got {pair!r}")
        name = name.strip()
        if _has_surrogates(name):
            raise click.UsageError("-s NAME=VALUE: the name is not valid UTF-8 text")
        out[name] = setting_value(name, value, settings.get(name))
    return out


def crawl_settings(pairs: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """`govreports crawl -s` pairs, typed by the project's settings (crawler/settings.py)."""
    from crawler.runner import project_settings  # late: it imports Scrapy's settings machinery

    return parse_settings(pairs, project_settings())


def setting_value(name: str, value: str, current: Any) -> Any:
    """`value` as the type of `current` (the setting's default); text when it has none."""
    if _has_surrogates(value):
        raise click.UsageError(f"-s {name}=...: the value is not valid UTF-8 text")
    try:
        if isinstance(current, bool):
            return _flag(value)
        if isinstance(current, int) and name not in READ_AS_FLOAT:
            return int(value)
        if isinstance(current, int | float):
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError("not a finite number")
            return number
        if isinstance(current, (dict, BaseSettings)):
            return _json(value, dict)
        if isinstance(current, (list, tuple)):
            return _list(value)
    except ValueError as exc:
        kind = type(current).__name__ if not isinstance(current, BaseSettings) else "dict"
        kind = "float" if name in READ_AS_FLOAT else kind
        raise click.UsageError(
            f"-s {name}={value!r}: {name} expects a {_KINDS.get(kind, kind)} ({exc})"
        ) from None
    return value


_KINDS = {"bool": "flag (True/False)", "int": "whole number", "float": "number", "list": "list"}


def _flag(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("use True or False")


def _json(value: str, kind: type) -> Any:
    try:
        data = json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(data, kind):
        raise ValueError(f"JSON {kind.__name__} expected")
    return data


def _list(value: str) -> list[Any]:
    if value.strip().startswith("["):
        return _json(value, list)
    return [part.strip() for part in value.split(",") if part.strip()]  # Scrapy's getlist


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
