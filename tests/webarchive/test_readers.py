"""The web-archive readers on hostile bytes: the replay's link rewriting and the gzip member
walk that `govreports verify` relies on."""

from __future__ import annotations

import gzip
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from crawler.webarchive.records import DamagedMember, members
from crawler.webarchive.replay import rewrite_links

PAGE = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_8795418.html"


def test_every_kind_of_link_is_taken_into_the_replay() -> None:
    html = (
        '<a href="/attachment/8/8795/8795140/8795418.doc">附件</a>'
        "<img src='../images/logo.png'>"
        '<a href="https://beian.miit.gov.cn/">备案</a>'
        '<script src="//slhsrv.southcn.com/wza/aria.js"></script>'
        '<a href="javascript:doZoom(18)">大</a><a href="#top">顶部</a>'
        '<form action="search.jsp"></form><a href="http://[">坏</a>'
    ).encode()
    assert rewrite_links(html, PAGE).decode() == (
        '<a href="/web/https://www.zc.gov.cn/attachment/8/8795/8795140/8795418.doc">附件</a>'
        "<img src='/web/https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/images/logo.png'>"
        '<a href="/web/https://beian.miit.gov.cn/">备案</a>'
        '<script src="/web/https://slhsrv.southcn.com/wza/aria.js"></script>'
        '<a href="javascript:doZoom(18)">大</a><a href="#top">顶部</a>'
        '<form action="/web/https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/search.jsp"></form>'
        '<a href="/web/http://[">坏</a>'
    )


@given(st.binary(max_size=400), st.text(max_size=60))
def test_any_page_bytes_are_rewritten_without_error_and_no_link_leaves(data, value) -> None:
    data = data.replace(b'"', b"").replace(b"'", b"")  # no quote may open an attribute early
    html = data + f'<a href="{value}">x</a>'.encode("utf-8", "replace")
    out = rewrite_links(html, PAGE)
    for link in re.findall(rb'href="([^"]*)"', out[len(rewrite_links(data, PAGE)) :]):
        assert (
            link.startswith(b"/web/")
            or link == b""
            or link.startswith((b"#", b"javascript:", b"data:", b"mailto:"))
        )


def test_a_damaged_member_is_named_and_the_walk_resumes_at_the_next() -> None:
    first, second, third = (gzip.compress(t.encode() * 50) for t in ("一", "二", "三"))
    damaged = bytearray(second)
    damaged[len(damaged) // 2] ^= 0xFF
    walked = list(members(io.BytesIO(first + bytes(damaged) + third)))
    assert [offset for offset, _ in walked] == [0, len(first), len(first) + len(second)]
    assert walked[0][1] == first and walked[2][1] == third
    assert isinstance(walked[1][1], DamagedMember)


@given(st.binary(max_size=2000))
def test_any_file_bytes_are_walked_to_the_end_without_raising(data) -> None:
    offsets = [offset for offset, _ in members(io.BytesIO(data))]
    assert offsets == sorted(set(offsets)) and all(0 <= o < len(data) for o in offsets)
