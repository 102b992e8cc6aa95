"""The portal registry: one row per portal in portals.toml (and in any file the
PORTAL_REGISTRY_FILES setting names), a generic spider per CMS family built from a row, and the
spider loader that offers every registered portal to Scrapy and `govreports crawl` by name."""

from crawler.registry.rows import (
    FAMILIES,
    REPOSITORY_REGISTRY,
    PortalRow,
    RegistryError,
    find_row,
    load_rows,
    registry_rows,
)
from crawler.registry.spiders import spider_class

__all__ = [
    "FAMILIES",
    "REPOSITORY_REGISTRY",
    "PortalRow",
    "RegistryError",
    "find_row",
    "load_rows",
    "portal_class",
    "registry_rows",
    "spider_class",
]


def portal_class(name: str, extra_files: tuple[str, ...] = ()) -> type:
    """The spider of a registered portal, by host or key (`by_gov_cn`, `www.by.gov.cn`)."""
    row = find_row(registry_rows(extra_files), name)
    if row is None:
        raise RegistryError(f"no registered portal {name!r}")
    return spider_class(row)
