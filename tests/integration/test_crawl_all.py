"""Every portal of the sandbox in one run, as `make demo` does it."""

import pytest

pytestmark = pytest.mark.sandbox
PORTALS = ("by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn")


def test_every_portal_is_healthy_with_full_recall_and_precision(all_portals_run, manifest) -> None:
    run = all_portals_run
    assert run.returncode == 0, run.stderr[-2000:]
    for portal in PORTALS:
        expected = sum(r["portal"] == portal for r in manifest["reports"])
        line = next(line for line in run.stdout.splitlines() if line.strip().startswith(portal))
        assert f"{portal:<14} ok" in line
        assert f"recall 100% precision 100% of {expected}" in line


def test_report_counts_match_the_manifest(all_portals_run, manifest) -> None:
    counts = dict(all_portals_run.query("SELECT portal, count(*) FROM reports GROUP BY portal"))
    expected = {p: sum(r["portal"] == p for r in manifest["reports"]) for p in PORTALS}
    assert counts == expected
    assert expected == {
        "by_gov_cn": 64,
        "haizhu_gov_cn": 40,
        "qufu_gov_cn": 40,
        "qzlc_gov_cn": 58,
        "zc_gov_cn": 48,
    }


def test_city_repost_and_mobile_twin_are_sightings_of_one_report(all_portals_run, manifest) -> None:
    """Baiyun's district report is on by.gov.cn, its mpost_ twin, and www.gz.gov.cn."""
    reposted = [
        r
        for r in manifest["reports"]
        if "www.by.gov.cn" in r["url"] and any("www.gz.gov.cn" in a for a in r["aliases"])
    ]
    assert [r["title"] for r in reposted] == [
        "广州市白云区人民政府2023年政府信息公开工作年度报告",
        "广州市白云区人民政府2024年度政府信息公开工作年度报告",
    ]
    for truth in reposted:
        urls = {truth["url"], *truth["aliases"]}
        rows = all_portals_run.query(
            f"SELECT DISTINCT report_id FROM sightings WHERE url IN ({','.join('?' * len(urls))})",
            tuple(urls),
        )
        assert len(rows) == 1, truth["title"]
        ((canonical, sighted),) = all_portals_run.query(
            """SELECT r.canonical_url, group_concat(DISTINCT s.reason) FROM reports r
               JOIN sightings s ON s.report_id = r.id WHERE r.id = ?""",
            (rows[0][0],),
        )
        assert canonical == truth["url"]  # the portal's own URL, not the re-post
        assert "same_text" in sighted


def test_no_report_without_its_capture_blob_and_sighting(all_portals_run) -> None:
    orphans = all_portals_run.query(
        """SELECT r.id FROM reports r LEFT JOIN captures c ON c.id = r.capture_id
           LEFT JOIN blobs b ON b.sha256 = c.sha256
           WHERE b.sha256 IS NULL OR NOT EXISTS (SELECT 1 FROM sightings s WHERE s.report_id = r.id)"""
    )
    assert orphans == []
    assert all_portals_run.query("PRAGMA integrity_check") == [("ok",)]
