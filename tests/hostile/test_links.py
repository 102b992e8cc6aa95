"""Links a page offers that cannot or must not be fetched are counted, never silently dropped:
a report entry whose href is script (HTML list, JSON list) is a `link not_http` skip; an
attachment or body image on file:, javascript: or an internal host reaches fetch_attachment,
where the fetch policy refuses it by reason (tests/hostile/test_redteam.py crawls both)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request, TextResponse

from crawler import discovery
from crawler.health import skips
from spiders.haizhu_gov_cn import HaizhuGovCnSpider
from tests.helpers import project_crawler

COLUMN = "https://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/"
POST = COLUMN + "content/post_10901672.html"
TITLE = "广州市海珠区南华西街道2024年政府信息公开工作年度报告"


def spider():
    crawler = project_crawler(HaizhuGovCnSpider)
    return crawler.spider, crawler.stats


def page(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_script_copies_of_a_report_entry_are_counted_skips_and_the_entry_kept() -> None:
    haizhu, stats = spider()
    listing = page(
        COLUMN,
        f'<ul><li><a href="javascript:void(0)//{POST}">{TITLE}</a></li>'
        f"<li><a href=\"javascript:window.open('{POST}')\">{TITLE}</a></li>"
        f'<li><a href="{POST}">{TITLE}</a></li>'
        '<li><a href="javascript:void(0)">首页</a></li></ul>',  # names no post: not an entry
    )
    entries = list(haizhu.list_entries(listing))
    assert [(e.url, e.title) for e in entries] == [(POST, TITLE)]
    # `window.open('…post_1.html')` ends in `')`: by the URL grammar it names no post at all
    assert stats.get_value("portal/link_skipped/not_http") == 1
    assert skips(stats.get_stats()) == {"link not_http": 1}


def test_script_urls_in_a_json_list_are_counted_skips() -> None:
    haizhu, stats = spider()
    articles = [
        {"title": TITLE, "url": "javascript:void(0)"},
        {"title": TITLE, "url": f"javascript:void(0)//{POST}"},
        {"title": TITLE, "url": POST},
    ]
    url = "https://www.haizhu.gov.cn/postmeta/i/2891.json"
    response = TextResponse(url, body=json.dumps({"articles": articles}).encode(), encoding="utf-8")
    entries = haizhu.json_entries({"articles": articles}, response)
    assert [e.url for e in entries] == [POST]
    assert stats.get_value("portal/link_skipped/not_http") == 2


def test_file_and_script_attachments_reach_the_fetch_policy_instead_of_vanishing() -> None:
    haizhu, _ = spider()
    body = (
        '<div id="zoomcon"><p>正文'
        '<a href="file:///etc/passwd?x.pdf">附件1.pdf</a>'
        '<a href="http://127.0.0.2/secret.pdf">附件2.pdf</a>'
        '<a href="javascript:void(0)//附件.pdf">附件.pdf</a>'
        '<a href="/attachment/0/1/1/1.pdf">年报.pdf</a>'
        '<img src="file:///etc/os-release"><img src="javascript:alert(1)">'
        '<img src="data:image/png;base64,iVBORw0KGgo="><img src="/img/1.png"></p></div>'
    )
    report = page(POST, f"<html><body>{body}</body></html>")
    assert haizhu.attachment_links(report) == [
        ("file:///etc/passwd?x.pdf", "附件1.pdf"),
        ("http://127.0.0.2/secret.pdf", "附件2.pdf"),
        ("javascript:void(0)//附件.pdf", "附件.pdf"),
        ("https://www.haizhu.gov.cn/attachment/0/1/1/1.pdf", "年报.pdf"),
    ]
    images = [url for url, _ in haizhu.body_images(report)]
    # data: images are in the page already; every other source is recorded with its reason
    assert images == [
        "file:///etc/os-release",
        "javascript:alert(1)",
        "https://www.haizhu.gov.cn/img/1.png",
    ]


@given(href=st.text(max_size=60))
def test_resolve_never_raises_and_absolute_is_resolve_restricted_to_the_web(href: str) -> None:
    resolved = discovery.resolve(POST, href)
    web = discovery.absolute(POST, href)
    assert web == (resolved if resolved is not None and discovery.is_web_url(resolved) else None)
    if resolved is not None:
        assert "#" not in resolved  # the fragment dropped
