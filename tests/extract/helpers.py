"""Assertions shared by the extraction tests."""

from __future__ import annotations

import re


def squash(text: str) -> str:
    """Text without whitespace: a PDF's line wraps fall anywhere inside a sentence."""
    return re.sub(r"\s+", "", text)


def assert_in_order(text: str, parts: list[str]) -> None:
    """Every part occurs in `text`, each after the previous one."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + len(part)
