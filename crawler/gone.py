"""Gone only on proof: what one portal's run proves about its columns, and the verdict.

Part of the run lifecycle (crawler/lifecycle.py collects the evidence through signals); the
marking itself is the archive's (`Archive.mark_gone`, crawler/archive/deletions.py):

- a column is *complete* when it listed at least one report in this run and no one said it was
  read incompletely (`column_incomplete`: a list page failed or was refused, the page cap, a list
  that declares more records than it shows, a list callback that raised). A column that listed
  nothing proves nothing: an empty list is what a changed markup looks like;
- a report's own columns are those that listed it when it was last sighted; it is gone when they
  are all complete and its URL is no longer listed, or listed and answered 404/410 (a listed URL
  that was refused, redirected away, looped or failed keeps its report);
- nothing is judged when the portal's run was cut short (shutdown, request budget, an error) or
  when its lists look broken (no report found, far fewer than the archive holds, list pages
  without posts): a broken list is not a purge.

Reports sighted before columns were recorded are judged by the whole portal, as before: only a
healthy, finished run with no failed list page marks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.settings import Settings

from crawler import health as checks
from crawler.archive import Listing
from crawler.health import History, PortalHealth

# A run may still mark reports gone by the whole-portal rule when its only detail failures are
# these (deleted posts).
GONE_STATUSES = {"http_404", "http_410"}
# Checks whose failure says the portal's lists themselves cannot be trusted this run.
LISTS_SUSPECT = (checks.no_reports, checks.far_fewer_reports, checks.empty_lists)


@dataclass
class Evidence:
    """What one portal's run showed, column by column."""

    listed: dict[str, str | None] = field(default_factory=dict)  # URL as requested -> column
    answers: dict[str, int] = field(default_factory=dict)  # listed URL -> final HTTP status
    incomplete: dict[str | None, str] = field(default_factory=dict)  # column -> first reason

    def list(self, column: str | None, url: str) -> None:
        self.listed.setdefault(url, column)

    def answer(self, url: str, status: int) -> None:
        if url in self.listed:
            self.answers[url] = status

    def column_incomplete(self, column: str | None, reason: str) -> None:
        self.incomplete.setdefault(column, reason)

    def complete_columns(self) -> set[str]:
        if None in self.incomplete:  # a list page of no known column failed: any may be short
            return set()
        read = {column for column in self.listed.values() if column}
        return read - set(self.incomplete)

    def listings(self) -> list[Listing]:
        return [
            Listing(column or "", url, self.answers.get(url)) for url, column in self.listed.items()
        ]


@dataclass(frozen=True)
class Verdict:
    """What may be marked gone for one portal after its run."""

    judged: bool  # False: nothing at all (the run or its lists cannot be trusted)
    complete_columns: frozenset[str] = frozenset()
    legacy: bool = False  # reports without a recorded column may be judged (whole-portal rule)
    why_not: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """As the run's row keeps it (PortalHealth.verdict): a merge judges the shard's run
        in the merged archive from it (crawler/cluster/clustercrawl.py)."""
        return {
            "judged": self.judged,
            "complete_columns": sorted(self.complete_columns),
            "legacy": self.legacy,
            "why_not": self.why_not,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        """A stored verdict; an empty one (a run recorded before verdicts were) judges nothing."""
        if not data:
            return cls(False, why_not="the run recorded no verdict")
        return cls(
            bool(data["judged"]),
            frozenset(data.get("complete_columns") or ()),
            bool(data.get("legacy")),
            data.get("why_not"),
        )


def run_complete(health: PortalHealth, stats: dict[str, Any]) -> bool:
    """The whole-portal rule: did this run see every list page of the portal?  Healthy,
    finished, no list request failed, no report page failed but as deleted."""
    return (
        health.healthy
        and health.finish_reason == "finished"
        and not stats.get("incremental/list_failed", 0)
        and set(health.detail_failed) <= GONE_STATUSES
    )


def verdict(
    health: PortalHealth,
    stats: dict[str, Any],
    past: History,
    settings: Settings,
    evidence: Evidence,
) -> Verdict:
    if health.finish_reason != "finished":
        return Verdict(False, why_not=f"run ended with {health.finish_reason!r}")
    for check in LISTS_SUSPECT:
        reason = check(health, stats, past, settings)
        if reason:
            return Verdict(False, why_not=reason)
    return Verdict(
        True,
        frozenset(evidence.complete_columns()),
        legacy=run_complete(health, stats),
    )
