"""Figures in the archive: stored in the report's transaction with the capture they came from,
a new set per text version with the old kept, a unit's series across years under any spelling,
X-1 per unit kept current as reports arrive (in any order), and reclean on the crawl's path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.archive import Archive
from crawler.archive.figures import UNCHANGED
from crawler.items import AttachmentItem
from crawler.reclean import reclean_archive
from tests.core.factories import capture
from tests.figures.archived import PAGE_FORWARD, RULES, item, page


@pytest.fixture
def archive(tmp_path: Path):
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def q(archive: Archive, sql: str, *args) -> list[tuple]:
    return archive.db.execute(sql, args).fetchall()


def test_a_reports_figures_are_stored_with_it_and_the_page_capture(archive):
    stored = archive.store(item(1, page(2021), 2021, "广州市白云区民政局"))
    [(set_id, version, valid_to, template)] = q(
        archive, "SELECT id, version_id, valid_to, template FROM figure_sets WHERE report_id = ?",
        stored.report_id,
    )  # fmt: skip
    assert (valid_to, template) == (None, "2021")
    assert version == q(archive, "SELECT id FROM report_versions WHERE report_id = ?", 1)[0][0]
    cells = {(s, r, c): (v, raw, cap, src, method, derived) for s, r, c, v, raw, cap, src, method,
             derived in q(archive, "SELECT section, row_key, col_key, value, raw, capture_id, "
                          "source, method, derived FROM figures WHERE set_id = ?", set_id)}  # fmt: skip
    assert cells[("三", "一", "总计")] == (42, "42", stored.capture_id, "html", "grid", 0)
    assert cells[("二", "规章", "本年制发件数")] == (
        None,
        "/",
        stored.capture_id,
        "html",
        "grid",
        0,
    )
    assert cells[("二", "行政事业性收费", "本年收费金额")][:2] == (12.5, "12.5")
    assert cells[("三", "一", "法人或其他组织小计")][5] == 1  # the added column: derived
    assert len(cells) == 10 + 25 * 8 + 8 + 15  # with the 小计 column and the （三） 小计 row
    checks = {(c, s): (st, json.loads(cells_), json.loads(miss)) for c, s, st, cells_, miss in q(
        archive, "SELECT check_id, scope, status, cells, missing FROM checks WHERE set_id = ?",
        set_id)}  # fmt: skip
    assert checks[("T3-a", "总计")][0] == "UNCERTAIN"
    assert checks[("T3-a", "总计")][2] == ["三/三（六）3/总计"]
    assert checks[("T4", "行政复议")] == (
        "PASS",
        {"left": ["四/行政复议/总计"],
         "right": [f"四/行政复议/{c}" for c in ("结果维持", "结果纠正", "其他结果", "尚未审结")]},
        [],
    )  # fmt: skip
    assert q(archive, "SELECT portal, key, level, name, county_name FROM units") == [
        ("by_gov_cn", "民政局", "department", "广州市白云区民政局", "广州市白云区")
    ]


def test_the_same_page_again_keeps_its_figure_set(archive):
    archive.store(item(1, page(2021), 2021, "白云区民政局"))
    archive.store(item(1, page(2021), 2021, "白云区民政局"))
    assert q(archive, "SELECT count(*), count(valid_to) FROM figure_sets") == [(1, 0)]
    result = item(1, page(2021), 2021, "白云区民政局").figures
    assert archive.store_figures(1, result, "2026-12-01T00:00:00Z") == UNCHANGED


def test_a_new_text_version_opens_a_new_set_and_keeps_the_old_one(archive):
    archive.store(item(1, page(2021), 2021, "白云区民政局"))
    edited = item(1, page(2021, rules="32"), 2021, "白云区民政局")
    edited.capture.fetched_at = "2026-12-01T08:00:00Z"
    assert archive.store(edited).outcome == "new_version"
    sets = q(
        archive,
        """SELECT s.id, s.valid_to, v.valid_to FROM figure_sets s
                         JOIN report_versions v ON v.id = s.version_id ORDER BY s.id""",
    )
    assert sets == [(1, "2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z"), (2, None, None)]
    cell = "SELECT value FROM figures WHERE set_id = ? AND row_key = '行政规范性文件' AND col_key = '现行有效件数'"
    assert (q(archive, cell, 1), q(archive, cell, 2)) == ([(31,)], [(32,)])


def test_a_reposts_numbers_do_not_replace_the_reports(archive):
    archive.store(item(1, page(2021), 2021, "白云区民政局"))
    repost = item(2, page(2021, rules="99"), 2021, "白云区民政局")
    repost.text = archive.db.execute("SELECT text FROM reports WHERE id = 1").fetchone()[0]
    repost.text_sha256 = archive.db.execute("SELECT text_sha256 FROM reports").fetchone()[0]
    assert archive.store(repost).outcome == "same_text"
    assert q(archive, "SELECT count(*) FROM figure_sets") == [(1,)]


def x1(archive: Archive, year: int) -> dict[str, tuple]:
    return {scope: (status, diff, earlier) for scope, status, diff, earlier in q(
        archive, """SELECT c.scope, c.status, c.difference, e.report_year FROM checks c
                    JOIN figure_sets s ON s.id = c.set_id AND s.valid_to IS NULL
                    JOIN figure_sets e ON e.id = c.earlier_set_id
                    WHERE c.check_id = 'X-1' AND s.report_year = ?""", year)}  # fmt: skip


def test_a_units_years_are_one_series_under_any_spelling_and_x1_follows_them(archive):
    # 2022 carries forward exactly what 2021 left (四 of 2021); 2023 does not; 2024 prints "/"
    archive.store(item(1, page(2022, carried=PAGE_FORWARD), 2022, "区民政局"))
    assert x1(archive, 2022) == {}  # no 2021 yet
    archive.store(item(2, page(2021), 2021, "广州市白云区民政局"))
    archive.store(item(3, page(2023), 2023, "白云区民政局"))
    archive.store(item(4, page(2024, carried=("/", "0", "0", "0", "0", "0", "0", "2")), 2024,
                       "民政局"))  # fmt: skip
    assert q(archive, "SELECT count(*) FROM units") == [(1,)]
    series = q(
        archive,
        """SELECT s.report_year, f.value FROM figure_sets s
                           JOIN figures f ON f.set_id = s.id
                           WHERE s.unit_id = 1 AND s.valid_to IS NULL AND f.section = '三'
                             AND f.row_key = '二' AND f.col_key = '自然人'
                           ORDER BY s.report_year""",
    )
    assert series == [(2021, 3), (2022, 2), (2023, 3), (2024, None)]
    assert {s: v[0] for s, v in x1(archive, 2022).items()} == {
        c: "PASS"
        for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    }
    assert x1(archive, 2023)["自然人"] == ("FAIL", 1, 2022)
    assert x1(archive, 2023)["商业企业"] == ("FAIL", -1, 2022)
    assert x1(archive, 2023)["总计"] == ("PASS", 0, 2022)
    assert x1(archive, 2024)["自然人"] == ("UNCERTAIN", None, 2023)  # "/" is no 0
    assert x1(archive, 2024)["总计"] == ("FAIL", -1, 2023)
    assert x1(archive, 2021) == {}  # no 2020


def test_x2_is_soft_and_follows_documents_in_force(archive):
    archive.store(
        item(1, page(2021), 2021, "白云区民政局")
    )  # 行政规范性文件: 3 made, 1 gone, 31 in force
    archive.store(item(2, page(2022, rules="33"), 2022, "白云区民政局"))  # 31 + 3 - 1 = 33
    x2 = q(
        archive,
        """SELECT c.scope, c.status, c.strength, c.difference FROM checks c
                       JOIN figure_sets s ON s.id = c.set_id
                       WHERE c.check_id = 'X-2' AND s.report_year = 2022 ORDER BY c.scope""",
    )
    assert x2 == [("行政规范性文件", "PASS", "soft", 0), ("规章", "UNCERTAIN", "soft", None)]


def test_a_unit_year_reported_twice_counts_its_latest_report(archive):
    archive.store(item(1, page(2021), 2021, "白云区民政局"))
    archive.store(item(2, page(2022, carried=PAGE_FORWARD), 2022, "白云区民政局",
                       published="2023-01-20"))  # fmt: skip
    archive.store(item(3, page(2022), 2022, "白云区民政局", published="2023-03-01"))  # a correction
    assert x1(archive, 2022)["自然人"] == ("FAIL", 1, 2021)  # the correction's 二 is 3, not 2
    checked = q(
        archive,
        """SELECT DISTINCT s.report_id FROM checks c
                            JOIN figure_sets s ON s.id = c.set_id WHERE c.check_id = 'X-1'""",
    )
    assert checked == [(3,)]


def test_figures_from_an_attachment_point_at_its_capture(archive):
    from sandbox import files
    from tests.figures.documents import REPORT

    url = "https://www.by.gov.cn/attachment/0/1/1.docx"
    body = files.render(REPORT, "docx")
    docx = AttachmentItem(url, "2021年报.docx", capture=capture(url, body, kind="attachment"))
    docx.mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    docx.status, docx.text = "ok", "详见表格"
    note = (
        "<html><body><div id='zoomcon'><p>2021年度报告详见附件。</p></div></body></html>".encode()
    )
    archive.store(item(1, note, 2021, "白云区民政局", attachments=[docx]))
    [(attachment_capture,)] = q(archive, "SELECT capture_id FROM attachments")
    assert q(archive, "SELECT DISTINCT capture_id, source FROM figures") == [
        (attachment_capture, "docx")
    ]
    sources = json.loads(q(archive, "SELECT sources FROM figure_sets")[0][0])
    assert [(s["origin"], s["chosen"]) for s in sources] == [
        ("page", []),
        (url, ["二", "三", "四"]),
    ]


def test_reclean_computes_the_figures_a_crawl_of_the_same_bytes_computes(tmp_path):
    pages_ = [(1, page(2021), 2021), (2, page(2022, carried=PAGE_FORWARD), 2022)]
    with Archive.open(tmp_path / "crawl.db") as by_crawl, Archive.open(tmp_path / "old.db") as old:
        for n, body, year in pages_:
            by_crawl.store(item(n, body, year, "白云区民政局"))
            old.store(item(n, body, year, "白云区民政局", figures=False))  # before figures existed
        assert q(old, "SELECT count(*) FROM figure_sets") == [(0,)]
        counts = reclean_archive(old, lambda portal: RULES)
        assert (counts.recleaned, counts.changed, counts.figures_changed) == (2, 0, 2)
        assert figure_rows(old) == figure_rows(by_crawl) and len(figure_rows(old)) > 400
        again = reclean_archive(by_crawl, lambda portal: RULES)
        assert (again.changed, again.figures_changed) == (0, 0)  # the crawl's figures, as they were


def figure_rows(archive: Archive) -> list[tuple]:
    return q(
        archive,
        """SELECT s.report_id, s.digest, f.section, f.row_key, f.col_key, f.value,
                                f.raw, f.capture_id, c.check_id, c.status
                         FROM figure_sets s JOIN figures f ON f.set_id = s.id
                         LEFT JOIN checks c ON c.set_id = s.id AND c.check_id = 'X-1'
                           AND c.scope = f.col_key AND f.row_key = '二'
                         WHERE s.valid_to IS NULL ORDER BY f.id""",
    )
