"""`govreports crawl` (what cron runs) and `govreports sandbox` (the offline portals)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from contextlib import ExitStack
from typing import Any

import click

from crawler import runner
from crawler.db import ArchiveUnavailable, open_archive
from crawler.lock import Locked, RunLock
from crawler.sandbox_process import (
    proxy_environment,
    running_sandbox,
    sandbox_args,
    sandbox_manifest,
)

# Offline runs talk to a local process: politeness delays only slow the demo and the tests.
SANDBOX_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 1,
}


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.UsageError(f"-s expects NAME=VALUE, got {pair!r}")
        out[name] = value
    return out


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: {message}", err=True)
    sys.exit(code)


@click.command()
@click.argument("portals", nargs=-1)
@click.option("--archive", "archive_path", help="Archive file (default: ARCHIVE_PATH setting).")
@click.option("--sandbox", is_flag=True, help="Crawl the bundled offline portal sandbox.")
@click.option("--full", is_flag=True, help="Ignore incremental state: refetch everything.")
@click.option("--revision", default=0, show_default=True, help="Sandbox revision (with --sandbox).")
@click.option(
    "--fault", "faults", multiple=True, help="Sandbox fault PORTAL:KIND (with --sandbox)."
)
@click.option("-s", "settings_pairs", multiple=True, help="Scrapy setting NAME=VALUE.")
def crawl(
    portals: tuple[str, ...],
    archive_path: str | None,
    sandbox: bool,
    full: bool,
    revision: int,
    faults: tuple[str, ...],
    settings_pairs: tuple[str, ...],
) -> None:
    """Crawl PORTALS (default: all) into the archive; exit 0 only if every portal is healthy.

    Example: govreports crawl zc_gov_cn --archive /srv/govreports/archive.db
    """
    overrides: dict[str, Any] = _parse_settings(settings_pairs)
    if archive_path:
        overrides["ARCHIVE_PATH"] = archive_path
    if full:
        overrides["INCREMENTAL_ENABLED"] = False
    if sandbox:
        overrides = {**SANDBOX_SETTINGS, **overrides}
    settings = runner.project_settings(overrides)
    known = _spider_names(settings)
    unknown = sorted(set(portals) - set(known))
    if unknown:
        _fail(
            f"unknown portal(s): {', '.join(unknown)}; known: {', '.join(known)}", runner.EXIT_USAGE
        )
    chosen = list(portals) or known
    path = settings.get("ARCHIVE_PATH")
    try:
        open_archive(path).close()  # fail before any request if the archive cannot be used
    except ArchiveUnavailable as exc:
        _fail(str(exc), runner.EXIT_ARCHIVE)

    with ExitStack() as stack:
        lock = stack.enter_context(RunLock(path))
        try:
            lock.acquire(f"pid {os.getpid()} on {socket.gethostname()}")
        except Locked as exc:
            _fail(str(exc), runner.EXIT_LOCKED)
        if sandbox:
            proxy = stack.enter_context(running_sandbox(revision=revision, faults=faults))
            os.environ.update(proxy_environment(proxy))
            _route_browser_through(settings, proxy)
        result = runner.run_crawl(chosen, settings)

    manifest = sandbox_manifest(revision=revision) if sandbox else None
    _print_summary(result, path, manifest)
    sys.exit(result.exit_status)


def _route_browser_through(settings: Any, proxy: str) -> None:
    # Chromium does not read http_proxy; the sandbox's certificate is self-signed.
    launch = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    launch["proxy"] = {"server": proxy}
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="cmdline")
    settings.set(
        "PLAYWRIGHT_CONTEXTS", {"default": {"ignore_https_errors": True}}, priority="cmdline"
    )


def _spider_names(settings: Any) -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(settings).list())


def _print_summary(result: runner.RunResult, path: str, manifest: dict[str, Any] | None) -> None:
    click.echo(f"run {result.run_id} -> {path} (exit status {result.exit_status})")
    scores = _manifest_scores(path, manifest) if manifest else {}
    for portal, health in result.portals.items():
        line = (
            f"  {portal:<14} {'ok' if health.healthy else 'UNHEALTHY':<9} "
            f"found {health.reports_found:>4}  new {health.new:>4}  changed {health.changed:>3}  "
            f"unchanged {health.unchanged:>4}  dup {health.duplicates:>3}  "
            f"requests {health.requests:>5}"
        )
        if health.detail_failed:
            line += f"  failed {health.detail_failed}"
        if portal in scores:
            recall, precision, expected = scores[portal]
            line += f"  recall {recall:.0%} precision {precision:.0%} of {expected}"
        click.echo(line)
        for reason in health.reasons:
            click.echo(f"      {portal}: {reason}")


def _manifest_scores(path: str, manifest: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    """Recall and precision of the archive against the sandbox's own list of reports."""
    db = open_archive(path, readonly=True)
    try:
        scores = {}
        portals = {r["portal"] for r in manifest["reports"]}
        for portal in sorted(portals):
            expected = {r["url"] for r in manifest["reports"] if r["portal"] == portal}
            got = {
                row[0]
                for row in db.execute(
                    "SELECT canonical_url FROM reports WHERE portal = ? AND gone_at IS NULL",
                    [portal],
                )
            }
            if not got and not expected:
                continue
            hit = len(expected & got)
            scores[portal] = (
                hit / len(expected) if expected else 1.0,
                hit / len(got) if got else 0.0,
                len(expected),
            )
        return scores
    finally:
        db.close()


@click.command(name="sandbox", context_settings={"ignore_unknown_options": True})
@click.option("--port", default=8899, show_default=True, help="Port of the proxy on 127.0.0.1.")
@click.option("--revision", default=0, show_default=True)
@click.option("--scale", default=1, show_default=True)
@click.option("--fault", "faults", multiple=True, help="PORTAL:KIND, e.g. zc_gov_cn:list500.")
def sandbox_command(port: int, revision: int, scale: int, faults: tuple[str, ...]) -> None:
    """Serve the offline portal sandbox in the foreground (a proxy for the real portal hosts).

    Example: govreports sandbox --port 8899, then in another shell:
    https_proxy=http://127.0.0.1:8899 http_proxy=http://127.0.0.1:8899 scrapy crawl zc_gov_cn
    """
    command = [sys.executable, "-m", "sandbox", "serve", "--port", str(port)]
    sys.exit(subprocess.call(command + sandbox_args(revision, scale, faults)))


COMMANDS = [crawl, sandbox_command]
