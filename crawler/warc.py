"""WARC 1.1 records written at fetch time (warcio), one group of records per capture.

For every response the downloader hands back (list pages, report pages, attachments, each hop of
a redirect chain) `WarcMiddleware` writes, as separate gzip members of the run's current file:

- a `response` record (or a `revisit` for a 304, or for bytes already written in this run),
- the `request` record, and a `metadata` record (run, spider, kind, referring list page), both
  `WARC-Concurrent-To` the response, so a reader finds them right after it.

Files live under `<archive folder>/warc/<run id>/` (`WARC_DIR` overrides), one series per spider,
rotated at `WARC_MAX_FILE_BYTES`; each file opens with a `warcinfo` record (software, settings).
`request.meta["warc_record"]` = {file, offset, length} of the response record: the capture row
stores it (captures.warc_file / warc_offset / warc_length, migration m011).

What is byte-exact and what is rebuilt.  Scrapy 2.19's HTTP/1.1 handler hands over parsed
headers, never their bytes, and no reason phrase: the HTTP header block of every record (and the
whole request record) is REBUILT from Scrapy's Request/Response (names as Scrapy normalises
them, its order, the standard reason phrase; `Transfer-Encoding` dropped because Twisted has
already removed the chunking).  The payload is the body as the downloader received it: this
middleware sits at 940, nearer the downloader than decompression (590), so a gzip body is kept
gzipped.  `warc/exact` counts records whose payload is that transcript; `warc/rebuilt` counts
those whose payload is not what the server sent (a page rendered by the browser, a response
served from Scrapy's cache).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from crawler import __version__
from crawler.archive.reader import ArchiveReader
from crawler.archive.reads import ReadsArchive
from crawler.clock import utc_now
from crawler.incremental import request_kind

log = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
# WARC 1.1 revisit profiles (ISO 28500:2017 §6.7)
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
# Settings recorded in each warcinfo: what shaped the crawl, never credentials or paths.
RECORDED_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "DOWNLOAD_TIMEOUT",
    "RETRY_TIMES",
    "DOWNLOAD_MAXSIZE",
    "PAGE_MAX_BYTES",
    "ATTACHMENT_MAX_BYTES",
    "PORTAL_REQUEST_BUDGET",
    "LIST_PAGE_CAP",
    "INCREMENTAL_ENABLED",
    "DISCOVERY_MAX_DEPTH",
    "DISCOVERY_MAX_PAGES",
    "WARC_MAX_FILE_BYTES",
)
# Twisted removes the chunking: a record that kept this header would tell readers to undo it.
_DROPPED_HEADERS = {b"transfer-encoding"}


class Sha256RecordBuilder(RecordBuilder):
    """warcio's record builder with sha256 block and payload digests (its default is sha1)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


BUILDER = Sha256RecordBuilder(warc_version=WARC_VERSION)


def sha256_label(hexdigest: str) -> str:
    """A WARC digest label (`sha256:` + base32, warcio's form) for a hex sha256."""
    return "sha256:" + base64.b32encode(bytes.fromhex(hexdigest)).decode("ascii")


def warc_date(iso: str) -> str:
    """Our ISO timestamps (`2026-12-03T14:00:00.123456+00:00`) as a WARC-Date."""
    moment = iso_date_to_datetime(iso.replace("+00:00", "Z"))
    return datetime_to_iso_date(moment, use_micros=True)


@dataclass(frozen=True)
class RecordPlace:
    file: str  # relative to the archive's folder when inside it
    offset: int
    length: int

    def as_meta(self) -> dict[str, Any]:
        return {"file": self.file, "offset": self.offset, "length": self.length}


class WarcFiles:
    """One spider's series of gzip WARC files in a run's folder, rotated by size."""

    def __init__(self, folder: Path, prefix: str, max_bytes: int, base: Path, info: dict) -> None:
        self.folder, self.prefix, self.max_bytes, self.base = folder, prefix, max_bytes, base
        self.info = info
        self.serial = 0
        self.handle: BinaryIO | None = None
        self.writer: WARCWriter | None = None
        self.path: Path | None = None
        self.relative_path = ""  # self.path as the archive records it, resolved once per file

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            path = self.folder / f"{self.prefix}-{self.serial:05d}.warc.gz"
            self.serial += 1
            try:
                self.handle = path.open("xb")  # never append to another run's file
                break
            except FileExistsError:
                continue
        self.path = path
        self.relative_path = self._relative(path)
        self.writer = WARCWriter(self.handle, gzip=True, warc_version=WARC_VERSION)
        info = BUILDER.create_warcinfo_record(path.name, self.info)
        BUILDER.ensure_digest(info, block=True, payload=False)
        self.writer.write_record(info)
        self.handle.flush()

    def write(self, records: list[Any]) -> RecordPlace:
        """Write `records` together (the first one is the capture's); where the first one is."""
        if self.handle is None or self.handle.tell() >= self.max_bytes:
            self._open_next()
        assert self.handle is not None and self.writer is not None and self.path is not None
        places = []
        for record in records:
            start = self.handle.tell()
            BUILDER.ensure_digest(record, block=True, payload=False)
            self.writer.write_record(record)
            places.append((start, self.handle.tell() - start))
        self.handle.flush()  # a crash leaves whole gzip members only
        offset, length = places[0]
        return RecordPlace(self.relative_path, offset, length)

    def _relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.base.resolve()))
        except ValueError:
            return str(path.resolve())

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.handle = self.writer = None


def http_headers(status_line: str, headers: Any, *, request: bool = False) -> StatusAndHeaders:
    """A rebuilt HTTP header block: `200 OK` (a response) or `GET /path HTTP/1.1` (a request)."""
    pairs = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        if name.lower() not in _DROPPED_HEADERS
        for value in values
    ]
    if request:
        return StatusAndHeaders(status_line, pairs, is_http_request=True)
    return StatusAndHeaders(status_line, pairs, protocol="HTTP/1.1")


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def payload_kind(request: Request, response: Response) -> str:
    """exact: the body as the downloader received it; rebuilt: a browser's rendering of the
    page or a copy from Scrapy's HTTP cache, not what the server sent."""
    rebuilt = request.meta.get("playwright") or "cached" in response.flags
    return "rebuilt" if rebuilt else "exact"


def request_target(request: Request) -> str:
    parts = urlparse_cached(request)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class WarcMiddleware(ReadsArchive):
    """Downloader middleware (940): a WARC record group per response; see the module's doc."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        self.crawler = crawler
        self.stats = crawler.stats
        archive = Path(settings.get("ARCHIVE_PATH") or "output/archive.db")
        self.base = archive.parent
        self.root = Path(settings.get("WARC_DIR") or self.base / "warc")
        self.max_bytes = settings.getint("WARC_MAX_FILE_BYTES", 1_000_000_000)
        self.files: WarcFiles | None = None
        self.digests: dict[str, tuple[str, str]] = {}  # payload sha256 -> (uri, WARC-Date)
        # earlier runs' records, for revisits of unchanged bytes (WARC_REVISIT_ARCHIVED)
        self.revisit_archived = settings.getbool("WARC_REVISIT_ARCHIVED", True)
        self.archive_path = archive
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        return cls(crawler)

    def run_id(self) -> str:
        """The spider's run (PortalSpider), `govreports crawl`'s, or one of its own for a spider
        that has none (a benchmark's bare spider)."""
        spider = self.crawler.spider
        found = getattr(spider, "run_id", None) or self.crawler.settings.get("GOVREPORTS_RUN_ID")
        if not found:
            from crawler.portal import new_run_id

            found = self._own_run = getattr(self, "_own_run", None) or new_run_id()
        return found

    def _files(self) -> WarcFiles:
        if self.files is None:
            run, spider = self.run_id(), self.crawler.spider.name
            info = self.warcinfo(run, spider)
            self.files = WarcFiles(
                self.root / run, f"{run}-{spider}", self.max_bytes, self.base, info
            )
        return self.files

    def warcinfo(self, run: str, spider: str) -> dict[str, str]:
        settings = self.crawler.settings
        recorded = {name: settings.get(name) for name in RECORDED_SETTINGS}
        return {
            "software": f"govreports/{__version__} (Scrapy {scrapy.__version__}, "
            f"warcio {version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "isPartOf": f"govreports run {run}",
            "description": f"spider {spider}; HTTP header blocks rebuilt from Scrapy, payloads "
            "as received (see crawler/warc.py)",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
            "hostname": os.uname().nodename,
            "settings": json.dumps(recorded, ensure_ascii=False, default=str),
        }

    async def process_response(self, request: Request, response: Response) -> Response:
        try:
            earlier = await self.archived(request, response)
            place = self.write(request, response, earlier)
        except Exception as exc:  # a full disk must not lose the capture: SQLite still keeps it
            self.stats.inc_value(f"warc/write_failed/{type(exc).__name__}")
            log.error("WARC record for %s not written: %r", response.url, exc, exc_info=True)
            request.meta.pop("warc_record", None)  # never a redirect hop's record instead
            return response
        request.meta["warc_record"] = place.as_meta()
        return response

    def write(
        self, request: Request, response: Response, earlier: tuple[str, str] | None = None
    ) -> RecordPlace:
        """The exchange's records; `earlier` is (URL, WARC-Date) of an earlier run's record of
        the same body, which the response record then becomes a revisit of."""
        files, writer = self._files(), BUILDER
        date = warc_date(request.meta.get("fetched_at") or utc_now())
        common = {"WARC-Date": date}
        ip = self.ip_address(request, response)
        if ip:
            common["WARC-IP-Address"] = ip
        main = self.main_record(writer, request, response, common, earlier)
        main_id = main.rec_headers.get_header("WARC-Record-ID")
        concurrent = {"WARC-Date": date, "WARC-Concurrent-To": main_id}
        records = [
            main,
            writer.create_warc_record(
                response.url,
                "request",
                payload=BytesIO(request.body or b""),
                length=len(request.body or b""),
                http_headers=self.request_headers(request),
                warc_headers_dict=dict(concurrent),
            ),
            self.metadata_record(writer, request, response, main.rec_type, concurrent),
        ]
        return files.write(records)

    def main_record(
        self,
        writer: RecordBuilder,
        request: Request,
        response: Response,
        common: dict,
        earlier: tuple[str, str] | None,
    ):
        headers = http_headers(status_line(response.status), response.headers)
        previous = request.meta.get("incremental_previous")
        if response.status == 304 and previous is not None:
            return self.revisit(
                writer,
                response.url,
                headers,
                SERVER_NOT_MODIFIED,
                (previous.final_url, warc_date(previous.fetched_at), previous.sha256),
                common,
            )
        body = response.body
        digest = hashlib.sha256(body).hexdigest()
        seen = self.digests.get(digest) or earlier
        if seen is not None and body:
            return self.revisit(
                writer, response.url, headers, IDENTICAL_PAYLOAD, (*seen, digest), common
            )
        self.digests[digest] = (response.url, common["WARC-Date"])
        extra = dict(common)
        extra["WARC-Payload-Digest"] = sha256_label(digest)
        if "dataloss" in response.flags:
            extra["WARC-Truncated"] = "disconnect"
        self.stats.inc_value(f"warc/{payload_kind(request, response)}")
        return writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=headers,
            warc_headers_dict=extra,
        )

    async def archived(self, request: Request, response: Response) -> tuple[str, str] | None:
        """(URL, WARC-Date) of an earlier run's record of this body, looked up on the archive's
        reader thread (crawler/archive/reads.py), only where main_record would use it. Blobs
        hold decoded bodies: only a body sent without content-encoding can be matched to one."""
        if not self.revisit_archived or not response.body:
            return None
        if response.headers.get("Content-Encoding"):
            return None
        if response.status == 304 and request.meta.get("incremental_previous") is not None:
            return None  # a revisit of the stored capture, whatever its bytes
        digest = hashlib.sha256(response.body).hexdigest()
        if digest in self.digests:
            return None  # this run's own record comes first
        found = await self.read(ArchiveReader.warc_original, digest)
        return (found[0], warc_date(found[1])) if found else None

    def revisit(self, writer, uri, headers, profile, refers_to, common):
        refers_uri, refers_date, digest = refers_to
        self.stats.inc_value("warc/revisit")
        record = writer.create_revisit_record(
            uri,
            sha256_label(digest),
            refers_uri,
            refers_date,
            http_headers=headers,
            warc_headers_dict=dict(common),
        )
        record.rec_headers.replace_header("WARC-Profile", profile)
        return record

    def request_headers(self, request: Request) -> StatusAndHeaders:
        line = f"{request.method} {request_target(request)} HTTP/1.1"
        headers = http_headers(line, request.headers, request=True)
        if not headers.get_header("Host"):  # the download handler adds it on the wire
            host = urlparse_cached(request).netloc
            headers.headers.insert(0, ("Host", host))
        return headers

    def metadata_record(self, writer, request, response, main_type: str, concurrent: dict):
        referer = request.headers.get("Referer")
        fields = {
            "run": self.run_id(),
            "spider": self.crawler.spider.name,
            "kind": request_kind(request),
            "via": request.meta.get("list_url") or (referer.decode("latin-1") if referer else ""),
            "redirected-from": " ".join(request.meta.get("redirect_urls", [])),
            "column": str(request.meta.get("column") or ""),
            # how the response record was made (module doc): exact | rebuilt | revisit
            "payload": "revisit" if main_type == "revisit" else payload_kind(request, response),
            "http-headers": "rebuilt from Scrapy's parsed headers",
        }
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v).encode("utf-8")
        return writer.create_warc_record(
            response.url,
            "metadata",
            payload=BytesIO(body),
            length=len(body),
            warc_content_type="application/warc-fields",
            warc_headers_dict=dict(concurrent),
        )

    @staticmethod
    def ip_address(request: Request, response: Response) -> str | None:
        # Through a proxy (the sandbox, a cron host's egress) the peer is the proxy, not the portal.
        if request.meta.get("proxy") or request.meta.get("_auth_proxy"):
            return None
        return str(response.ip_address) if response.ip_address else None

    def spider_closed(self) -> None:
        if self.files is not None:
            self.files.close()
        self.release_reads()
