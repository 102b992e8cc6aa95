"""`govreports cluster crawl`: every portal a Scrapyd job on the nodes of a nodes file, the
shards merged into one archive, the exit status of `govreports crawl` (crawler.cluster)."""

from __future__ import annotations

import json
import os
import socket
import sys
from typing import Any

import click

from crawler import runner, summary
from crawler.archive import Archive, ArchiveUnavailable
from crawler.cliargs import crawl_settings
from crawler.cluster import clustercrawl, jobs, nodes
from crawler.cluster.egg import EggBuildError
from crawler.commands.crawl import SANDBOX_SETTINGS
from crawler.lock import Locked, RunLock
from crawler.registry import RegistryError


@click.group()
def cluster() -> None:
    """Crawl on many machines through Scrapyd (docs/scale-out.md)."""


@cluster.command(name="crawl")
@click.argument("portals", nargs=-1)
@click.option("--nodes", "nodes_file", required=True, help="The nodes file (nodes.toml).")
@click.option("--archive", "archive_path", help="Archive file (default: ARCHIVE_PATH setting).")
@click.option(
    "--sandbox-proxy",
    help="Jobs crawl the offline sandbox behind this proxy (the nodes' http_proxy is it too).",
)
@click.option(
    "-s", "settings_pairs", multiple=True, help="Scrapy setting NAME=VALUE for every job."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (for machines).")
def cluster_crawl(
    portals: tuple[str, ...],
    nodes_file: str,
    archive_path: str | None,
    sandbox_proxy: str | None,
    settings_pairs: tuple[str, ...],
    as_json: bool,
) -> None:
    """Crawl PORTALS (default: every registered portal), one Scrapyd job each, on the nodes of NODES; merge the
    shards into the archive; exit 0 only if every portal is healthy.

    Exit status: 0 all portals healthy, 1 a portal unhealthy or not crawled, 2 usage error (the
    nodes file, or the egg cannot be built), 3 another run holds the archive's lock, 4 archive
    unavailable.

    Example: govreports cluster crawl --nodes /etc/govreports/nodes.toml --archive archive.db
    """
    job_settings: dict[str, Any] = crawl_settings(settings_pairs)
    if sandbox_proxy:
        job_settings = {**_sandbox_job_settings(sandbox_proxy), **job_settings}
    overrides = {"ARCHIVE_PATH": archive_path} if archive_path else {}
    settings = runner.project_settings({**job_settings, **overrides})
    try:
        config = nodes.load_nodes(nodes_file)
    except nodes.NodesFileError as exc:
        _fail(str(exc), runner.EXIT_USAGE)
    try:
        chosen = jobs.portal_jobs(settings, list(portals), config.portal_tags)
    except jobs.UnknownPortals as exc:
        _fail(f"unknown portal(s): {exc}", runner.EXIT_USAGE)
    except RegistryError as exc:
        _fail(str(exc), runner.EXIT_USAGE)
    path = settings.get("ARCHIVE_PATH")
    try:
        Archive.open(path, verify=True).close()
    except ArchiveUnavailable as exc:
        _fail(str(exc), runner.EXIT_ARCHIVE)
    with RunLock(path) as lock:
        try:
            lock.acquire(f"cluster crawl, pid {os.getpid()} on {socket.gethostname()}")
        except Locked as exc:
            _fail(str(exc), runner.EXIT_LOCKED)
        try:
            result = clustercrawl.cluster_crawl(config, chosen, settings, _as_strings(job_settings))
        except EggBuildError as exc:
            _fail(str(exc), runner.EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(_summary_json(result, path), ensure_ascii=False, indent=1))
    else:
        _print_summary(result, path)
    sys.exit(result.exit_status)


def _sandbox_job_settings(proxy: str) -> dict[str, Any]:
    # as `govreports crawl --sandbox` does: no politeness delays against a local process, and
    # Chromium (which ignores http_proxy) sent through the proxy, its certificate accepted
    launch = dict(runner.project_settings().getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    launch["proxy"] = {"server": proxy}
    return {
        **SANDBOX_SETTINGS,
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_CONTEXTS": {"default": {"ignore_https_errors": True}},
    }


def _as_strings(values: dict[str, Any]) -> dict[str, str]:
    """Settings as schedule.json carries them: text (dicts as JSON, which Scrapy's getdict reads)."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def _print_summary(result: clustercrawl.ClusterResult, path: str) -> None:
    click.echo(summary.header(result.run_id, path, result.exit_status, result.portals))
    for name in result.dead_nodes:
        click.echo(f"  node {name} died or was unreachable")
    for portal, health in result.portals.items():
        for line in summary.portal_lines(health):
            click.echo(line)
        outcome = result.outcomes[portal]
        nodes_used = " -> ".join(a.node for a in outcome.attempts) or "none"
        click.echo(f"      nodes: {nodes_used}")
        for reason in outcome.moved:
            click.echo(f"      moved: {reason}")


def _summary_json(result: clustercrawl.ClusterResult, path: str) -> dict[str, Any]:
    portals = {}
    for portal, health in result.portals.items():
        outcome = result.outcomes[portal]
        portals[portal] = {
            **health.as_dict(),
            "nodes": [a.node for a in outcome.attempts],
            "moved": outcome.moved,
            "shard": str(outcome.shard) if outcome.shard else None,
            "error": outcome.error,
        }
    return {
        "run_id": result.run_id,
        "archive": path,
        "exit_status": result.exit_status,
        "dead_nodes": result.dead_nodes,
        "portals": portals,
    }


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: {message}", err=True)
    sys.exit(code)


COMMANDS = [cluster]
