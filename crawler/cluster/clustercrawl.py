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
from crawler.gone import run_complete
from crawler.health import PortalHealth, assess
from crawler.portal import new_run_id

log = logging.getLogger(__name__)


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

    health = {}
    for portal, outcome in outcomes.items():
        stats = _shard_stats(outcome.shard) if outcome.shard else {}
        health[portal] = assess(portal, stats, past[portal], settings)
        if outcome.error:
            health[portal].healthy = False
            health[portal].reasons.append(f"not crawled: {outcome.error}")
        elif outcome.shard:
            _mark_gone(path, outcome.shard, health[portal], stats)
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
    """A job's shard counts when its run row says it finished (a killed job's says running)."""
    run = _shard_run(shard)
    return bool(run and run["status"] == "finished" and run["stats"])


def _shard_stats(shard: Path) -> dict[str, Any]:
    run = _shard_run(shard)
    return json.loads(run["stats"]) if run and run["stats"] else {}


def _mark_gone(path: str, shard: Path, health: PortalHealth, stats: dict[str, Any]) -> None:
    """Gone marking per portal in the merged archive, against the run id of that portal's shard.
    A shard's sightings arrive without their column (the merge keeps runs, not listings), so
    the whole-portal rule judges: only a complete run marks anything gone (crawler/gone.py)."""
    run = _shard_run(shard)
    if not run or not run_complete(health, stats):
        return
    archive = Archive.open(path)
    try:
        health.gone = archive.mark_gone(health.portal, run["id"], utc_now(), None, legacy=True)
    finally:
        archive.close()
