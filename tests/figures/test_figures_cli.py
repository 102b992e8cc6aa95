"""`govreports figures FILE [--json]` on a saved page and on a file without figures."""

from __future__ import annotations

import json

from click.testing import CliRunner

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
