"""What a pipeline needs to send its work to the crawl's page-work pool (crawler/cleaning/pool.py):
its size from `CLEAN_WORKERS` (-1: the cores but one; 0: no pool, the work runs inline), the pool
held from open_spider to close_spider, and a call after which a dead worker means a new pool for
the next item. The cleaning and figures pipelines mix it in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from scrapy.settings import BaseSettings

from crawler.cleaning import pool as page_pool

BrokenProcessPool = page_pool.BrokenProcessPool


class UsesPagePool:
    pool: page_pool.CleaningPool | None = None
    workers: int = 0

    def configure_pool(self, settings: BaseSettings) -> None:
        workers = settings.getint("CLEAN_WORKERS", -1)
        self.workers = page_pool.default_workers() if workers < 0 else workers
        self.pool = None

    def open_spider(self) -> None:
        if self.workers:
            self.pool = page_pool.acquire(self.workers)

    def close_spider(self) -> None:
        if self.pool is not None:
            page_pool.release(self.pool)
            self.pool = None

    async def in_pool(self, function: Callable[..., Any], *args: Any) -> Any:
        """`function(*args)` in a worker. A BrokenProcessPool (a worker died on this item or
        beside it) is raised after the next item has been given a new pool."""
        if self.pool is None:
            raise RuntimeError("in_pool() outside open_spider/close_spider")
        try:
            return await asyncio.wrap_future(self.pool.call(function, *args))
        except BrokenProcessPool:
            self.pool.broken()
            raise
