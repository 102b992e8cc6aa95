"""A spider's page text (the 发布机构 / 发布日期 / 来源 labels are read from it) is the text nodes
of a CSS scope joined as parsel's css("SCOPE ::text") gives them, read once per response."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from crawler.portal import PortalSpider, html_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(p for p in FIXTURES.rglob("*.htm*") if p.is_file())


def parsel_text(response: HtmlResponse, css: str) -> str:
    return " ".join(t.strip() for t in html_of(response).css(f"{css} ::text").getall() if t.strip())


def page_text(response: HtmlResponse, css: str = "body") -> str:
    return PortalSpider.page_text(PortalSpider.__new__(PortalSpider), response, css)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_real_pages_text_is_parsels_in_every_scope(path: Path) -> None:
    response = HtmlResponse("https://www.zc.gov.cn/a.html", body=path.read_bytes())
    for css in ("body", "#zoomcon", "div.content", "table td"):
        assert page_text(response, css) == parsel_text(response, css)


def test_the_labels_a_spider_reads_are_in_the_text_and_the_script_is_too() -> None:
    body = (
        "<html><body><div>发布机构：<span>广州市增城区朱村街道办事处</span></div>"
        "<script>var a = 1;</script><!-- 注释 --><p> 时间:2023-01-10 09:04 </p></body></html>"
    ).encode()
    response = HtmlResponse("https://www.zc.gov.cn/a.html", body=body, encoding="utf-8")
    assert (
        page_text(response)
        == "发布机构： 广州市增城区朱村街道办事处 var a = 1; 时间:2023-01-10 09:04"
    )
    assert page_text(response) is page_text(response)  # joined once per response


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["div", "p", "span", "td", "script", "b"]),
            st.text(alphabet="发布机构：12 \n\t<&>ab", max_size=12),
        ),
        max_size=8,
    )
)
def test_any_markup_gives_parsels_text(parts: list[tuple[str, str]]) -> None:
    from html import escape

    inner = "".join(f"<{tag}>{escape(text)}</{tag}>" for tag, text in parts)
    response = HtmlResponse(
        "https://www.zc.gov.cn/a.html", body=f"<html><body>{inner}</body></html>".encode()
    )
    assert page_text(response) == parsel_text(response, "body")
