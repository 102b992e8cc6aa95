"""`govreports crawl` (what cron runs) and `govreports sandbox` (the offline portals)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from crawler import cliargs, procs, runlog, runner, summary
from crawler.archive import Archive, ArchiveUnavailable, ArchiveView
from crawler.lock import Locked, RunLock
from crawler.sandbox_process import (
    SANDBOX_MISSING,
    SandboxUsageError,
    proxy_environment,
    running_sandbox,
    sandbox_installed,
    sandbox_manifest,
    sandbox_registry,
    sandbox_root,
    sandbox_serve_command,
)

# Offline runs talk to a local process: politeness delays only slow the demo and the tests.
SANDBOX_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 1,
}


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: {message}", err=True)
    sys.exit(code)


@click.command()
@click.argument("portals", nargs=-1)
@click.option("--archive", "archive_path", help="Archive file (default: ARCHIVE_PATH setting).")
@click.option("--sandbox", is_flag=True, help="Crawl the bundled offline portal sandbox.")
@click.option("--full", is_flag=True, help="Ignore incremental state: refetch everything.")
@click.option(
    "--revision",
    type=click.IntRange(0, 1),
    default=0,
    show_default=True,
    help="Sandbox revision (with --sandbox).",
)
@click.option(
    "--variant",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Sandbox world of the distribution, 0 = reference (with --sandbox).",
)
@click.option(
    "--portals",
    "generated",
    default=0,
    show_default=True,
    type=click.IntRange(min=0, max=60),
    help="Also serve N generated portals, crawled from the registry rows the sandbox writes "
    "(with --sandbox).",
)
@click.option(
    "--fault", "faults", multiple=True, help="Sandbox fault PORTAL:KIND (with --sandbox)."
)
@click.option("-s", "settings_pairs", multiple=True, help="Scrapy setting NAME=VALUE.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (for machines).")
@click.option(
    "--quiet",
    is_flag=True,
    help="Print nothing if every portal is healthy; else the summary and new warnings (cron).",
)
def crawl(
    portals: tuple[str, ...],
    archive_path: str | None,
    sandbox: bool,
    full: bool,
    revision: int,
    variant: int,
    generated: int,
    faults: tuple[str, ...],
    settings_pairs: tuple[str, ...],
    as_json: bool,
    quiet: bool,
) -> None:
    """Crawl PORTALS (default: all) into the archive; exit 0 only if every portal is healthy.

    Exit status: 0 all portals healthy, 1 a portal unhealthy, 2 usage error, 3 another run holds
    the archive's lock, 4 archive unavailable (nothing fetched), 128+N stopped by signal N.

    Example: govreports crawl zc_gov_cn --archive /srv/govreports/archive.db
    """
    if (faults or revision) and not sandbox:
        _fail("--fault and --revision only apply with --sandbox", runner.EXIT_USAGE)
    if variant and not sandbox:
        _fail("--variant only applies with --sandbox", runner.EXIT_USAGE)
    if generated and not sandbox:
        _fail("--portals only applies with --sandbox", runner.EXIT_USAGE)
    if sandbox and not sandbox_installed():
        _fail(SANDBOX_MISSING, runner.EXIT_USAGE)
    overrides: dict[str, Any] = cliargs.crawl_settings(settings_pairs)  # typed: usage error, 2
    if archive_path:
        overrides["ARCHIVE_PATH"] = archive_path
    if full:
        overrides["INCREMENTAL_ENABLED"] = False
    if quiet:
        overrides["CRAWL_QUIET"] = True
    if sandbox:
        overrides = {**SANDBOX_SETTINGS, **overrides}
    settings = runner.project_settings(overrides)
    rows_dir = tempfile.TemporaryDirectory(prefix="govreports-rows-")
    if generated:
        rows = sandbox_registry(Path(rows_dir.name) / "generated.toml", generated, variant)
        files = [*settings.getlist("PORTAL_REGISTRY_FILES"), str(rows)]
        settings.set("PORTAL_REGISTRY_FILES", files, priority="cmdline")
    known = _spider_names(settings)
    resolved = _resolve_portals(portals, settings)
    unknown = sorted(name for name, spider in resolved.items() if spider is None)
    if unknown:
        _fail(
            f"unknown portal(s): {', '.join(unknown)}; known: {', '.join(known)}", runner.EXIT_USAGE
        )
    chosen = [spider for spider in resolved.values() if spider] or known
    path = settings.get("ARCHIVE_PATH")
    try:
        # fail before any request (and any write) if the archive is newer, damaged or unusable
        Archive.open(path, verify=True).close()
    except ArchiveUnavailable as exc:
        _fail(str(exc), runner.EXIT_ARCHIVE)

    with ExitStack() as stack:
        stack.enter_context(rows_dir)
        lock = stack.enter_context(RunLock(path))
        try:
            lock.acquire(f"pid {os.getpid()} on {socket.gethostname()}")
        except Locked as exc:
            _fail(str(exc), runner.EXIT_LOCKED)
        if sandbox:
            try:
                proxy = stack.enter_context(
                    running_sandbox(
                        revision=revision,
                        faults=faults,
                        variant=variant,
                        portals=generated,
                        log=_sandbox_log(path, quiet),
                    )
                )
            except SandboxUsageError as exc:  # a malformed --fault
                _fail(str(exc), runner.EXIT_USAGE)
            os.environ.update(proxy_environment(proxy))
            _route_browser_through(settings, proxy)
        result = runner.run_crawl(chosen, settings)

    manifest = (
        sandbox_manifest(revision=revision, variant=variant, portals=generated) if sandbox else None
    )
    scores = _manifest_scores(path, manifest) if manifest else {}
    mismatches = _warning_mismatches(result, manifest) if manifest else {}
    lines = _summary_lines(result, path, scores)
    for portal, (missing, unexpected) in mismatches.items():
        lines.append(
            f"      {portal}: sandbox warnings differ: missing {missing}, unexpected {unexpected}"
        )
    runlog.log_summary(settings, lines)
    if runlog.summary_wanted(settings, result.exit_status):
        if as_json:
            summary_json = _summary_json(result, path, scores)
            for portal, (missing, unexpected) in mismatches.items():
                sandbox_part = summary_json["portals"][portal].setdefault("sandbox", {})
                sandbox_part.update(warnings_missing=missing, warnings_unexpected=unexpected)
            click.echo(json.dumps(summary_json, ensure_ascii=False, indent=1))
        else:
            click.echo("\n".join(lines))
    runlog.finish_warnings(result.exit_status == 0)
    sys.exit(result.exit_status)


def _warning_mismatches(
    result: runner.RunResult, manifest: dict[str, Any]
) -> dict[str, tuple[list[str], list[str]]]:
    """Per crawled portal whose warnings are not the ones the sandbox's world must cause (the
    manifest's `warnings`, e.g. `list incomplete: shows 10 of 14 (URL)`): (missing, unexpected)."""
    expected: dict[str, list[str]] = {}
    for warning in manifest.get("warnings", []):
        line = f"{warning['message']} ({warning['url']})"
        expected.setdefault(warning["portal"], []).append(line)
    mismatches = {}
    for portal, health in result.portals.items():
        want, got = expected.get(portal, []), health.warnings
        missing = sorted(set(want) - set(got))
        unexpected = sorted(set(got) - set(want))
        if missing or unexpected:
            mismatches[portal] = (missing, unexpected)
    return mismatches


def _route_browser_through(settings: Any, proxy: str) -> None:
    # Chromium does not read http_proxy; the sandbox's certificate is self-signed.
    launch = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    launch["proxy"] = {"server": proxy}
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="cmdline")
    settings.set(
        "PLAYWRIGHT_CONTEXTS", {"default": {"ignore_https_errors": True}}, priority="cmdline"
    )


def _spider_names(settings: Any) -> list[str]:
    from scrapy.spiderloader import get_spider_loader

    return sorted(get_spider_loader(settings).list())


def _resolve_portals(names: tuple[str, ...], settings: Any) -> dict[str, str | None]:
    """Each name given (a spider name, a registered host, key or URL) -> its spider, or None."""
    from crawler.registry.loader import RegistrySpiderLoader

    loader = RegistrySpiderLoader(settings)
    return {name: loader.resolve(name) for name in names}


def _sandbox_log(archive_path: str, quiet: bool) -> Path | None:
    """Under --quiet the sandbox's own warnings (a client that hung up) go beside the run logs."""
    return Path(archive_path).resolve().parent / "logs" / "sandbox.log" if quiet else None


def _summary_lines(
    result: runner.RunResult, path: str, scores: dict[str, summary.Score]
) -> list[str]:
    lines = [summary.header(result.run_id, path, result.exit_status, result.portals)]
    for run_id in result.aborted_before:
        lines.append(f"  run {run_id} had died without finishing: marked aborted")
    for portal, health in result.portals.items():
        lines += summary.portal_lines(health, scores.get(portal))
    return lines


def _summary_json(
    result: runner.RunResult, path: str, scores: dict[str, summary.Score]
) -> dict[str, Any]:
    portals = {p: h.as_dict() for p, h in result.portals.items()}
    for portal, (recall, precision, expected) in scores.items():
        if portal in portals:
            portals[portal]["sandbox"] = {
                "recall": recall,
                "precision": precision,
                "expected": expected,
            }
    return {
        "run_id": result.run_id,
        "archive": path,
        "status": result.status,
        "exit_status": result.exit_status,
        "aborted_before": result.aborted_before,
        "portals": portals,
    }


def _manifest_scores(path: str, manifest: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    """Recall and precision of the archive against the sandbox's own list of reports.

    A report is stored under the canonical URL of whichever twin was archived first (a re-post on
    the city portal, a mobile page), so both sides are compared as URL sets: a manifest report
    (url + aliases) is recalled when one of its URLs is the canonical or a sighting URL of an
    archived report.  Each manifest report is claimed once: a report archived twice (a missed
    duplicate) lowers precision, two reports merged into one lower recall.  A report the manifest
    marks unreachable (listed only by a script; no documented means leads to it) counts neither
    way: it is not expected, and archiving it anyway is no error.
    """
    with ArchiveView.open(path) as archive:
        scores = {}
        for portal in sorted({r["portal"] for r in manifest["reports"]}):
            ours = [r for r in manifest["reports"] if r["portal"] == portal]
            expected = [{r["url"], *r["aliases"]} for r in ours if r.get("reachable", True)]
            hidden = {
                u for r in ours if not r.get("reachable", True) for u in (r["url"], *r["aliases"])
            }
            archived = [urls for urls in archive.report_urls(portal) if not urls & hidden]
            if not archived and not expected:
                continue
            matched = _matched(expected, archived)
            scores[portal] = (
                matched / len(expected) if expected else 1.0,
                matched / len(archived) if archived else 0.0,
                len(expected),
            )
        return scores


def _matched(expected: list[set[str]], archived: list[set[str]]) -> int:
    """Pairs of (archived report, manifest report) sharing a URL, each side used once."""
    owner = {url: index for index, urls in enumerate(expected) for url in urls}
    claimed: set[int] = set()
    for urls in archived:
        hits = sorted({owner[url] for url in urls if url in owner} - claimed)
        if hits:
            claimed.add(hits[0])
    return len(claimed)


@click.command(name="sandbox", context_settings={"ignore_unknown_options": True})
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8899,
    show_default=True,
    help="Port of the proxy on 127.0.0.1 (0: any free port).",
)
@click.option("--revision", type=click.IntRange(0, 1), default=0, show_default=True)
@click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--variant", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--fault", "faults", multiple=True, help="PORTAL:KIND, e.g. zc_gov_cn:list500.")
def sandbox_command(
    port: int, revision: int, scale: int, variant: int, faults: tuple[str, ...]
) -> None:
    """Serve the offline portal sandbox in the foreground (a proxy for the real portal hosts).

    Example: govreports sandbox --port 8899, then in another shell:
    https_proxy=http://127.0.0.1:8899 http_proxy=http://127.0.0.1:8899 scrapy crawl zc_gov_cn
    """
    if not sandbox_installed():
        _fail(SANDBOX_MISSING, runner.EXIT_USAGE)
    command = sandbox_serve_command(str(port), revision, scale, faults, variant)
    sys.exit(subprocess.call(command, cwd=sandbox_root(), env=procs.child_env()))


COMMANDS = [crawl, sandbox_command]
