"""The extraction queue: one job per file and kind, each taken once, a dead taker's job taken
again after its lease, finished or failed with the reason."""

from __future__ import annotations

import hashlib

import pytest

from crawler.archive import jobqueue, open_archive

SCAN = hashlib.sha256(b"%PDF-1.4 scanned 2019 report").hexdigest()
TABLE = hashlib.sha256(b"\x89PNG table image").hexdigest()


@pytest.fixture
def db(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    for sha in (SCAN, TABLE):
        db["blobs"].insert({"sha256": sha, "size": 3, "body": b"..."})
    yield db
    db.close()


def test_each_job_is_taken_once_and_a_dead_takers_job_again_after_its_lease(db):
    assert jobqueue.enqueue(db, SCAN, "ocr") is True
    assert jobqueue.enqueue(db, SCAN, "ocr") is False  # the same file is OCR'd once
    assert jobqueue.enqueue(db, TABLE, "ocr") is True
    assert jobqueue.enqueue(db, SCAN, "extract") is True

    first = jobqueue.take(db, "n1", "ocr", lease_expired_before="2000-01-01T00:00:00Z")
    second = jobqueue.take(db, "n2", "ocr", lease_expired_before="2000-01-01T00:00:00Z")
    assert (first.sha256, second.sha256) == (SCAN, TABLE)
    assert jobqueue.take(db, "n3", "ocr", lease_expired_before="2000-01-01T00:00:00Z") is None

    # n1 died: once its lease is over, n3 takes its job
    again = jobqueue.take(db, "n3", "ocr", lease_expired_before="9999-01-01T00:00:00Z")
    assert (again.id, again.sha256) == (first.id, SCAN)
    jobqueue.finish(db, again.id)
    jobqueue.finish(db, second.id, error="tesseract: timeout after 120 s")
    assert jobqueue.counts(db) == {
        ("extract", "queued"): 1,
        ("ocr", "done"): 1,
        ("ocr", "failed"): 1,
    }
    row = db.execute("SELECT node, error FROM extraction_jobs WHERE id = ?", [second.id]).fetchone()
    assert row == ("n2", "tesseract: timeout after 120 s")


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(
        ValueError, match="unknown extraction kind 'translate'; known: extract, ocr"
    ):
        jobqueue.enqueue(db, SCAN, "translate")
