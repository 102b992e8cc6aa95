"""Incremental crawls: fetch only what changed, keep what was seen, notice what is gone.

The state is the archive itself (never JOBDIR), read through the archive's reader thread (an
ArchiveReader's read-only connection, crawler/archive/reads.py); every write goes through the
archive's writer thread. Neither runs on the reactor.

- List pages are always fetched, and recorded as captures of kind "list".
- A detail page or attachment is requested with If-None-Match / If-Modified-Since from its last
  capture; a 304 becomes the stored response, flagged `not_modified`, so the archive adds a
  capture row pointing at the existing blob and an "unchanged" sighting (IncrementalMiddleware).
- A detail page is not requested at all when its list page is byte-identical to the one captured
  in the previous run, the report was sighted in that run, and its page was revalidated on the
  network within INCREMENTAL_REVALIDATE_DAYS (spread per URL, so that a portal's pages are not all
  due on the same night): the list entry proves it unchanged; one sighting is written instead
  (IncrementalSpiderMiddleware).
- Every report request a list page yields is announced (`columns.report_listed`, with its column)
  before any skipping: the run lifecycle judges deletions per column on it (crawler/gone.py).

Requests are told apart by meta: `list_url` (set by PortalSpider.follow_entries) marks a detail
page, `attachment` (PortalSpider.fetch_attachment) an attachment; robots.txt is left alone.
Everything else (list pages, list JSON, pagination, any new spider's own list callbacks) counts
as a list request: fetched unconditionally, and a failure of one makes the run incomplete.
INCREMENTAL_ENABLED=False (`govreports crawl --full`) turns conditional requests and skipping off;
list captures and list-failure counting stay on, so a full run can still mark reports gone.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler import columns
from crawler.archive import Archive, ArchiveReader, ArchiveUnavailable, StoredCapture
from crawler.archive import writer as archive_writer
from crawler.archive.reads import ReadsArchive
from crawler.clock import utc_now
from crawler.provenance import capture_from_response

log = logging.getLogger(__name__)

# Stored headers that describe the bytes on the wire, not the stored (decoded) body.
_WIRE_HEADERS = {b"content-length", b"content-encoding", b"transfer-encoding"}


def request_kind(request: Request) -> str:
    """detail | attachment | robots | discovery | list (anything else: a list page)."""
    if request.meta.get("dont_obey_robotstxt"):
        return "robots"
    if request.meta.get("attachment"):
        return "attachment"
    if "list_url" in request.meta:
        return "detail"
    if request.meta.get("discovery"):
        return "discovery"  # a channel page or a column's first page found by a link
    return "list"


def list_failed(request: Request, status: int | None = None) -> bool:
    """Does this failure leave the run's lists unread?  A discovery link that answers 404/410 is
    a dead link (it hides no list); any other failure of a list or discovery page does."""
    kind = request_kind(request)
    if kind == "list":
        return True
    return kind == "discovery" and status not in (404, 410)


class IncrementalMiddleware(ReadsArchive):
    """Downloader middleware: conditional requests, 304 -> stored response, list failures."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.enabled = crawler.settings.getbool("INCREMENTAL_ENABLED", True)
        self.archive_path = crawler.settings.get("ARCHIVE_PATH")
        crawler.signals.connect(self.release_reads, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        kind = request_kind(request)
        if not self.enabled or kind not in ("detail", "attachment"):
            return None
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None  # a retry or redirect of a request already made conditional
        redirects = request.meta.get("redirect_urls") or [request.url]
        kind = "page" if kind == "detail" else "attachment"
        previous = await self.read(ArchiveReader.latest_capture, redirects[0], kind)
        if previous is None or previous.final_url != request.url:
            return None  # never fetched, or this is a hop of a redirect chain
        etag, modified = previous.header("ETag"), previous.header("Last-Modified")
        if not (etag or modified):
            return None
        if etag:
            request.headers["If-None-Match"] = etag
        if modified:
            request.headers["If-Modified-Since"] = modified
        request.meta["incremental_previous"] = previous
        self.stats.inc_value("incremental/revalidated")
        return None

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 300 and list_failed(request, response.status):
            self.stats.inc_value("incremental/list_failed")
        previous = request.meta.get("incremental_previous")
        if previous is None:
            return response
        if response.status != 304:
            self.stats.inc_value("incremental/modified")
            return response
        stored = await self.stored_response(request, response, previous)
        if stored is None:
            return response
        self.stats.inc_value("incremental/not_modified")
        return stored

    def process_exception(self, request: Request, exception: Exception) -> None:
        # Called once retries are exhausted (RetryMiddleware sits above this one).
        if list_failed(request):
            self.stats.inc_value("incremental/list_failed")

    async def stored_response(
        self, request: Request, not_modified: Response, previous: StoredCapture
    ) -> Response | None:
        """The previous capture's body and headers (validators refreshed from the 304)."""
        body = await self.read(ArchiveReader.body, previous.sha256)
        if body is None:
            log.warning("304 for %s but blob %s is missing", request.url, previous.sha256)
            return None
        headers = Headers(
            {
                key.encode("latin-1"): [v.encode("latin-1") for v in values]
                for key, values in previous.headers.items()
                if key.lower().encode("latin-1") not in _WIRE_HEADERS
            }
        )
        for key, values in not_modified.headers.items():
            if key.lower() not in _WIRE_HEADERS and key.lower() != b"content-type":
                headers.setlist(key, values)
        request.meta["not_modified"] = True
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=previous.status,
            headers=headers,
            body=body,
            request=request,
            flags=["not_modified"],
        )


class IncrementalSpiderMiddleware(ReadsArchive):
    """Spider middleware: records list pages, and drops the detail requests of an unchanged
    list page whose reports were seen in the previous run, writing a sighting instead."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.enabled = settings.getbool("INCREMENTAL_ENABLED", True)
        self.revalidate_days = settings.getfloat("INCREMENTAL_REVALIDATE_DAYS", 7.0)
        self.related_threshold = settings.getfloat("RELATED_SIMILARITY_THRESHOLD", 0.9)
        self.path = self.archive_path = settings.get("ARCHIVE_PATH")
        self.writer: archive_writer.ArchiveWriter | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalSpiderMiddleware:
        return cls(crawler)

    def spider_opened(self) -> None:
        self.writer = archive_writer.acquire(self.path)
        try:
            # The archive's similarity threshold is a crawl setting (ArchivePipeline does not
            # pass settings to the shared writer's Archive).
            self.writer.call_sync(_set_related_threshold, self.related_threshold)
        except ArchiveUnavailable:
            self.spider_closed()

    def spider_closed(self) -> None:
        self.release_reads()
        if self.writer is not None:
            archive_writer.release(self.writer)
            self.writer = None

    @property
    def run_id(self) -> str:
        spider = self.crawler.spider
        return getattr(spider, "run_id", None) or self.crawler.settings.get("GOVREPORTS_RUN_ID")

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        checked, previous_run = False, None
        async for out in result:
            if isinstance(out, Request) and request_kind(out) == "detail":
                self.listed(out)
            if isinstance(out, Request) and out.meta.get("list_url") == response.url:
                if not checked:  # the first entry of a list page: record the page once
                    checked, previous_run = True, await self.record_list(response)
                if previous_run and await self.skip(out, previous_run):
                    continue
            yield out

    def listed(self, request: Request) -> None:
        """A list page listed this report: the evidence deletions are judged on."""
        self.crawler.signals.send_catch_log(
            signal=columns.report_listed, column=request.meta.get("column"), url=request.url
        )

    async def record_list(self, response: Response) -> str | None:
        """Store the list page; the id of the previous run if it saw the very same bytes."""
        if self.writer is None:
            return None
        spider = self.crawler.spider
        capture = capture_from_response(
            response, spider=spider.name, run_id=self.run_id, kind="list"
        )
        previous = await self.read(ArchiveReader.latest_capture, response.url, "list", self.run_id)
        await self.writer.call(Archive.store_list_capture, capture)
        unchanged = previous is not None and previous.sha256 == capture.sha256
        self.stats.inc_value(f"incremental/lists_{'unchanged' if unchanged else 'changed'}")
        return previous.run_id if unchanged and self.enabled else None

    async def skip(self, request: Request, previous_run: str) -> bool:
        """Sight the report instead of fetching it, when its list entry proves it unchanged."""
        capture = await self.read(ArchiveReader.latest_capture, request.url, "page")
        if capture is None or not self.fresh(capture):
            return False
        report_id = await self.read(ArchiveReader.live_report, capture.final_url)
        if report_id is None or not await self.read(
            ArchiveReader.sighted_in, report_id, previous_run
        ):
            return False
        assert self.writer is not None
        column = request.meta.get("column")
        await self.writer.call(
            Archive.sight, report_id, capture.final_url, capture.id, self.run_id, utc_now(), column
        )
        for key in ("incremental/skipped", "portal/reports_found", "archive/unchanged"):
            self.stats.inc_value(key)
        return True

    def fresh(self, capture: StoredCapture, now: datetime | None = None) -> bool:
        """Revalidated on the network recently enough to trust an unchanged list page."""
        fetched = datetime.fromisoformat(capture.fetched_at.replace("Z", "+00:00"))
        age = (now or datetime.now(UTC)) - fetched
        return age < revalidate_after(capture.url, self.revalidate_days)


def revalidate_after(url: str, days: float) -> timedelta:
    """Between days/2 and days, fixed per URL: a portal's pages, all first fetched the same
    night, come due on different nights instead of all together."""
    spread = zlib.crc32(url.encode("utf-8")) / 2**32
    return timedelta(days=days * (0.5 + 0.5 * spread))


def _set_related_threshold(archive: Archive, threshold: float) -> None:
    archive.related_threshold = threshold
