"""Bounded work: no portal can make a run last forever, fill the memory or the archive.

- `LIST_PAGE_CAP` list pages per column (`ListPageCapMiddleware`, a spider middleware keyed by
  `request.meta["column"]`): past it, the column's pagination is no longer followed and the
  column is reported incomplete (`PortalSpider.column_incomplete`), so nothing in it is judged
  gone on this run's evidence. A list request that lacks a column key gets the one of the
  response that asked for it, so every page of a column counts against that column. A page is
  counted once however many pages link it (a numbered pager links every page from every page;
  the duplicate filter drops the repeats, which cost nothing).
- `PORTAL_REQUEST_BUDGET` requests per portal per run (`RequestBudgetMiddleware`): pages, lists,
  attachments, images, retries, redirect hops and robots.txt alike. When it is spent, further
  requests are refused and the spider closes with the reason `request_budget`: the portal's run
  is incomplete (nothing marked gone) and its summary says so.
- Sizes while downloading (Scrapy's per-request `download_maxsize`): an attachment or body image
  over `ATTACHMENT_MAX_BYTES`, a page or list over `PAGE_MAX_BYTES`, is cut off at its
  Content-Length header (or at the first byte past the cap when there is none, or while
  decompressing) and recorded as too_large, not downloaded first and refused afterwards.
- Per report page: at most `ATTACHMENTS_PER_REPORT` files (attachments and body images) and
  `ATTACHMENT_BYTES_PER_REPORT` bytes in all; a file past either is refused (recorded as
  fetch_failed / too_large). Files are matched to their report page by the Referer the spider
  sends with them (crawler/portal.py fetch_attachment).

Every limit reached is counted under `limits/…` and named in the crawl summary.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # private; scrapy is pinned
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import CancelledError

from crawler.fetchpolicy import is_detail

log = logging.getLogger(__name__)

TOO_LARGE = "too_large"  # the marker pipelines/attachments.py maps to the too_large status
BUDGET_CLOSE_REASON = "request_budget"


def is_too_large(fetch_error: str | None) -> bool:
    """Was a file's fetch cut off at a size cap: while downloading (`TooLarge`), or while
    decompressing (Scrapy's HttpCompressionMiddleware, "exceeded DOWNLOAD_MAXSIZE")?"""
    return bool(fetch_error) and (
        f"{TOO_LARGE}:" in fetch_error or "exceeded DOWNLOAD_MAXSIZE" in fetch_error
    )


class TooLarge(IgnoreRequest):
    """A body over its size cap, cut off while downloading (never retried)."""

    def __init__(self, url: str, limit: int, what: str) -> None:
        self.url = url
        super().__init__(f"{TOO_LARGE}: over {limit} bytes ({what})")


class BudgetExhausted(IgnoreRequest):
    """The portal's request budget for this run is spent."""


class AttachmentBudget(IgnoreRequest):
    """The report page's attachment count or byte budget is spent."""


# --- list pages per column ----------------------------------------------------------------------
class ListPageCapMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.cap = crawler.settings.getint("LIST_PAGE_CAP")
        self.pages: Counter[str] = Counter()
        self.capped: set[str] = set()
        self.seen: dict[bytes, bool] = {}  # a list request's fingerprint -> was it admitted

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if is_detail(request):
            return request
        if request.meta.get("column") is None and response is not None:
            inherited = response.meta.get("column")
            if inherited is not None:
                request.meta["column"] = inherited
        column = request.meta.get("column")
        if column is None or self.cap <= 0:
            return request
        fingerprint = None if request.dont_filter else self._fingerprint(request)
        if fingerprint in self.seen:  # asked for again: as it was decided the first time
            return request if self.seen[fingerprint] else None
        self.pages[column] += 1
        admitted = self.pages[column] <= self.cap
        if fingerprint is not None:
            self.seen[fingerprint] = admitted
        if admitted:
            return request
        self.crawler.stats.inc_value("limits/list_pages_refused")
        if column not in self.capped:
            self.capped.add(column)
            self.crawler.stats.inc_value("limits/list_page_cap")
            spider = self.crawler.spider
            if hasattr(spider, "column_incomplete"):
                spider.column_incomplete(
                    column, f"page cap reached: {self.cap} list pages (LIST_PAGE_CAP)"
                )
        return None

    def _fingerprint(self, request: Request) -> bytes:
        return self.crawler.request_fingerprinter.fingerprint(request)


# --- requests per portal, files and bytes per report --------------------------------------------
class RequestBudgetMiddleware:
    """Second in the chain, after the fetch policy: a refused request costs no budget."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.budget = settings.getint("PORTAL_REQUEST_BUDGET")
        self.page_max = settings.getint("PAGE_MAX_BYTES")
        self.file_max = settings.getint("ATTACHMENT_MAX_BYTES")
        self.files_per_report = settings.getint("ATTACHMENTS_PER_REPORT")
        self.bytes_per_report = settings.getint("ATTACHMENT_BYTES_PER_REPORT")
        self.requests = 0
        self.files: Counter[str] = Counter()
        self.bytes: Counter[str] = Counter()
        self._closing: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestBudgetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        self.spend_request(request)
        if request.meta.get("attachment"):
            self.admit_file(request)
        else:
            request.meta.setdefault("download_maxsize", self.page_max)

    def spend_request(self, request: Request) -> None:
        if self.budget <= 0 or self.requests < self.budget:
            self.requests += 1
            return
        stats = self.crawler.stats
        stats.inc_value("limits/requests_refused")
        if self._closing is None:
            stats.set_value("limits/request_budget", self.budget)
            log.warning(
                "request budget of %d reached (PORTAL_REQUEST_BUDGET): closing the spider",
                self.budget,
                extra={"spider": self.crawler.spider},
            )
            engine = self.crawler.engine
            self._closing = deferred_from_coro(
                engine.close_spider_async(reason=BUDGET_CLOSE_REASON)
            )
        raise BudgetExhausted(f"request budget of {self.budget} spent: {request.url}")

    def admit_file(self, request: Request) -> None:
        """Count a report page's files once each (not their retries or redirect hops) and cap
        the next one's size by what is left of the page's byte budget."""
        page = request.meta.setdefault("attachment_of", _referer(request))
        if not request.meta.get("budget_counted"):
            request.meta["budget_counted"] = True
            self.files[page] += 1
            if self.files_per_report > 0 and self.files[page] > self.files_per_report:
                self._refuse_file(
                    request, f"{self.files_per_report} files (ATTACHMENTS_PER_REPORT)"
                )
        left = self.bytes_per_report - self.bytes[page] if self.bytes_per_report > 0 else None
        if left is not None and left <= 0:
            self._refuse_file(
                request, f"{self.bytes_per_report} bytes (ATTACHMENT_BYTES_PER_REPORT)"
            )
        cap = self.file_max if left is None else min(self.file_max, left)
        request.meta.setdefault("download_maxsize", cap)

    def _refuse_file(self, request: Request, what: str) -> None:
        self.crawler.stats.inc_value("limits/attachments_refused")
        raise AttachmentBudget(f"report page's attachment budget of {what} spent: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("attachment"):
            page = request.meta.get("attachment_of") or _referer(request)
            self.bytes[page] += len(response.body)
        return response


def _referer(request: Request) -> str:
    referer = request.headers.get("Referer")
    return referer.decode("latin-1") if referer else ""


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, which already stops at the size cap, with two changes: the cut is
    `TooLarge` (counted, recorded as too_large), and the bytes decompressed so far are freed at
    once. Scrapy's exception keeps them reachable from a reference cycle through its traceback
    until the next full garbage collection: 58 gzip-bombed pages held 1 GiB."""

    def process_response(self, request: Request, response: Response, spider: Any = None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            cause = exc.__cause__
            if not isinstance(cause, _DecompressionMaxSizeExceeded):
                raise
            traceback.clear_frames(cause.__traceback__)
            exc.__cause__ = exc.__context__ = None
            limit = cause.max_size
        what = "file" if request.meta.get("attachment") else "page"
        self.stats.inc_value(f"limits/too_large/{what}")
        raise TooLarge(request.url, limit, f"{what}, decompressed")


class SizeCapMiddleware:
    """Turns a download cut off at its size cap into `TooLarge`, above RetryMiddleware (550) in
    number so that it runs first: a file over the cap is never fetched a second time.

    Scrapy cuts a body off in two ways: at a Content-Length over the cap (DownloadCancelledError
    saying so), or, without one, at the first byte past it (a bare CancelledError); the bytes
    received so far (the bytes_received signal) tell the second from a cancel for other reasons."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.default_max = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.received: dict[Request, int] = {}
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SizeCapMiddleware:
        return cls(crawler)

    def bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        self.received[request] = self.received.get(request, 0) + len(data)

    def process_response(self, request: Request, response: Response) -> Response:
        self.received.pop(request, None)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        received = self.received.pop(request, 0)
        limit = request.meta.get("download_maxsize", self.default_max)
        if isinstance(exception, DownloadCancelledError):
            cut = "max size" in str(exception)
        else:
            cut = isinstance(exception, CancelledError) and bool(limit) and received > limit
        if not cut:
            return None
        what = "file" if request.meta.get("attachment") else "page"
        self.crawler.stats.inc_value(f"limits/too_large/{what}")
        raise TooLarge(request.url, limit, what)
