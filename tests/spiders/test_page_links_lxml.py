"""discovery.page_links reads anchors through lxml: the links are those parsel's
css("a[href]") / attrib / css("::text") gave, on real pages and on any markup."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from crawler import discovery
from crawler.titles import squash

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(p for p in FIXTURES.rglob("*.htm*") if p.is_file())
BASE = "https://www.zc.gov.cn/gk/zfxxgk/index.html"


def parsel_links(page: Selector, base_url: str) -> list[tuple[str, str]]:
    """What page_links gave when it read the page through parsel."""
    seen: dict[str, str] = {}
    for anchor in page.css("a[href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.lower().startswith(discovery._NOT_PAGE_SCHEMES):
            continue
        url = discovery.absolute(base_url, href)
        if url is None or url in seen:
            continue
        seen[url] = squash(anchor.attrib.get("title") or " ".join(anchor.css("::text").getall()))
    return list(seen.items())


def links(page: Selector) -> list[tuple[str, str]]:
    return [(link.url, link.text) for link in discovery.page_links(page, BASE)]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_real_pages_links_are_those_parsel_read(path: Path) -> None:
    page = Selector(text=path.read_bytes().decode("utf-8", "replace"))
    assert links(page) == parsel_links(page, BASE)


def test_title_wins_over_text_and_nested_text_is_joined() -> None:
    page = Selector(
        text='<a href="nb/2023.html" title=" 2023年 年报 ">x</a>'
        '<a href="nb/2022.html"><span>2022年</span> <b>年报</b></a><a href="#top">顶部</a>'
        '<a href="javascript:void(0)">打印</a><a>无链接</a>'
    )
    assert links(page) == [  # a same-page anchor, a script and no href lead nowhere
        ("https://www.zc.gov.cn/gk/zfxxgk/nb/2023.html", "2023年年报"),
        ("https://www.zc.gov.cn/gk/zfxxgk/nb/2022.html", "2022年年报"),
    ]
    assert links(page) == parsel_links(page, BASE)


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["nb/1.html", " ../2.htm ", "#x", "mailto:a@b", "//h.cn/3", "", "?p=2"]
            ),
            st.one_of(st.none(), st.text(alphabet="年报 \t", max_size=5)),
            st.text(alphabet="年报<>& \n", max_size=6),
        ),
        max_size=6,
    )
)
def test_any_anchors_give_parsels_links(anchors: list[tuple[str, str | None, str]]) -> None:
    html = "".join(
        f'<a href="{escape(href)}"'
        + (f' title="{escape(title)}"' if title is not None else "")
        + f"><i>{escape(text)}</i></a>"
        for href, title, text in anchors
    )
    page = Selector(text=f"<html><body>{html}</body></html>")
    assert links(page) == parsel_links(page, BASE)
