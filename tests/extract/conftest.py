"""Rendered files of the test reports, shared by the extraction tests."""

from __future__ import annotations

import pytest

from sandbox import files
from tests.extract.reports import REPORT_2021


@pytest.fixture(scope="session")
def rendered():
    """`rendered(fmt)`: REPORT_2021 as bytes of `fmt`, rendered once per session."""
    cache: dict[str, bytes] = {}

    def get(fmt: str) -> bytes:
        if fmt not in cache:
            cache[fmt] = files.render(REPORT_2021, fmt)
        return cache[fmt]

    return get


@pytest.fixture
def own_pool(monkeypatch):
    """An extraction pool of the test's own, as `extract_bytes` sees it: no office is running
    in it yet (the process's shared pool may keep a warm one from an earlier test), and an
    environment set before the test's first file reaches its server."""
    from crawler.extract import pool as pool_module

    own = pool_module.ExtractionPool()
    monkeypatch.setattr(pool_module, "shared", lambda: own)
    yield own
    own.close()
