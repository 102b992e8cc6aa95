"""Scrapy-free fixtures for the sandbox tests: one running sandbox per session and a small
urllib client that goes through its proxy, never follows redirects and never raises on 4xx/5xx."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

import sandbox


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class ProxyClient:
    def __init__(self, proxy_url: str):
        insecure = ssl.create_default_context()
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE  # the sandbox certificate is self-signed
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url}),
            urllib.request.HTTPSHandler(context=insecure),
            _NoRedirect(),
        )

    def get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        method: str = "GET",
        data: bytes | None = None,
    ) -> Fetched:
        request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=20) as response:
                return Fetched(response.status, _lower(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Fetched(error.code, _lower(error.headers), error.read())


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


@pytest.fixture(scope="session")
def sb():
    with sandbox.running() as running:
        yield running


@pytest.fixture(scope="session")
def client(sb) -> ProxyClient:
    return ProxyClient(sb.proxy_url)


def zc_only(manifest: dict) -> dict:
    """The part of the manifest that www.zc.gov.cn serves (other portals have their own tests)."""
    return {
        "reports": [r for r in manifest["reports"] if r["portal"] == "zc_gov_cn"],
        **{
            key: [url for url in manifest[key] if "//www.zc.gov.cn/" in url]
            for key in ("nonreports", "missing", "gone")
        },
    }


@pytest.fixture(scope="session")
def truth(sb) -> dict:
    """The whole manifest: every portal's reports."""
    return sb.manifest


@pytest.fixture(scope="session")
def zc_truth(truth) -> dict:
    return zc_only(truth)


@pytest.fixture(scope="session")
def client_for():
    """ProxyClient factory, for tests that start their own sandbox (faults, revisions)."""
    return ProxyClient
