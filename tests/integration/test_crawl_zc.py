"""A real crawl of www.zc.gov.cn in the sandbox, twice in a row."""

import pytest

from tests.integration.conftest import CrawlRun, govreports_crawl

pytestmark = pytest.mark.sandbox
PORTAL = "zc_gov_cn"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[CrawlRun, CrawlRun]:
    archive = tmp_path_factory.mktemp("zc") / "archive.db"
    return govreports_crawl(archive, PORTAL), govreports_crawl(archive, PORTAL)


def expected(manifest: dict) -> dict[str, dict]:
    return {r["url"]: r for r in manifest["reports"] if r["portal"] == PORTAL}


def test_every_report_of_the_manifest_is_archived_and_nothing_else(runs, manifest) -> None:
    first, _ = runs
    assert first.returncode == 0, first.stderr
    archived = dict(
        first.query("SELECT canonical_url, title FROM reports WHERE portal = ?", (PORTAL,))
    )
    truth = expected(manifest)
    assert len(truth) == 48
    assert set(archived) == set(truth)  # recall and precision 100%
    assert all(archived[url] == truth[url]["title"] for url in truth)
    assert f"{PORTAL:<14} ok" in first.stdout
    assert "recall 100% precision 100% of 48" in first.stdout


def test_units_years_dates_and_texts_match_the_manifest(runs, manifest) -> None:
    first, _ = runs
    rows = first.query(
        "SELECT canonical_url, unit, report_year, substr(published_at, 1, 10), text FROM reports"
    )
    truth = expected(manifest)
    wrong = [
        (url, unit, year, date)
        for url, unit, year, date, text in rows
        if (unit, year, date, text)
        != (truth[url]["unit"], truth[url]["year"], truth[url]["published_at"], truth[url]["text"])
    ]
    assert wrong == []


def test_non_reports_are_not_archived(runs, manifest) -> None:
    first, _ = runs
    nonreports = {url for url in manifest["nonreports"] if "//www.zc.gov.cn/" in url}
    assert len(nonreports) == 5
    sighted = {url for (url,) in first.query("SELECT url FROM sightings")}
    assert sighted.isdisjoint(nonreports)
    titles = [t for (t,) in first.query("SELECT title FROM reports")]
    assert not [t for t in titles if "指南" in t or "要点" in t or "动态" in t]


def test_the_listed_404_is_counted_not_crashed_on(runs, manifest) -> None:
    first, _ = runs
    missing = [url for url in manifest["missing"] if "//www.zc.gov.cn/" in url]
    assert missing == ["https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5736254.html"]
    assert first.last_run_stats()[PORTAL]["detail_failed"] == {"http_404": 1}
    assert "post_5736254" in first.stderr  # warned once, by URL


def test_raw_bytes_and_provenance_are_kept(runs) -> None:
    first, _ = runs
    (row,) = first.query(
        """SELECT c.url, c.final_url, c.status, c.referer, c.spider, length(b.body) = c.size,
                  json_extract(c.headers, '$."Content-Type"[0]')
           FROM reports r JOIN captures c ON c.id = r.capture_id JOIN blobs b ON b.sha256 = c.sha256
           WHERE r.canonical_url LIKE '%post_5672236.html'"""
    )
    assert (
        row[0] == row[1] == "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
    )
    # the HTML pages are walked by their pager (the JSON list has one documented page)
    referer = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/index_3.html"
    assert row[2:6] == (200, referer, PORTAL, 1)
    assert row[6].startswith("text/html")


def test_a_second_run_duplicates_nothing(runs) -> None:
    _, second = runs
    assert second.returncode == 0, second.stderr
    assert second.query("SELECT count(*), count(DISTINCT canonical_url) FROM reports") == [(48, 48)]
    assert second.query("SELECT count(*) FROM report_versions") == [(48,)]
    assert second.query(
        "SELECT count(*) FROM runs WHERE status = 'finished' AND exit_status = 0"
    ) == [(2,)]
    assert "unchanged   48" in second.stdout
