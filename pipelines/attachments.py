"""Text of every attachment and body image, extracted in a child process under limits.

Attachments are untrusted input: a hostile file costs one counted failure, never the crawl.
The page text is kept as it is; the attachment text is stored beside it and searched with it, so
a report whose page is only a note gets its searchable text from the file.

With `OCR_DEFERRED` the crawl does not OCR: a file only OCR can read is stored with the status
`ocr_queued`, and the archive queues an `ocr` job for its bytes in the report's transaction;
`govreports jobs work` (crawler/jobs.py) does the OCR later, on any node, so a scanned backlog
does not hold the crawl.

With `EXTRACT_DEFERRED` the crawl extracts nothing: every fetched file is archived with its
bytes, its hash and the type its first bytes give, with the status `extract_queued`, and the
archive queues an `extract` job for it; `govreports jobs work --kind extract` reads it later with
the same code and limits (and OCRs it, or queues its `ocr` job when OCR is deferred too).
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.archive import ArchiveReader
from crawler.archive.reads import ReadsArchive
from crawler.attachment_text import (
    extraction_limits,
    joined_text,
    ocr_deferred,
    stored_fields,
    waiting_status,
)
from crawler.budget import is_too_large
from crawler.extract import extract_async, refused
from crawler.extract.sniff import MIME, sniff_prefix
from crawler.items import AttachmentItem, ReportItem


class AttachmentsPipeline(ReadsArchive):
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ATTACHMENTS_ENABLED"):
            raise NotConfigured("ATTACHMENTS_ENABLED is off")
        self.crawler = crawler
        # OCR off and OCR deferred both extract without it; deferred queues what it left.
        self.ocr_deferred = ocr_deferred(settings)
        self.limits = extraction_limits(settings)
        self.extract_deferred = settings.getbool("EXTRACT_DEFERRED")
        # Each extraction is a process; two at a time is what two cores can take.
        self.slots = asyncio.Semaphore(settings.getint("ATTACHMENT_CONCURRENCY", 2))
        # Bytes extracted in an earlier run are not parsed (or OCR'd) again: revalidated files
        # come back as the same blob night after night.  `--full` extracts everything anew.
        self.reuse = settings.getbool("INCREMENTAL_ENABLED")
        self.archive_path = settings.get("ARCHIVE_PATH")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttachmentsPipeline:
        return cls(crawler)

    async def process_item(self, item: ReportItem) -> ReportItem:
        files = [*item.attachments, *item.images]
        for attachment in files:
            await self.extract(attachment)
        item.attachment_text = joined_text((a.status, a.text) for a in files)
        return item

    async def extract(self, attachment: AttachmentItem) -> None:
        stats = self.crawler.stats
        if attachment.capture is None or attachment.fetch_error:
            status = "too_large" if is_too_large(attachment.fetch_error) else "fetch_failed"
            attachment.status, attachment.error = status, attachment.fetch_error
            stats.inc_value(f"attachments/status/{status}")
            return
        earlier = await self.reusable(attachment.capture.sha256)
        if earlier is not None:
            for name, value in earlier.items():
                setattr(attachment, name, value)
            stats.inc_value("attachments/reused_extraction")
        elif self.extract_deferred:
            self.defer(attachment)
        else:
            async with self.slots:
                result = await extract_async(
                    attachment.capture.body, attachment.filename, self.limits
                )
            for name, value in stored_fields(result, self.ocr_deferred).items():
                setattr(attachment, name, value)
        stats.inc_value(f"attachments/status/{attachment.status}")

    def defer(self, attachment: AttachmentItem) -> None:
        """Leave the file to an `extract` job: only what its bytes show without parsing them
        (the same size limit the extraction applies; the type from its magic bytes)."""
        body = attachment.capture.body
        too_large = refused(body, self.limits)  # extraction would refuse it: nothing to queue
        if too_large is not None:
            for name, value in stored_fields(too_large).items():
                setattr(attachment, name, value)
            return
        attachment.mime = MIME[sniff_prefix(body)]
        attachment.text = attachment.method = None
        attachment.status, attachment.error = waiting_status("extract"), None

    def close_spider(self) -> None:
        self.release_reads()

    async def reusable(self, sha256: str) -> dict | None:
        """What an earlier run extracted from these bytes, unless it left them to a queue
        (extraction, OCR) that this crawl does not leave them to."""
        earlier = await self.read(ArchiveReader.extraction, sha256) if self.reuse else None
        deferred = {"extract": self.extract_deferred, "ocr": self.ocr_deferred}
        for kind, deferring in deferred.items():
            if earlier and earlier["status"] == waiting_status(kind) and not deferring:
                return None
        return earlier
