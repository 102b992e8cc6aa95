"""A cluster crawl for real: three Scrapyd daemons on 127.0.0.1 (own directories and ports),
the sandbox behind one proxy they share, one node SIGKILLed while it crawls; the merged archive
is compared with the single-process crawl of the same sandbox (`all_portals_run`).  Then a
second cluster run, on a copy of that archive, of the sandbox's revision 1 (one report deleted)
for the portal that deleted it: the merged archive marks it gone as `govreports crawl` would, and
nothing else (the other portals' reports are not judged by a run that did not crawl them)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crawler.commands.crawl import _manifest_scores
from crawler.sandbox_process import running_sandbox
from tests.integration.conftest import ROOT
from tests.scaleout.digest import digest, integrity
from tests.scaleout.scrapyd_nodes import nodes_toml, start_daemon

# three crawls in setup: the single-process one, two cluster runs
pytestmark = [pytest.mark.sandbox, pytest.mark.timeout(2700)]
PORTALS = ["by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn"]
# zc_gov_cn may only be fetched from nodes tagged "gd" (n0, n1); n2 has no tag.
NODES = [("n0", 2, ["gd"]), ("n1", 2, ["gd"]), ("n2", 1, [])]


def _running_spiders(url: str) -> set[str]:
    try:
        with urllib.request.urlopen(f"{url}/listjobs.json", timeout=5) as answer:
            return {job["spider"] for job in json.load(answer)["running"]}
    except OSError:
        return set()


@pytest.fixture(scope="module")
def cluster_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("cluster")
    started = time.monotonic()
    with running_sandbox() as proxy, _daemons(base / "run1", proxy) as (daemons, nodes):
        crawl = _cluster_crawl(nodes, base / "archive.db", proxy)
        killed = _kill_the_node_crawling_zc(daemons, crawl)
        out, _ = crawl.communicate(timeout=1200)
    print(f"cluster crawl with a node killed: {time.monotonic() - started:.0f} s")
    return crawl.returncode, json.loads(out), base, killed


@pytest.fixture(scope="module")
def second_run(cluster_run):
    """The sandbox's revision 1 crawled again by the cluster, into a copy of the first run's
    merged archive (the tests above keep the first run's)."""
    _, _, base, _ = cluster_run
    archive = base / "rerun.db"
    with sqlite3.connect(base / "archive.db") as source, sqlite3.connect(archive) as copy:
        source.backup(copy)
    started = time.monotonic()
    with running_sandbox(revision=1) as proxy, _daemons(base / "run2", proxy) as (_, nodes):
        crawl = _cluster_crawl(nodes, archive, proxy, ["zc_gov_cn"])
        out, _ = crawl.communicate(timeout=1200)
    print(f"second cluster crawl (revision 1): {time.monotonic() - started:.0f} s")
    return crawl.returncode, json.loads(out), archive


@contextlib.contextmanager
def _daemons(base: Path, proxy: str):
    daemons = []
    try:
        for name, slots, _ in NODES:
            daemons.append(start_daemon(name, base / name, slots, proxy))
        tags = {name: node_tags for name, _, node_tags in NODES}
        nodes = base / "nodes.toml"
        nodes.write_text(nodes_toml(daemons, base / "shards", tags, {"zc_gov_cn": "gd"}))
        yield daemons, nodes
    finally:
        for daemon in daemons:
            daemon.stop()


def _cluster_crawl(
    nodes: Path, archive: Path, proxy: str, portals: list[str] = PORTALS
) -> subprocess.Popen:
    command = [sys.executable, "-m", "crawler.cli", "cluster", "crawl", "--json"]
    command += ["--nodes", str(nodes), "--archive", str(archive), "--sandbox-proxy", proxy]
    command += portals
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def _kill_the_node_crawling_zc(daemons, crawl) -> str | None:
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and crawl.poll() is None:
        for daemon in daemons:
            if "zc_gov_cn" in _running_spiders(daemon.url):
                time.sleep(3)  # mid-crawl: its shard holds part of the portal
                daemon.kill()
                return daemon.name
        time.sleep(0.5)
    return None


REPORT_KEYS = "SELECT portal, canonical_url, title, report_year, text_sha256 FROM reports"


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return sorted(db.execute(sql).fetchall(), key=repr)


def test_every_portal_healthy_and_the_killed_nodes_jobs_moved(cluster_run):
    returncode, summary, _, killed = cluster_run
    assert killed in ("n0", "n1")
    other = {"n0": "n1", "n1": "n0"}[killed]
    assert returncode == 0, summary
    assert summary["dead_nodes"] == [killed]
    assert sorted(summary["portals"]) == PORTALS
    assert all(p["healthy"] for p in summary["portals"].values())
    zc = summary["portals"]["zc_gov_cn"]
    assert (zc["nodes"], zc["moved"]) == ([killed, other], [f"node {killed} died"])
    # a job that had finished on the node before it died keeps its shard; one running moved
    for name, portal in summary["portals"].items():
        if portal["moved"]:
            assert (portal["nodes"][0], portal["moved"]) == (killed, [f"node {killed} died"])
            assert len(portal["nodes"]) == 2 and portal["nodes"][1] != killed
        else:
            assert len(portal["nodes"]) == 1, name
        print(name, "nodes", portal["nodes"], "moved", portal["moved"])


def test_merged_shards_equal_the_single_process_archive(cluster_run, all_portals_run, manifest):
    _, _, base, _ = cluster_run
    merged, single = base / "archive.db", all_portals_run.archive
    reports = _rows(merged, REPORT_KEYS)
    assert len(reports) == 250
    assert reports == _rows(single, REPORT_KEYS)
    page_blobs = "SELECT DISTINCT sha256 FROM captures WHERE kind = 'page'"
    assert _rows(merged, page_blobs) == _rows(single, page_blobs)
    scores = _manifest_scores(str(merged), manifest)
    assert {p: s[:2] for p, s in scores.items()} == {p: (1.0, 1.0) for p in PORTALS}


def test_merging_the_shards_again_changes_nothing(cluster_run):
    _, summary, base, _ = cluster_run
    shards = [p["shard"] for p in summary["portals"].values()]
    before = digest(base / "archive.db")
    again = _merge(shards, base / "archive.db")
    assert again.returncode == 0
    assert again.stdout.splitlines() == [f"{s}: merged before, skipped" for s in shards]
    assert digest(base / "archive.db") == before


def test_a_merge_killed_midway_leaves_the_target_intact_and_a_rerun_completes(cluster_run):
    _, summary, base, _ = cluster_run
    shards = [p["shard"] for p in summary["portals"].values()]
    target = base / "killed-merge.db"
    command = [sys.executable, "-m", "crawler.cli", "merge", *shards, "--into", str(target)]
    merging = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    while merging.poll() is None and not Path(f"{target}-wal").exists():
        time.sleep(0.05)
    time.sleep(1)
    os.kill(merging.pid, signal.SIGKILL)
    merging.wait(timeout=30)

    assert integrity(target) == "ok"
    rerun = _merge(shards, target)
    assert rerun.returncode == 0, rerun.stderr
    assert _rows(target, REPORT_KEYS) == _rows(base / "archive.db", REPORT_KEYS)
    assert _rows(target, "SELECT sha256 FROM blobs") == _rows(
        base / "archive.db", "SELECT sha256 FROM blobs"
    )


def _merge(shards: list[str], target: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler.cli", "merge", *shards, "--into", str(target)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_a_report_deleted_at_revision_1_is_gone_in_the_merged_archive_and_nothing_else(
    second_run,
):
    import sandbox

    returncode, summary, archive = second_run
    assert returncode == 0, summary
    (deleted,) = sandbox.manifest(revision=1)["gone"]
    gone = _rows(archive, "SELECT canonical_url FROM reports WHERE gone_at IS NOT NULL")
    assert gone == [(deleted,)]
    assert {p: s["gone"] for p, s in summary["portals"].items()} == {"zc_gov_cn": 1}
    assert all(p["healthy"] for p in summary["portals"].values())
    live = "SELECT count(*) FROM reports WHERE gone_at IS NULL"
    assert (_rows(archive, "SELECT count(*) FROM reports"), _rows(archive, live)) == (
        [(251,)],
        [(250,)],
    )
