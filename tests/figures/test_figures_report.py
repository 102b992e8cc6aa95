"""A report's figures from every source it has (crawler.figures.report): each table from its
best source, the checks over the chosen cells, the readings that say what each source gave."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from crawler.cleaning import normalize_text
from crawler.extract import extract_bytes
from crawler.extract.docx import docx_text
from crawler.figures import FAIL, PASS
from crawler.figures.report import PAGE, AttachmentSource, ReportSources, report_figures
from sandbox import files
from tests.figures import pages
from tests.figures.documents import EXPECTED, REPORT

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_URL = "https://www.by.gov.cn/attachment/0/1/2021年报.pdf"
DOCX_URL = "https://www.by.gov.cn/attachment/0/1/2021年报.docx"
NOTE = (
    "<html><body><div id='zoomcon'><p>广州市白云区民政局2021年政府信息公开工作年度报告</p>"
    "<p>根据《条例》要求，现将本局2021年度报告予以公开，详见附件。</p></div></body></html>"
).encode()
TEMPLATE_CELLS = {"二": 10, "三": 25 * 7, "四": 15}


@pytest.fixture(scope="module")
def docx() -> bytes:
    return files.render(REPORT, "docx")


@pytest.fixture(scope="module")
def pdf_text() -> str:
    """The text the extraction worker gives the PDF (what the attachments pipeline stores)."""
    extracted = extract_bytes(files.render(REPORT, "pdf"), "2021年报.pdf")
    assert extracted.status == "ok"
    return normalize_text(extracted.text)


def docx_attachment(data: bytes) -> AttachmentSource:
    return AttachmentSource(DOCX_URL, DOCX, "ok", normalize_text(docx_text(data)), data)


def sources(page: bytes | None, *attachments: AttachmentSource, **more) -> ReportSources:
    return ReportSources(page, None, "2021", tuple(attachments), unit="区民政局", city="广州市",
                         district="白云区", **more)  # fmt: skip


def values(result) -> dict:
    return {row.figure.key: row.figure.value for row in result.rows}


def origins(result) -> dict:
    return {table: {r.origin for r in result.rows if r.figure.table == table} for table in "二三四"}


def test_a_page_with_every_table_wins_over_the_same_tables_in_its_docx(docx):
    result = report_figures(sources(pages.PAGE_2021.encode(), docx_attachment(docx)))
    assert result.template == "2021"
    assert origins(result) == {"二": {PAGE}, "三": {PAGE}, "四": {PAGE}}
    assert {r.method for r in result.rows} == {"grid"} and {
        r.figure.source for r in result.rows
    } == {"html"}
    [page, attachment] = result.readings
    assert (page.origin, page.source, page.chosen) == (PAGE, "html", ("二", "三", "四"))
    assert (attachment.origin, attachment.source, attachment.chosen) == (DOCX_URL, "docx", ())
    assert attachment.cells == {"二": 10, "三": 25 * 7 + 7, "四": 15}  # its 小计 row too
    assert (result.unit.key, result.unit.level, result.unit.county_name) == (
        "民政局", "department", "广州市白云区",
    )  # fmt: skip


def test_a_note_page_takes_every_table_from_the_docx_not_the_pdf(docx, pdf_text):
    pdf = AttachmentSource(PDF_URL, "application/pdf", "ok", pdf_text)
    result = report_figures(sources(NOTE, pdf, docx_attachment(docx)))
    assert origins(result) == {"二": {DOCX_URL}, "三": {DOCX_URL}, "四": {DOCX_URL}}
    got = values(result)
    assert {key: got[key] for key in EXPECTED} == EXPECTED
    assert got[("二", "行政事业性收费", "本年收费金额")] == Decimal("17.35")
    readings = {r.origin: r for r in result.readings}
    assert readings[PAGE].cells == {} and readings[PDF_URL].chosen == ()
    assert readings[PDF_URL].cells["三"] >= 150  # read, but a docx is surer


def test_a_pdf_alone_gives_its_words_at_pdf_confidence(pdf_text):
    pdf = AttachmentSource(PDF_URL, "application/pdf", "ok", pdf_text)
    result = report_figures(sources(NOTE, pdf))
    assert {(r.origin, r.method, r.figure.source, r.figure.confidence) for r in result.rows} == {
        (PDF_URL, "words", "pdf", 0.9)
    }
    got = values(result)
    assert got[("三", "一", "总计")] == 42 and got[("四", "行政复议", "总计")] == 3


def test_a_table_only_as_an_image_comes_from_its_ocr_text_at_low_confidence():
    ocr_text = files.truth_for(REPORT, "png_table").replace("\t", "  ")  # words, as OCR gives
    image = AttachmentSource(
        "https://www.by.gov.cn/img/2021/table.png", "image/png", "ocr", ocr_text
    )
    result = report_figures(sources(NOTE, image))
    assert {
        (r.figure.table, r.figure.source, r.method, r.figure.confidence) for r in result.rows
    } == {("二", "ocr", "words", 0.6)}
    assert values(result)[("二", "行政许可", "本年处理决定数量")] == 1286
    assert report_figures(sources(NOTE, image, ocr=False)).rows == ()


# Table 二 cut over two images, as by_gov_cn posts a report (clipbord_*.png), in OCR's words.
IMAGE_2A = (
    "第二十条第（一）项\n信息内容  本年制发件数  本年废止件数  现行有效件数\n规章  0  0  0\n"
    "行政规范性文件  10  5  33"
)
IMAGE_2B = (
    "第二十条第（五）项\n信息内容  本年处理决定数量\n行政许可  0\n第二十条第（六）项\n"
    "信息内容  本年处理决定数量\n行政处罚  44\n行政强制  0\n第二十条第（八）项\n"
    "信息内容  本年收费金额（单位：万元）\n行政事业性收费  0.0"
)
IMG = "https://www.by.gov.cn/img/9/9472/{}/clipbord_1705996755142.png"


def test_a_table_cut_over_two_images_is_read_whole_from_both():
    first = AttachmentSource(IMG.format(9472986), "image/png", "ocr", IMAGE_2A)
    second = AttachmentSource(IMG.format(9472987), "image/png", "ocr", IMAGE_2B)
    result = report_figures(sources(NOTE, first, second))
    got = {(r.origin[-40:], *r.figure.key[1:], r.figure.value) for r in result.rows}
    a, b = first.url[-40:], second.url[-40:]
    assert got == {
        (a, "规章", "本年制发件数", 0), (a, "规章", "本年废止件数", 0), (a, "规章", "现行有效件数", 0),
        (a, "行政规范性文件", "本年制发件数", 10), (a, "行政规范性文件", "本年废止件数", 5),
        (a, "行政规范性文件", "现行有效件数", 33), (b, "行政许可", "本年处理决定数量", 0),
        (b, "行政处罚", "本年处理决定数量", 44), (b, "行政强制", "本年处理决定数量", 0),
        (b, "行政事业性收费", "本年收费金额", Decimal("0.0")),
    }  # fmt: skip
    chosen = {r.origin: r.chosen for r in result.readings}
    assert chosen == {PAGE: (), first.url: ("二",), second.url: ("二",)}


def test_a_cell_the_best_source_holds_blank_is_not_filled_from_another():
    blank = IMAGE_2A.replace("行政规范性文件  10", "行政规范性文件  /")
    first = AttachmentSource(IMG.format(1), "image/png", "ocr", blank + "\n" + IMAGE_2B)
    second = AttachmentSource(IMG.format(2), "image/png", "ocr", IMAGE_2A)
    result = report_figures(sources(NOTE, first, second))
    assert values(result)[("二", "行政规范性文件", "本年制发件数")] is None
    assert {r.origin for r in result.rows} == {first.url}


def test_a_page_showing_one_table_keeps_it_and_takes_the_rest_from_the_docx(docx):
    partial = f"<html><body><div id='zoomcon'>{pages.SECTION_2}</div></body></html>".encode()
    result = report_figures(sources(partial, docx_attachment(docx)))
    assert origins(result) == {"二": {PAGE}, "三": {DOCX_URL}, "四": {DOCX_URL}}
    assert values(result)[("二", "行政规范性文件", "现行有效件数")] == 27  # the page's number
    checks = {(c.check, c.scope): c.status for c in result.checks}
    assert checks[("T3-b", "总计")] == PASS and checks[("T4", "行政复议")] == PASS


def test_a_doc_is_read_from_the_text_its_extraction_made(docx):
    # LibreOffice turns a DOC into a DOCX and the extraction walks it: the same text as this.
    text = normalize_text(docx_text(docx))
    doc = AttachmentSource("https://www.by.gov.cn/a/2021.doc", "application/msword", "ok", text)
    result = report_figures(sources(NOTE, doc))
    assert {(r.figure.source, r.method, r.figure.confidence) for r in result.rows} == {
        ("docx", "tab_rows", 0.95)
    }
    got = values(result)
    assert {key: got[key] for key in EXPECTED} == EXPECTED


def test_a_file_the_extraction_failed_on_is_not_parsed_again(docx):
    broken = AttachmentSource(DOCX_URL, DOCX, "corrupt", None, docx)
    result = report_figures(sources(NOTE, broken))
    assert [r.origin for r in result.readings] == [PAGE] and result.rows == ()
    assert result.checks == ()  # nothing read: nothing to check, not 42 UNCERTAINs


def test_a_reader_that_fails_costs_its_source_only(docx):
    garbage = AttachmentSource(
        "https://www.by.gov.cn/a/bad.docx", DOCX, "ok", "x", b"PK\x03\x04junk"
    )
    result = report_figures(sources(pages.PAGE_2021.encode(), garbage))
    bad = next(r for r in result.readings if r.origin.endswith("bad.docx"))
    assert bad.error and bad.cells == {} and bad.chosen == ()
    assert origins(result)["三"] == {PAGE}


def test_a_bad_total_fails_on_the_chosen_cells():
    wrong = pages.PAGE_2021.replace(
        "<td>2.重复申请</td>" + pages.tds("2", "0", "0", "0", "0", "0", "0", "2"),
        "<td>2.重复申请</td>" + pages.tds("2", "0", "0", "0", "0", "0", "0", "5"),
    )
    assert wrong != pages.PAGE_2021
    result = report_figures(sources(wrong.encode()))
    failed = {(c.check, c.scope, c.difference) for c in result.checks if c.status == FAIL}
    assert failed == {("T3-c", "三（五）2", 3)}
    checks = {(c.check, c.scope): c for c in result.checks}
    # the 总计 column's sum also needs 3.其他's 总计, printed "/": uncertain, not a FAIL from 0
    assert (checks[("T3-a", "总计")].status, checks[("T3-a", "总计")].missing) == (
        "UNCERTAIN", ("三/三（六）3/总计",),
    )  # fmt: skip
    t3a = checks[("T3-a", "自然人")]
    assert (t3a.status, t3a.left) == (PASS, ("三/三（七）/自然人",))
    assert t3a.right[:2] == ("三/三（一）/自然人", "三/三（二）/自然人") and len(t3a.right) == 21


def test_a_pre2019_page_is_read_as_prose():
    page = (
        "<html><body><p>2017年政府信息公开工作年度报告</p><p>一、概述</p>"
        "<p>2017年，我局全年主动公开政府信息269条。共受理信息公开申请2件。</p></body></html>"
    )
    result = report_figures(ReportSources(page.encode(), None, "pre2019"))
    assert result.template == "pre2019" and result.checks == ()
    assert [(r.figure.row, r.figure.col, r.figure.value, r.method) for r in result.rows] == [
        ("主动公开", "总数", 269, "prose"),
        ("依申请公开", "收到申请", 2, "prose"),
    ]


def test_sources_and_result_travel_to_a_worker_process(docx):
    """What the crawl may hand to a process pool, and what comes back, pickles."""
    given = sources(pages.PAGE_2021.encode(), docx_attachment(docx))
    result = report_figures(given)
    assert pickle.loads(pickle.dumps(given)) == given
    assert pickle.loads(pickle.dumps(result)) == result
