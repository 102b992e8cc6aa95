"""Fixtures of the web UI tests: the UI archive (tests/ui/ui_archive.py) built once, Datasette in
process for page tests, and a real `govreports serve` with headless Chromium for browser tests.
Screenshots go to output/ui/ (not in git) for people to look at."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.ui.ui_archive import build

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "output" / "ui"


@pytest.fixture(scope="session")
def ui_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ui") / "archive.db"
    build(path)
    return path


@pytest.fixture(scope="session")
def get(ui_archive: Path):
    """GET a path from the UI's Datasette, in process: (status, headers, body bytes)."""
    from crawler.serve import app

    datasette = app(ui_archive)

    def fetch(path: str):
        response = asyncio.run(datasette.client.get(path))
        return response.status_code, response.headers, response.content

    return fetch
