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
