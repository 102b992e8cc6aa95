"""Every report page the offline sandbox serves (five portals; post_ and mpost_ twins, re-posts,
gkmlpt and Hanweb module pages; identical bytes once) cleans to exactly the manifest's truth
text, with the portal spider's selector and with the fallback alone; and the fallback still does
after the zc `markup` fault (a redesign). benchmarks/cleaning.py measures the same pages.
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


def served(
    faults: tuple[str, ...] = (), portal: str | None = None
) -> list[tuple[dict, str, bytes]]:
    """(manifest report, url, body) for every distinct page of every report (of ``portal``)."""
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # the sandbox certificate is self-signed
    out, seen = [], set()
    with sandbox.running(faults=faults) as sb:
        proxies = urllib.request.ProxyHandler({"http": sb.proxy_url, "https": sb.proxy_url})
        client = urllib.request.build_opener(proxies, urllib.request.HTTPSHandler(context=insecure))
        for report in sb.manifest["reports"]:
            if portal and report["portal"] != portal:
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


def test_every_report_of_every_portal_is_tested(pages: list) -> None:
    portals = {report["portal"] for report, _, _ in pages}
    assert portals == {"by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn"}
    manifest = sandbox.manifest()["reports"]
    assert {r["url"] for r, _, _ in pages} == {r["url"] for r in manifest}
    assert sum("/mpost_" in url for _, url, _ in pages) > 0  # mobile theme included


def test_selector_mode_gives_the_truth_exactly(pages: list) -> None:
    wrong = []
    for report, url, body in pages:
        selector = rules_for_url(url)["content_selector"]  # every portal has a spider
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
    for report, url, body in served(("zc_gov_cn:markup",), "zc_gov_cn"):
        cleaned = clean_html(body, url=url, content_selector="#zoomcon")
        if cleaned.method != "fallback" or cleaned.text != report["text"]:
            wrong.append(url)
    assert wrong == []
