"""Decode once: every text response is read by the cleaning's rule (crawler/cleaning/encoding.py)
before any spider or pipeline sees it, so a header that lies about the charset loses to bytes
that prove otherwise, and the crawl, `clean` and `reclean` read the same text.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.cleaning.encoding import decode_html, header_charset, page_encoding
from crawler.decoding import DecodeOnceMiddleware
from tests.helpers import project_crawler
from tests.local_http import QuietHandler, serving

ROOT = Path(__file__).resolve().parents[2]
TITLE = "广州市白云区人民政府棠景街道办事处2021年政府信息公开工作年度报告"
PAGE = (
    '<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">'
    '<title>{title}</title></head><body><h1>{title}</h1><div id="zoomcon"><p>一、总体情况</p>'
    "<p>本年度主动公开政府信息1200条，朱镕基同志视察时强调依法公开。</p></div></body></html>"
)


@pytest.fixture
def middleware() -> DecodeOnceMiddleware:
    from tests.portals import ByGovCnSpider

    return DecodeOnceMiddleware(project_crawler(ByGovCnSpider))


def served(body: bytes, content_type: str) -> HtmlResponse:
    url = "https://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_8041063.html"
    return HtmlResponse(
        url, body=body, headers={"Content-Type": content_type}, request=Request(url)
    )


def test_a_utf8_page_served_as_gbk_keeps_its_title(middleware) -> None:
    raw = PAGE.format(title=TITLE).encode("utf-8")
    as_scrapy_reads_it = served(raw, "text/html; charset=gbk")
    assert TITLE not in as_scrapy_reads_it.text  # the lie garbles it
    fixed = middleware.process_response(as_scrapy_reads_it.request, as_scrapy_reads_it)
    assert fixed.css('meta[name="ArticleTitle"]::attr(content)').get() == TITLE
    assert fixed.body == raw  # the bytes are kept as they came (provenance)
    assert middleware.stats.get_value("decode/header_overruled") == 1


def test_a_gbk_page_served_as_utf8_follows_its_meta(middleware) -> None:
    page = PAGE.format(title=TITLE).replace('charset="utf-8"', 'charset="gbk"')
    response = served(page.encode("gb18030"), "text/html; charset=utf-8")
    fixed = middleware.process_response(response.request, response)
    assert "朱镕基同志视察时强调依法公开" in fixed.text  # 镕 is outside GB2312: read as gb18030
    assert fixed.css("h1::text").get() == TITLE


def test_an_honest_page_is_left_alone(middleware) -> None:
    response = served(PAGE.format(title=TITLE).encode(), "text/html; charset=utf-8")
    assert middleware.process_response(response.request, response) is response


@settings(max_examples=200)
@given(
    text=st.text(
        alphabet=st.sampled_from("政府信息公开年度报告镕喆€abc<>/ 12\n\u3000"), max_size=300
    ),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
    declared=st.sampled_from(
        [None, "utf-8", "gbk", "gb2312", "gb18030", "big5", "latin-1", "nonsense"]
    ),
    cut=st.integers(min_value=0, max_value=3),
)
def test_the_crawl_reads_exactly_what_decode_html_reads(text, encoding, declared, cut) -> None:
    """Whatever the bytes and the header claim: the spider's text is the cleaner's text."""
    body = f"<html><body><p>{text}</p></body></html>".encode(encoding, errors="replace")
    body = body[: len(body) - cut]  # a body cut mid-character
    content_type = f"text/html; charset={declared}" if declared else "text/html"
    from tests.portals import ByGovCnSpider

    middleware = DecodeOnceMiddleware(project_crawler(ByGovCnSpider))
    response = served(body, content_type)
    read = middleware.process_response(response.request, response)
    assert read.text == decode_html(body, header_charset(content_type))
    if cut == 0 and encoding == "utf-8":
        assert page_encoding(body, header_charset(content_type)) == "utf-8"


# -- end to end: a real crawl over HTTP into an archive ------------------------------------------


class _Portal(QuietHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:
        content_type, body = self.pages.get(self.path, ("text/html", b"<html>404</html>"))
        self.answer(200 if self.path in self.pages else 404, content_type, body)


CRAWL = textwrap.dedent(
    """
    import sys
    from scrapy.crawler import CrawlerProcess
    from crawler.cms.nfcms import NfcmsMixin
    from crawler.portal import PortalSpider
    from crawler.runner import project_settings

    class LocalSpider(NfcmsMixin, PortalSpider):
        name = "local_gov_cn"
        portal_name = "本地"
        allowed_domains = ["127.0.0.1"]
        start_urls = [sys.argv[1]]
        content_selector = "#zoomcon"

    settings = project_settings({"ARCHIVE_PATH": sys.argv[2], "ROBOTSTXT_OBEY": False,
                                 "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                                 "LOG_LEVEL": "WARNING", "ATTACHMENTS_ENABLED": False})
    # This portal is served from loopback, which the fetch policy refuses (as it must for any
    # real portal's link); decoding, not the policy, is under test here.
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    middlewares["crawler.fetchpolicy.FetchPolicyMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(LocalSpider)
    process.start()
    """
)


def test_a_utf8_report_served_as_gbk_is_archived_under_its_true_title(tmp_path) -> None:
    home = '<html><head><meta charset="utf-8"></head><body><a href="/nb/">政府信息公开年报</a></body></html>'
    column = (
        '<html><head><meta charset="utf-8"></head><body><ul><li><a href="/nb/content/post_1.html">'
        f"{TITLE}</a><span>2022-01-24</span></li></ul></body></html>"
    )
    _Portal.pages = {
        "/": ("text/html; charset=utf-8", home.encode()),
        "/nb/": ("text/html; charset=utf-8", column.encode()),
        "/nb/content/post_1.html": ("text/html; charset=gbk", PAGE.format(title=TITLE).encode()),
    }
    archive = tmp_path / "archive.db"
    with serving(_Portal) as url:
        done = subprocess.run(
            [sys.executable, "-c", CRAWL, url, str(archive)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    with sqlite3.connect(archive) as db:
        rows = db.execute("SELECT title, report_year, text FROM reports").fetchall()
    assert len(rows) == 1
    title, year, text = rows[0]
    assert (title, year) == (TITLE, 2021)
    assert "朱镕基同志视察时强调依法公开" in text and "一、总体情况" in text
