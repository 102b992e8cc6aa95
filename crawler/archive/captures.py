"""Raw bytes and their provenance: a blob per distinct body, a capture row per fetch."""

from __future__ import annotations

import json
import uuid

from sqlite_utils import Database

from crawler import __version__
from crawler.archive import rows
from crawler.items import Capture


def store_capture(db: Database, capture: Capture) -> int:
    """The capture's row id; its bytes are stored once, whoever fetched them first."""
    if not db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [capture.sha256]).fetchone():
        row = {"sha256": capture.sha256, "size": capture.size, "body": capture.body}
        rows.insert(db, "blobs", row)
    return rows.insert(
        db,
        "captures",
        {
            "run_id": capture.run_id,
            "spider": capture.spider,
            "kind": capture.kind,
            "url": capture.url,
            "final_url": capture.final_url,
            "redirects": json.dumps(capture.redirects),
            "referer": capture.referer,
            "status": capture.status,
            "headers": json.dumps(capture.headers, ensure_ascii=False),
            "fetched_at": capture.fetched_at,
            "sha256": capture.sha256,
            "size": capture.size,
            "not_modified": int(capture.not_modified),
            "crawler_version": __version__,
            "warc_file": capture.warc_file,
            "warc_offset": capture.warc_offset,
            "warc_length": capture.warc_length,
            # stable across archives: shards merge by it (crawler.archive.merge)
            "uid": f"{capture.run_id}/{uuid.uuid4().hex}",
        },
    )
