"""IncrementalSpiderMiddleware: a list page identical to the previous run's proves its reports
unchanged; they get a sighting instead of a request (only while recently revalidated)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.archive import Archive
from crawler.incremental import IncrementalSpiderMiddleware, revalidate_after
from tests.core.factories import capture, report
from tests.incremental.conftest import (
    LIST,
    LIST_URL,
    ZHUCUN_URL,
    follow,
    list_response,
    run_output,
    store_run,
    zc_crawler,
)

RECENT = (datetime.now(UTC) - timedelta(hours=20)).isoformat(timespec="seconds")
LONG_AGO = "2026-01-05T02:00:00Z"


def crawl_list(path, body: bytes = LIST, **settings) -> tuple[list, list, dict]:
    """Run 2 reads the list page: the requests that went on, what the archive got, the stats."""
    crawler = zc_crawler(path, "run-2", **settings)
    middleware = IncrementalSpiderMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    response = list_response(body)
    try:
        out = run_output(middleware, response, follow(crawler, response))
    finally:
        middleware.spider_closed()
    archive = Archive.open(path)
    try:
        sightings = [
            (s["url"], s["reason"], s["capture_id"])
            for s in archive.db["sightings"].rows_where("run_id = 'run-2'")
        ]
    finally:
        archive.close()
    return [r.url for r in out], sightings, crawler.stats.get_stats()


def test_an_unchanged_list_page_vouches_for_its_reports(archive_path) -> None:
    report_id = store_run(archive_path, "run-1", RECENT)
    urls, sightings, stats = crawl_list(archive_path)
    assert len(urls) == 12 and ZHUCUN_URL not in urls  # the 12 other report links still go
    assert urls[0] == "http://www.zengcheng.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5848956.html"
    # capture 2 is run 1's report page (1 is its list page): the sighting points at it, no copy
    assert sightings == [(ZHUCUN_URL, "unchanged", 2)]
    assert (
        stats["incremental/skipped"],
        stats["incremental/lists_unchanged"],
        stats["portal/reports_found"],
        stats["archive/unchanged"],
    ) == (1, 1, 1, 1)
    archive = Archive.open(archive_path)
    try:
        assert archive.db["reports"].get(report_id)["gone_at"] is None
        lists = [(c["run_id"], c["kind"]) for c in archive.db["captures"].rows_where("kind='list'")]
        assert lists == [("run-1", "list"), ("run-2", "list")]  # run 2's list page recorded
        assert archive.db["blobs"].count == 2  # the page and the list, each stored once
    finally:
        archive.close()


def test_a_changed_list_page_sends_every_report_link(archive_path) -> None:
    store_run(archive_path, "run-1", RECENT)
    edited = LIST.replace(b'"total":54', b'"total":55')
    urls, sightings, stats = crawl_list(archive_path, edited)
    assert len(urls) == 13 and ZHUCUN_URL in urls
    assert sightings == []
    assert (stats["incremental/lists_changed"], stats.get("incremental/skipped")) == (1, None)


def test_a_page_not_revalidated_for_days_is_requested_again(archive_path) -> None:
    store_run(archive_path, "run-1", LONG_AGO)
    urls, sightings, _ = crawl_list(archive_path)
    assert ZHUCUN_URL in urls and sightings == []


def test_a_report_marked_gone_is_requested_again(archive_path) -> None:
    store_run(archive_path, "run-1", RECENT)
    archive = Archive.open(archive_path)
    archive.db.execute("UPDATE reports SET gone_at = '2026-11-22T02:30:00Z'")
    archive.db.conn.commit()
    archive.close()
    urls, sightings, _ = crawl_list(archive_path)
    assert ZHUCUN_URL in urls and sightings == []


def test_a_report_not_seen_when_the_list_was_last_read_is_requested(archive_path) -> None:
    """Run 1 stored the report; run 1b read the same list but did not get the page (timeout)."""
    store_run(archive_path, "run-1", RECENT)
    archive = Archive.open(archive_path)
    archive.store_capture(capture(LIST_URL, LIST, kind="list", run_id="run-1b"))
    archive.close()
    urls, sightings, _ = crawl_list(archive_path)
    assert ZHUCUN_URL in urls and sightings == []


def test_full_runs_request_everything_and_still_record_the_list(archive_path) -> None:
    store_run(archive_path, "run-1", RECENT)
    urls, sightings, stats = crawl_list(archive_path, INCREMENTAL_ENABLED=False)
    assert (len(urls), sightings, stats["incremental/lists_unchanged"]) == (13, [], 1)


def test_revalidation_is_due_between_half_and_all_of_the_days_fixed_per_url() -> None:
    assert revalidate_after(ZHUCUN_URL, 7.0) == revalidate_after(ZHUCUN_URL, 7.0)
    spread = [revalidate_after(f"{ZHUCUN_URL}?{i}", 7.0) for i in range(200)]
    assert min(spread) >= timedelta(days=3.5) and max(spread) <= timedelta(days=7)
    assert max(spread) - min(spread) > timedelta(days=3)


def test_a_repost_is_vouched_for_as_the_report_it_was_sighted_as(archive_path) -> None:
    """www.by.gov.cn's list also links the city portal's re-post: a same_text sighting."""
    gz = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_5632792.html"
    listing = LIST.replace(ZHUCUN_URL.encode(), gz.encode())
    store_run(archive_path, "run-1", RECENT, list_body=listing)
    repost = report(gz, body=b"<html>gz.gov.cn chrome</html>", run_id="run-1")
    repost.text = "转载：" + repost.text
    repost.capture.fetched_at = RECENT
    archive = Archive.open(archive_path)
    assert archive.store(repost).outcome == "same_text"
    archive.close()
    urls, sightings, _ = crawl_list(archive_path, listing)
    assert gz not in urls and len(urls) == 12
    # capture 3: run 1's copy of the re-post (1 and 2 are the list and the original page)
    assert sightings == [(gz, "unchanged", 3)]
