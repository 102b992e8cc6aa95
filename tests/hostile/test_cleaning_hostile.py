"""The cleaner on hostile pages: a real theme's page (tests/fixtures/cleaning/) with control
characters after a comment, NUL bytes, nesting past libxml2's depth limit, broken encodings,
plus properties over generated markup: clean_html and normalize_text never raise, and what they
return holds no character XML forbids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.cleaning import clean_html, normalize_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cleaning"
PAGE = (FIXTURES / "zc_gov_cn.html").read_bytes()
EXPECTED = (FIXTURES / "zc_gov_cn.expected.txt").read_text("utf-8").rstrip("\n")
TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
SENTENCE = "本报告是根据《中华人民共和国政府信息公开条例》的规定"
CONTROL = b"\x00\x01\x02\x03\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f"
# What no cleaned text may hold: XML-incompatible characters (NUL, C0 controls but TAB and LF).
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def fixture(name: str) -> tuple[bytes, str]:
    expected = (FIXTURES / f"{name}.expected.txt").read_text("utf-8").rstrip("\n")
    return (FIXTURES / f"{name}.html").read_bytes(), expected


@pytest.mark.parametrize(
    ("name", "selector"),
    [
        ("qufu_gov_cn", "<!--ZJEG_RSS.content.begin-->"),  # its three comments as they are
        ("qufu_gov_cn", None),
        ("zc_gov_cn", "#zoomcon"),  # a comment put in front of the body
        ("zc_gov_cn", None),
    ],
)
def test_control_characters_after_a_comment_change_nothing(name: str, selector) -> None:
    page, expected = fixture(name)
    if b"-->" not in page:
        page = page.replace(b"<p", b"<!-- x --><p", 1)
    hostile = page.replace(b"-->", b"-->" + CONTROL)
    cleaned = clean_html(hostile, content_selector=selector)
    assert cleaned.text == expected
    assert cleaned.degraded is None
    assert cleaned.method == ("selector" if selector else "fallback")


def test_nul_bytes_inside_paragraphs_change_nothing() -> None:
    hostile = PAGE.replace(b"<p>", b"<p>\x00", 5).replace("朱村".encode(), "朱\x00村".encode(), 3)
    assert clean_html(hostile, content_selector="#zoomcon").text == EXPECTED


def test_a_page_nested_past_the_parser_limit_is_read_as_text_with_nothing_lost() -> None:
    deep = (
        "<html><head><title>" + TITLE + "</title></head><body><div class='nav'>首页</div>"
        "<div id='zoomcon'>" + "<div>" * 200_000 + f"<p>{SENTENCE}，主动公开政府信息312条。</p>"
        "<p>一、总体情况</p>" + "</div>" * 200_000 + "</div></body></html>"
    ).encode()
    cleaned = clean_html(deep, content_selector="#zoomcon")
    assert cleaned.degraded == "parser_limit"
    assert cleaned.method == "text"
    # as text, the page's menu stays (首页): degraded, but no sentence of the report is lost
    assert cleaned.text == f"{TITLE}\n首页\n{SENTENCE}，主动公开政府信息312条。\n一、总体情况"
    assert cleaned.sections == ["一、总体情况"]


def test_broken_encodings_keep_the_readable_text() -> None:
    gbk = f"<html><body><div id='zoomcon'><p>{SENTENCE}。</p></div></body></html>".encode("gbk")
    broken = gbk.replace(b"<p>", b"<p>\xff\xfe\x80", 1)  # bytes no charset reads
    cleaned = clean_html(broken, content_selector="#zoomcon", encoding="x-no-such-charset")
    assert SENTENCE in cleaned.text
    utf8 = PAGE.replace(b"<p>", b"<p>\xed\xa0\x80\xc3\x28", 2)  # a UTF-8 surrogate, a bad pair
    assert SENTENCE in clean_html(utf8, content_selector="#zoomcon").text


def test_a_str_with_lone_surrogates_is_cleaned_without_them() -> None:
    cleaned = clean_html(f"<div id='z'><p>\ud800{SENTENCE}\udfff</p></div>", content_selector="#z")
    assert cleaned.text == SENTENCE


# --- properties ---------------------------------------------------------------------------------
FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div id='zoomcon'>",
        "</div>",
        "<table><tr><td colspan='999999999'>",
        "<td rowspan='-5'>",
        "</td></tr></table>",
        "<!--",
        "-->",
        "<!-- x -->",
        "<![CDATA[",
        "]]>",
        "<?xml version='1.0' encoding='bogus'?>",
        "<meta charset='utf-7'>",
        "<meta name='ArticleTitle' content='\x00'>",
        "<br>",
        "<font size=4>",
        "<span style='page-break-before:always'>",
        "<script>",
        "</script>",
        "&nbsp;",
        "&#0;",
        "&#xd800;",
        "&#1114112;",
        "一、总体情况",
        "主动公开政府信息312条。",
        "\x00",
        "\x01\x0b\x0c\x1b",
        "\ufeff",
        "\u3000",
        "\r\n",
        "<!--ZJEG_RSS.content.begin-->",
        "<!--ZJEG_RSS.content.end-->",
        "<h1>",
        "</h1>",
        "<a href='javascript:void(0)'>",
        "</a>",
    ]
)
MARKUP = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=60).map("".join)
SELECTORS = st.sampled_from(
    ["#zoomcon", "div", None, "//div[@id='zoomcon']", "//div[", "<!--ZJEG_RSS.content.begin-->"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup=MARKUP, selector=SELECTORS, title=st.one_of(st.none(), st.text(max_size=30)))
def test_clean_html_never_raises_on_markup(markup: str, selector, title) -> None:
    for page in (markup, markup.encode("utf-8", "surrogatepass")):
        cleaned = clean_html(page, content_selector=selector, title=title)
        assert isinstance(cleaned.text, str)
        assert not FORBIDDEN.search(cleaned.text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "gb2312", "utf-8", "bogus", "utf-16"]))
def test_clean_html_never_raises_on_bytes(body: bytes, declared) -> None:
    cleaned = clean_html(body, content_selector="#zoomcon", encoding=declared)
    assert not FORBIDDEN.search(cleaned.text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_normalize_text_never_raises_and_leaves_no_blank_lines_or_controls(text: str) -> None:
    out = normalize_text(text)
    assert "\r" not in out and "\x00" not in out
    assert all(line.strip(" \t") for line in out.split("\n")) or out == ""
