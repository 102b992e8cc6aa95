"""Scrapy's spider loader plus the registry: every registered portal is a spider by its key
(`scrapy crawl by_gov_cn`, `govreports crawl www.by.gov.cn`), and `portal` builds one from a row
named by `-a host=`. A spider file named by a row's `spider` replaces the generic spider."""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.spiderloader import SpiderLoader

from crawler.registry.rows import RegistryError, find_row, registry_rows
from crawler.registry.spiders import spider_class


class RegistrySpiderLoader(SpiderLoader):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        files = tuple(settings.getlist("PORTAL_REGISTRY_FILES"))
        self.rows = registry_rows(files)
        for row in self.rows:
            if row.spider:
                if row.spider not in self._spiders:
                    raise RegistryError(f"{row.source}: spider {row.spider!r} has no spider file")
                continue
            if row.key in self._spiders:
                raise RegistryError(
                    f"{row.source}: spiders/{row.key}.py exists too; a row with a spider file "
                    f"says so with spider = {row.key!r} and why"
                )
            self._spiders[row.key] = spider_class(row)
        RegistryPortal.files = files

    def load(self, spider_name: str) -> type[scrapy.Spider]:
        # `portal` is no portal of its own, so `list()` (every portal to crawl) leaves it out
        if spider_name == RegistryPortal.name:
            return RegistryPortal
        return super().load(spider_name)

    def resolve(self, name: str) -> str | None:
        """A portal's spider name from its key, host or URL; None when nothing is registered."""
        if name in self._spiders and name != RegistryPortal.name:
            return name
        row = find_row(self.rows, name)
        if row is None:
            return None
        return row.spider or row.key


class RegistryPortal(scrapy.Spider):
    """`scrapy crawl portal -a host=www.by.gov.cn`: the registered portal's own spider."""

    name = "portal"
    files: tuple[str, ...] = ()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> scrapy.Spider:
        host = kwargs.pop("host", None)
        if not host:
            raise RegistryError("scrapy crawl portal needs -a host=HOST (a registered portal)")
        files = tuple(crawler.settings.getlist("PORTAL_REGISTRY_FILES")) or cls.files
        rows = registry_rows(files)
        row = find_row(rows, host)
        if row is None:
            raise RegistryError(f"no registered portal {host!r} (govreports portals list)")
        if row.spider:
            loader = RegistrySpiderLoader(crawler.settings)
            return loader.load(row.spider).from_crawler(crawler, *args, **kwargs)
        return spider_class(row).from_crawler(crawler, *args, **kwargs)
