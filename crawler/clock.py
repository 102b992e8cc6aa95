"""The one clock every stored timestamp comes from: UTC, ISO 8601, whole seconds, ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    return stamp(datetime.now(UTC))


def stamp(when: datetime) -> str:
    """`when` (timezone-aware) as every stored timestamp is written."""
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
