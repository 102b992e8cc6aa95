"""Headless Chromium may contact the portal and nothing else.

scrapy-playwright renders a list only where a script builds it from no API we know. A browser
left to itself calls home (accounts.google.com, update.googleapis.com: 18 calls in one proxied
crawl, issue 13) and loads every third-party script a page names. Two locks:

- `PortalOnly`, scrapy-playwright's PLAYWRIGHT_ABORT_REQUEST predicate: every request a page
  makes to a host outside the portal's domains is aborted before it leaves the browser;
- `QUIET_CHROMIUM_ARGS` (PLAYWRIGHT_LAUNCH_OPTIONS in crawler/settings.py): Chromium's own
  background traffic (updates, sync, safe browsing, metrics, field trials) switched off.

tests/spiders/test_browser_egress.py drives Chromium through a counting proxy and asserts that
only portal hosts were asked for.
"""

from __future__ import annotations

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
