"""After a run: the reports a complete run of a portal did not sight are marked gone.

Part of the run lifecycle (it judges a run by its health); the marking itself is the archive's
`Archive.mark_gone`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.settings import Settings

from crawler.archive import Archive
from crawler.clock import utc_now
from crawler.health import PortalHealth

log = logging.getLogger(__name__)

# A run may still mark reports gone when its only detail failures are these (deleted posts).
GONE_STATUSES = {"http_404", "http_410"}


def run_complete(health: PortalHealth, stats: dict[str, Any]) -> bool:
    """Did this run see every list page of the portal?  Only then is "not listed" evidence of a
    deletion: healthy, finished, no list request failed, no report page failed but as deleted."""
    return (
        health.healthy
        and health.finish_reason == "finished"
        and not stats.get("incremental/list_failed", 0)
        and set(health.detail_failed) <= GONE_STATUSES
    )


def mark_gone_after_run(
    settings: Settings,
    run_id: str,
    health: dict[str, PortalHealth],
    stats: dict[str, dict[str, Any]],
) -> None:
    """Mark gone, per complete portal, the reports this run did not sight; the count goes to
    the portal's health (`gone`).  An incomplete run marks nothing."""
    complete = [p for p, h in health.items() if run_complete(h, stats.get(p, {}))]
    for portal in sorted(set(health) - set(complete)):
        log.info("%s: run incomplete, no report marked gone", portal)
    if not complete:
        return
    archive = Archive.open(settings.get("ARCHIVE_PATH"))
    try:
        when = utc_now()
        for portal in complete:
            health[portal].gone = archive.mark_gone(portal, run_id, when)
            if health[portal].gone:
                log.warning(
                    "%s: %d report(s) no longer listed, marked gone", portal, health[portal].gone
                )
    finally:
        archive.close()
