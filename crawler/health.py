"""Is a portal healthy after a run?  Declared checks over the run's stats, thresholds in settings.

A portal is unhealthy when its spider did not finish, raised errors (in callbacks or pipelines),
a start URL or hint failed (a 404 names it), could not read a list page, read list pages that show no post (a redesign), found no report
where the archive holds some (or none at all on a first run), found far fewer than the archive
holds, failed to parse or fetch too many detail pages, or when every request failed.
Thresholds: HEALTH_* in crawler/settings.py.  Warnings do not make a portal unhealthy but are
shown with it: a column read incompletely (`list incomplete: shows M of N (URL)`), discovery
stopped by DISCOVERY_MAX_PAGES.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawler.budget import BUDGET_CLOSE_REASON, AttachmentBudget, BudgetExhausted, TooLarge
from crawler.fetchpolicy import INTERNAL_REASONS, REFUSALS

Stats = dict[str, Any]


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
    gone: int = 0
    requests: int = 0
    response_bytes: int = 0  # downloader/response_bytes: what an incremental run saves
    detail_failed: dict[str, int] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)
    drops: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    titles_rejected: dict[str, int] = field(default_factory=dict)  # list titles, by reason
    discovery: dict[str, int] = field(default_factory=dict)  # channels and columns read
    warnings: list[str] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # fetch policy, by reason
    limits: dict[str, int] = field(default_factory=dict)  # work limits reached (crawler/budget.py)
    skipped: dict[str, int] = field(default_factory=dict)  # hostile values skipped, by reason
    finish_reason: str | None = None
    # what the run proved about deletions (crawler.gone.Verdict.as_dict): kept with the run so
    # a shard crawled elsewhere is judged in the merged archive by the same verdict
    verdict: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PortalHealth:
        """Read back a summary stored in `runs.stats` (unknown keys from other versions ignored)."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class History:
    """What the archive held for a portal before the run (the baseline of the checks)."""

    reports: int = 0  # every report ever archived for the portal
    live: int = 0  # of which not marked gone


def _prefixed(stats: Stats, prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix) and v}


def errors_by_kind(stats: Stats) -> dict[str, int]:
    """HTTP errors, network exceptions, callback and pipeline exceptions; robots.txt (most
    portals answer 404 for it, and that is fine) and discovery's dead links left out."""
    errors: dict[str, int] = {}
    robots = _prefixed(stats, "robotstxt/response_status_count/")
    # dead navigation links met by discovery are shown with discovery, not as errors
    dead = _prefixed(stats, "discovery/failed/http_")
    for code, count in _prefixed(stats, "downloader/response_status_count/").items():
        count -= robots.get(code, 0) + dead.get(code, 0)
        if int(code) >= 400 and count > 0:
            errors[f"http_{code}"] = count
    robot_exc = {
        _class_name(k): v for k, v in _prefixed(stats, "robotstxt/exception_count/").items()
    }
    # a body cut off at its size cap is a counted limit (limits/too_large/…), not an error
    robot_exc["DownloadCancelledError"] = robot_exc.get("DownloadCancelledError", 0) + sum(
        _prefixed(stats, "limits/too_large/").values()
    )
    for name, count in _prefixed(stats, "downloader/exception_type_count/").items():
        count -= robot_exc.get(_class_name(name), 0)
        if _class_name(name) in COUNTED_ELSEWHERE:
            continue
        if count > 0:
            errors[_class_name(name)] = count
    for name, count in _prefixed(stats, "spider_exceptions/").items():
        if name != "count":
            errors[f"callback:{name}"] = count
    for name, count in _prefixed(stats, "item_errors/").items():
        errors[f"pipeline:{name}"] = count
    for name, count in _prefixed(stats, "clean/failed/").items():  # kept, with its title only
        errors[f"clean:{name}"] = count
    return errors


# Refusals of the fetch policy and the work limits: counted under their own keys (refused,
# limits), not errors of the portal's server or the network.
COUNTED_ELSEWHERE = frozenset(
    {cls.__name__ for cls in REFUSALS.values()}
    | {cls.__name__ for cls in (BudgetExhausted, AttachmentBudget, TooLarge)}
)


def _class_name(key: str) -> str:
    # "twisted.internet.error.TimeoutError" or "<class 'builtins.OSError'>" -> the class name
    match = re.search(r"([\w.]+)'?>?$", key)
    return (match.group(1) if match else key).rsplit(".", 1)[-1]


def answered(stats: Stats) -> int:
    """Responses below 400 to the portal's own requests (robots.txt left out)."""
    robots = _prefixed(stats, "robotstxt/response_status_count/")
    statuses = _prefixed(stats, "downloader/response_status_count/")
    return sum(n - robots.get(code, 0) for code, n in statuses.items() if int(code) < 400)


def measure(portal: str, stats: Stats) -> PortalHealth:
    """The run's counters for one portal, before any judgement."""
    return PortalHealth(
        portal=portal,
        healthy=True,
        reports_found=stats.get("portal/reports_found", 0),
        new=stats.get("archive/new", 0),
        changed=stats.get("archive/new_version", 0),
        unchanged=stats.get("archive/unchanged", 0),
        duplicates=stats.get("archive/same_bytes", 0) + stats.get("archive/same_text", 0),
        gone=stats.get("archive/gone", 0),
        requests=stats.get("downloader/request_count", 0),
        response_bytes=stats.get("downloader/response_bytes", 0),
        detail_failed=_prefixed(stats, "portal/detail_failed/"),
        attachments=_prefixed(stats, "attachments/status/"),
        drops=_prefixed(stats, "validate/"),
        errors=errors_by_kind(stats),
        titles_rejected=_prefixed(stats, "titles/rejected/"),
        discovery=discovery_counts(stats),
        warnings=warnings(stats),
        refused=_prefixed(stats, "fetchpolicy/refused/"),
        limits=limits_reached(stats),
        skipped=skips(stats),
        finish_reason=stats.get("finish_reason"),
    )


def discovery_counts(stats: Stats) -> dict[str, int]:
    """Channel pages walked, report columns read, dead links met (crawler/portal.py)."""
    counts = {
        "channels": stats.get("discovery/channels", 0),
        "columns": stats.get("discovery/columns", 0),
    }
    counts.update({f"dead {k}": v for k, v in _prefixed(stats, "discovery/failed/").items()})
    return {k: v for k, v in counts.items() if v}


def warnings(stats: Stats) -> list[str]:
    """Columns the spider could not read completely (a failed hint is a reason already, not a
    warning too), and discovery stopped by its page limit."""
    failed = _prefixed(stats, "discovery/entry_failed/")
    found = [
        str(reason)
        for column, reason in sorted(_prefixed(stats, "portal/column_incomplete/").items())
        if column not in failed
    ]
    if stats.get("discovery/page_limit"):
        found.append("discovery stopped at DISCOVERY_MAX_PAGES: columns may be missing")
    return found


def skips(stats: Stats) -> dict[str, int]:
    """Values a callback or pipeline could not use and skipped, counted by reason."""
    found = {
        **{f"link {k}": v for k, v in _prefixed(stats, "portal/link_skipped/").items()},
        "JSON list unusable, HTML walked": stats.get("portal/json_list_unknown_shape", 0)
        + stats.get("portal/gkmlpt_unknown_shape", 0),
        **{f"cleaned as text ({k})": v for k, v in _prefixed(stats, "clean/degraded/").items()},
        "URL kept as its own canonical": stats.get("canonicalize/unparsable_url", 0),
    }
    return {what: n for what, n in found.items() if n}


def limits_reached(stats: Stats) -> dict[str, int]:
    """Work limits a portal ran into (crawler/budget.py), as `what: how many times`."""
    found = {
        "columns at page cap": stats.get("limits/list_page_cap", 0),
        "list pages not followed": stats.get("limits/list_pages_refused", 0),
        "requests over budget": stats.get("limits/requests_refused", 0),
        "files over report budget": stats.get("limits/attachments_refused", 0),
        "pages too large": stats.get("limits/too_large/page", 0),
        "files too large": stats.get("limits/too_large/file", 0),
    }
    return {what: n for what, n in found.items() if n}


# --- the checks: each returns a reason (the portal is unhealthy) or None -----------------------
Check = Callable[[PortalHealth, Stats, History, Settings], str | None]


def spider_unfinished(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    if h.finish_reason in ("finished", BUDGET_CLOSE_REASON):  # the budget check says why
        return None
    return f"spider ended with {h.finish_reason!r}" if h.finish_reason else "spider never ran"


def code_errors(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    raised = {k: v for k, v in h.errors.items() if k.startswith(("callback:", "pipeline:"))}
    return f"errors in the crawler's code: {_counts(raised)}" if raised else None


def entry_points_failed(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    failed = _prefixed(stats, "discovery/entry_failed/")
    if not failed:
        return None
    named = ", ".join(f"{url} ({reason})" for url, reason in sorted(failed.items()))
    return f"start URL or hint failed: {named}"


def every_request_failed(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    own = stats.get("downloader/request_count", 0) - stats.get("robotstxt/request_count", 0)
    if own <= 0 or answered(stats) > 0:
        return None
    return f"every request failed ({_counts(h.errors) or 'no answer'})"


def no_list_page(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    if stats.get("portal/list_pages", 0) or h.finish_reason != "finished":
        return None
    return "no list page could be read"


def empty_lists(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    pages = stats.get("portal/list_pages", 0)
    if not pages or stats.get("portal/list_entries", 0):
        return None
    return f"{pages} list page(s) read but no post found on them: has the list markup changed?"


def no_reports(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    if h.reports_found:
        return None
    return (
        f"0 reports found (the archive holds {past.reports})" if past.reports else "0 reports found"
    )


def far_fewer_reports(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    ratio = s.getfloat("HEALTH_MIN_FOUND_RATIO", 0.5)
    if not h.reports_found or not past.live or h.reports_found >= ratio * past.live:
        return None
    return (
        f"only {h.reports_found} reports found, the archive holds {past.live} (min ratio {ratio})"
    )


def parse_failures(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    links, no_body = stats.get("portal/report_links", 0), stats.get("portal/detail_no_content", 0)
    limit = s.getfloat("HEALTH_MAX_PARSE_FAILURE_RATE", 0.2)
    if not links or no_body / links <= limit:
        return None
    return f"{no_body} of {links} detail pages had no report body (max rate {limit})"


def clean_failures(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    # One page the cleaner cannot read is hostile input, kept with its title; many are our
    # fault (a broken worker pool, a parser regression) and the texts archived are not reports.
    failed = _prefixed(stats, "clean/failed/")
    pages = h.reports_found or stats.get("portal/report_links", 0)
    limit = s.getfloat("HEALTH_MAX_CLEAN_FAILURE_RATE", 0.1)
    if not failed or not pages or sum(failed.values()) / pages <= limit:
        return None
    return f"cleaning failed on {sum(failed.values())} of {pages} report pages ({_counts(failed)})"


def detail_failures(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    links, failed = stats.get("portal/report_links", 0), sum(h.detail_failed.values())
    limit = s.getfloat("HEALTH_MAX_DETAIL_FAILURE_RATE", 0.5)
    if not links or failed / links <= limit:
        return None
    return f"{failed} of {links} report pages did not answer ({_counts(h.detail_failed)})"


def request_budget(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    budget = stats.get("limits/request_budget")
    if not budget:
        return None
    return (
        f"request budget of {budget} reached (PORTAL_REQUEST_BUDGET): crawl cut short, "
        f"{stats.get('limits/requests_refused', 0)} request(s) refused"
    )


def page_cap(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    columns = stats.get("limits/list_page_cap", 0)
    if not columns:
        return None
    return (
        f"{columns} column(s) reached the page cap of {s.getint('LIST_PAGE_CAP')} list pages "
        f"(LIST_PAGE_CAP): list cut short, endless pagination?"
    )


def internal_fetches(h: PortalHealth, stats: Stats, past: History, s: Settings) -> str | None:
    """A public portal that links or redirects to internal addresses or local files is hostile
    or compromised: worth a person's look even though nothing was fetched."""
    internal = {r: n for r, n in h.refused.items() if r in INTERNAL_REASONS}
    if not internal:
        return None
    return f"links or redirects to internal addresses or local files refused ({_counts(internal)})"


CHECKS: tuple[Check, ...] = (
    spider_unfinished,
    request_budget,
    page_cap,
    internal_fetches,
    code_errors,
    entry_points_failed,
    every_request_failed,
    no_list_page,
    empty_lists,
    no_reports,
    far_fewer_reports,
    parse_failures,
    clean_failures,
    detail_failures,
)


def assess(portal: str, stats: Stats, past: History, settings: Settings) -> PortalHealth:
    """Measure one portal's run and judge it with every check in CHECKS."""
    health = measure(portal, stats)
    for check in CHECKS:
        reason = check(health, stats, past, settings)
        if reason:
            health.reasons.append(reason)
    if any(r.startswith("every request failed") for r in health.reasons):
        # one cause, said once: the start URLs and lists failed because nothing answered
        health.reasons = [
            r
            for r in health.reasons
            if r != "no list page could be read" and not r.startswith("start URL or hint failed")
        ]
    health.healthy = not health.reasons
    return health


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))


class ItemErrorStats:
    """Count exceptions raised by item pipelines (Scrapy only logs them) as `item_errors/<Type>`,
    so a failing archive write makes the portal unhealthy instead of passing unnoticed."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ItemErrorStats:
        return cls(crawler)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        self.stats.inc_value(f"item_errors/{type(failure.value).__name__}")
