"""The nodes file: which Scrapyd nodes a cluster crawl uses, how many jobs each runs at once
(slots) and which networks it can reach (tags).

    shard_dir = "/srv/govreports/shards"   # where jobs write shards: a directory every node
                                            # and the coordinator see (NFS, or synced back)
    poll_seconds = 5
    dead_after = 3                          # failed polls in a row before a node is dead

    [[node]]
    name = "gz-1"
    url = "http://10.0.0.11:6800"
    slots = 4
    tags = ["cn-gd"]                        # may fetch portals tagged cn-gd

    [portal_tags]                           # until the portal registry says it
    zc_gov_cn = "cn-gd"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class NodesFileError(Exception):
    """The nodes file is missing or says something impossible; the message says what."""


@dataclass(frozen=True)
class Node:
    name: str
    url: str
    slots: int
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClusterConfig:
    nodes: list[Node]
    shard_dir: Path
    poll_seconds: float = 5.0
    dead_after: int = 3
    portal_tags: dict[str, str] = field(default_factory=dict)


def load_nodes(path: str | Path) -> ClusterConfig:
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NodesFileError(f"cannot read nodes file {path}: {exc}") from exc
    nodes = [_node(entry, index) for index, entry in enumerate(data.get("node", []))]
    if not nodes:
        raise NodesFileError(f"{path}: no [[node]] entries")
    names = [n.name for n in nodes]
    if len(set(names)) != len(names):
        raise NodesFileError(f"{path}: node names repeat: {', '.join(names)}")
    if "shard_dir" not in data:
        raise NodesFileError(f"{path}: shard_dir is missing")
    return ClusterConfig(
        nodes=nodes,
        shard_dir=Path(data["shard_dir"]),
        poll_seconds=float(_positive(data.get("poll_seconds", 5.0), "poll_seconds")),
        dead_after=int(_positive(data.get("dead_after", 3), "dead_after")),
        portal_tags={str(k): str(v) for k, v in data.get("portal_tags", {}).items()},
    )


def _node(entry: dict[str, Any], index: int) -> Node:
    try:
        name, url = str(entry["name"]), str(entry["url"]).rstrip("/")
    except KeyError as exc:
        raise NodesFileError(f"node #{index + 1} has no {exc.args[0]}") from None
    if not url.startswith(("http://", "https://")):
        raise NodesFileError(f"node {name}: url must be http(s)://, got {url!r}")
    slots = int(_positive(entry.get("slots", 1), f"node {name}: slots"))
    return Node(name, url, slots, frozenset(str(t) for t in entry.get("tags", [])))


def _positive(value: Any, what: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise NodesFileError(f"{what} must be a positive number, got {value!r}")
    return value
