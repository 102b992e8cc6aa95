"""`govreports merge SHARD... --into ARCHIVE`: shard archives (one per portal and run, crawled on
other nodes) merged into one archive, each shard in one transaction (crawler.archive.merge)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import click

from crawler import runner
from crawler.archive import ArchiveUnavailable, merge
from crawler.lock import Locked, RunLock


def merge_into(target: str, shards: list[str]) -> list[merge.ShardMerge]:
    """Merge `shards` into `target` under its run lock (a crawl never writes at the same time).
    Raises Locked or ArchiveUnavailable."""
    with RunLock(target) as lock:
        lock.acquire(f"merge, pid {os.getpid()} on {socket.gethostname()}")
        return merge.merge_shards(target, list(shards))


@click.command(name="merge")
@click.argument("shards", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The archive to merge into (created).")
def merge_command(shards: tuple[str, ...], target: str) -> None:
    """Merge SHARD archives into ARCHIVE: the same bytes stored once, reports matched by their
    URL and text, a shard merged twice changing nothing.  Each shard is one transaction: an
    interrupted merge leaves ARCHIVE intact; run it again to finish.

    Exit status: 0 merged, 2 usage error (a shard is missing), 3 another run holds ARCHIVE's
    lock, 4 an archive is unusable.

    Example: govreports merge shards/*.db --into /srv/govreports/archive.db
    """
    missing = [s for s in shards if not Path(s).is_file()]
    if missing:
        _fail(f"no shard archive at {', '.join(missing)}", runner.EXIT_USAGE)
    if any(Path(s).resolve() == Path(target).resolve() for s in shards):
        _fail("an archive cannot be merged into itself", runner.EXIT_USAGE)
    try:
        results = merge_into(target, list(shards))
    except Locked as exc:
        _fail(str(exc), runner.EXIT_LOCKED)
    except ArchiveUnavailable as exc:
        _fail(str(exc), runner.EXIT_ARCHIVE)
    for result in results:
        if result.skipped:
            click.echo(f"{result.path}: merged before, skipped")
            continue
        counts = ", ".join(f"{name} {n}" for name, n in result.counts.items())
        click.echo(f"{result.path}: new {counts}")


def _fail(message: str, code: int) -> None:
    click.echo(f"govreports: {message}", err=True)
    sys.exit(code)


COMMANDS = [merge_command]
