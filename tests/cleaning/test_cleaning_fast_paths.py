"""Cleaning's shortcuts give exactly what the general paths give: cell_text's for Word's
paragraph cells (the oracle is cell_text as it was: text_content() for a cell without block
elements, else the lines element_lines reads, joined as one value), the pre-checks before the
page-break and hidden-style patterns, and is_layout_table's row-length shortcut."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from crawler.cleaning.html import BLOCK_TAGS, cell_text, collapse, element_lines, is_cjk

WORDS = st.sampled_from(
    ["12", "0", "收到申请数", "（一）", "合计", "a b", "\n", " ", "\t", "\u00a0", "&nbsp;", "\u3000",
     "第一段\n第二段", "x\ny", "", "&lt;1&gt;"]
)  # fmt: skip
STYLES = st.sampled_from(
    ["", ' style="font-size:10.5pt"', ' style="page-break-before:always"',
     ' style="PAGE-BREAK-AFTER: always"', ' style="break-after:page"', ' style="BREAK"']
)  # fmt: skip


@st.composite
def inline(draw, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["text", "span", "a", "op", "comment"] if depth < 3 else ["text"]))
    if kind == "text":
        return draw(WORDS)
    if kind == "comment":
        return f"<!--{draw(WORDS)}-->{draw(WORDS)}"
    if kind == "op":
        return f"<o:p>{draw(WORDS)}</o:p>"
    tag = "span" if kind == "span" else "a"
    inner = "".join(draw(st.lists(inline(depth + 1), max_size=3)))
    return f"<{tag}{draw(STYLES)}>{inner}</{tag}>{draw(WORDS)}"


@st.composite
def cell_child(draw, depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(["inline", "p", "div", "br", "nested"] if depth < 2 else ["inline"])
    )
    if kind == "inline":
        return draw(inline())
    if kind == "br":
        return f"<br{draw(STYLES)}>{draw(WORDS)}"
    inner = "".join(
        draw(st.lists(cell_child(depth + 1) if kind == "nested" else inline(), max_size=3))
    )
    tag = "div" if kind == "nested" else kind
    return f"<{tag}{draw(STYLES)}>{inner}</{tag}>{draw(WORDS)}"


@st.composite
def paragraph(draw) -> str:
    inner = "".join(draw(st.lists(inline(), max_size=3)))
    tag = draw(st.sampled_from(["p", "div", "h3"]))
    return f"<{tag}>{inner}</{tag}>{draw(WORDS)}"


# Any mix of blocks, and (most often) Word's shape: paragraphs and inline soup side by side.
CELLS = st.lists(cell_child(), max_size=4).map("".join) | st.lists(
    paragraph() | inline(), max_size=4
).map("".join)


def walked_cell_text(cell: etree._Element) -> str:
    if not any(
        isinstance(el.tag, str) and (el.tag in BLOCK_TAGS or el.tag == "br")
        for el in cell.iterdescendants()
    ):
        return collapse(cell.text_content()).replace("\t", " ")
    text = ""
    for line in element_lines(cell):
        if line.text == "\f":
            continue
        part = line.text.replace("\t", " ")
        if text and not (is_cjk(text[-1]) or is_cjk(part[0])):
            text += " "
        text += part
    return text


def parse_cell(inner: str) -> etree._Element:
    page = lxml.html.document_fromstring(f"<table><tr><td>{inner}</td><td>x</td></tr></table>")
    return page.find(".//td")


@settings(max_examples=400, deadline=None)
@given(CELLS)
def test_cell_text_equals_the_general_walk(inner: str) -> None:
    cell = parse_cell(inner)
    assert cell_text(cell) == walked_cell_text(cell)


def test_word_paragraph_cell_reads_its_number() -> None:
    cell = parse_cell(
        '<p class="MsoNormal" align="center"><span lang="EN-US" style="font-size:10.5pt">'
        "12<o:p></o:p></span></p>"
    )
    assert cell_text(cell) == "12"
    assert walked_cell_text(cell) == "12"


def test_word_cell_split_in_two_paragraphs_joins_without_space_between_chinese() -> None:
    cell = parse_cell("<p><span>收到申请</span></p>\n<p><span>数</span></p>")
    assert cell_text(cell) == "收到申请数"
    cell = parse_cell("<p>a</p><p>b</p>")
    assert cell_text(cell) == "a b"


def test_page_break_inside_a_paragraph_cell_still_cuts_it() -> None:
    cell = parse_cell('<p>ab<span style="page-break-before:always">cd</span></p>')
    assert cell_text(cell) == "ab cd"
    assert cell_text(parse_cell("<p>ab<span>cd</span></p>")) == "abcd"


def table(*rows: list[str]) -> etree._Element:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return lxml.html.document_fromstring(f"<table>{cells}</table>").find(".//table")


def test_a_paragraph_long_cell_makes_a_layout_table_a_long_row_of_short_cells_does_not() -> None:
    from crawler.cleaning.html import is_layout_table

    long_row = ["收到申请数" * 50, "一" * 250, "12"]  # 250 + 250 + 2 characters: 502 in the row
    assert not is_layout_table(table(["项目", "数量", "备注"], long_row))
    assert is_layout_table(table(["项目", "数量"], ["本机关" * 134, "1"]))  # 402 in one cell
    spaced = "本机关 \n " * 100  # 700 raw characters, 300 once the source's wraps collapse
    assert not is_layout_table(table(["项目", "数量"], [spaced, "1"]))


# Style words, with the letters whose case-insensitive match takes more than their ASCII pair
# (Kelvin sign, long s, dotted and dotless i).
KEYS = [
    "display",
    "DISPLAY",
    "Dİsplay",
    "diſplay",
    "visibility",
    "vısıbılıty",
    "VISIBILITY",
    "page-break-before",
    "PAGE-BREAK-AFTER",
    "brea\u212a-after",
    "break-before",
    "x",
]
VALUES = ["none", "NONE", "hidden", "HIDDEN", "hİdden", "hıdden", "always", "page", "block"]
JUNK = st.sampled_from(["", "font-size:10pt;", "mso-x:1; ", "border:none;", " "])
SPACE = st.sampled_from(["", " ", "\t", "\n "])
STYLE_TEXT = st.builds(
    lambda before, key, s1, s2, value, after: f"{before}{key}{s1}:{s2}{value}{after}",
    JUNK, st.sampled_from(KEYS), SPACE, SPACE, st.sampled_from(VALUES), JUNK,
)  # fmt: skip


@given(STYLE_TEXT)
def test_the_page_break_pre_check_never_hides_a_match(style: str) -> None:
    from crawler.cleaning.html import _PAGE_BREAK

    if _PAGE_BREAK.search(style):
        assert "break" in style.lower()


@given(STYLE_TEXT)
def test_the_hidden_style_pre_check_never_hides_a_match(style: str) -> None:
    from crawler.cleaning.chrome import _HIDDEN_STYLE, _may_hide

    if _HIDDEN_STYLE.search(style):
        assert _may_hide(style.lower())


def test_hidden_and_page_break_styles_are_still_read() -> None:
    from crawler.cleaning.chrome import _is_widget, prune
    from crawler.cleaning.html import element_lines

    page = lxml.html.document_fromstring(
        '<div><p>甲</p><p style="PAGE-BREAK-before: always">乙</p>'
        '<span style="Display : NONE">隐藏</span><span style="color:red">丙</span></div>'
    )
    assert [_is_widget(span) for span in page.findall(".//span")] == [True, False]
    div = prune(page.find(".//div"))
    assert [line.text for line in element_lines(div)] == ["甲", "\f", "乙", "丙"]
