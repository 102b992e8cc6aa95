"""The cluster scheduler's rules, with nodes played by a fake Scrapyd: slots, tags, a dead
node's jobs moved, a job a node forgot started again, a portal no node may fetch reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.cluster.jobs import PortalJob
from crawler.cluster.nodes import ClusterConfig, Node, NodesFileError, load_nodes
from crawler.cluster.scheduler import Attempt, Scheduler
from crawler.cluster.scrapyd import NodeDown, NodeJobs

PORTALS = ["by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn"]


class FakeCluster:
    """Each started job runs for `ticks` polls, then finishes; a dead node answers nothing."""

    def __init__(self, ticks: int = 2) -> None:
        self.ticks = ticks
        self.jobs: dict[str, tuple[str, int]] = {}  # job id -> (node, polls left)
        self.dead: set[str] = set()
        self.forget: set[str] = set()  # job ids the node forgets (it restarted)
        self.started: list[tuple[str, str]] = []  # (portal, node)
        self.peak: dict[str, int] = {}
        self.polls = 0
        self.on_poll = lambda cluster: None

    def start(self, node: Node, attempt: Attempt) -> None:
        if node.name in self.dead:
            raise NodeDown(f"node {node.name}: connection refused")
        self.jobs[attempt.job_id] = (node.name, self.ticks)
        self.started.append((attempt.job.portal, node.name))
        running = sum(1 for n, left in self.jobs.values() if n == node.name and left > 0)
        self.peak[node.name] = max(self.peak.get(node.name, 0), running)

    def list_jobs(self, node: Node) -> NodeJobs:
        if node.name in self.dead:
            raise NodeDown(f"node {node.name}: connection refused")
        mine = {i: left for i, (n, left) in self.jobs.items() if n == node.name}
        running = {i for i, left in mine.items() if left > 0} - self.forget
        finished = {i for i, left in mine.items() if left <= 0} - self.forget
        for i in running:
            self.jobs[i] = (node.name, mine[i] - 1)
        return NodeJobs(frozenset(), frozenset(running), frozenset(finished))

    def sleep(self, seconds: float) -> None:
        self.polls += 1
        self.on_poll(self)


def config(*nodes: Node) -> ClusterConfig:
    return ClusterConfig(list(nodes), Path("/srv/shards"), poll_seconds=5, dead_after=2)


def run(cluster: FakeCluster, cfg: ClusterConfig, jobs: list[PortalJob]):
    scheduler = Scheduler(
        cfg, "R1", cluster.start, cluster.list_jobs, lambda shard: True, cluster.sleep
    )
    return scheduler, scheduler.run(jobs)


def test_no_node_runs_more_jobs_than_its_slots_and_every_portal_gets_a_shard():
    cluster = FakeCluster()
    cfg = config(Node("a", "http://a:6800", 2), Node("b", "http://b:6800", 1))
    _, outcomes = run(cluster, cfg, [PortalJob(p) for p in PORTALS])

    assert cluster.peak == {"a": 2, "b": 1}
    assert cluster.started[:3] == [("by_gov_cn", "a"), ("haizhu_gov_cn", "a"), ("qufu_gov_cn", "b")]
    assert {p: o.shard for p, o in outcomes.items()} == {
        p: Path(f"/srv/shards/{p}.R1.1.db") for p in PORTALS
    }
    assert all(o.error is None and o.moved == [] for o in outcomes.values())


def test_a_tagged_portal_runs_only_on_a_node_with_its_tag():
    cluster = FakeCluster()
    cfg = config(
        Node("a", "http://a:6800", 4), Node("gd", "http://gd:6800", 1, frozenset({"cn-gd"}))
    )
    jobs = [PortalJob("zc_gov_cn", "cn-gd"), PortalJob("haizhu_gov_cn", "cn-gd")]
    jobs += [PortalJob("qufu_gov_cn"), PortalJob("by_gov_cn")]
    run(cluster, cfg, jobs)

    assert sorted(cluster.started) == [
        ("by_gov_cn", "a"),
        ("haizhu_gov_cn", "gd"),
        ("qufu_gov_cn", "a"),
        ("zc_gov_cn", "gd"),
    ]


def test_a_dead_nodes_jobs_move_to_the_living_and_a_tag_no_live_node_has_is_reported():
    cluster = FakeCluster(ticks=3)
    cfg = config(
        Node("a", "http://a:6800", 2, frozenset({"cn-gd"})),
        Node("b", "http://b:6800", 2),
    )

    def kill_a(c: FakeCluster) -> None:
        if c.polls == 1:
            c.dead.add("a")

    cluster.on_poll = kill_a
    jobs = [PortalJob("zc_gov_cn", "cn-gd"), PortalJob("qufu_gov_cn"), PortalJob("by_gov_cn")]
    scheduler, outcomes = run(cluster, cfg, jobs)

    assert scheduler.dead == {"a"}
    # zc to a (the tag), qufu to b (more free slots), by to a (a tie: first in the file)
    assert [a.node for a in outcomes["by_gov_cn"].attempts] == ["a", "b"]
    assert outcomes["by_gov_cn"].moved == ["node a died"]
    assert outcomes["by_gov_cn"].shard == Path("/srv/shards/by_gov_cn.R1.2.db")
    assert [a.node for a in outcomes["qufu_gov_cn"].attempts] == ["b"]
    assert outcomes["zc_gov_cn"].shard is None
    assert outcomes["zc_gov_cn"].error == "no live node has tag 'cn-gd'"


def test_a_job_the_node_forgot_is_started_again_and_a_bad_shard_is_retried_then_reported():
    cluster = FakeCluster()
    cluster.forget = {"R1.qufu_gov_cn.1"}
    cfg = config(Node("a", "http://a:6800", 1))
    _, outcomes = run(cluster, cfg, [PortalJob("qufu_gov_cn")])
    assert outcomes["qufu_gov_cn"].moved == ["node a lost job R1.qufu_gov_cn.1"]
    assert outcomes["qufu_gov_cn"].shard == Path("/srv/shards/qufu_gov_cn.R1.2.db")

    broken = FakeCluster()
    scheduler = Scheduler(cfg, "R1", broken.start, broken.list_jobs, lambda s: False, broken.sleep)
    outcome = scheduler.run([PortalJob("by_gov_cn")])["by_gov_cn"]
    assert [a.number for a in outcome.attempts] == [1, 2, 3]
    assert outcome.error == "job R1.by_gov_cn.3 left no finished run in its shard (attempt 3)"


def test_nodes_file(tmp_path):
    path = tmp_path / "nodes.toml"
    path.write_text(
        'shard_dir = "/srv/shards"\npoll_seconds = 2\n\n'
        '[[node]]\nname = "gz-1"\nurl = "http://10.0.0.11:6800/"\nslots = 4\ntags = ["cn-gd"]\n\n'
        '[[node]]\nname = "bj-1"\nurl = "http://10.0.1.5:6800"\n\n'
        '[portal_tags]\nzc_gov_cn = "cn-gd"\n'
    )
    cfg = load_nodes(path)
    assert cfg.nodes == [
        Node("gz-1", "http://10.0.0.11:6800", 4, frozenset({"cn-gd"})),
        Node("bj-1", "http://10.0.1.5:6800", 1),
    ]
    assert (cfg.shard_dir, cfg.poll_seconds, cfg.dead_after) == (Path("/srv/shards"), 2.0, 3)
    assert cfg.portal_tags == {"zc_gov_cn": "cn-gd"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('shard_dir = "/s"\n', "no [[node]] entries"),
        ('[[node]]\nname = "a"\nurl = "http://a"\n', "shard_dir is missing"),
        ('shard_dir = "/s"\n[[node]]\nurl = "http://a"\n', "node #1 has no name"),
        ('shard_dir = "/s"\n[[node]]\nname = "a"\nurl = "a:6800"\n', "url must be http(s)://"),
        ('shard_dir = "/s"\n[[node]]\nname = "a"\nurl = "http://a"\nslots = 0\n', "slots must be"),
        (
            'shard_dir = "/s"\n[[node]]\nname = "a"\nurl = "http://a"\n'
            '[[node]]\nname = "a"\nurl = "http://b"\n',
            "node names repeat: a, a",
        ),
        ("shard_dir = \n", "cannot read nodes file"),
    ],
)
def test_nodes_file_errors_say_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "nodes.toml"
    path.write_text(text)
    with pytest.raises(NodesFileError, match=re.escape(message)):
        load_nodes(path)
