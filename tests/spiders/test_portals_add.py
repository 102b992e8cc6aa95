"""`govreports portals add`: the CMS fingerprint, the division code from the 网站标识码, the place
from SiteName, read off saved real pages (tests/fixtures/) and a generated portal's home page;
the command with a saved page prints a row that portals.toml accepts."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from crawler.cli import main
from crawler.registry import spider_class
from crawler.registry.propose import division_code, fingerprint, proposed_row, row_toml
from crawler.registry.rows import row_from_dict
from tests.helpers import FIXTURES


def page(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8", errors="replace")


@pytest.mark.parametrize(
    ("name", "cms", "division", "place"),
    [
        ("by_gov_cn/root_index.html", "nfcms", "440111", ("广州市白云区", "广州市", "白云区")),
        ("haizhu_gov_cn/jd_index.html", "nfcms", "440105", ("广州市海珠区", "广州市", "海珠区")),
        # a gkmlpt shell carries no 网站标识码: the row says 000000 until a person fills it in
        ("by_gov_cn/gkmlpt_index.html", "nfcms", None, ("广州市白云区", "广州市", "白云区")),
        # 曲阜市人民政府 names no prefecture: the division code 370881 gives 济宁市
        ("qufu_gov_cn/col15260.html", "hanweb", "370881", ("曲阜市", "济宁市", "曲阜市")),
        # a TRS channel page shows no TRS mark: `portals add` then tries the page's own links
        ("qzlc_gov_cn/bm.htm", "generic", "350502", ("泉州市鲤城区", "泉州市", "鲤城区")),
        ("qzlc_gov_cn/qzfndbg_index.htm", "trs", "350502", ("泉州市鲤城区", "泉州市", "鲤城区")),
    ],
)
def test_a_saved_page_gives_family_division_and_place(name, cms, division, place) -> None:
    html = page(name)
    assert (fingerprint(html), division_code(html)) == (cms, division)
    row = proposed_row("https://www.example.gov.cn/zwgk/", html, cms)
    assert (row.name, row.city, row.district) == place
    assert (row.host, row.entry, row.division) == (
        "www.example.gov.cn",
        ("https://www.example.gov.cn/",),
        division or "000000",
    )


def test_the_footer_gives_the_code_when_no_meta_tag_does() -> None:
    footer = "<div>主办：某某区人民政府 网站标识码：3708810001 鲁ICP备05003377号</div>"
    assert division_code(footer) == "370881"
    assert division_code("<p>网站标识码：<span>4401180001</span></p>") == "440118"
    assert division_code("<p>no code here 12345678901</p>") is None


def test_the_printed_row_reads_back_as_the_same_row() -> None:
    row = proposed_row("https://www.by.gov.cn/", page("by_gov_cn/root_index.html"), "nfcms")
    again = row_from_dict(tomllib.loads(row_toml(row))["portal"][0], "printed")
    assert again.as_dict() == row.as_dict()
    assert spider_class(again).start_urls == ["https://www.by.gov.cn/"]


def test_portals_add_from_a_saved_page_prints_the_row(tmp_path) -> None:
    saved = tmp_path / "home.html"
    saved.write_text(page("by_gov_cn/root_index.html"), "utf-8")
    result = CliRunner().invoke(
        main, ["portals", "add", "https://www.by.gov.cn/", "--from-file", str(saved)]
    )
    assert result.exit_code == 0, result.output
    assert "# proposed row: check it, then append it to portals.toml" in result.output
    rows = tomllib.loads(result.output.split("# columns listing")[0])["portal"]
    assert rows == [
        {
            "host": "www.by.gov.cn",
            "name": "广州市白云区",
            "division": "440111",
            "cms": "nfcms",
            "entry": ["https://www.by.gov.cn/"],
            "city": "广州市",
            "district": "白云区",
        }
    ]
    bad = CliRunner().invoke(main, ["portals", "add", "www.by.gov.cn"])
    assert (bad.exit_code, bad.output) == (2, "govreports: 'www.by.gov.cn' is not an http(s) URL\n")


@given(st.text())
def test_fingerprint_and_division_code_take_any_text(html: str) -> None:
    assert fingerprint(html) in ("nfcms", "trs", "hanweb", "generic")
    code = division_code(html)
    assert code is None or (len(code) == 6 and code.isdigit())
