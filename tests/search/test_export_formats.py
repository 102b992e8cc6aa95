"""`govreports export` in every format, each opened by the library a reader would use (openpyxl
for XLSX, pandas for CSV, pyarrow for Parquet, zipfile for the txt zip): the same rows, Chinese
intact, provenance columns present."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crawler.archive import EXPORT_COLUMNS
from crawler.commands.query import COMMANDS
from crawler.export import XLSX_CELL_LIMIT, _xlsx_cell
from tests.search.archive_fixture import TITLES, sha

cli = click.Group("govreports", commands={c.name: c for c in COMMANDS})
# what `--query 年报` selects on the fixture archive, in export order
NIANBAO = [(5, 2017, "曲阜市"), (2, 2020, "增城区"), (6, 2023, None)]
QUFU_URL = "http://www.qufu.gov.cn/art/2018/3/1/art_4251_2187406.html"


@pytest.fixture
def export(archive_path: Path, tmp_path: Path):
    def run(name: str, *args: str) -> Path:
        out = tmp_path / name
        result = CliRunner().invoke(
            cli,
            ["export", "--query", "年报", *args, "-o", str(out), "--archive", str(archive_path)],
        )
        assert result.exit_code == 0, result.output
        assert result.stderr == "exported 3 reports\n"
        return out

    return run


def test_xlsx_opens_in_openpyxl_with_chinese_and_provenance(export):
    from openpyxl import load_workbook

    book = load_workbook(export("nianbao.xlsx"))
    assert book.sheetnames == ["reports"]
    rows = list(book["reports"].iter_rows(values_only=True))
    assert rows[0] == EXPORT_COLUMNS
    got = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["id"], r["report_year"], r["county"]) for r in got] == NIANBAO
    assert [r["title"] for r in got] == [TITLES[5], TITLES[2], TITLES[6]]
    assert got[0]["fetched_url"] == QUFU_URL and got[0]["http_status"] == 200
    assert got[0]["raw_sha256"] == sha("<html>鲁城街道 2017</html>")
    assert got[2]["attachment_text"].startswith("一、总体情况\n2023年，我局依申请公开政府信息0件。")


def test_csv_opens_in_pandas_as_utf8_with_the_bom(export):
    import pandas as pd

    path = export("nianbao.csv")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == EXPORT_COLUMNS
    assert list(frame["id"]) == ["5", "2", "6"]
    assert list(frame["title"]) == [TITLES[5], TITLES[2], TITLES[6]]
    assert list(frame["unit"]) == ["鲁城街道办事处", "荔城街道办事处", "泉州市鲤城区科学技术局"]


def test_parquet_opens_in_pyarrow_with_typed_columns(export):
    import pyarrow.parquet as pq

    table = pq.read_table(export("nianbao.parquet"))
    assert tuple(table.column_names) == EXPORT_COLUMNS
    assert str(table.schema.field("report_year").type) == "int64"
    got = table.to_pylist()
    assert [(r["id"], r["report_year"], r["county"]) for r in got] == NIANBAO
    assert [r["title"] for r in got] == [TITLES[5], TITLES[2], TITLES[6]]
    assert (got[0]["fetched_url"], got[0]["http_status"]) == (QUFU_URL, 200)
    assert json.loads(got[1]["attachments"]) == []


def test_txt_zip_holds_one_file_per_report_with_a_metadata_header(export):
    with zipfile.ZipFile(export("nianbao.zip", "--format", "txt")) as archive:
        names = archive.namelist()
        assert names == [f"5-{TITLES[5]}.txt", f"2-{TITLES[2]}.txt", f"6-{TITLES[6]}.txt"]
        qufu = archive.read(names[0]).decode("utf-8")
    header, text = qufu.split("\n---\n", 1)
    assert header.splitlines()[:3] == ["id: 5", "portal: qufu_gov_cn", "province: 山东省"]
    assert f"fetched_url: {QUFU_URL}" in header.splitlines()
    assert "http_status: 200" in header.splitlines()
    assert text == (
        "为认真贯彻落实《山东省政府信息公开办法》文件精神，鲁城街道高度重视政府信息公开工作。"
        "本年度年报经街道党工委审定后发布。\n二、主动公开政府信息情况\n全年主动公开信息86条。\n"
    )


def test_txt_folder_when_the_output_is_not_a_zip(export):
    folder = export("nianbao", "--format", "txt")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"5-{TITLES[5]}.txt", f"2-{TITLES[2]}.txt", f"6-{TITLES[6]}.txt"]
    )


def test_xlsx_cuts_a_text_over_excels_cell_limit_and_says_so():
    cell = _xlsx_cell("公" * 40_000 + "\x07")
    assert len(cell) == XLSX_CELL_LIMIT
    assert cell.endswith("…[cut at 32,767 of 40,000 characters: CSV, JSONL, Parquet hold it whole]")
    assert cell.startswith("公公公")
