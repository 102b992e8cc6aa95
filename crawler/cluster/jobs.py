"""The portals a cluster crawl schedules: one job per registered portal (crawler/registry/),
the spider Scrapy runs for its row, and the network tag a node must have to fetch it (the row's
`network`, unless the nodes file's [portal_tags] says otherwise for this cluster)."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.settings import Settings

from crawler.registry import PortalRow, find_row, registry_rows


@dataclass(frozen=True)
class PortalJob:
    portal: str  # the spider a Scrapyd job runs: the row's key, or its own spider file
    tag: str | None = None  # only nodes with this tag may fetch it (None: any node)


class UnknownPortals(ValueError):
    """Names that no registry row answers to."""


def registered(settings: Settings) -> list[PortalRow]:
    return registry_rows(tuple(settings.getlist("PORTAL_REGISTRY_FILES")))


def portal_jobs(
    settings: Settings, names: list[str], portal_tags: dict[str, str]
) -> list[PortalJob]:
    """One job per named portal (a key, host or URL; none: every registered portal), in the
    registry's order; raises UnknownPortals naming those no row answers to."""
    rows = registered(settings)
    if names:
        found = {name: find_row(rows, name) for name in names}
        unknown = sorted(name for name, row in found.items() if row is None)
        if unknown:
            raise UnknownPortals(", ".join(unknown))
        chosen = {row.key for row in found.values() if row is not None}
        rows = [row for row in rows if row.key in chosen]
    return [_job(row, portal_tags) for row in rows]


def _job(row: PortalRow, portal_tags: dict[str, str]) -> PortalJob:
    spider = row.spider or row.key
    tag = portal_tags.get(row.key) or portal_tags.get(spider) or row.network
    return PortalJob(spider, tag)
