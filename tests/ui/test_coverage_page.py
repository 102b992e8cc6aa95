"""The coverage page (/archive/coverage?province=广东): `govreports coverage` as a table, from the
same function (crawler/coverage.py), on the UI archive (tests/ui/ui_archive.py: zc_gov_cn 2019-2021,
by_gov_cn 2018, haizhu_gov_cn's one report gone)."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

from click.testing import CliRunner

from crawler.commands.coverage import coverage_command as cli_coverage

GUANGDONG = "/archive/coverage?province=" + urllib.parse.quote("广东")


def page_of(get, path: str, status: int = 200) -> str:
    got, _, body = get(path)
    assert got == status, body[:500]
    return body.decode()


def row(page: str, code: str) -> list[tuple[str, str]]:
    """(class, text) of each cell of the unit's row."""
    tr = page.split(f'data-code="{code}"')[1].split("</tr>")[0]
    cells = re.findall(r'<td(?: class="([\w-]+)")?>(.*?)</td>', tr, re.S)
    return [(kind, re.sub(r"<[^>]+>", "", text).strip()) for kind, text in cells]


def test_guangdong_lists_its_122_units_and_the_3_with_a_portal(get) -> None:
    page = page_of(get, GUANGDONG)
    assert "<title>覆盖情况 · 广东省</title>" in page
    assert '<strong id="units">122</strong>' in page and '<strong id="covered">3</strong>' in page
    assert '<strong id="missing">8</strong>' in page  # zc 2018, by 2019-2021, haizhu 2018-2021
    assert len(re.findall(r'<tr data-code="44\d{4}"', page)) == 122
    header = page.split('id="coverage-matrix"')[1].split("</thead>")[0]
    assert re.findall(r"<th>(\d{4})</th>", header) == ["2018", "2019", "2020", "2021"]
    assert row(page, "440118") == [
        ("", "440118"), ("", "广州市"), ("", "增城区"), ("", "zc_gov_cn"),
        ("gr-gap", "0"), ("gr-has", "1"), ("gr-has", "1"), ("gr-has", "1"), ("", ""),
    ]  # fmt: skip
    assert row(page, "440111")[3:] == [
        ("", "by_gov_cn"), ("gr-has", "1"), ("gr-gap", "0"), ("gr-gap", "0"), ("gr-gap", "0"),
        ("", ""),
    ]  # fmt: skip
    # haizhu's one report is gone from its portal: a portal, and a gap every year
    assert [kind for kind, _ in row(page, "440105")[4:8]] == ["gr-gap"] * 4
    assert row(page, "440103") == [  # 荔湾区: no portal registered
        ("", "440103"), ("", "广州市"), ("", "荔湾区"), ("gr-none", "无门户"),
        *[("gr-none", "")] * 5,
    ]  # fmt: skip
    assert page.count('class="gr-covered"') == 3 and page.count('class="gr-uncovered"') == 119


def test_the_page_says_what_the_cli_says(get, ui_archive: Path) -> None:
    result = CliRunner().invoke(
        cli_coverage, ["--province", "广东", "--archive", str(ui_archive), "--json"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert len(printed) == 122
    covered = {e["code"]: e for e in printed if e["portals"]}
    assert sorted(covered) == ["440105", "440111", "440118"]
    assert covered["440118"]["reports_by_year"] == {"2019": 1, "2020": 1, "2021": 1}
    assert covered["440111"]["years_without_report"] == [2019, 2020, 2021]
    page = page_of(get, GUANGDONG)
    for code, entry in covered.items():
        cells = row(page, code)
        shown = {y: int(n) for y, (_, n) in zip(range(2018, 2022), cells[4:8], strict=True)}
        assert {str(y): n for y, n in shown.items() if n} == entry["reports_by_year"]
        assert [y for y, n in shown.items() if not n] == entry["years_without_report"]
    text = (
        CliRunner()
        .invoke(cli_coverage, ["--province", "广东省", "--archive", str(ui_archive)])
        .output
    )
    assert text.splitlines()[0] == (
        "广东省: 3 of 122 county-level units have a registered portal; "
        "8 of their years have no report"
    )
    zc = "440118 广州市增城区      zc_gov_cn        reports by year: 2019: 1, 2020: 1, 2021: 1"
    assert f"{zc}; none in 2018\n" in text


def test_an_unknown_province_is_a_message_and_the_list_of_provinces(get) -> None:
    page = page_of(get, "/archive/coverage?province=" + urllib.parse.quote("广南"), 404)
    assert (
        '<p class="gr-bad" id="coverage-error">行政区划表中没有名为“广南”的省级行政区。</p>' in page
    )
    assert 'id="coverage-matrix"' not in page
    provinces = page.split('id="province-list"')[1].split("</p>")[0]
    names = re.findall(r'province=[^"]+">([^<]+)</a>', provinces)
    assert len(names) == 31 and names[0] == "北京市" and "广东省" in names
    hostile = page_of(get, "/archive/coverage?province=%3Cscript%3Ex%3C%2Fscript%3E", 404)
    assert "<script>x</script>" not in hostile and "&lt;script&gt;x&lt;/script&gt;" in hostile


def test_without_a_province_the_page_offers_them_all_and_the_nav_links_it(get) -> None:
    page = page_of(get, "/archive/coverage")
    assert 'id="coverage-error"' not in page and 'id="province-list"' in page
    assert 'href="/archive/coverage?province=%E5%B9%BF%E4%B8%9C%E7%9C%81">广东省</a>' in page
    home = page_of(get, "/")
    assert '<a href="/archive/coverage">覆盖情况</a>' in home
