"""Where each report comes from, in the archive: `portals` (the place each portal's spider
declares, with its division code) and `report_places` (one row per report: province, city,
county-level division, code, and the unit under one spelling).

`report_places` is a table beside `reports`, not columns of it: filling a column of `reports`
would rewrite every report row (texts included) in the migration, and again on insert; a small
row per report costs neither. Triggers keep it in step: a new report takes its portal's place;
a changed unit is respelled; `declare_portal` re-places a portal's reports when its declaration
changes (and so fills an archive written before places existed, on its next crawl).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from crawler import places
from crawler.clock import utc_now

UNIT_FUNCTION = "govreports_unit_v1"
PLACE_COLUMNS = ("province", "city", "county", "adcode")


def register(conn: sqlite3.Connection) -> None:
    """The triggers' unit-spelling function, on a writer connection."""
    conn.create_function(UNIT_FUNCTION, 3, places.unit_name, deterministic=True)


_PLACE_ROW = f"""
    SELECT r.id, p.province, p.city, p.county, p.adcode,
           {UNIT_FUNCTION}(r.unit, p.declared_city, p.declared_county)
    FROM reports r LEFT JOIN portals p ON p.portal = r.portal"""


def create(db: Database) -> None:
    db.execute(
        """CREATE TABLE portals (
             portal TEXT PRIMARY KEY, name TEXT, declared_city TEXT, declared_county TEXT,
             province TEXT, city TEXT, county TEXT, adcode TEXT, declared_at TEXT)"""
    )
    db.execute(
        """CREATE TABLE report_places (
             report_id INTEGER PRIMARY KEY REFERENCES reports(id),
             province TEXT, city TEXT, county TEXT, adcode TEXT, unit_name TEXT)"""
    )
    db.execute("CREATE INDEX idx_report_places_adcode ON report_places (adcode)")
    db.execute(
        f"""CREATE TRIGGER report_places_ai AFTER INSERT ON reports BEGIN
              INSERT OR REPLACE INTO report_places {_PLACE_ROW} WHERE r.id = new.id;
            END"""
    )
    db.execute(
        f"""CREATE TRIGGER report_places_au AFTER UPDATE OF unit, portal ON reports
              WHEN old.unit IS NOT new.unit OR old.portal IS NOT new.portal BEGIN
              INSERT OR REPLACE INTO report_places {_PLACE_ROW} WHERE r.id = new.id;
            END"""
    )
    db.execute(
        """CREATE TRIGGER report_places_ad AFTER DELETE ON reports BEGIN
             DELETE FROM report_places WHERE report_id = old.id;
           END"""
    )
    # What a researcher browses: every report with its place, never its texts.
    db.execute(
        """CREATE VIEW report_list AS
           SELECT r.id, r.title, p.unit_name, r.report_year, p.province, p.city, p.county,
                  p.adcode, r.portal, r.template_version, r.published_at, r.canonical_url,
                  r.first_seen, r.last_seen, r.gone_at
           FROM reports r LEFT JOIN report_places p ON p.report_id = r.id"""
    )
    fill(db)


def fill(db: Database, portal: str | None = None) -> None:
    """(Re)compute the place rows of every report, or of one portal's."""
    where, params = ("WHERE r.portal = ?", [portal]) if portal else ("", [])
    db.execute(f"INSERT OR REPLACE INTO report_places {_PLACE_ROW} {where}", params)


def declared(db: Database, portal: str) -> tuple[str | None, str | None, str | None] | None:
    """(name, city, county) as the portal's spider last declared them, None if never."""
    row = db.execute(
        "SELECT name, declared_city, declared_county FROM portals WHERE portal = ?", [portal]
    ).fetchone()
    return tuple(row) if row else None


def declare(
    db: Database,
    portal: str,
    name: str | None,
    city: str | None,
    county: str | None,
    place: places.Place | None,
) -> None:
    """Record a portal's name and declared place and re-place its reports, in one transaction."""
    found = place.as_dict() if place else dict.fromkeys(PLACE_COLUMNS)
    with db.atomic():
        db.execute(
            """INSERT OR REPLACE INTO portals (portal, name, declared_city, declared_county,
                 province, city, county, adcode, declared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [portal, name, city, county, *(found[c] for c in PLACE_COLUMNS), utc_now()],
        )
        fill(db, portal)


def portal_places(db: Database) -> Iterator[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM portals ORDER BY portal")
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
