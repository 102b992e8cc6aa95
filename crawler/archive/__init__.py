"""The archive: the one owner of SQL in govreports.

Schema and migrations, opening (pragmas, WAL), writes (captures, blobs, reports, versions,
sightings, attachments, near-duplicate links, runs), the incremental state a crawl reads,
search, exports and run history: all of it is here, behind this API. Nothing outside this
package writes SQL (tests/core/test_sql_owner.py keeps it so).

- ``Archive``: the writer (``Archive.open(path)`` creates and migrates), one thread at a time.
- ``ArchiveView``: read-only access (``ArchiveView.open(path)``), what the query commands use.
- ``ArchiveReader``: incremental-state lookups for the crawl's middlewares and pipelines.
- ``writer.acquire(path)`` / ``writer.release``: the one writer thread per archive file.
- ``open_archive``: the bare connection (sqlite-utils ``Database``), for tests and tools.
- ``fingerprint``: the text fingerprint that identifies a re-posted report.
"""

# First: sqlite-utils must load without pandas (lean_sqlite_utils.py says why).
from crawler.archive import lean_sqlite_utils  # noqa: F401
from crawler.archive.connection import (
    ArchiveCorrupt,
    ArchiveTooNew,
    ArchiveUnavailable,
    EngineMismatch,
    ensure_stdlib_sqlite,
    open_archive,
)
from crawler.archive.deletions import Listing
from crawler.archive.identity import fingerprint
from crawler.archive.reader import ArchiveReader, StoredCapture
from crawler.archive.reports import EXPORT_COLUMNS, ReportNotFound
from crawler.archive.search import Filters, Hit, QueryError
from crawler.archive.store import Archive, CleanedText, StoreResult
from crawler.archive.view import ArchiveView

__all__ = [
    "EXPORT_COLUMNS",
    "Archive",
    "ArchiveCorrupt",
    "ArchiveReader",
    "ArchiveTooNew",
    "ArchiveUnavailable",
    "ArchiveView",
    "CleanedText",
    "EngineMismatch",
    "Filters",
    "Hit",
    "Listing",
    "QueryError",
    "ReportNotFound",
    "StoreResult",
    "StoredCapture",
    "ensure_stdlib_sqlite",
    "fingerprint",
    "open_archive",
]
