"""The Datasette canned queries on figures (crawler/archive/datasette/metadata.yml), run on an
archive the crawl's pipelines filled: requests received per unit and year, refusal reasons per
district, the reports whose numbers do not add up."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from datasette.app import Datasette

from crawler.archive import Archive
from crawler.serve import SETTINGS, load_metadata
from tests.figures.archived import item, page

QUERIES = load_metadata("a")["databases"]["a"]["queries"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("canned") / "a.db"
    with Archive.open(path) as opened:
        opened.store(item(1, page(2021, rules="30"), 2021, "白云区人民政府"))  # not a twin of 2
        opened.store(item(2, page(2021), 2021, "区民政局"))
        opened.store(item(3, page(2022, new=("35", "4", "0", "0", "1", "2", "7", "/")), 2022,
                          "广州市白云区民政局"))  # fmt: skip
        opened.store(item(4, page(2022), 2022, "白云区民政局", published="2023-01-01"))  # older
    return path


def canned(path: Path, name: str, **params: str) -> list[tuple]:
    with Archive.open(path) as opened:
        return opened.db.execute(QUERIES[name]["sql"], params).fetchall()


def test_requests_received_per_unit_and_year(archive):
    rows = canned(archive, "requests_received_per_unit_year", portal="by_gov_cn", unit="")
    assert [row[:8] for row in rows] == [
        ("by_gov_cn", "广州市白云区", "人民政府", "county", 2021, 42, "42", "html"),
        ("by_gov_cn", "广州市白云区", "民政局", "department", 2021, 42, "42", "html"),
        # 2022: two reports of 民政局; the later published (report 3) counts, its "/" stays empty
        ("by_gov_cn", "广州市白云区", "民政局", "department", 2022, None, "/", "html"),
    ]
    assert rows[2][8] == 3
    only = canned(archive, "requests_received_per_unit_year", portal="", unit="民政局")
    assert {row[2] for row in only} == {"民政局"}


def test_refusal_reasons_per_district_keep_the_district_report_apart(archive):
    rows = canned(archive, "refusal_reasons_per_district", portal="by_gov_cn", year="2021")
    assert len(rows) == 16
    by_reason = {row[4]: row[5:] for row in rows}
    # the page's 不予公开 3 and 无法提供 1: the district's own report, and its one department
    assert by_reason["危及“三安全一稳定”"] == (1, 1, 1)
    assert by_reason["本机关不掌握相关政府信息"] == (11, 11, 1)
    assert by_reason["属于国家秘密"] == (0, 0, 1)
    assert [row[3] for row in rows][::5] == ["不予公开", "不予公开", "无法提供", "不予处理"]


def test_reports_whose_numbers_do_not_add_up(archive):
    rows = canned(archive, "figures_that_do_not_add_up", portal="")
    failed = {(row[0], row[5], row[6]) for row in rows}
    # 2022's 上年结转 (3) is not 2021's 结转下年度 (2): X-1 of the report that counts
    assert (3, "X-1", "自然人") in failed and (4, "X-1", "自然人") not in failed
    assert {row[5] for row in rows} <= {"X-1", "X-2", "T3-a", "T3-b", "T3-c", "T4"}
    x1 = next(row for row in rows if (row[0], row[5], row[6]) == (3, "X-1", "自然人"))
    assert (x1[7], x1[9], x1[10], x1[11]) == (1, '["Y/三/二/自然人"]', '["Y-1/三/四/自然人"]', 2)


def test_datasette_serves_them(archive):
    ds = Datasette([str(archive)], metadata=load_metadata("a"), settings=SETTINGS)

    async def fetch(path: str):
        return (await ds.client.get(path)).json()

    rows = asyncio.run(fetch("/a/requests_received_per_unit_year.json?portal=&unit=&_shape=array"))
    assert [(r["unit"], r["year"], r["received"]) for r in rows] == [
        ("人民政府", 2021, 42), ("民政局", 2021, 42), ("民政局", 2022, None),
    ]  # fmt: skip
