"""Extraction jobs worked off the archive's queue (`govreports jobs work`), on any node that
reaches the archive, beside or after the crawls that queued them (`EXTRACT_DEFERRED`,
`OCR_DEFERRED`).

A job is one file (sha256) and one kind of work (``extract``, ``ocr``). The worker takes the
oldest job with a lease, reads the file's bytes from the archive's blobs, extracts it with the
crawl's own code and limits (crawler.extract: the same fork server, the same child process; OCR
on for ``ocr`` jobs; for ``extract`` jobs as the crawl's settings say: a file only OCR can read
is OCR'd in the job, or, with OCR deferred too, left `ocr_queued` with its ``ocr`` job queued),
and, in one transaction: writes the result to every attachment waiting for it (a new version),
refreshes each of their reports as `reclean` does (attachment text, fingerprint, search index,
near-duplicate links, figures: crawler.reclean.refresh_attachment_text) and marks the job done.
A worker that dies leaves its job taken; once the lease runs out another worker takes it. A file
the extraction fails on (timeout, corrupt, OCR engine missing) fails its job with the reason;
its attachments keep waiting (`extract_queued`, `ocr_queued`) and `--retry-failed` queues the
job again.  An ``extract`` job stores what the crawl would store for a file it cannot read at
all (``unsupported``, ``too_large``): that is the file's outcome, not a failure to retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from crawler.archive import Archive
from crawler.archive.jobqueue import ExtractionJob
from crawler.attachment_text import stored_fields
from crawler.clock import stamp, utc_now
from crawler.extract import Extraction, Limits, extract_bytes
from crawler.reclean import RecleanCounts, Rules, refresh_attachment_text

log = logging.getLogger(__name__)

# Outcomes that fail a job (its attachments keep waiting for a retry), by kind of job.
FAILED_STATUSES = {
    "ocr": ("timeout", "corrupt", "too_large", "unsupported"),
    "extract": ("timeout", "corrupt"),
}
DEFAULT_LEASE = timedelta(minutes=15)  # longer than OCR's deadline at the default limits


@dataclass
class WorkCounts:
    done: int = 0
    failed: int = 0
    reports_changed: int = 0  # reports whose attachment text the jobs changed
    figures_changed: int = 0
    errors: list[str] = field(default_factory=list)  # "sha256: reason" of each failed job


def work(
    archive: Archive,
    rules_for_portal: Rules,
    *,
    kind: str = "ocr",
    node: str,
    limits: Limits,
    lease: timedelta = DEFAULT_LEASE,
    limit: int | None = None,
    defer_ocr: bool = False,
    extract: Callable[[bytes, str | None, Limits], Extraction] = extract_bytes,
) -> WorkCounts:
    """Take and finish jobs of `kind` until none is left (or `limit` jobs are finished).
    `defer_ocr`: an ``extract`` job leaves a file only OCR can read to an ``ocr`` job."""
    counts = WorkCounts()
    while limit is None or counts.done + counts.failed < limit:
        job = archive.take_job(node, kind, _before(lease))
        if job is None:
            break
        run_job(archive, job, rules_for_portal, limits, counts, extract, defer_ocr)
    return counts


def run_job(
    archive: Archive,
    job: ExtractionJob,
    rules_for_portal: Rules,
    limits: Limits,
    counts: WorkCounts,
    extract: Callable[[bytes, str | None, Limits], Extraction] = extract_bytes,
    defer_ocr: bool = False,
) -> None:
    """One job: extract the file, write its result where it is awaited, or fail with why."""
    try:
        error = _run(archive, job, rules_for_portal, limits, counts, extract, defer_ocr)
    except Exception as exc:  # our bug or the pool's: the job fails with it, the loop goes on
        log.exception("extraction job %s (%s) failed", job.id, job.sha256)
        error = f"{type(exc).__name__}: {exc}"
    if error is None:
        counts.done += 1
        return
    archive.finish_job(job.id, error)
    counts.failed += 1
    counts.errors.append(f"{job.sha256}: {error}")


def _run(
    archive: Archive,
    job: ExtractionJob,
    rules_for_portal: Rules,
    limits: Limits,
    counts: WorkCounts,
    extract: Callable[[bytes, str | None, Limits], Extraction],
    defer_ocr: bool,
) -> str | None:
    if not archive.is_awaited(job.sha256, job.kind):  # a crawl read it meanwhile
        archive.finish_job(job.id)
        return None
    found = archive.waiting_file(job.sha256, job.kind)
    if found is None:
        return "the file's bytes are not in this archive"
    body, filename = found
    result = extract(body, filename, limits)
    if result.status in FAILED_STATUSES[job.kind]:
        return f"{result.status}: {result.error}"
    fields = stored_fields(result, defer_ocr and job.kind == "extract")
    figures = RecleanCounts()
    with archive.transaction():
        reports = archive.fill_waiting_attachments(job.sha256, job.kind, fields, utc_now())
        for report_id in reports:
            if refresh_attachment_text(archive, report_id, rules_for_portal, figures):
                counts.reports_changed += 1
        archive.finish_job(job.id)
    counts.figures_changed += figures.figures_changed
    return None


def _before(lease: timedelta) -> str:
    """The taken_at before which a taker's lease has run out, in the stored clock's format."""
    return stamp(datetime.now(UTC) - lease)
