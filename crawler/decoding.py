"""Decode once: every text response is re-declared with the encoding the cleaning rule picks.

Scrapy reads a page with the charset its HTTP header names, so a header that lies (a UTF-8 page
served as `charset=gbk`) garbles the title before any spider or pipeline sees it. This downloader
middleware asks `crawler.cleaning.encoding.page_encoding` (BOM, proven UTF-8, the header and the
<meta> checked against the bytes, detection) and re-declares the response's encoding, so the
spider, the pipelines, `clean` and `reclean` all read the same text from the same bytes. The body
is never changed: provenance keeps the bytes as they came.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from w3lib.encoding import resolve_encoding

from crawler.cleaning.encoding import header_charset, page_encoding


class DecodeOnceMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DecodeOnceMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        content_type = response.headers.get("Content-Type")
        declared = header_charset(content_type.decode("latin-1") if content_type else None)
        codec = page_encoding(response.body, declared)
        if resolve_encoding(codec) == resolve_encoding(response.encoding):
            return response
        self.stats.inc_value("decode/redeclared")
        if declared and resolve_encoding(declared) != resolve_encoding(codec):
            self.stats.inc_value("decode/header_overruled")
        return response.replace(encoding=codec)
