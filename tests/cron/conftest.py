"""Fixtures of the cron tests: the sandbox's truth, the companion portal, a counting proxy."""

from __future__ import annotations

import pytest

from tests.cron.helpers import COMPANIONS, CountingProxy


@pytest.fixture(scope="session")
def manifest() -> dict:
    import sandbox

    return sandbox.manifest()


@pytest.fixture(scope="session")
def companion(manifest: dict) -> str:
    from scrapy.spiderloader import get_spider_loader

    from crawler.runner import project_settings

    spiders = set(get_spider_loader(project_settings()).list())
    served = {r["portal"] for r in manifest["reports"]}
    found = [p for p in COMPANIONS if p in spiders and p in served]
    assert found, f"no companion portal among {COMPANIONS}: spiders {sorted(spiders)}"
    return found[0]


@pytest.fixture
def counting_proxy():
    with CountingProxy() as proxy:
        yield proxy
