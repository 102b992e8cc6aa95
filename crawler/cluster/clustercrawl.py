"""A cluster crawl from start to end: deploy the egg to every node, one Scrapyd job per portal
(crawler.cluster.scheduler), the finished shards merged into the archive, each portal judged by
the same health checks as `govreports crawl`, and the same exit status."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from crawler import lifecycle
from crawler.archive import Archive, ArchiveUnavailable, ArchiveView, merge
from crawler.clock import utc_now
from crawler.cluster.egg import build_egg
from crawler.cluster.jobs import PortalJob
from crawler.cluster.nodes import ClusterConfig, Node
from crawler.cluster.scheduler import Attempt, Outcome, Scheduler
from crawler.cluster.scrapyd import NodeDown, ScrapydNode
from crawler.gone import Verdict
from crawler.health import History, PortalHealth, assess, far_fewer_reports
from crawler.portal import new_run_id

log = logging.getLogger(__name__)

# The lifecycle's checks that read the archive's history: a shard begins empty, so they pass
# there and are applied again against the merged archive's history (its `past`).  A failure
# means the lists cannot be trusted: nothing is marked gone (crawler/gone.py LISTS_SUSPECT).
HISTORY_CHECKS = (far_fewer_reports,)


@dataclass
class ClusterResult:
    run_id: str
    exit_status: int
    portals: dict[str, PortalHealth] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    dead_nodes: list[str] = field(default_factory=list)


def cluster_crawl(
    config: ClusterConfig,
    jobs: list[PortalJob],
    settings: Settings,
    job_settings: dict[str, str],
) -> ClusterResult:
    """Crawl `jobs` on the nodes into settings['ARCHIVE_PATH']; the caller holds its lock."""
    run_id = new_run_id()
    path = settings.get("ARCHIVE_PATH")
    portals = [j.portal for j in jobs]
    past = _open_run(path, run_id, portals)
    config.shard_dir.mkdir(parents=True, exist_ok=True)
    nodes = {n.name: ScrapydNode(n) for n in config.nodes}
    dead = _deploy(nodes, run_id)

    def start(node: Node, attempt: Attempt) -> None:
        shard_settings = {**job_settings, "ARCHIVE_PATH": str(attempt.shard)}
        nodes[node.name].schedule(attempt.job.portal, attempt.job_id, run_id, shard_settings)

    scheduler = Scheduler(
        config, run_id, start, lambda n: nodes[n.name].jobs(), _shard_finished, time.sleep
    )
    outcomes = scheduler.run(jobs, dead)
    shards = [o.shard for o in outcomes.values() if o.shard]
    merge.merge_shards(path, sorted(shards), verify=False)

    health = {
        portal: _judge(path, portal, outcome, past[portal], settings)
        for portal, outcome in outcomes.items()
    }
    result = ClusterResult(run_id, lifecycle.exit_status_of(health, None), health, outcomes)
    result.dead_nodes = sorted(scheduler.dead)
    _finish_run(path, result)
    return result


def _open_run(path: str, run_id: str, portals: list[str]) -> dict[str, Any]:
    archive = Archive.open(path)
    try:
        past = {p: lifecycle.portal_history(archive, p) for p in portals}
        archive.start_run(run_id, portals, os.getpid())
    finally:
        archive.close()
    return past


def _finish_run(path: str, result: ClusterResult) -> None:
    archive = Archive.open(path)
    try:
        summary = {p: h.as_dict() for p, h in result.portals.items()}
        archive.finish_run(result.run_id, summary, result.exit_status, "finished")
    finally:
        archive.close()


def _deploy(nodes: dict[str, ScrapydNode], version: str) -> set[str]:
    """The egg on every node at once, as version `version` (the run id: a job runs the code it
    was scheduled with).  Nodes that refuse it are dead for this run."""
    with tempfile.TemporaryDirectory(prefix="govreports-deploy-") as tmp:
        egg = build_egg(Path(tmp) / "govreports.egg")
        with ThreadPoolExecutor(max_workers=len(nodes)) as pool:
            failures = dict(
                zip(
                    nodes,
                    pool.map(lambda n: _deploy_to(n, egg, version), nodes.values()),
                    strict=True,
                )
            )
    return {name for name, failed in failures.items() if failed}


def _deploy_to(node: ScrapydNode, egg: Path, version: str) -> bool:
    """True if the node refused the egg."""
    try:
        node.deploy(egg, version)
    except NodeDown as exc:
        log.warning("deploy failed, node %s left out: %s", node.node.name, exc)
        return True
    return False


def _shard_run(shard: Path) -> dict[str, Any] | None:
    try:
        with ArchiveView.open(shard) as view:
            runs = view.recent_runs(1)
    except ArchiveUnavailable:
        return None
    return runs[0] if runs else None


def _shard_finished(shard: Path) -> bool:
    """A job's shard counts when the run lifecycle wrote its run row to the end: `finished`,
    with the portal's judged health (a killed job's row still says `running`; a job stopped
    by a signal ends `aborted`)."""
    run = _shard_run(shard)
    return bool(run and run["status"] == "finished" and run["stats"])


def _shard_health(shard: Path, portal: str) -> tuple[str | None, PortalHealth | None]:
    """The shard's run id and the health its run lifecycle judged for `portal`."""
    run = _shard_run(shard)
    if not run or not run["stats"]:
        return None, None
    judged = json.loads(run["stats"]).get(portal)
    return run["id"], PortalHealth.from_dict(judged) if judged else None


def _judge(
    path: str, portal: str, outcome: Outcome, past: History, settings: Settings
) -> PortalHealth:
    """The portal's health as its shard's lifecycle judged it, with the checks that need the
    merged archive's history applied again (the shard began empty); gone marked in the merged
    archive by the shard's own verdict, as `govreports crawl` marks it in its archive."""
    run_id, health = _shard_health(outcome.shard, portal) if outcome.shard else (None, None)
    if health is None:
        health = assess(portal, {}, past, settings)  # "spider never ran"
        if outcome.error:
            health.reasons.append(f"not crawled: {outcome.error}")
        return health
    suspect = [reason for check in HISTORY_CHECKS if (reason := check(health, {}, past, settings))]
    health.reasons += suspect
    health.healthy = health.healthy and not suspect
    judged = Verdict.from_dict(health.verdict)
    if suspect or not judged.judged or run_id is None:
        log.info("%s: no report marked gone (%s)", portal, (suspect or [judged.why_not])[0])
        return health
    health.gone = _mark_gone(path, portal, run_id, judged)
    return health


def _mark_gone(path: str, portal: str, run_id: str, judged: Verdict) -> int:
    archive = Archive.open(path)
    try:
        gone = archive.mark_gone(portal, run_id, utc_now(), judged.complete_columns, judged.legacy)
    finally:
        archive.close()
    if gone:
        log.warning("%s: %d report(s) no longer listed, marked gone", portal, gone)
    return gone
