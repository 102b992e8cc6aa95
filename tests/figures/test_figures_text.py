"""Text sources: TAB rows of cleaned text (a merged label leaves "" behind it, a trailing blank
is dropped) and the words of a PDF text layer or OCR."""

from __future__ import annotations

from crawler.figures import figures_from_text

HEADER = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n"
    "\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
    "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
)


def values(text: str) -> dict:
    return {f.key: f.value for f in figures_from_text(text, hint="2021").figures}


def test_cleaned_text_rows_with_merge_fillers():
    text = HEADER + (
        "一、本年新收政府信息公开申请数量\t\t\t5\t1\t0\t0\t0\t0\t6\n"
        "三、本年度办理结果\t（一）予以公开\t\t3\t0\t0\t0\t0\t0\t3\n"
        "\t（三）不予公开\t1.属于国家秘密\t0\t/\t0\t0\t0\t0\t0\n"
    )
    got = values(text)
    assert got[("三", "一", "自然人")] == 5 and got[("三", "一", "总计")] == 6
    assert got[("三", "三（一）", "自然人")] == 3
    assert got[("三", "三（三）1", "商业企业")] is None


def test_a_row_whose_alignment_is_ambiguous_is_skipped_and_noted():
    # Two fillers after the label and a dropped trailing blank: 6 numbers, 7 columns. Reading
    # them left to right would put 其他's number under 总计: skip it instead.
    text = HEADER + "一、本年新收政府信息公开申请数量\t\t\t\t1\t0\t0\t0\t0\n"
    got = figures_from_text(text, hint="2021")
    assert [f for f in got.figures if f.row == "一"] == []
    assert got.notes == ["三: 一: 8 cells for 7 columns"]


def test_pdf_like_words_with_wrapped_labels():
    text = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n"
        "规章 0 0 0\n行政规范性\n文件 3 1 27\n- 2 -\n第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 1286\n"
        "(四) 无\n法提供 1.本机关不掌握相关政府\n信息 9 1 0 0 0 1 11\n"
        "(六)其他处\n理\n3．其他\n1 0 0 0 0 0 1\n"
    )
    got = {f.key: f.value for f in figures_from_text(text, source="pdf").figures}
    assert got[("二", "行政规范性文件", "现行有效件数")] == 27
    assert got[("二", "行政许可", "本年处理决定数量")] == 1286
    assert got[("三", "三（四）1", "总计")] == 11  # "无" on its own line is part of the label
    assert got[("三", "三（六）3", "自然人")] == 1


def test_ocr_reads_a_lone_gong_as_one_and_a_lone_o_as_zero():
    text = (
        "行政复议\t行政诉讼\n未经复议直接起诉\t复议后起诉\n"
        "结果维持 结果纠正 其他结果 尚未审结 总计\n"
        "0\t0\t0\t工\t工\t0\t0\tO\t0\t0\t0\t0\t0\t0\t0\n"
    )
    got = figures_from_text(text, hint="2021", source="ocr")
    cells = {f.key: f.value for f in got.figures}
    assert cells[("四", "行政复议", "尚未审结")] == 1 and cells[("四", "行政复议", "总计")] == 1
    assert cells[("四", "未经复议直接起诉", "其他结果")] == 0
    assert {f.confidence for f in got.figures} == {0.6}
