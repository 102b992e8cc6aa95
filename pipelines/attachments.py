"""Text of every attachment and body image, extracted in a child process under limits.

Attachments are untrusted input: a hostile file costs one counted failure, never the crawl.
The page text is kept as it is; the attachment text is stored beside it and searched with it, so
a report whose page is only a note gets its searchable text from the file.

With `OCR_DEFERRED` the crawl does not OCR: a file only OCR can read is stored with the status
`ocr_queued`, and the archive queues an `ocr` job for its bytes in the report's transaction;
`govreports jobs work` (crawler/jobs.py) does the OCR later, on any node, so a scanned backlog
does not hold the crawl.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.archive import ArchiveReader
from crawler.attachment_text import joined_text, stored_fields, waiting_status
from crawler.budget import is_too_large
from crawler.extract import Limits, extract_async
from crawler.items import AttachmentItem, ReportItem


class AttachmentsPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ATTACHMENTS_ENABLED"):
            raise NotConfigured("ATTACHMENTS_ENABLED is off")
        self.crawler = crawler
        # OCR off and OCR deferred both extract without it; deferred queues what it left.
        self.deferred = settings.getbool("OCR_ENABLED") and settings.getbool("OCR_DEFERRED")
        self.limits = Limits.from_settings(settings, ocr=False if self.deferred else None)
        # Each extraction is a process; two at a time is what two cores can take.
        self.slots = asyncio.Semaphore(settings.getint("ATTACHMENT_CONCURRENCY", 2))
        # Bytes extracted in an earlier run are not parsed (or OCR'd) again: revalidated files
        # come back as the same blob night after night.  `--full` extracts everything anew.
        self.earlier = (
            ArchiveReader(settings.get("ARCHIVE_PATH"))
            if settings.getbool("INCREMENTAL_ENABLED")
            else None
        )

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
        earlier = self.reusable(attachment.capture.sha256)
        if earlier is not None:
            for name, value in earlier.items():
                setattr(attachment, name, value)
            stats.inc_value("attachments/reused_extraction")
        else:
            async with self.slots:
                result = await extract_async(
                    attachment.capture.body, attachment.filename, self.limits
                )
            for name, value in stored_fields(result).items():
                setattr(attachment, name, value)
            if self.deferred and result.needs_ocr:
                attachment.status, attachment.error = waiting_status("ocr"), None
        stats.inc_value(f"attachments/status/{attachment.status}")

    def reusable(self, sha256: str) -> dict | None:
        """What an earlier run extracted from these bytes, unless it left them to the OCR queue
        and this crawl OCRs itself."""
        earlier = self.earlier.extraction(sha256) if self.earlier else None
        if earlier and earlier["status"] == waiting_status("ocr") and not self.deferred:
            return None
        return earlier
