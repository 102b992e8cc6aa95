"""The extraction queue: one job per file and kind, each taken once, a dead taker's job taken
again after its lease, finished or failed with the reason, queued again when its file comes back
or its failure is retried."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

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


FILES = [hashlib.sha256(f"scan {n}".encode()).hexdigest() for n in range(4)]
NOBODY_EXPIRED, ALL_EXPIRED = "2000-01-01T00:00:00Z", "9999-01-01T00:00:00Z"


class QueueMachine(RuleBasedStateMachine):
    """Any sequence of crawls queueing files, workers taking, finishing, failing and dying keeps
    the queue one job per file and kind, each job held by one worker at most, and takes only
    what is waiting (queued, or taken by a worker whose lease ran out)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.db = open_archive(Path(self.folder.name) / "archive.db")
        for sha in FILES:
            self.db["blobs"].insert({"sha256": sha, "size": 3, "body": b"..."})
        self.model: dict[str, tuple[str, str | None]] = {}  # sha -> (status, node)

    def teardown(self) -> None:
        self.db.close()
        self.folder.cleanup()

    @rule(sha=st.sampled_from(FILES), again=st.booleans())
    def queue(self, sha: str, again: bool) -> None:
        queued = (jobqueue.ensure_queued if again else jobqueue.enqueue)(self.db, sha, "ocr")
        status = self.model.get(sha, (None, None))[0]
        expected = status is None or (again and status in ("done", "failed"))
        assert queued is expected
        if expected:
            self.model[sha] = ("queued", None)

    @rule(node=st.sampled_from(["n1", "n2"]), expired=st.booleans())
    def take(self, node: str, expired: bool) -> None:
        job = jobqueue.take(self.db, node, "ocr", ALL_EXPIRED if expired else NOBODY_EXPIRED)
        waiting = {
            sha
            for sha, (status, _) in self.model.items()
            if status == "queued" or (status == "taken" and expired)
        }
        if job is None:
            assert not waiting
            return
        assert job.sha256 in waiting
        self.model[job.sha256] = ("taken", node)

    @rule(sha=st.sampled_from(FILES), error=st.sampled_from([None, "timeout: OCR took 180 s"]))
    def finish(self, sha: str, error: str | None) -> None:
        if self.model.get(sha, (None,))[0] != "taken":
            return
        (job_id,) = self.db.execute(
            "SELECT id FROM extraction_jobs WHERE sha256 = ?", [sha]
        ).fetchone()
        jobqueue.finish(self.db, job_id, error)
        self.model[sha] = ("failed" if error else "done", self.model[sha][1])

    @rule()
    def retry_failed(self) -> None:
        failed = [sha for sha, (status, _) in self.model.items() if status == "failed"]
        assert jobqueue.requeue_failed(self.db, "ocr") == len(failed)
        for sha in failed:
            self.model[sha] = ("queued", None)

    @invariant()
    def the_queue_is_the_model(self) -> None:
        rows = self.db.execute("SELECT sha256, status, node FROM extraction_jobs").fetchall()
        assert {sha: (status, node) for sha, status, node in rows} == self.model
        expected_pending = sorted(
            s for s, (st_, _) in self.model.items() if st_ in ("queued", "taken")
        )
        assert sorted(sha for sha, _ in jobqueue.pending(self.db)) == expected_pending


QueueMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_the_queue_keeps_its_promises_in_any_order = QueueMachine.TestCase
