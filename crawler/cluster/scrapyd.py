"""One Scrapyd node through its HTTP API: addversion.json, schedule.json, listjobs.json.

scrapyd-client's ScrapydClient sends its requests without a timeout, and a node whose machine
is gone would hang the coordinator: the calls are made here with one, and scrapyd-client gives
the credentials (arguments or ~/.netrc) as `scrapyd-deploy` finds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from scrapyd_client.utils import get_auth

from crawler.cluster.nodes import Node

PROJECT = "govreports"  # scrapy.cfg [deploy] project
TIMEOUT = 10  # seconds: a node that does not answer a poll in this time counts as down
# addversion.json runs `scrapy list` from the egg in a subprocess before it answers: seconds of
# imports on a loaded machine
DEPLOY_TIMEOUT = 300


class NodeDown(Exception):
    """The node did not answer, or answered something that is not Scrapyd's API."""


@dataclass(frozen=True)
class NodeJobs:
    """Job ids a node knows, by state (listjobs.json)."""

    pending: frozenset[str]
    running: frozenset[str]
    finished: frozenset[str]


class ScrapydNode:
    def __init__(self, node: Node) -> None:
        self.node = node
        self.auth = get_auth(url=node.url, username=None, password=None)

    def deploy(self, egg: Path, version: str) -> None:
        """Upload the project egg as `version` (addversion.json)."""
        with egg.open("rb") as body:
            self._call(
                requests.post,
                "addversion",
                data={"project": PROJECT, "version": version},
                files={"egg": body},
                timeout=DEPLOY_TIMEOUT,
            )

    def schedule(self, portal: str, job_id: str, version: str, settings: dict[str, str]) -> None:
        """Start `scrapy crawl PORTAL` with `settings` as job `job_id` (schedule.json)."""
        args = [("jobid", job_id), ("_version", version)]
        args += [("setting", f"{name}={value}") for name, value in settings.items()]
        data = [*args, ("project", PROJECT), ("spider", portal)]
        self._call(requests.post, "schedule", data=data)

    def jobs(self) -> NodeJobs:
        """Our project's jobs on this node (listjobs.json)."""
        answer = self._call(requests.get, "listjobs", params={"project": PROJECT})
        return NodeJobs(*(frozenset(j["id"] for j in answer.get(k, [])) for k in _STATES))

    def cancel(self, job_id: str) -> None:
        self._call(requests.post, "cancel", data={"project": PROJECT, "job": job_id})

    def _call(self, method: Callable[..., requests.Response], endpoint: str, **kwargs: Any) -> dict:
        url = f"{self.node.url}/{endpoint}.json"
        try:
            response = method(url, auth=self.auth, **{"timeout": TIMEOUT, **kwargs})
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise NodeDown(f"node {self.node.name} ({self.node.url}): {exc}") from exc
        if answer.get("status") != "ok":
            message = answer.get("message", answer)
            raise NodeDown(f"node {self.node.name}: {endpoint}.json said {message}")
        return answer


_STATES = ("pending", "running", "finished")
