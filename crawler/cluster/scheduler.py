"""Which job runs on which node: one job per portal, a node never given more jobs than its
slots, a tagged portal only on a node with its tag; a node that stops answering is dead after
`dead_after` polls in a row and its jobs start again elsewhere.

The scheduler knows nodes only through two callables (start a job, list a node's jobs), so the
rules are tested without a daemon; crawler.cluster.clustercrawl gives it Scrapyd's API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.cluster.jobs import PortalJob
from crawler.cluster.nodes import ClusterConfig, Node
from crawler.cluster.scrapyd import NodeDown, NodeJobs

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a portal whose job fails on three nodes is reported, not retried forever


@dataclass(frozen=True)
class Attempt:
    job: PortalJob
    number: int  # 1 for the first try
    node: str
    job_id: str
    shard: Path


@dataclass
class Outcome:
    """What became of one portal's job."""

    portal: str
    attempts: list[Attempt] = field(default_factory=list)
    shard: Path | None = None  # the shard of the attempt that finished well
    moved: list[str] = field(default_factory=list)  # "node a died: to node b"
    error: str | None = None  # why no attempt finished well


StartJob = Callable[[Node, Attempt], None]  # raises NodeDown
ListJobs = Callable[[Node], NodeJobs]  # raises NodeDown
ShardOk = Callable[[Path], bool]  # did the finished job leave a complete shard?


class Scheduler:
    def __init__(
        self,
        config: ClusterConfig,
        run_id: str,
        start: StartJob,
        list_jobs: ListJobs,
        shard_ok: ShardOk,
        sleep: Callable[[float], None],
    ) -> None:
        self.config, self.run_id = config, run_id
        self.start, self.list_jobs, self.shard_ok, self.sleep = start, list_jobs, shard_ok, sleep
        self.failures = {n.name: 0 for n in config.nodes}
        self.dead: set[str] = set()
        self.waiting: list[PortalJob] = []
        self.in_flight: dict[str, Attempt] = {}  # job id -> attempt
        self.outcomes: dict[str, Outcome] = {}

    def run(self, jobs: list[PortalJob], dead: set[str] = frozenset()) -> dict[str, Outcome]:
        """Run every job to an outcome; `dead` nodes (they failed deployment) get none."""
        self.dead |= set(dead)
        self.waiting = list(jobs)
        self.outcomes = {j.portal: Outcome(j.portal) for j in jobs}
        while True:
            self._assign()
            if not self.waiting and not self.in_flight:
                return self.outcomes
            self.sleep(self.config.poll_seconds)
            self._poll()

    # --- assigning ------------------------------------------------------------------------
    def _alive(self) -> list[Node]:
        return [n for n in self.config.nodes if n.name not in self.dead]

    def _free(self, node: Node) -> int:
        return node.slots - sum(1 for a in self.in_flight.values() if a.node == node.name)

    def _assign(self) -> None:
        for job in list(self.waiting):
            fitting = [n for n in self._alive() if job.tag is None or job.tag in n.tags]
            if not fitting:
                self.waiting.remove(job)
                wanted = f"no live node has tag {job.tag!r}" if job.tag else "no live node"
                self._give_up(job.portal, wanted)
                continue
            free = [n for n in fitting if self._free(n) > 0]
            if free:
                self._start(job, max(free, key=self._free))  # first in the file on a tie

    def _start(self, job: PortalJob, node: Node) -> None:
        outcome = self.outcomes[job.portal]
        number = len(outcome.attempts) + 1
        job_id = f"{self.run_id}.{job.portal}.{number}"
        shard = self.config.shard_dir / f"{job.portal}.{self.run_id}.{number}.db"
        attempt = Attempt(job, number, node.name, job_id, shard)
        try:
            self.start(node, attempt)
        except NodeDown as exc:
            log.warning("could not schedule %s: %s", job.portal, exc)
            self._node_failed(node)
            return
        log.info("%s: job %s on node %s", job.portal, job_id, node.name)
        outcome.attempts.append(attempt)
        self.waiting.remove(job)
        self.in_flight[job_id] = attempt

    # --- polling ---------------------------------------------------------------------------
    def _poll(self) -> None:
        for node in self._alive():
            mine = {i: a for i, a in self.in_flight.items() if a.node == node.name}
            if not mine:
                continue
            try:
                known = self.list_jobs(node)
            except NodeDown as exc:
                log.warning("%s", exc)
                self._node_failed(node)
                continue
            self.failures[node.name] = 0
            for job_id, attempt in mine.items():
                if job_id in known.finished:
                    self._finished(attempt)
                elif job_id not in known.pending | known.running:
                    # the node restarted and forgot the job (Scrapyd keeps jobs in memory)
                    self._retry(attempt, f"node {node.name} lost job {job_id}")

    def _node_failed(self, node: Node) -> None:
        self.failures[node.name] += 1
        if self.failures[node.name] < self.config.dead_after:
            return
        log.warning("node %s is dead: its jobs start again elsewhere", node.name)
        self.dead.add(node.name)
        for attempt in [a for a in self.in_flight.values() if a.node == node.name]:
            self._retry(attempt, f"node {node.name} died")

    def _finished(self, attempt: Attempt) -> None:
        del self.in_flight[attempt.job_id]
        if self.shard_ok(attempt.shard):
            self.outcomes[attempt.job.portal].shard = attempt.shard
            return
        self._requeue(attempt, f"job {attempt.job_id} left no finished run in its shard")

    def _retry(self, attempt: Attempt, reason: str) -> None:
        self.in_flight.pop(attempt.job_id, None)
        self._requeue(attempt, reason)

    def _requeue(self, attempt: Attempt, reason: str) -> None:
        outcome = self.outcomes[attempt.job.portal]
        if attempt.number >= MAX_ATTEMPTS:
            self._give_up(attempt.job.portal, f"{reason} (attempt {attempt.number})")
            return
        log.warning("%s: %s; scheduled again", attempt.job.portal, reason)
        outcome.moved.append(reason)
        self.waiting.append(attempt.job)

    def _give_up(self, portal: str, reason: str) -> None:
        log.warning("%s: not crawled: %s", portal, reason)
        self.outcomes[portal].error = reason
