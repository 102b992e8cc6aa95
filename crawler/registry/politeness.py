"""Which hosts several registered portals fetch, and the budget the registry gives them: the
process-wide gate (crawler/hostgate.py) paces each of them once for all crawlers."""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.registry.rows import PortalRow


def fetched_domains(row: PortalRow) -> set[str]:
    """The domains a row's spider may fetch from (www. dropped): its own hosts and aliases, the
    domains it links to, its re-post hosts and the hosts of its entry, hint and re-post URLs."""
    hosts = {row.host, *row.aliases, *row.aliases.values(), *row.domains, *row.repost_hosts}
    hosts |= {urlsplit(url).hostname or "" for url in (*row.entry, *row.hints, *row.reposts)}
    return {host.removeprefix("www.") for host in hosts if host}


def shared_hosts(rows: list[PortalRow]) -> dict[str, dict[str, float]]:
    """Each domain two or more rows may fetch -> its `rate` (from the row whose own host it is;
    empty: the project's defaults). www.gz.gov.cn re-posts the Guangzhou districts' reports
    (docs/portals.md §0.2): zc, by and haizhu all fetch gz.gov.cn."""
    users: dict[str, int] = {}
    for row in rows:
        for domain in fetched_domains(row):
            users[domain] = users.get(domain, 0) + 1
    own = {row.host.removeprefix("www."): row.rate for row in rows}
    return {domain: dict(own.get(domain, {})) for domain, n in sorted(users.items()) if n > 1}
