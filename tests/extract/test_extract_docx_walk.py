"""The DOCX walk on what Word and python-docx write: vertical merges, runs, tab stops."""

from __future__ import annotations

import io

import docx

from crawler.extract.docx import docx_text


def _report_with_vertical_merge() -> bytes:
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("三、本年度办理结果", "（一）予以公开", "20"),
        ("", "（二）部分公开", "4"),
        ("", "（三）不予公开", "0"),
    ]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if text:
                table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(2, 0))  # one label down three rows: w:vMerge
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(docx.shared.Cm(4))
    paragraph.add_run("联系电话：")
    paragraph.add_run("020-36686111")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_vertically_merged_label_comes_once_and_runs_join():
    data = _report_with_vertical_merge()
    assert docx_text(data).splitlines() == [
        "三、收到和处理政府信息公开申请情况",
        "三、本年度办理结果\t（一）予以公开\t20",
        "（二）部分公开\t4",
        "（三）不予公开\t0",
        "联系电话：020-36686111",  # the tab-stop definition in w:pPr is not a tab
    ]


def test_python_docx_cells_repeat_the_merged_label():
    # Why the walk exists: the naive reading gives the label three times.
    table = docx.Document(io.BytesIO(_report_with_vertical_merge())).tables[0]
    naive = ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    assert naive[2] == "三、本年度办理结果\t（三）不予公开\t0"
