"""Every zc.gov.cn report page the offline sandbox serves (desktop and mobile twin, http and https)
cleans to exactly the manifest's truth text, with the spider's selector and with the fallback.

Also after the zc `markup` fault (a redesign). Only zc_gov_cn is served so far; benchmarks/cleaning.py covers whatever the sandbox serves.
"""

from __future__ import annotations

import hashlib
import ssl
import urllib.request

import pytest

import sandbox
from crawler.cleaning import chrome_left, clean_html
from crawler.portals import rules_for_url

pytestmark = pytest.mark.sandbox


def served(faults: tuple[str, ...] = ()) -> list[tuple[dict, str, bytes]]:
    """(manifest report, url, body) for every distinct page of every zc report."""
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # the sandbox certificate is self-signed
    out, seen = [], set()
    with sandbox.running(faults=faults) as sb:
        proxies = urllib.request.ProxyHandler({"http": sb.proxy_url, "https": sb.proxy_url})
        client = urllib.request.build_opener(proxies, urllib.request.HTTPSHandler(context=insecure))
        for report in sb.manifest["reports"]:
            if report["portal"] != "zc_gov_cn":
                continue
            for url in (report["url"], *report["aliases"]):
                body = client.open(url, timeout=30).read()
                if hashlib.sha256(body).digest() not in seen:
                    seen.add(hashlib.sha256(body).digest())
                    out.append((report, url, body))
    return out


@pytest.fixture(scope="module")
def pages() -> list[tuple[dict, str, bytes]]:
    return served()


def test_every_page_counted(pages: list) -> None:
    assert len(pages) == 96  # 48 reports x (post_ page, mpost_ twin); http/https bytes identical
    assert sum("/mpost_" in url for _, url, _ in pages) == 48


def test_selector_mode_gives_the_truth_exactly(pages: list) -> None:
    wrong = []
    for report, url, body in pages:
        selector = rules_for_url(url)["content_selector"]
        cleaned = clean_html(body, url=url, content_selector=selector, title=report["title"])
        if cleaned.method != "selector" or cleaned.text != report["text"]:
            wrong.append(url)
    assert wrong == []


def test_fallback_gives_the_truth_exactly_and_no_chrome(pages: list) -> None:
    wrong = []
    for report, url, body in pages:
        cleaned = clean_html(body, url=url)
        lines = cleaned.text.split("\n")
        if (
            cleaned.text != report["text"]
            or chrome_left(cleaned.text)
            or not all(h in lines for h in report["headings"])
            or cleaned.template_version != report["template"]
        ):
            wrong.append(url)
    assert wrong == []


def test_fallback_survives_a_redesign_exactly() -> None:
    # The `markup` fault: new structure and class names, no #zoomcon, no meta tags.
    wrong = []
    for report, url, body in served(("zc_gov_cn:markup",)):
        cleaned = clean_html(body, url=url, content_selector="#zoomcon")
        if cleaned.method != "fallback" or cleaned.text != report["text"]:
            wrong.append(url)
    assert wrong == []
