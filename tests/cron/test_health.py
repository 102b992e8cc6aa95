"""Health checks over stats as real sandbox runs of zc_gov_cn produced them (copied from the
stats dump in crawl logs), and the summary lines they print."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.health import History, PortalHealth, assess, errors_by_kind
from crawler.summary import header, portal_lines

# a healthy run: 48 reports, one listed post answers 404, robots.txt 404 on two hosts
HEALTHY = {
    "archive/new": 48,
    "downloader/request_count": 59,
    "downloader/response_count": 59,
    "downloader/response_status_count/200": 52,
    "downloader/response_status_count/301": 4,
    "downloader/response_status_count/404": 3,
    "finish_reason": "finished",
    "portal/detail_failed/http_404": 1,
    "portal/json_list_pages": 3,
    "portal/list_entries": 54,
    "portal/list_pages": 3,
    "portal/nonreport_skipped": 5,
    "portal/report_links": 49,
    "portal/reports_found": 48,
    "robotstxt/request_count": 2,
    "robotstxt/response_count": 2,
    "robotstxt/response_status_count/404": 2,
}
# --fault zc_gov_cn:list500: the column answers 500, retried once
LIST500 = {
    "downloader/request_count": 3,
    "downloader/response_count": 3,
    "downloader/response_status_count/404": 1,
    "downloader/response_status_count/500": 2,
    "finish_reason": "finished",
    "httperror/response_ignored_status_count/500": 1,
    "retry/max_reached": 1,
    "robotstxt/request_count": 1,
    "robotstxt/response_count": 1,
    "robotstxt/response_status_count/404": 1,
}
# --fault zc_gov_cn:markup: the column answers, but nothing on it looks like a post any more
MARKUP = {
    "downloader/request_count": 2,
    "downloader/response_count": 2,
    "downloader/response_status_count/200": 1,
    "downloader/response_status_count/404": 1,
    "finish_reason": "finished",
    "portal/list_pages": 1,
    "robotstxt/request_count": 1,
    "robotstxt/response_count": 1,
    "robotstxt/response_status_count/404": 1,
}
SETTINGS = Settings(
    {
        "HEALTH_MAX_PARSE_FAILURE_RATE": 0.2,
        "HEALTH_MAX_CLEAN_FAILURE_RATE": 0.1,
        "HEALTH_MAX_DETAIL_FAILURE_RATE": 0.5,
        "HEALTH_MIN_FOUND_RATIO": 0.5,
    }
)


FIRST_RUN = History()


def judge(stats: dict, past: History = FIRST_RUN, settings: Settings = SETTINGS) -> PortalHealth:
    return assess("zc_gov_cn", stats, past, settings)


def test_a_healthy_run_has_its_counts_and_no_reason() -> None:
    health = judge(HEALTHY, History(reports=48, live=48))
    assert (health.healthy, health.reasons) == (True, [])
    assert (health.reports_found, health.new, health.requests) == (48, 48, 59)
    assert health.errors == {"http_404": 1}  # robots.txt 404s are not errors
    assert health.detail_failed == {"http_404": 1}


def test_a_list_answering_500_is_named_with_its_status() -> None:
    health = judge(LIST500, History(reports=48, live=48))
    assert health.healthy is False
    assert health.reasons == [
        "every request failed (http_500 x2)",
        "0 reports found (the archive holds 48)",
    ]
    assert health.errors == {"http_500": 2}


def test_a_redesigned_list_is_told_apart_from_an_empty_one() -> None:
    assert judge(MARKUP).reasons == [
        "1 list page(s) read but no post found on them: has the list markup changed?",
        "0 reports found",
    ]


def test_a_list_that_cannot_be_read_though_something_answered() -> None:
    # the column redirects (301 counts as an answer), then times out
    stats = {
        "downloader/request_count": 3,
        "downloader/response_status_count/301": 1,
        "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
        "finish_reason": "finished",
    }
    health = judge(stats)
    assert health.errors == {"TimeoutError": 2}
    assert health.reasons == ["no list page could be read", "0 reports found"]


def test_detail_pages_without_a_body_over_the_threshold() -> None:
    stats = {**HEALTHY, "portal/detail_no_content": 12}
    assert judge(stats).reasons == ["12 of 49 detail pages had no report body (max rate 0.2)"]
    lenient = Settings({**SETTINGS.copy_to_dict(), "HEALTH_MAX_PARSE_FAILURE_RATE": 0.25})
    assert judge(stats, settings=lenient).reasons == []  # 12/49 = 0.245


def test_a_page_the_cleaner_cannot_read_is_a_skip_a_broken_cleaner_is_not() -> None:
    one = {**HEALTHY, "clean/failed/ParserError": 1}
    assert (judge(one).healthy, judge(one).errors["clean:ParserError"]) == (True, 1)
    # the worker pool died under every page (seen when a worker could not start): 40 of 48
    broken = {**HEALTHY, "clean/failed/BrokenProcessPool": 40}
    assert judge(broken).reasons == [
        "cleaning failed on 40 of 48 report pages (BrokenProcessPool x40)"
    ]


def test_report_pages_that_do_not_answer_over_the_threshold() -> None:
    stats = {**HEALTHY, "portal/detail_failed/http_404": 30, "portal/reports_found": 19}
    assert judge(stats).reasons == ["30 of 49 report pages did not answer (http_404 x30)"]


def test_far_fewer_reports_than_the_archive_holds() -> None:
    past = History(reports=120, live=100)
    assert judge(HEALTHY, past).reasons == [
        "only 48 reports found, the archive holds 100 (min ratio 0.5)"
    ]
    off = Settings({**SETTINGS.copy_to_dict(), "HEALTH_MIN_FOUND_RATIO": 0})
    assert judge(HEALTHY, past, off).reasons == []


def test_callback_and_pipeline_exceptions_are_errors_by_kind() -> None:
    stats = {
        **HEALTHY,
        "spider_exceptions/count": 2,
        "spider_exceptions/KeyError": 2,
        "item_errors/OperationalError": 1,
    }
    health = judge(stats)
    assert health.reasons == [
        "errors in the crawler's code: callback:KeyError x2, pipeline:OperationalError x1"
    ]


def test_a_spider_that_did_not_finish() -> None:
    assert judge({**HEALTHY, "finish_reason": "shutdown"}).reasons == [
        "spider ended with 'shutdown'"
    ]
    assert judge({}).reasons[0] == "spider never ran"


def test_robots_exceptions_are_not_the_portals_errors() -> None:
    stats = {
        "downloader/exception_type_count/twisted.internet.error.DNSLookupError": 3,
        "robotstxt/exception_count/<class 'twisted.internet.error.DNSLookupError'>": 1,
        "downloader/response_status_count/503": 4,
    }
    assert errors_by_kind(stats) == {"DNSLookupError": 2, "http_503": 4}


def test_summary_lines_name_the_portal_counts_breakdowns_and_reasons() -> None:
    stats = {**LIST500, "attachments/status/ok": 3, "attachments/status/fetch_failed": 1}
    stats["validate/missing_year"] = 2
    health = judge(stats, History(reports=48, live=48))
    assert portal_lines(health) == [
        "  zc_gov_cn      UNHEALTHY found    0  new    0  changed   0  unchanged    0  gone   0"
        "  dup   0  requests     3",
        "      attachments: fetch_failed 1, ok 3",
        "      errors: http_500 2",
        "      dropped: missing_year 2",
        "      zc_gov_cn: every request failed (http_500 x2)",
        "      zc_gov_cn: 0 reports found (the archive holds 48)",
    ]
    assert header("R1", "/srv/a.db", 1, {"zc_gov_cn": health}) == (
        "run R1 -> /srv/a.db (exit status 1: unhealthy zc_gov_cn)"
    )
    assert (
        header("R1", "/srv/a.db", 130, {})
        == "run R1 -> /srv/a.db (exit status 130: aborted by SIGINT)"
    )


@pytest.mark.parametrize("stats", [HEALTHY, LIST500, MARKUP])
def test_health_survives_a_round_trip_through_the_runs_table(stats) -> None:
    health = judge(stats)
    assert PortalHealth.from_dict({**health.as_dict(), "from_a_newer_version": 1}) == health
