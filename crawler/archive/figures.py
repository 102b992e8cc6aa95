"""Figures in the archive: a report's numbers and checks, stored in the report's transaction,
and the cross-year checks of its unit, kept current as reports arrive.

- `store_figures`: a report's computed figures (crawler.figures.report.ReportFigures) become
  its current figure set, unless they equal the current one for the same text version. A new
  text version (or new rules, by reclean) opens a new set; the old one is closed, never deleted.
- `recheck_years`: X-1 and X-2 between the unit's reports of consecutive years, stored as checks
  of the later report's set (earlier_set_id names the other). A unit-year with several current
  reports is represented by the latest published (a correction re-posted under a new URL).
- reads for `govreports figures`, `reclean` and the Datasette queries (crawler/archive/figureviews.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from crawler.archive import rows as row_sql
from crawler.figures import Figure, check_years
from crawler.figures.model import CheckResult, json_value
from crawler.figures.report import PAGE, ReportFigures
from crawler.figures.units import UnitIdentity

STORED, UNCHANGED = "stored", "unchanged"
_FIGURE_COLUMNS = (
    "set_id", "report_id", "capture_id", "template", "section", "row_key", "col_key", "value",
    "raw", "unit", "source", "method", "confidence", "derived",
)  # fmt: skip
_CHECK_COLUMNS = (
    "set_id", "report_id", "earlier_set_id", "check_id", "scope", "status", "difference",
    "strength", "cells", "missing",
)  # fmt: skip
_INSERT_FIGURE = (
    f"INSERT INTO figures ({', '.join(_FIGURE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_FIGURE_COLUMNS))})"
)
_INSERT_CHECK = (
    f"INSERT INTO checks ({', '.join(_CHECK_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_CHECK_COLUMNS))})"
)
_REPRESENTATIVE = """
SELECT s.id, s.template, s.report_id FROM figure_sets s JOIN reports r ON r.id = s.report_id
WHERE s.unit_id = ? AND s.report_year = ? AND s.valid_to IS NULL
ORDER BY r.published_at DESC, s.report_id DESC LIMIT 1
"""


def store_figures(db: Database, report_id: int, result: ReportFigures, when: str) -> str:
    """Make `result` the report's current figures (inside the caller's transaction)."""
    report = db.execute(
        "SELECT portal, unit, report_year, capture_id FROM reports WHERE id = ?", [report_id]
    ).fetchone()
    portal, unit_name, year, page_capture = report
    version = db.execute(
        "SELECT id FROM report_versions WHERE report_id = ? AND valid_to IS NULL", [report_id]
    ).fetchone()
    version_id = version[0] if version else None
    unit_id = _unit_id(db, portal, unit_name, result.unit)
    digest = _digest(result, unit_id, year)
    current = db.execute(
        "SELECT id, version_id, digest FROM figure_sets WHERE report_id = ? AND valid_to IS NULL",
        [report_id],
    ).fetchall()
    if len(current) == 1 and tuple(current[0][1:]) == (version_id, digest):
        return UNCHANGED
    db.execute(
        "UPDATE figure_sets SET valid_to = ? WHERE report_id = ? AND valid_to IS NULL",
        [when, report_id],
    )
    sources = json.dumps([r.to_dict() for r in result.readings], ensure_ascii=False)
    set_id = row_sql.insert(
        db,
        "figure_sets",
        {
            "report_id": report_id,
            "version_id": version_id,
            "unit_id": unit_id,
            "report_year": year,
            "template": result.template,
            "sources": sources,
            "digest": digest,
            "computed_at": when,
            "valid_to": None,
        },
    )
    captures = _capture_ids(db, report_id, page_capture)
    db.conn.executemany(
        _INSERT_FIGURE,
        (_figure_row(set_id, report_id, captures.get(r.origin), r.method, r.figure)
         for r in result.rows),
    )  # fmt: skip
    _insert_checks(db, set_id, report_id, None, result.checks)
    # the unit-years this report left (a changed unit or year) and the one it is in now
    for unit, unit_year in {*_places_of(db, [c[0] for c in current]), (unit_id, year)}:
        if unit is not None and unit_year is not None:
            recheck_years(db, unit, unit_year)
    return STORED


def _unit_id(db: Database, portal: str, name: str | None, unit: UnitIdentity) -> int | None:
    if unit.key is None:
        return None
    found = db.execute(
        "SELECT id FROM units WHERE portal = ? AND key = ?", [portal, unit.key]
    ).fetchone()
    if found:
        return found[0]
    return row_sql.insert(
        db,
        "units",
        {
            "portal": portal,
            "key": unit.key,
            "level": unit.level,
            "name": name,
            "city": unit.city,
            "district": unit.district,
            "county_name": unit.county_name,
        },
    )


def _places_of(db: Database, set_ids: list[int]) -> list[tuple[int | None, int | None]]:
    """(unit, year) of the sets just closed."""
    sql = "SELECT unit_id, report_year FROM figure_sets WHERE id = ?"
    return [tuple(db.execute(sql, [set_id]).fetchone()) for set_id in set_ids]


def _capture_ids(db: Database, report_id: int, page_capture: int | None) -> dict[str, int]:
    ids = {PAGE: page_capture}
    cursor = db.execute("SELECT url, capture_id FROM attachments WHERE report_id = ?", [report_id])
    ids.update(dict(cursor.fetchall()))
    return ids


def _figure_row(
    set_id: int, report_id: int, capture_id: int | None, method: str, f: Figure
) -> tuple:
    return (set_id, report_id, capture_id, f.template, f.table, f.row, f.col,
            json_value(f.value), f.raw, f.unit, f.source, method, f.confidence,
            int(f.derived))  # fmt: skip


def _insert_checks(
    db: Database,
    set_id: int,
    report_id: int,
    earlier_set_id: int | None,
    checks: Iterable[CheckResult],
) -> None:
    rows = [(set_id, report_id, earlier_set_id, *_check_fields(c)) for c in checks]
    db.conn.executemany(_INSERT_CHECK, rows)


def _check_fields(c: CheckResult) -> tuple:
    cells = json.dumps({"left": list(c.left), "right": list(c.right)}, ensure_ascii=False)
    missing = json.dumps(list(c.missing), ensure_ascii=False)
    return (c.check, c.scope, c.status, json_value(c.difference), c.strength, cells, missing)


def _digest(result: ReportFigures, unit_id: int | None, year: int | None) -> str:
    data = {
        "template": result.template,
        "unit": unit_id,
        "year": year,
        "rows": [(r.origin, r.method, r.figure.to_dict()) for r in result.rows],
        "checks": [c.to_dict() for c in result.checks],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- across years ---------------------------------------------------------------------------


def recheck_years(db: Database, unit_id: int, year: int) -> None:
    """X-1 and X-2 of the unit's pairs (year-1, year) and (year, year+1), from the current
    representative set of each year; earlier results of those years' current sets go."""
    reps = {
        y: db.execute(_REPRESENTATIVE, [unit_id, y]).fetchone() for y in (year - 1, year, year + 1)
    }
    for later_year in (year, year + 1):
        db.execute(
            """DELETE FROM checks WHERE earlier_set_id IS NOT NULL AND set_id IN (
                 SELECT id FROM figure_sets
                 WHERE unit_id = ? AND report_year = ? AND valid_to IS NULL)""",
            [unit_id, later_year],
        )
        later, earlier = reps[later_year], reps[later_year - 1]
        if later is None or earlier is None:
            continue
        (later_id, later_template, later_report), (earlier_id, earlier_template, _) = later, earlier
        results = check_years(
            set_figures(db, earlier_id), set_figures(db, later_id), later_template,
            earlier_template,
        )  # fmt: skip
        _insert_checks(db, later_id, later_report, earlier_id, results)


def set_figures(db: Database, set_id: int) -> list[Figure]:
    cursor = db.execute(
        """SELECT template, section, row_key, col_key, value, raw, unit, source, confidence,
                  derived FROM figures WHERE set_id = ?""",
        [set_id],
    )
    return [
        Figure(t, s, r, c, _figure_value(v), raw, unit, source, confidence, bool(derived))
        for t, s, r, c, v, raw, unit, source, confidence, derived in cursor
    ]


def _figure_value(value: Any) -> int | Decimal | None:
    """SQLite gives back an int or a float (1700.35): the float as the decimal it printed."""
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value))
