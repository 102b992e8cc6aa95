"""Provenance is captured once, from the response, and stored unchanged by the archive."""

from __future__ import annotations

import hashlib

from scrapy.http import Response

from crawler.clock import utc_now
from crawler.items import Capture


def response_headers(response: Response) -> dict[str, list[str]]:
    # Header bytes are latin-1 on the wire; keep every value (Set-Cookie and friends repeat).
    return {
        name.decode("latin-1"): [value.decode("latin-1") for value in values]
        for name, values in response.headers.items()
    }


def capture_from_response(
    response: Response, *, spider: str, run_id: str, kind: str = "page"
) -> Capture:
    redirects = list(response.meta.get("redirect_urls", []))
    requested = redirects[0] if redirects else response.url
    referer = response.request.headers.get("Referer") if response.request else None
    body = response.body
    warc = response.meta.get("warc_record") or {}
    return Capture(
        url=requested,
        final_url=response.url,
        redirects=[*redirects, response.url] if redirects else [],
        referer=referer.decode("latin-1") if referer else response.meta.get("list_url"),
        status=response.status,
        headers=response_headers(response),
        fetched_at=response.meta.get("fetched_at") or utc_now(),
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        body=body,
        spider=spider,
        run_id=run_id,
        kind=kind,
        warc_file=warc.get("file"),
        warc_offset=warc.get("offset"),
        warc_length=warc.get("length"),
    )
