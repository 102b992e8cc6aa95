"""Headless Chromium may contact the portal and nothing else.

scrapy-playwright renders a list only where a script builds it from no API we know. A browser
left to itself calls home (accounts.google.com, update.googleapis.com: 18 calls in one proxied
crawl, issue 13) and loads every third-party script a page names. Three locks:

- `PortalOnly`, scrapy-playwright's PLAYWRIGHT_ABORT_REQUEST predicate: every request a page
  makes to a host outside the portal's domains is aborted before it leaves the browser;
- `QUIET_CHROMIUM_ARGS` (PLAYWRIGHT_LAUNCH_OPTIONS in crawler/settings.py): Chromium's own
  background traffic (updates, sync, safe browsing, metrics, field trials) switched off as far
  as flags go; they do not reach everything (accounts.google.com and update.googleapis.com were
  still called in a test with these flags);
- `portal_only_launch`: a proxy auto-config script that routes the portal's hosts as before
  (directly, or through the proxy the launch options named) and every other host to a closed
  port on 127.0.0.1, so whatever the browser does by itself cannot leave the machine.

tests/spiders/test_browser_egress.py drives Chromium through a counting proxy and asserts that
only portal hosts were asked for.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

QUIET_CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pings",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--safebrowsing-disable-auto-update",
    "--disable-field-trial-config",
    "--disable-features=OptimizationHints,OptimizationGuideModelDownloading,MediaRouter,"
    "Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater,"
    "InterestFeedContentSuggestions,NetworkTimeServiceQuerying,PushMessaging",
)
_LOCAL_SCHEMES = ("data", "blob", "about")


class PortalOnly:
    """True (abort) for a request to any host outside `domains` (a domain and its subdomains)."""

    def __init__(self, domains: list[str]) -> None:
        self.domains = tuple(d.lower() for d in domains)

    def __call__(self, request: Any) -> bool:
        parts = urlsplit(str(getattr(request, "url", request)))
        if parts.scheme in _LOCAL_SCHEMES:
            return False
        host = (parts.hostname or "").lower()
        return not any(host == d or host.endswith("." + d) for d in self.domains)

    def __repr__(self) -> str:
        return f"PortalOnly({list(self.domains)!r})"


# Where every host outside the portal goes: the discard port, closed on any sane machine.
_NOWHERE = "PROXY 127.0.0.1:9"


def portal_only_launch(launch: dict[str, Any], domains: list[str]) -> dict[str, Any]:
    """Chromium launch options whose network reaches `domains` only: Playwright's own `proxy`
    option (if any) becomes the route of the portal's hosts in a PAC script."""
    options = dict(launch)
    proxy = options.pop("proxy", None)
    route = _pac_route(proxy.get("server") if isinstance(proxy, dict) else None)
    tests = " || ".join(f'host == "{d}" || dnsDomainIs(host, ".{d}")' for d in domains) or "false"
    script = f'function FindProxyForURL(url, host) {{ if ({tests}) return "{route}"; return "{_NOWHERE}"; }}'
    pac = base64.b64encode(script.encode()).decode()
    args = [
        a
        for a in options.get("args", [])
        if not a.startswith(("--proxy-server", "--proxy-pac-url"))
    ]
    options["args"] = [
        *args,
        f"--proxy-pac-url=data:application/x-ns-proxy-autoconfig;base64,{pac}",
    ]
    return options


def _pac_route(server: str | None) -> str:
    if not server:
        return "DIRECT"
    parts = urlsplit(server if "://" in server else f"http://{server}")
    kind = {"https": "HTTPS", "socks5": "SOCKS5", "socks": "SOCKS"}.get(parts.scheme, "PROXY")
    return f"{kind} {parts.hostname}:{parts.port or (443 if kind == 'HTTPS' else 80)}"
