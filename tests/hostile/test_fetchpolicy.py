"""The fetch policy as rules (pure functions) and as middlewares (called directly, no network):
every scheme, site and address rule, in every notation an attacker may write an address in."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler import fetchpolicy
from crawler.fetchpolicy import (
    FetchPolicy,
    FetchPolicyMiddleware,
    LocalFileRefused,
    LoopbackRefused,
    OffsiteRefused,
    PrivateAddressRefused,
    RedirectLoop,
    RedirectPolicyMiddleware,
    SchemeRefused,
    TooManyRedirects,
    address_reason,
    hosts_file_map,
    ip_literal,
)
from tests.helpers import project_crawler
from tests.portals import ByGovCnSpider, ZcGovCnSpider

ZC = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5646102.html"
POLICY = FetchPolicy(["zc.gov.cn", "zengcheng.gov.cn"], {"intranet.zc.gov.cn": ["10.1.2.3"]})


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (ZC, None),
        ("http://zc.gov.cn/x.pdf", None),
        ("https://WWW.ZC.GOV.CN./gk/a.pdf", None),  # case and the trailing dot of a FQDN
        ("https://www.zengcheng.gov.cn/a.html", None),
        ("file:///etc/passwd?x.pdf", "file"),
        ("FILE:///etc/os-release", "file"),
        ("file://localhost/etc/passwd", "file"),
        ("file:///C:/Users/ADMINI~1/AppData/Local/Temp/ksohtml/wps1.png", "scheme"),
        ("javascript:void(0)//x.pdf", "scheme"),
        ("data:application/pdf;base64,JVBERi0=", "scheme"),
        ("ftp://www.zc.gov.cn/a.pdf", "scheme"),
        ("gopher://127.0.0.1:25/", "scheme"),
        ("http://[::1", "scheme"),  # not a URL at all
        ("http:///nohost", "scheme"),
        ("http://127.0.0.2/secret.pdf", "loopback"),
        ("http://127.1/x.pdf", "loopback"),
        ("http://2130706433/x.pdf", "loopback"),
        ("http://0x7f.0.0.1/x.pdf", "loopback"),
        ("http://017700000001/x.pdf", "loopback"),
        ("http://[::1]/x.pdf", "loopback"),
        ("http://[::ffff:127.0.0.1]/x.pdf", "loopback"),
        ("http://localhost/admin.pdf", "loopback"),
        ("http://LOCALHOST./admin.pdf", "loopback"),
        ("http://www.zc.gov.cn.localhost/a.pdf", "loopback"),
        ("http://10.0.0.1/internal.pdf", "private"),
        ("http://172.16.5.4/x", "private"),
        ("http://192.168.1.1:8080/x", "private"),
        ("http://[fd00::1]/x", "private"),
        ("http://intranet.zc.gov.cn/a.pdf", "private"),  # the hosts file maps it to 10.1.2.3
        ("http://169.254.169.254/latest/meta-data/", "link_local"),
        ("http://[fe80::1]/x", "link_local"),
        ("http://224.0.0.1/x", "multicast"),
        ("http://0.0.0.0/x", "reserved"),
        ("http://240.0.0.1/x", "reserved"),
        ("http://100.64.0.1/x", "reserved"),  # carrier-grade NAT: not global
        ("https://www.evil.example/offsite.pdf", "offsite"),
        ("https://zc.gov.cn.evil.example/x", "offsite"),
        ("https://evilzc.gov.cn/x", "offsite"),
        ("http://8.8.8.8/x", "offsite"),  # a public address is still not the portal
    ],
)
def test_url_reasons(url: str, reason: str | None) -> None:
    assert POLICY.url_reason(url) == reason


def test_a_spider_without_allowed_domains_may_fetch_any_public_host() -> None:
    anywhere = FetchPolicy(None)
    assert anywhere.url_reason("https://www.example.org/") is None
    assert anywhere.url_reason("http://10.0.0.1/") == "private"
    assert anywhere.url_reason("file:///etc/passwd") == "file"


@given(st.ip_addresses())
def test_every_address_is_either_global_or_refused_with_its_kind(address) -> None:
    reason = address_reason(address)
    embedded = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
    plain = embedded or address
    if reason is None:
        assert plain.is_global
    if plain.is_global and not (plain.is_multicast or plain.is_reserved):
        assert reason is None
    assert reason in {None, "loopback", "private", "link_local", "multicast", "reserved"}


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_an_ipv4_address_in_decimal_hex_or_dotted_form_is_the_same_literal(number: int) -> None:
    address = ipaddress.IPv4Address(number)
    for form in (str(number), hex(number), str(address)):
        assert ip_literal(form) == address
        url = f"http://{form}/x.pdf"
        assert POLICY.url_reason(url) == (address_reason(address) or "offsite")


@given(st.text(max_size=200))
def test_url_reason_never_raises(url: str) -> None:
    assert POLICY.url_reason(url) in {
        None,
        *fetchpolicy.REFUSALS,
    }


def test_hosts_file_names_and_comments(tmp_path) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text(
        "127.0.0.1 localhost runsc  # the sandbox host\n::1 ip6-localhost\n"
        "10.9.8.7 Intranet.Example. build\n# 10.0.0.2 commented.example\n"
    )
    names = hosts_file_map(hosts)
    assert names["intranet.example"] == ["10.9.8.7"]
    assert names["runsc"] == ["127.0.0.1"]
    assert "commented.example" not in names
    assert hosts_file_map(tmp_path / "absent") == {}


# --- the middlewares ------------------------------------------------------------------------------
def middleware(resolved: dict[str, str], proxy: str | None = None, spider=ZcGovCnSpider):
    crawler = project_crawler(spider, FETCHPOLICY_HOSTS_FILE="/nonexistent")

    async def resolve(host: str) -> str:
        if host not in resolved:
            raise OSError(f"no address for {host}")
        return resolved[host]

    mw = FetchPolicyMiddleware(crawler, resolve=resolve)
    mw.proxies = {"http": proxy, "https": proxy} if proxy else {}
    return mw, crawler


def run(mw: FetchPolicyMiddleware, request: Request) -> None:
    asyncio.run(mw.process_request(request))


def test_a_name_the_resolver_maps_to_a_private_address_is_refused_without_a_proxy() -> None:
    mw, crawler = middleware({"www.zc.gov.cn": "10.20.30.40"})
    with pytest.raises(PrivateAddressRefused):
        run(mw, Request(ZC))
    assert crawler.stats.get_value("fetchpolicy/refused/private") == 1


def test_a_public_address_passes_and_an_unresolvable_name_is_left_to_the_downloader() -> None:
    mw, crawler = middleware({"www.zc.gov.cn": "113.108.55.20"})
    run(mw, Request(ZC))
    run(mw, Request("https://old.zengcheng.gov.cn/a.html"))  # no address: DNSLookupError later
    assert crawler.stats.get_value("fetchpolicy/refused/private") is None


def test_through_a_proxy_names_are_not_resolved_but_literals_and_localhost_are_refused() -> None:
    mw, crawler = middleware({"www.zc.gov.cn": "10.20.30.40"}, proxy="http://127.0.0.1:8899")
    run(mw, Request(ZC))  # the proxy resolves www.zc.gov.cn, not us: no DNS query leaves here
    for url, refusal in [
        ("http://127.0.0.2/secret.pdf", LoopbackRefused),
        ("http://localhost/admin.pdf", LoopbackRefused),
        ("http://10.0.0.1/internal.pdf", PrivateAddressRefused),
        ("file:///etc/passwd?x.pdf", LocalFileRefused),
        ("https://www.evil.example/x.pdf", OffsiteRefused),
    ]:
        with pytest.raises(refusal):
            run(mw, Request(url, meta={"attachment": True}, dont_filter=True))
    assert crawler.stats.get_value("fetchpolicy/refused/loopback") == 2
    assert crawler.stats.get_value("fetchpolicy/refused/offsite") == 1


def test_a_request_with_meta_proxy_none_is_resolved_even_when_the_environment_has_a_proxy() -> None:
    mw, _ = middleware({"www.zc.gov.cn": "127.0.0.1"}, proxy="http://127.0.0.1:8899")
    with pytest.raises(LoopbackRefused):
        run(mw, Request(ZC, meta={"proxy": None}))


def test_documented_repost_hosts_are_allowed_for_guangzhou_districts_only() -> None:
    by, _ = middleware({}, proxy="http://127.0.0.1:8899", spider=ByGovCnSpider)
    run(by, Request("https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_1.html"))
    zc, _ = middleware({}, proxy="http://127.0.0.1:8899")
    run(zc, Request("https://www.gz.gov.cn/attachment/0/89/89550/6432486.pdf"))
    with pytest.raises(OffsiteRefused):
        run(zc, Request("https://www.qzlc.gov.cn/a.html"))


def test_a_refused_list_page_marks_its_column_incomplete() -> None:
    mw, crawler = middleware({}, proxy="http://127.0.0.1:8899")
    told: list[tuple] = []
    crawler.spider.column_incomplete = lambda column, reason: told.append((column, reason))
    column = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
    with pytest.raises(OffsiteRefused):
        run(mw, Request("https://www.evil.example/index_2.html", meta={"column": column}))
    with pytest.raises(OffsiteRefused):  # a report page of the column: its errback counts it
        run(
            mw,
            Request(
                "https://www.evil.example/post.html", meta={"column": column, "list_url": column}
            ),
        )
    assert told == [(column, "list page refused by the fetch policy (offsite)")]


def redirect(request: Request, location: str, status: int = 302) -> HtmlResponse:
    return HtmlResponse(request.url, status=status, headers={"Location": location}, request=request)


def test_redirect_targets_are_checked_before_they_are_followed() -> None:
    crawler = project_crawler(ZcGovCnSpider, FETCHPOLICY_HOSTS_FILE="/nonexistent")
    mw = RedirectPolicyMiddleware(crawler)
    page = Request(ZC, meta={"list_url": "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"})
    for location, refusal in [
        ("file:///etc/passwd", LocalFileRefused),
        ("http://127.0.0.2/", LoopbackRefused),
        ("//10.0.0.1/report.html", PrivateAddressRefused),  # scheme-relative
        ("http://localhost/", LoopbackRefused),
        ("https://www.evil.example/report.html", OffsiteRefused),
        ("javascript:alert(1)", SchemeRefused),
        (ZC, RedirectLoop),  # to itself
    ]:
        with pytest.raises(refusal):
            mw.process_response(page, redirect(page, location))
    hop = Request(ZC + "?hostile_loop=1", meta={"redirect_urls": [ZC], "redirect_times": 1})
    with pytest.raises(RedirectLoop):
        mw.process_response(hop, redirect(hop, ZC))
    far = Request(ZC + "?hop=20", meta={"redirect_urls": [ZC] * 20, "redirect_times": 20})
    with pytest.raises(TooManyRedirects):
        mw.process_response(far, redirect(far, ZC + "?hop=21"))
    fine = redirect(page, "/gk/zfxxgk/zfxxgkgznb/content/post_5646103.html", 301)
    assert mw.process_response(page, fine) is fine
    not_a_redirect = HtmlResponse(ZC, status=200, headers={"Location": "file:///etc/passwd"})
    assert mw.process_response(page, not_a_redirect) is not_a_redirect
    assert crawler.stats.get_value("fetchpolicy/refused/redirect_loop") == 2


def test_a_redirect_hop_dropped_as_a_duplicate_counts_as_a_failed_report_page() -> None:
    mw, crawler = middleware({})
    listed = Request(
        "https://www.zc.gov.cn/moved.html",
        meta={"redirect_urls": [ZC], "list_url": "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"},
    )
    mw.request_dropped(listed)
    mw.request_dropped(Request(ZC, meta={"list_url": "x"}))  # listed twice: not a failure
    assert crawler.stats.get_value("portal/detail_failed/RedirectDropped") == 1
    assert crawler.stats.get_value("fetchpolicy/redirect_dropped") == 1


def test_scrapy_cannot_read_local_files_even_without_the_policy() -> None:
    from scrapy.utils.test import get_crawler

    crawler = project_crawler(ByGovCnSpider)  # its custom_settings set DOWNLOAD_HANDLERS
    handlers = crawler.settings.getwithbase("DOWNLOAD_HANDLERS")
    assert {s for s, h in handlers.items() if h} == {"http", "https"}
    assert get_crawler(ByGovCnSpider).settings.getwithbase("DOWNLOAD_HANDLERS").get("file")
