"""Which portal a URL belongs to, and that portal's declared rules (for tools outside a crawl:
`govreports clean --url`, `reclean`)."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings


@cache
def portal_spiders() -> dict[str, type]:
    # the project's loader (SPIDER_LOADER_CLASS): registry rows as well as spider files
    loader = get_spider_loader(get_project_settings())
    return {name: loader.load(name) for name in loader.list()}


def rules_for_portal(portal: str) -> dict[str, Any] | None:
    spider = portal_spiders().get(portal)
    if spider is None:
        return None
    return {
        "portal": portal,
        "content_selector": getattr(spider, "content_selector", None),
        # where the portal's units are (figures: a unit's identity across years)
        "city": getattr(spider, "city", None),
        "district": getattr(spider, "district", None),
    }


def rules_for_url(url: str) -> dict[str, Any] | None:
    """The rules of the spider whose allowed_domains cover the URL's host, or None."""
    host = urlsplit(url).hostname or ""
    for name, spider in portal_spiders().items():
        domains = getattr(spider, "allowed_domains", None) or []
        if any(host == d or host.endswith("." + d) for d in domains):
            return rules_for_portal(name)
    return None
