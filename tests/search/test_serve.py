"""govreports serve: metadata, canned queries (complete for short terms), read-only but live."""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.error
import urllib.parse
from pathlib import Path

import pytest

from crawler.archive import open_archive
from crawler.serve import app, datasette_args, ensure_stdlib_sqlite, load_metadata
from tests.search.archive_fixture import TITLES, build_archive
from tests.search.datasette_server import get_json, running_server


def test_sqlite_utils_and_datasette_use_the_stdlib_sqlite():
    from datasette.utils import sqlite as datasette_sqlite
    from sqlite_utils import utils as sqlite_utils_utils

    ensure_stdlib_sqlite()
    assert sqlite_utils_utils.sqlite3 is sqlite3
    assert datasette_sqlite.sqlite3 is sqlite3
    assert datasette_sqlite.using_pysqlite3 is False


def test_metadata_is_chinese_and_links_the_search_page():
    metadata = load_metadata("archive")
    assert metadata["title"] == "政府信息公开工作年度报告档案"
    reports = metadata["databases"]["archive"]["tables"]["reports"]
    assert reports["title"] == "报告（含全文）"
    assert "fts_table" not in reports  # its search box goes to the search page (plugin.py)
    assert reports["columns"]["gone_at"] == "门户撤下报告的时间（UTC）；空表示仍在线"
    assert '<a href="/archive/search">全文检索</a>' in metadata["description_html"]
    assert sorted(metadata["databases"]["archive"]["queries"]) == [
        "figures_that_do_not_add_up",  # tests/figures/test_figures_datasette.py
        "gone_or_changed",
        "refusal_reasons_per_district",
        "report_provenance",
        "reports_per_portal_year",
        "requests_received_per_unit_year",
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


def test_the_table_search_box_goes_to_the_search_page(archive_path: Path):
    ds = app(archive_path)

    async def fetch(path: str):
        return await ds.client.get(path)

    q = urllib.parse.quote("年报")
    # Datasette's own box, over the trigram index, finds nothing for 2 characters: sent on
    table = asyncio.run(fetch(f"/a/reports?_search={q}&_sort=id"))
    assert (table.status_code, table.headers["location"]) == (302, f"/a/search?q={q}")
    api = asyncio.run(fetch(f"/a/reports.json?_search={q}"))
    assert (api.status_code, api.headers["location"]) == (302, f"/a/search.json?q={q}")
    hits = asyncio.run(fetch(f"/a/search.json?q={q}")).json()["hits"]
    assert [(h["id"], h["title"]) for h in hits] == [(5, TITLES[5]), (2, TITLES[2]), (6, TITLES[6])]
    two = urllib.parse.quote("白云区 2018")  # several words, as the CLI takes them
    moved = asyncio.run(fetch(f"/a/reports?_search={two}"))
    assert moved.headers["location"] == "/a/search?q=%E7%99%BD%E4%BA%91%E5%8C%BA+2018"
    assert asyncio.run(fetch("/a/reports?_search=")).headers["location"] == "/a/search?q="
    # the table itself and other tables' filters are left alone
    assert asyncio.run(fetch("/a/reports?_sort=id")).status_code == 200
    assert asyncio.run(fetch(f"/a/report_list?_search={q}")).status_code == 200


def test_served_archive_is_read_only_but_sees_a_live_crawl(tmp_path: Path):
    path = tmp_path / "live.db"
    build_archive(path).conn.close()
    with running_server(path, tmp_path / "serve.log") as base:
        (info,) = get_json(f"{base}/-/databases.json")
        assert (info["name"], info["is_mutable"]) == ("live", True)
        q = urllib.parse.quote("东区街道")
        assert get_json(f"{base}/live/search.json?q={q}")["hits"] == []
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
        rows = get_json(f"{base}/live/search.json?q={q}")["hits"]
        assert [(r["id"], r["title"]) for r in rows] == [
            (8, "2022年广州市增城区人民政府东区街道办事处政府信息公开工作年度报告")
        ]
        sql = urllib.parse.quote("delete from reports")
        with pytest.raises(urllib.error.HTTPError) as refused:
            get_json(f"{base}/live.json?sql={sql}")
        assert refused.value.code == 400
