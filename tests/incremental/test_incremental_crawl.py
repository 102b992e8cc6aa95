"""Nightly crawls of www.zc.gov.cn in the sandbox, for real (govreports crawl in a subprocess),
all on one archive, in this order:

1. revision 0            the first crawl: everything fetched
2. revision 0 again      nothing changed: lists only, every report sighted without a fetch
3. revision 1            one report added, one edited in place, one deleted
4. revision 0 + list500  an incomplete run (list pages answer 500): nothing marked gone
5. revision 0            the deleted report is back, the added one gone, the edit reverted
6. revision 0 --full     incremental state ignored: everything fetched again, nothing changes
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.integration.conftest import CrawlRun, govreports_crawl

pytestmark = pytest.mark.sandbox
PORTAL = "zc_gov_cn"
POST = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_{}.html"
ADDED, EDITED, DELETED = POST.format(11055607), POST.format(10971003), POST.format(10207461)


@dataclass
class Night:
    """One crawl and the archive as it stood right after it."""

    run: CrawlRun
    run_id: str
    health: dict
    reports: dict[str, tuple]  # canonical URL -> (title, unit, year, date, text, first_seen, gone)
    versions: list[tuple[str, int]]  # the edited report's (text, is current), oldest first
    version_count: int


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> dict[int, Night]:
    archive = tmp_path_factory.mktemp("incremental") / "archive.db"
    args = {
        1: (),
        2: (),
        3: ("--revision", "1"),
        4: ("--fault", f"{PORTAL}:list500"),
        5: (),
        6: ("--full",),
    }
    # OCR off: one scanned attachment would cost ~10 s on every night that re-extracts it
    fast = ("-s", "OCR_ENABLED=False")
    return {
        n: observe(govreports_crawl(archive, PORTAL, *fast, *extra)) for n, extra in args.items()
    }


def observe(run: CrawlRun) -> Night:
    ((run_id,),) = run.query("SELECT id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1")
    rows = run.query(
        """SELECT canonical_url, title, unit, report_year, published_at, text, first_seen, gone_at
           FROM reports"""
    )
    versions = run.query(
        """SELECT v.text, v.valid_to IS NULL FROM report_versions v
           JOIN reports r ON r.id = v.report_id WHERE r.canonical_url = ? ORDER BY v.id""",
        (EDITED,),
    )
    ((count,),) = run.query("SELECT count(*) FROM report_versions")
    return Night(
        run, run_id, run.last_run_stats()[PORTAL], {r[0]: r[1:] for r in rows}, versions, count
    )


def per_run(night: Night, sql: str) -> dict:
    """GROUP BY results of `sql` over this night's rows (`?` is its run id)."""
    return dict(night.run.query(sql, (night.run_id,)))


def test_an_unchanged_portal_costs_a_fraction_of_the_first_crawl(nights) -> None:
    first, second = nights[1].health, nights[2].health
    assert (nights[1].run.returncode, nights[2].run.returncode) == (0, 0)
    # 1st: 2 robots.txt, the home page and its 政务公开 and 政府信息公开 channels, the column, its
    # 2 further HTML pages and its JSON list, 49 report links (+3 old-host 301s, +1 for robots),
    # 15 attachments; 2nd: robots.txt, the home page, the 2 channels, the column, 2 pages, the
    # JSON list, the listed 404
    assert (first["requests"], second["requests"]) == (77, 9)
    assert second["requests"] <= 0.25 * first["requests"]
    assert second["response_bytes"] <= 0.10 * first["response_bytes"]
    assert (second["new"], second["changed"], second["unchanged"], second["gone"]) == (0, 0, 48, 0)
    assert nights[2].reports == nights[1].reports


def test_unchanged_reports_add_sightings_not_copies(nights) -> None:
    second = nights[2]
    reasons = "SELECT reason, count(*) FROM sightings WHERE run_id = ? GROUP BY 1"
    kinds = "SELECT kind, count(*) FROM captures WHERE run_id = ? GROUP BY 1"
    assert per_run(second, reasons) == {"unchanged": 48}
    assert per_run(second, kinds) == {"list": 3}  # the 3 HTML list pages; no report page fetched
    assert second.version_count == 48


def test_one_new_report_one_new_version_one_gone_and_nothing_else(nights) -> None:
    before, after = nights[2].reports, nights[3].reports
    assert nights[3].run.returncode == 0, nights[3].run.stderr
    assert set(after) - set(before) == {ADDED}
    assert {url for url in before if before[url][:5] != after[url][:5]} == {EDITED}
    assert {url for url in after if after[url][6]} == {DELETED}
    assert all(before[url] == after[url] for url in set(before) - {EDITED, DELETED})
    third = nights[3].health
    assert (third["new"], third["changed"], third["unchanged"], third["gone"]) == (1, 1, 46, 1)
    reasons = "SELECT reason, count(*) FROM sightings WHERE run_id = ? GROUP BY 1"
    assert per_run(nights[3], reasons) == {"first": 1, "new_version": 1, "unchanged": 46}
    assert nights[3].version_count == 50  # 48 + the added report's + the edit's
    assert nights[3].run.query("SELECT count(*) FROM related") == [(0,)]


def test_the_edited_report_keeps_its_old_text(nights) -> None:
    old_text = nights[2].reports[EDITED][4]
    assert [current for _, current in nights[3].versions] == [0, 1]
    (kept, _), (current, _) = nights[3].versions
    assert (kept, current) == (old_text, nights[3].reports[EDITED][4])
    note = "（本报告部分数据已于发布后更正，以本版本为准。）"
    assert note in current and note not in kept


def test_revalidated_pages_are_304s_recorded_without_new_bytes(nights) -> None:
    sql = """SELECT not_modified, count(*) FROM captures
             WHERE run_id = ? AND kind = 'page' GROUP BY 1"""
    # added + edited fetched; 16 answered 304; the other 30 are on list pages that did not
    # change (the rows after the deleted one did not move), which vouch for them
    assert per_run(nights[3], sql) == {0: 2, 1: 16}


def test_attachment_bytes_are_downloaded_again_only_when_they_changed(nights) -> None:
    third = nights[3]
    rows = third.run.query(
        """SELECT c.url, c.not_modified, c.sha256 = first.sha256 AND c.status = 200
           FROM captures c JOIN captures first ON first.url = c.url AND first.run_id = ?
           WHERE c.run_id = ? AND c.kind = 'attachment'""",
        (nights[1].run_id, third.run_id),
    )
    assert len(rows) == 4  # the attachments of the reports fetched again, each revalidated
    # a 304 exactly where the bytes are the same, the spreadsheet too (its bytes are the same
    # from one sandbox process to the next)
    assert [url for url, not_modified, same in rows if not_modified != same] == []
    assert sum(not_modified for _, not_modified, _ in rows) == 4


def test_an_incomplete_run_marks_nothing_gone(nights) -> None:
    assert nights[4].run.returncode == 1
    assert "start URL or hint failed: https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/ (http_500)" in (
        nights[4].run.stdout
    )
    assert nights[4].health["gone"] == 0
    assert nights[4].reports == nights[3].reports


def test_a_report_that_comes_back_is_no_longer_gone(nights) -> None:
    back = nights[5].reports
    assert nights[5].run.returncode == 0, nights[5].run.stderr
    assert (back[DELETED][6], back[ADDED][6] is not None) == (None, True)
    assert back[EDITED][4] == nights[2].reports[EDITED][4]  # the edit reverted: a third version
    assert [current for _, current in nights[5].versions] == [0, 0, 1]
    fifth = nights[5].health
    assert (fifth["new"], fifth["changed"], fifth["unchanged"], fifth["gone"]) == (0, 1, 47, 1)
    assert "recall 100% precision 100% of 48" in nights[5].run.stdout


def test_a_full_crawl_fetches_everything_and_changes_nothing(nights) -> None:
    full = nights[6].health
    assert nights[6].run.returncode == 0, nights[6].run.stderr
    assert (full["requests"], full["unchanged"], full["changed"], full["gone"]) == (77, 48, 0, 0)
    assert nights[6].reports == nights[5].reports
    sql = """SELECT not_modified, count(*) FROM captures
             WHERE run_id = ? AND kind = 'page' GROUP BY 1"""
    assert per_run(nights[6], sql) == {0: 48}
