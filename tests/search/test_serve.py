"""govreports serve: metadata, canned queries (complete for short terms), read-only but live."""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.error
import urllib.parse
from pathlib import Path

import pytest
from datasette.app import Datasette

from crawler.archive import open_archive
from crawler.serve import SETTINGS, datasette_args, ensure_stdlib_sqlite, load_metadata
from tests.search.archive_fixture import TITLES, build_archive
from tests.search.datasette_server import get_json, running_server


def test_sqlite_utils_and_datasette_use_the_stdlib_sqlite():
    from datasette.utils import sqlite as datasette_sqlite
    from sqlite_utils import utils as sqlite_utils_utils

    ensure_stdlib_sqlite()
    assert sqlite_utils_utils.sqlite3 is sqlite3
    assert datasette_sqlite.sqlite3 is sqlite3
    assert datasette_sqlite.using_pysqlite3 is False


def test_metadata_configures_fts_and_links_the_complete_search():
    metadata = load_metadata("archive")
    assert metadata["title"] == "govreports archive"
    reports = metadata["databases"]["archive"]["tables"]["reports"]
    assert (reports["fts_table"], reports["fts_pk"], reports["searchmode"]) == (
        "reports_fts",
        "id",
        "escaped",
    )
    assert reports["columns"]["gone_at"] == (
        "When the portal stopped serving it (UTC); empty while it is online"
    )
    assert '<a href="/archive/search">the complete search</a>' in metadata["description_html"]
    assert sorted(metadata["databases"]["archive"]["queries"]) == [
        "figures_that_do_not_add_up",  # tests/figures/test_figures_datasette.py
        "gone_or_changed",
        "refusal_reasons_per_district",
        "report_provenance",
        "reports_per_portal_year",
        "requests_received_per_unit_year",
        "search",
    ]


def test_datasette_args_open_the_live_file_read_only_not_immutable(tmp_path: Path):
    args = datasette_args(tmp_path / "archive.db", tmp_path / "m.json", "127.0.0.1", 8001)
    assert "-i" not in args and "--immutable" not in args
    assert args[:7] == [
        str(tmp_path / "archive.db"),
        "--metadata",
        str(tmp_path / "m.json"),
        "--host",
        "127.0.0.1",
        "--port",
        "8001",
    ]


def canned(db, name: str, **params: str) -> list[tuple]:
    sql = load_metadata("a")["databases"]["a"]["queries"][name]["sql"]
    return db.execute(sql, params).fetchall()


@pytest.mark.parametrize(
    ("q", "portal", "year", "expected"),
    [
        ("依申请公开", "", "", [3, 4, 6, 2, 1]),
        ("年报", "", "", [6, 2, 5]),
        ("诉", "", "", [6, 1, 3]),
        (" 年报 ", "zc_gov_cn", "", [2]),
        ("依申请公开", "", "2019", [4, 1]),
        ('信息"公开', "", "", []),
        ("", "", "", []),
    ],
)
def test_canned_search_is_complete_for_short_terms(db, q, portal, year, expected):
    rows = canned(db, "search", q=q, portal=portal, year=year)
    assert [r[0] for r in rows] == expected


def test_canned_search_marks_fts_hits_and_flags_gone(db):
    rows = canned(db, "search", q="本年新收依申请公开1件", portal="", year="")
    assert [(r[0], r[1], r[5]) for r in rows] == [(4, TITLES[4], "2024-05-02T03:00:00Z")]
    assert "[本年新收依申请公开1件]" in rows[0][6]


def test_canned_reports_per_portal_year(db):
    assert canned(db, "reports_per_portal_year") == [
        ("by_gov_cn", 2018, 1, 0, 0),
        ("haizhu_gov_cn", 2019, 1, 1, 0),
        ("qufu_gov_cn", 2017, 1, 0, 0),
        ("qzlc_gov_cn", 2023, 1, 0, 1),
        ("zc_gov_cn", 2021, 1, 0, 0),
        ("zc_gov_cn", 2020, 1, 0, 0),
        ("zc_gov_cn", 2019, 1, 0, 0),
    ]


def test_canned_gone_or_changed(db):
    assert canned(db, "gone_or_changed") == [
        (4, TITLES[4], "haizhu_gov_cn", 2019, "2024-05-02T03:00:00Z", 0, None),
        (5, TITLES[5], "qufu_gov_cn", 2017, None, 2, "2019-06-01T01:00:00Z"),
    ]


def test_canned_report_provenance(db):
    assert [(r[0], r[1], r[2]) for r in canned(db, "report_provenance", id="6")] == [
        (
            4,
            "attachment",
            "http://www.qzlc.gov.cn/zfxxgk/zfxxgkzl/202401/P020240118391204859312.pdf",
        )
    ]


def test_datasette_serves_the_metadata_in_process(archive_path: Path):
    ds = Datasette([str(archive_path)], metadata=load_metadata("a"), settings=SETTINGS)

    async def fetch(path: str):
        return (await ds.client.get(path)).json()

    q = urllib.parse.quote("年报")
    rows = asyncio.run(fetch(f"/a/search.json?q={q}&_shape=array"))
    assert [(r["id"], r["title"]) for r in rows] == [(6, TITLES[6]), (2, TITLES[2]), (5, TITLES[5])]
    # The table's own search box cannot see 2-character terms: why the canned query exists.
    assert asyncio.run(fetch(f"/a/reports.json?_search={q}&_shape=array")) == []
    s = urllib.parse.quote("依申请公开")
    found = asyncio.run(fetch(f"/a/reports.json?_search={s}&_shape=array&_col=title"))
    assert sorted(r["id"] for r in found) == [1, 2, 3, 4, 6]


def test_served_archive_is_read_only_but_sees_a_live_crawl(tmp_path: Path):
    path = tmp_path / "live.db"
    build_archive(path).conn.close()
    with running_server(path, tmp_path / "serve.log") as base:
        (info,) = get_json(f"{base}/-/databases.json")
        assert (info["name"], info["is_mutable"]) == ("live", True)
        q = urllib.parse.quote("东区街道")
        assert get_json(f"{base}/live/search.json?q={q}&_shape=array") == []
        writer = open_archive(path)  # a crawl commits a new report while the server runs
        writer["reports"].insert(
            {
                "id": 8,
                "portal": "zc_gov_cn",
                "unit": "东区街道办事处",
                "title": "2022年广州市增城区人民政府东区街道办事处政府信息公开工作年度报告",
                "report_year": 2022,
                "canonical_url": "https://www.zc.gov.cn/dqjd/content/post_8812345.html",
                "text": "一、总体情况\n2022年，东区街道办事处主动公开政府信息98条。",
            }
        )
        writer.conn.close()
        rows = get_json(f"{base}/live/search.json?q={q}&_shape=array")
        assert [(r["id"], r["title"]) for r in rows] == [
            (8, "2022年广州市增城区人民政府东区街道办事处政府信息公开工作年度报告")
        ]
        sql = urllib.parse.quote("delete from reports")
        with pytest.raises(urllib.error.HTTPError) as refused:
            get_json(f"{base}/live.json?sql={sql}")
        assert refused.value.code == 400
