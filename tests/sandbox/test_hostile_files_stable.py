"""The sandbox's hostile zip bomb is the same bytes whenever and wherever it is built: it is
cached per checkout, so two checkouts (or a rebuilt cache) served an attachment whose bytes
differed by the hour it was built, and a crawl saw a changed attachment that had not changed."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from sandbox import files

INFLATED = 200_000  # small: the member layout is the same as the 1.1 GB bomb's


def _build(folder: Path, now: float, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(files, "CACHE_DIR", folder)
    monkeypatch.setattr(time, "time", lambda: now)
    return files._zip_bomb(INFLATED).read_bytes()


def test_the_zip_bomb_built_at_two_hours_is_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _build(tmp_path / "a", 1_700_000_000.0, monkeypatch)
    second = _build(tmp_path / "b", 1_700_000_000.0 + 7 * 3600, monkeypatch)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as bomb:
        members = [(m.filename, m.date_time) for m in bomb.infolist()]
        inflated = bomb.getinfo("word/document.xml").file_size
    assert members == [
        ("[Content_Types].xml", (2022, 1, 20, 9, 0, 0)),
        ("word/document.xml", (2022, 1, 20, 9, 0, 0)),
    ]
    assert inflated > INFLATED
