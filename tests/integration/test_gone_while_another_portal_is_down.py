"""Gone per portal: a run in which one portal is down (its lists answer 500) still marks the
deleted reports of the other portals gone, and marks nothing of the portal that was down.

The sandbox's revision 1 deletes one report of www.zc.gov.cn (the manifest's `gone`). Night 1
crawls revision 0; night 2 crawls revision 1 while Qufu's lists answer 500
(`--fault qufu_gov_cn:list500`): Qufu is unhealthy and the run exits 1, yet Zengcheng's complete
read of its column is evidence enough for its own deletion.
"""

from __future__ import annotations

import pytest

import sandbox
from tests.integration.conftest import govreports_crawl

pytestmark = pytest.mark.sandbox
PORTALS = ("zc_gov_cn", "qufu_gov_cn")
OFF = ("-s", "OCR_ENABLED=False")


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    archive = tmp_path_factory.mktemp("gone") / "archive.db"
    first = govreports_crawl(archive, *PORTALS, *OFF)
    second = govreports_crawl(
        archive, *PORTALS, *OFF, "--revision", "1", "--fault", "qufu_gov_cn:list500"
    )
    return first, second


def test_night_one_is_healthy_and_night_two_has_qufu_down(nights) -> None:
    first, second = nights
    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 1  # Qufu unhealthy
    assert "exit status 1: unhealthy qufu_gov_cn" in second.stdout
    zc_line = next(line for line in second.stdout.splitlines() if "zc_gov_cn " in line)
    assert "zc_gov_cn      ok" in zc_line


def test_the_deleted_zc_report_is_gone_though_qufu_was_down(nights) -> None:
    _, second = nights
    deleted = sandbox.manifest(revision=1)["gone"]
    assert len(deleted) == 1 and "www.zc.gov.cn" in deleted[0]
    ((gone_at,),) = second.query(
        "SELECT gone_at FROM reports WHERE canonical_url = ?", (deleted[0],)
    )
    ((started_at,),) = second.query("SELECT started_at FROM runs ORDER BY started_at DESC LIMIT 1")
    assert gone_at is not None and gone_at >= started_at  # marked by night two
    # and only it: every other zc report is live
    assert second.query(
        "SELECT canonical_url FROM reports WHERE portal = 'zc_gov_cn' AND gone_at IS NOT NULL"
    ) == [(deleted[0],)]


def test_nothing_of_the_portal_that_was_down_is_gone(nights) -> None:
    first, second = nights
    ((qufu,),) = first.query("SELECT count(*) FROM reports WHERE portal = 'qufu_gov_cn'")
    assert qufu == sum(r["portal"] == "qufu_gov_cn" for r in sandbox.manifest()["reports"])
    assert (
        second.query(
            "SELECT canonical_url FROM reports WHERE portal = 'qufu_gov_cn' AND gone_at IS NOT NULL"
        )
        == []
    )
