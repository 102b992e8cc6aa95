"""Fixtures of the query-layer tests: one archive built once per session, opened read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.archive import open_archive
from tests.search.archive_fixture import build_archive


@pytest.fixture(scope="session")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "a.db"
    build_archive(path).conn.close()
    return path


@pytest.fixture
def db(archive_path: Path):
    db = open_archive(archive_path, readonly=True)
    yield db
    db.conn.close()
