"""Headless Chromium contacts the portal and nothing else (crawler/browser.py).

A real crawl renders a script-built list with scrapy-playwright through a counting proxy on
127.0.0.1. The portal's page names four other hosts (an analytics script, the cluster's stats
beacon, web fonts, an iframe), as portal pages do (docs/portals.md §1). With the spider's locks
(the PLAYWRIGHT_ABORT_REQUEST predicate, the quiet flags, the proxy auto-config) the proxy sees
only the portal's host; without them it sees the page's other hosts and Chromium's own calls
home, so the test can tell that the locks work.
"""

from __future__ import annotations

import contextlib
import json
import socketserver
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.browser import PortalOnly

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PORTAL = "www.example.gov.cn"
TITLE = "某某区2023年政府信息公开工作年度报告"
PAGES = {
    "/": "<html><body><a href='/news/'>新闻</a></body></html>",
    "/list/": (
        '<html><head><meta charset="utf-8">'
        '<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Noto">'
        "</head><body><ul class='built'></ul>"
        '<img src="http://statistics.gd.gov.cn/visit/cat?site=1&cat=2">'
        '<iframe src="http://www.other-site.cn/widget.html"></iframe>'
        "<script>setTimeout(function () {"
        "document.querySelector('ul.built').innerHTML = "
        f'\'<li><a href="/list/content/post_1.html" title="{TITLE}">{TITLE}</a></li>\';'
        "}, 1500);</script></body></html>"
    ),
    "/list/content/post_1.html": (
        f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{TITLE}"></head>'
        '<body><div id="zoomcon"><p>一、总体情况</p><p>本年度主动公开政府信息。</p></div></body></html>'
    ),
}


class _CountingProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.hosts: list[str] = []
        self.lock = threading.Lock()


class _ProxyHandler(socketserver.StreamRequestHandler):
    """Counts every host asked for; answers the portal from PAGES, refuses everything else."""

    def handle(self) -> None:
        try:
            line = self.rfile.readline(65536).decode("latin-1").strip()
            while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                pass
        except OSError:
            return
        if not line:
            return
        method, target = ([*line.split(" "), "", ""])[:2]
        host = target.split(":")[0] if method == "CONNECT" else (urlsplit(target).hostname or "")
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.hosts.append(host)  # type: ignore[attr-defined]
        body, status = b"", "403 Forbidden"
        if method != "CONNECT" and host == PORTAL and urlsplit(target).path in PAGES:
            body, status = PAGES[urlsplit(target).path].encode(), "200 OK"
        elif method != "CONNECT":
            status = "404 Not Found"
        head = f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        with contextlib.suppress(OSError):
            self.wfile.write(head.encode() + body)


CRAWL = textwrap.dedent(
    """
    import json, sys
    from scrapy.crawler import CrawlerProcess
    from crawler.cms.nfcms import NfcmsMixin
    from crawler.portal import PortalSpider
    from crawler.runner import project_settings

    proxy, archive, lock = sys.argv[1], sys.argv[2], sys.argv[3] == "locked"

    class BrowserSpider(NfcmsMixin, PortalSpider):
        name = "browser_gov_cn"
        portal_name = "某某区"
        allowed_domains = ["example.gov.cn"]
        start_urls = ["http://www.example.gov.cn/"]
        hints = ["http://www.example.gov.cn/list/"]
        js_lists = {"http://www.example.gov.cn/list/": "ul.built li a"}
        content_selector = "#zoomcon"

    if not lock:  # the locks off: no abort predicate, no proxy auto-config
        import scrapy
        BrowserSpider.update_settings = classmethod(scrapy.Spider.update_settings.__func__)
        BrowserSpider.custom_settings = {**BrowserSpider.custom_settings, "PLAYWRIGHT_ABORT_REQUEST": None}
    settings = project_settings({"ARCHIVE_PATH": archive, "ROBOTSTXT_OBEY": False,
                                 "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                                 "ATTACHMENTS_ENABLED": False, "LOG_LEVEL": "WARNING",
                                 "HTTPPROXY_ENABLED": True})
    options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    options["proxy"] = {"server": proxy}
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BrowserSpider)
    process.crawl(crawler)
    process.start()
    print(json.dumps({"found": crawler.stats.get_value("portal/reports_found", 0)}))
    """
)


def crawl_through_proxy(tmp_path: Path, lock: str) -> tuple[list[str], dict]:
    proxy = _CountingProxy()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    address = f"http://127.0.0.1:{proxy.server_address[1]}"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "http_proxy": address}
    try:
        done = subprocess.run(
            [sys.executable, "-c", CRAWL, address, str(tmp_path / f"{lock}.db"), lock],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert done.returncode == 0, done.stderr[-3000:]
    return proxy.hosts, json.loads(done.stdout.strip().splitlines()[-1])


def test_chromium_asks_the_portal_only(tmp_path) -> None:
    hosts, result = crawl_through_proxy(tmp_path, "locked")
    assert result == {"found": 1}  # the list was rendered, its report archived
    assert set(hosts) == {PORTAL}
    assert hosts.count(PORTAL) >= 3  # the home page and the post (Scrapy), the list (Chromium)


def test_without_the_predicate_the_page_s_other_hosts_are_asked(tmp_path) -> None:
    hosts, result = crawl_through_proxy(tmp_path, "unlocked")
    assert result == {"found": 1}
    assert {"statistics.gd.gov.cn", "www.other-site.cn"} <= set(hosts)


@pytest.mark.parametrize(
    ("url", "aborted"),
    [
        ("http://www.example.gov.cn/list/", False),
        ("https://static.example.gov.cn/app.js", False),
        ("https://accounts.google.com/ListAccounts", True),
        ("http://statistics.gd.gov.cn/visit/page?site=1", True),
        ("https://www.example.gov.cn.evil.com/", True),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_the_predicate_aborts_every_host_outside_the_portal(url: str, aborted: bool) -> None:
    assert PortalOnly(["example.gov.cn"])(url) is aborted
