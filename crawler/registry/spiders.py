"""A generic spider per CMS family, built from a registry row: the row says what a portal file
used to declare (entry points, hints, selectors, the district's names, quirks), the family's mixin
(crawler/cms/) says how its columns list and page. The class is checked like a portal file
(PortalSpider.__init_subclass__), so a bad row fails with a message naming the row."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from crawler.cms.hanweb import HanwebMixin
from crawler.cms.nfcms import NfcmsMixin
from crawler.cms.trs import TrsMixin
from crawler.portal import PortalDeclarationError, PortalSpider
from crawler.registry.rows import PortalRow, RegistryError

MIXINS: dict[str, type | None] = {
    "nfcms": NfcmsMixin,
    "trs": TrsMixin,
    "hanweb": HanwebMixin,
    "generic": None,
}
# Where each family's templates put the report body (docs/portals.md §1 #zoomcon on NFCMS
# articles, §5 .TRS_Editor, §6 #zoom on Hanweb articles and 信息公开 module pages).
DEFAULT_CONTENT = {"nfcms": "#zoomcon", "trs": ".TRS_Editor", "hanweb": "#zoom"}


def domain_of(host: str) -> str:
    return host.removeprefix("www.")


def allowed_domains(row: PortalRow) -> list[str]:
    hosts = [row.host, *row.aliases, *row.domains]
    hosts += [urlsplit(url).hostname or "" for url in (*row.entry, *row.hints, *row.reposts)]
    out: list[str] = []
    for host in hosts:
        domain = domain_of(host)
        if domain and domain not in out:
            out.append(domain)
    return out


def download_slots(row: PortalRow) -> dict[str, dict[str, float]]:
    """Scrapy's per-slot politeness for each of the portal's own hosts (a slot is a host): a
    slow or strict portal is paced alone; every other host keeps the project's defaults."""
    slot = {}
    if "delay" in row.rate:
        slot["delay"] = float(row.rate["delay"])
    if "concurrency" in row.rate:
        slot["concurrency"] = int(row.rate["concurrency"])
    hosts = dict.fromkeys([row.host, *row.aliases.values(), *row.aliases])
    return {host: dict(slot) for host in hosts}


def spider_attributes(row: PortalRow) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "name": row.key,
        "portal_name": row.name,
        "allowed_domains": allowed_domains(row),
        "start_urls": list(row.entry),
        "hints": [*row.hints, *(url for url in row.reposts if url not in row.hints)],
        "content_selector": row.content or DEFAULT_CONTENT.get(row.cms),
        "title_selector": row.title or "h1",
        "city": row.city,
        "district": row.district,
        "host_aliases": dict(row.aliases),
        "list_columns": row.list_columns,
        "repost_domains": list(row.repost_hosts),
        "registry_row": row,
    }
    if row.rate:
        attrs["custom_settings"] = {"DOWNLOAD_SLOTS": download_slots(row)}
    if row.reposts:
        if row.cms != "nfcms":
            raise RegistryError(f"{row.source}: 'reposts' is an NFCMS cluster habit (§0.2, §2)")
        attrs["column_title_filters"] = dict(row.reposts)
    return attrs


def spider_class(row: PortalRow) -> type[PortalSpider]:
    """The generic spider of the row's CMS family, declared by the row."""
    mixin = MIXINS[row.cms]
    bases: tuple[type, ...] = (mixin, PortalSpider) if mixin else (PortalSpider,)
    class_name = "".join(part.title() for part in row.key.split("_")) + "Spider"
    attrs = {**spider_attributes(row), "__module__": "crawler.registry.generated"}
    try:
        return type(class_name, bases, attrs)
    except PortalDeclarationError as exc:
        raise RegistryError(f"{row.source}: {exc}") from exc
