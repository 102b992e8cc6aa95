"""The portals a cluster crawl schedules: one job per portal.  Today the spiders are the
portals; a portal registry replaces `portal_jobs` (it knows each portal's network tag)."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.settings import Settings


@dataclass(frozen=True)
class PortalJob:
    portal: str
    tag: str | None = None  # only nodes with this tag may fetch it (None: any node)


def known_portals(settings: Settings) -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(settings).list())


def portal_jobs(portals: list[str], portal_tags: dict[str, str]) -> list[PortalJob]:
    return [PortalJob(p, portal_tags.get(p)) for p in portals]
