"""Downloader middlewares of our own."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response

from crawler.clock import utc_now


class FetchTimeMiddleware:
    """Stamp each response with the moment it arrived, so provenance does not record the later
    moment a callback happened to run."""

    def process_response(self, request: Request, response: Response) -> Response:
        request.meta["fetched_at"] = utc_now()
        return response
