"""`govreports figures FILE [--json]` on a saved page and on a file without figures;
`govreports figures` over an archive: requests received per district and year, a unit's
figures under any spelling, failed checks, CSV/JSON/XLSX, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from crawler.cli import main
from tests.figures.pages import PAGE_2021


def test_saved_page_as_json(tmp_path):
    saved = tmp_path / "post_9472985.html"
    saved.write_text(PAGE_2021, encoding="utf-8")
    result = CliRunner().invoke(main, ["figures", str(saved), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["source"], data["template"], data["notes"]) == ("html", "2021", [])
    rows = {(f["table"], f["row"], f["col"]): f for f in data["figures"]}
    assert rows[("三", "一", "自然人")]["value"] == 35
    assert rows[("二", "行政事业性收费", "本年收费金额")]["value"] == 12.5
    assert rows[("二", "规章", "本年制发件数")] | {} == {
        "template": "2021", "table": "二", "row": "规章", "col": "本年制发件数", "value": None,
        "raw": "/", "unit": "件", "source": "html", "confidence": 1.0, "derived": False,
    }  # fmt: skip
    statuses = {(c["check"], c["scope"]): c["status"] for c in data["checks"]}
    assert statuses[("T3-a", "商业企业")] == "UNCERTAIN"


def test_plain_output_prints_null_for_missing_cells_and_the_checks_that_did_not_pass(tmp_path):
    saved = tmp_path / "report.html"
    saved.write_text(PAGE_2021, encoding="utf-8")
    lines = CliRunner().invoke(main, ["figures", str(saved)]).output.splitlines()
    assert lines[0] == "# source: html  template: 2021  figures: 233"
    assert "二\t规章\t本年制发件数\tNULL\t件\thtml\t/" in lines
    assert "三\t三（三）\t总计\t1\t件\thtml\t1  (derived)" in lines
    assert "# UNCERTAIN T3-a 商业企业: missing 三/三（四）3/商业企业" in lines


def test_a_file_without_figures_exits_1(tmp_path):
    saved = tmp_path / "note.txt"
    saved.write_text("根据《条例》要求，现将本单位年度报告予以公开，详见附件。", encoding="utf-8")
    result = CliRunner().invoke(main, ["figures", str(saved)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "# source: text  template: None  figures: 0"


# --- over the archive -------------------------------------------------------------------------

PROSE = (
    "<html><body><div id='zoomcon'><p>广州市白云区人民政府鹤龙街道办事处2017年政府信息公开工作年度报告</p>"
    "<p>一、概述</p><p>2017年，我街全年主动公开政府信息269条。共受理信息公开申请2件，均已按时答复。</p>"
    "</div></body></html>"
).encode()


def new_row(total: str) -> tuple[str, ...]:
    return ("35", "4", "0", "0", "1", "2", "7", total)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory) -> Path:
    from crawler.archive import Archive
    from tests.figures.archived import item, page

    path = tmp_path_factory.mktemp("figures") / "archive.db"
    with Archive.open(path) as archive:
        archive.store(item(1, page(2021, new=new_row("50")), 2021, "白云区人民政府"))
        archive.store(item(2, page(2021), 2021, "区民政局"))
        archive.store(item(3, page(2021, new=new_row("/")), 2021, "白云区财政局"))
        archive.store(item(4, page(2022, new=new_row("40")), 2022, "广州市白云区民政局"))
        archive.store(item(5, PROSE, 2017, "鹤龙街道办事处"))
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["figures", *args])


def test_requests_received_per_district_and_year_in_one_command(archive_path):
    result = run("--received", "--archive", str(archive_path))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == (
        "\ufeffportal,county,year,county_report,county_report_id,units,units_with_number,"
        "units_sum,units_without_number\r\n"
        "by_gov_cn,广州市白云区,2017,,,1,1,2,0\r\n"
        "by_gov_cn,广州市白云区,2021,50,1,2,1,42,1\r\n"  # 财政局's total is "/": not a 0
        "by_gov_cn,广州市白云区,2022,,,1,1,40,0\r\n"
    )


def test_a_units_figures_under_another_spelling(archive_path):
    result = run("--archive", str(archive_path), "--unit", "白云区民政局", "--format", "json")
    rows = json.loads(result.output)
    assert {(r["report_id"], r["unit_key"], r["publisher"]) for r in rows} == {
        (2, "民政局", "区民政局"),
        (4, "民政局", "广州市白云区民政局"),
    }
    received = [(r["report_year"], r["value"]) for r in rows
                if (r["section"], r["row_key"], r["col_key"]) == ("三", "一", "总计")]  # fmt: skip
    assert received == [(2021, 42), (2022, 40)]
    missing = next(r for r in rows if r["report_id"] == 2 and r["col_key"] == "本年制发件数"
                   and r["row_key"] == "规章")  # fmt: skip
    assert (missing["value"], missing["raw"]) == (None, "/")


def test_failed_checks_name_the_report_the_check_and_its_cells(archive_path):
    result = run("--archive", str(archive_path), "--check", "failed", "--year", "2022",
                 "--format", "json")  # fmt: skip
    rows = json.loads(result.output)
    x1 = {r["scope"]: r for r in rows if r["check_id"] == "X-1"}
    assert x1["自然人"]["difference"] == 1  # 上年结转 3 against 2021's 结转下年度 2
    assert (x1["自然人"]["left"], x1["自然人"]["right"]) == ("Y/三/二/自然人", "Y-1/三/四/自然人")
    assert (x1["自然人"]["earlier_report_id"], x1["自然人"]["earlier_year"]) == (2, 2021)
    t3 = {(r["check_id"], r["scope"]) for r in rows if r["check_id"] != "X-1"}
    assert ("T3-c", "一") in t3  # its 一 总计 (40) is not the sum of its columns (42)
    assert {r["status"] for r in rows} == {"FAIL"}


def test_csv_and_xlsx_files_open_in_excel(archive_path, tmp_path):
    out = tmp_path / "received.xlsx"
    result = run("--archive", str(archive_path), "--received", "-o", str(out))
    assert result.exit_code == 0 and "3 rows -> " in result.output
    sheet = load_workbook(out)["received"]
    assert [c.value for c in sheet[3]] == ["by_gov_cn", "广州市白云区", 2021, 50, 1, 2, 1, 42, 1]
    csv_out = tmp_path / "figures.csv"
    run("--archive", str(archive_path), "--year", "2017", "-o", str(csv_out))
    assert csv_out.read_bytes().startswith("\ufeffreport_id,portal,".encode())
    assert "prose,依申请公开,收到申请,2,共受理信息公开申请2件" in csv_out.read_text("utf-8-sig")


def test_misused_options_are_usage_errors(archive_path, tmp_path):
    saved = tmp_path / "report.html"
    saved.write_text(PAGE_2021, encoding="utf-8")
    assert run(str(saved), "--portal", "by_gov_cn").exit_code == 2
    assert run("--archive", str(archive_path), "--check", "failed", "--received").exit_code == 2
    result = run("--archive", str(archive_path), "--format", "xlsx")
    assert result.exit_code == 2 and "needs -o FILE" in result.output


def test_an_archive_without_figure_tables_says_how_to_get_them(tmp_path):
    import sqlite3

    old = tmp_path / "old.db"
    sqlite3.connect(old).execute("CREATE TABLE reports (id INTEGER PRIMARY KEY)").connection.close()
    result = run("--archive", str(old))
    assert result.exit_code == 4
    assert "run `govreports reclean` to compute them" in result.output


def test_requests_received_per_unit_and_year_as_a_spreadsheet(archive_path, tmp_path):
    out = tmp_path / "received_per_unit.xlsx"
    result = run("--archive", str(archive_path), "--received", "--per-unit", "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["received"]
    rows = [[c.value for c in row][:10] for row in sheet.iter_rows()]
    assert rows == [
        ["portal", "county", "unit_key", "unit_level", "publisher", "year", "received", "raw",
         "source", "report_id"],
        ["by_gov_cn", "广州市白云区", "人民政府", "county", "白云区人民政府", 2021, 50, "50",
         "html", 1],
        ["by_gov_cn", "广州市白云区", "民政局", "department", "区民政局", 2021, 42, "42", "html", 2],
        ["by_gov_cn", "广州市白云区", "民政局", "department", "广州市白云区民政局", 2022, 40, "40",
         "html", 4],
        ["by_gov_cn", "广州市白云区", "财政局", "department", "白云区财政局", 2021, None, "/",
         "html", 3],  # "/" is no number, not a 0
        ["by_gov_cn", "广州市白云区", "鹤龙街道", "street", "鹤龙街道办事处", 2017, 2,
         "共受理信息公开申请2件", "html", 5],  # the page's prose
    ]  # fmt: skip


def test_one_units_requests_under_any_spelling(archive_path):
    result = run("--archive", str(archive_path), "--received", "--per-unit", "--unit",
                 "广州市白云区民政局", "--format", "json")  # fmt: skip
    assert [(r["year"], r["received"], r["publisher"]) for r in json.loads(result.output)] == [
        (2021, 42, "区民政局"),
        (2022, 40, "广州市白云区民政局"),
    ]
    assert run("--archive", str(archive_path), "--per-unit").exit_code == 2
