"""How a run's per-portal health reads, in `govreports crawl`'s summary and `govreports status`:
one line of counts per portal, then what went wrong (breakdowns and reasons), indented."""

from __future__ import annotations

import signal

from crawler.health import PortalHealth

# (recall, precision, expected) against the sandbox manifest, when crawling the sandbox
Score = tuple[float, float, int]


def portal_lines(health: PortalHealth, score: Score | None = None) -> list[str]:
    line = (
        f"  {health.portal:<14} {'ok' if health.healthy else 'UNHEALTHY':<9} "
        f"found {health.reports_found:>4}  new {health.new:>4}  changed {health.changed:>3}  "
        f"unchanged {health.unchanged:>4}  gone {health.gone:>3}  dup {health.duplicates:>3}  "
        f"requests {health.requests:>5}"
    )
    if score:
        recall, precision, expected = score
        line += f"  recall {recall:.0%} precision {precision:.0%} of {expected}"
    return [
        line,
        *breakdown_lines(health),
        *(f"      {health.portal}: {r}" for r in health.reasons),
        *(f"      {health.portal}: warning: {w}" for w in health.warnings),
    ]


def breakdown_lines(health: PortalHealth) -> list[str]:
    """Discovery, attachments by status, failed report pages, errors by kind, drops and
    rejected list titles by reason, fetches the fetch policy refused by reason, work limits
    reached, hostile values skipped by reason."""
    parts = [
        ("discovery", health.discovery),
        ("attachments", health.attachments),
        ("report pages failed", health.detail_failed),
        ("errors", health.errors),
        ("dropped", health.drops),
        ("titles rejected", health.titles_rejected),
        ("refused by the fetch policy", health.refused),
        ("limits reached", health.limits),
        ("skipped", health.skipped),
    ]
    return [f"      {label}: {counts(values)}" for label, values in parts if values]


def counts(values: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(values.items()))


def header(run_id: str, path: str, exit_status: int, portals: dict[str, PortalHealth]) -> str:
    unhealthy = [p for p, h in portals.items() if not h.healthy]
    what = f"exit status {exit_status}"
    if exit_status > 128:
        what += f": aborted by {signal_label(exit_status - 128)}"
    elif unhealthy:
        what += f": unhealthy {', '.join(unhealthy)}"
    return f"run {run_id} -> {path} ({what})"


def signal_label(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
