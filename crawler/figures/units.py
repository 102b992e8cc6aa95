"""A unit's stable identity across years: its 发布机构 without the names of the governments
above it, so that 区民政局, 白云区民政局 and 广州市白云区民政局 on one portal are one unit
(key 民政局), and a unit's reports over the years are one series.

Keys: a department by its own name (民政局, 人民政府办公室), a street as 鹤龙街道 (whether printed
鹤龙街道办事处, 鹤龙街 or 广州市白云区人民政府鹤龙街道办事处), a town as 新塘镇 (新塘镇人民政府), and
the county-level government itself as 人民政府 (白云区人民政府, 区政府). The key is unique within
a portal, which is one county-level government's site (docs/portals.md §10.5): the archive
scopes it by portal.

Levels: ``county`` (the district, county or county-level city government's own report),
``department``, ``street``, ``town``, ``unknown`` (no unit name at all).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

COUNTY, DEPARTMENT, STREET, TOWN, UNKNOWN = "county", "department", "street", "town", "unknown"
GOVERNMENT = "人民政府"  # the key of the county-level government itself
GOVERNMENT_OFFICE = "人民政府办公室"

_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区)(?=[\u4e00-\u9fff]{2})")
_STREET = re.compile(r"^(?:人民政府)?([\u4e00-\u9fff]{2,8}?)街(?:道)?(?:办事处|办)?$")
_TOWN = re.compile(r"^(?:人民政府)?([\u4e00-\u9fff]{1,8}?)(镇|乡)(?:人民政府|政府)?$")
_GOVERNMENT = {"", "人民政府", "政府", "人民政府本级", "本级"}
_OFFICE = {"人民政府办公室", "政府办公室", "政府办", "人民政府办"}
# Names that start with a level character of their own: 市场监督管理局 is not 场监督管理局,
# 区委办公室 (the Party committee's office) is not 委办公室; but 区政务服务数据管理局 is the
# district's 政务服务数据管理局.
_NOT_A_PREFIX = {
    "市": ("场", "政", "容", "委", "人大", "政协"),
    "区": ("委", "域", "人大", "政协"),
    "县": ("委", "域", "人大", "政协"),
}


@dataclass(frozen=True)
class UnitIdentity:
    key: str | None  # None: the report names no unit
    level: str
    city: str | None = None  # the portal's city and district, as its spider declares them
    district: str | None = None

    @property
    def county_name(self) -> str | None:
        """The county-level government: 广州市白云区; a county-level city alone (曲阜市)."""
        if not self.district:
            return self.city
        if self.district.endswith("市") or not self.city:
            return self.district
        return self.city + self.district


def unit_identity(
    name: str | None, *, city: str | None = None, district: str | None = None
) -> UnitIdentity:
    """The identity of a publishing unit named `name` on the portal of `district` in `city`."""
    key, level = _key(_squash(name or ""), city, district)
    return UnitIdentity(key, level, city, district)


def _key(name: str, city: str | None, district: str | None) -> tuple[str | None, str]:
    if not name:
        return None, UNKNOWN
    rest = _without_governments(name, city, district)
    if rest in _GOVERNMENT:
        return GOVERNMENT, COUNTY
    if rest in _OFFICE:
        return GOVERNMENT_OFFICE, DEPARTMENT
    if match := _TOWN.match(rest):
        return match.group(1) + match.group(2), TOWN
    if (match := _STREET.match(rest)) and not match.group(1).endswith(("步行", "商业")):
        return match.group(1) + "街道", STREET
    return rest, DEPARTMENT


def _squash(text: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return text.strip("()[]<>《》〈〉【】\"'“”")


def _without_governments(name: str, city: str | None, district: str | None) -> str:
    name = _PROVINCE.sub("", name, count=1)
    for prefix in (city, district):
        if prefix and name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
        elif prefix and name == prefix:
            return ""
    level = (district or "")[-1:] or "区"
    # 区民政局, 区政府: the portal's own district named by its level alone
    first = name[:1]
    if first in (level, "区", "县") and len(name) > 1:
        rest = name[1:]
        if (
            rest in _GOVERNMENT
            or rest in _OFFICE
            or not rest.startswith(_NOT_A_PREFIX.get(first, ()))
        ):
            name = rest
    return name
