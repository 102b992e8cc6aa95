"""Is a portal healthy after a run?  Declared checks over the run's stats, thresholds in settings.

A portal is unhealthy when its spider did not finish, raised errors, found no report where the
archive holds some (or found none at all on a first run), or failed to parse too many pages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy.settings import Settings


@dataclass
class PortalHealth:
    portal: str
    healthy: bool
    reasons: list[str] = field(default_factory=list)
    reports_found: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    requests: int = 0
    detail_failed: dict[str, int] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)
    drops: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}


def assess(
    portal: str, stats: dict[str, Any], reports_before: int, settings: Settings
) -> PortalHealth:
    found = stats.get("portal/reports_found", 0)
    health = PortalHealth(
        portal=portal,
        healthy=True,
        reports_found=found,
        new=stats.get("archive/new", 0),
        changed=stats.get("archive/new_version", 0),
        unchanged=stats.get("archive/unchanged", 0),
        duplicates=stats.get("archive/same_bytes", 0) + stats.get("archive/same_text", 0),
        requests=stats.get("downloader/request_count", 0),
        detail_failed=_prefixed(stats, "portal/detail_failed/"),
        attachments=_prefixed(stats, "attachments/status/"),
        drops=_prefixed(stats, "validate/"),
        errors={
            **_prefixed(stats, "spider_exceptions/"),
            **_prefixed(stats, "downloader/exception_type_count/"),
        },
        finish_reason=stats.get("finish_reason"),
    )
    reasons = health.reasons
    if health.finish_reason != "finished":
        reasons.append(f"spider ended with {health.finish_reason!r}")
    if _prefixed(stats, "spider_exceptions/"):
        reasons.append(f"spider errors: {_prefixed(stats, 'spider_exceptions/')}")
    if found == 0:
        reasons.append(
            f"0 reports found (the archive holds {reports_before})"
            if reports_before
            else "0 reports found"
        )
    details = stats.get("portal/report_links", 0)
    no_content = stats.get("portal/detail_no_content", 0)
    max_rate = settings.getfloat("HEALTH_MAX_PARSE_FAILURE_RATE", 0.2)
    if details and no_content / details > max_rate:
        reasons.append(f"{no_content} of {details} detail pages had no report body")
    responses = stats.get("downloader/response_count", 0)
    if stats.get("downloader/request_count", 0) and not responses:
        reasons.append("every request failed")
    health.healthy = not reasons
    return health
