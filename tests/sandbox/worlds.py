"""Variant worlds for the sandbox tests, built in-process once per test session: the Router (the
proxy's application), the manifest, and a walk from the home pages by documented means."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from urllib.parse import urlsplit

from parsel import Selector

from sandbox.http import Request, Response
from sandbox.sites import Router, World
from tests.sandbox.walk import Walk, Walker, decode, home_pages

VARIANTS = tuple(range(6))  # the reference world and five drawn ones
DRAWN = VARIANTS[1:]


@dataclass
class Variant:
    number: int
    router: Router
    manifest: dict
    walk: Walk

    def get(self, url: str, method: str = "GET", body: bytes = b"") -> Response:
        return ask(self.router, url, method, body)

    def reports(self, portal: str) -> list[dict]:
        return [r for r in self.manifest["reports"] if r["portal"] == portal]

    def columns(self, portal: str) -> list[dict]:
        return [c for c in self.manifest["columns"] if c["portal"] == portal]


def ask(router: Router, url: str, method: str = "GET", body: bytes = b"") -> Response:
    """What the sandbox answers for `url`, asked in-process (no proxy, no sockets)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return router.handle(Request(method, parts.scheme, parts.hostname or "", target, {}, body))


@cache
def variant(number: int) -> Variant:
    router = Router(World(variant=number))
    walk = Walker(router).walk(home_pages(router))
    return Variant(number, router, router.manifest(), walk)


def page_text(body: bytes) -> str:
    """A page's visible text, whitespace collapsed to single spaces (any charset it came in)."""
    text = Selector(text=decode(body)).xpath("string(//body)").get() or ""
    return re.sub(r"\s+", " ", unescape(text)).strip()


def squeezed(text: str) -> str:
    """Text without any whitespace: for finding a report's line in a page's text."""
    return re.sub(r"\s+", "", text)


def metas(body: bytes) -> dict[str, str]:
    page = Selector(text=decode(body))
    return {m.attrib["name"]: m.attrib.get("content", "") for m in page.css("meta[name]")}
