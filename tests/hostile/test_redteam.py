"""The red-team suite: crawls of a sandbox portal turned hostile (`--fault PORTAL:KIND`,
sandbox/hostile.py), one case per attack. Every case holds when:

- nothing from file://, a loopback, private or link-local address was archived (no capture of
  such a URL, no blob holding /etc/passwd or /etc/os-release), and no request for one even
  reached the sandbox's proxy;
- the request count is under the portal's budget, and the crawl's peak RSS (with its extraction
  children, read by wait4 when it exits) under PEAK_RSS_MIB;
- the attack is counted under its own reason and the summary names the portal with it;
- the exit status is the documented one: 1 and `unhealthy PORTAL` when the portal tried to reach
  internal addresses or local files, made us cut its crawl short or cost us its reports; 0 when
  the hostile values were skipped and counted and every report was archived.

Set HOSTILE_OBSERVED=path to append one JSON line per case (what the README table shows).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import sandbox
from crawler.fetchpolicy import INTERNAL_REASONS, FetchPolicy
from crawler.settings import LIST_PAGE_CAP, PORTAL_REQUEST_BUDGET
from tests.helpers import against_manifest
from tests.hostile.harness import HostileRun, hostile_crawl

pytestmark = pytest.mark.sandbox

# Measured: a clean haizhu crawl peaks at 136 MiB, the gzip-bombed pages at 185 (722 before the
# size limits, 305 while sqlite-utils still loaded pandas: tests/core/test_lean_imports.py).
PEAK_RSS_MIB = 300
BUDGET, CAP = PORTAL_REQUEST_BUDGET, LIST_PAGE_CAP  # their defaults
LOCAL_FILES = [Path("/etc/passwd"), Path("/etc/os-release")]
INTERNAL_HOST = re.compile(r"127\.0\.0\.|10\.0\.0\.1|localhost|169\.254\.|\[::1\]|2130706433")
HAIZHU, QZLC, QUFU = "haizhu_gov_cn", "qzlc_gov_cn", "qufu_gov_cn"


def manifest_reports(portal: str) -> list[dict]:
    return [r for r in sandbox.manifest()["reports"] if r["portal"] == portal]


def manifest_columns(portal: str) -> list[dict]:
    return [c for c in sandbox.manifest()["columns"] if c["portal"] == portal]


def manifest_missing(portal: str) -> list[str]:
    """Listed report pages that answer 404 (the sandbox's listed-but-gone posts)."""
    hosts = {urlsplit(r["url"]).hostname for r in manifest_reports(portal)}
    return [u for u in sandbox.manifest()["missing"] if urlsplit(u).hostname in hosts]


# The sandbox's truth (its manifest), not numbers of one world.
HAIZHU_REPORTS, QZLC_REPORTS = len(manifest_reports(HAIZHU)), len(manifest_reports(QZLC))
HAIZHU_MISSING, QZLC_MISSING = len(manifest_missing(HAIZHU)), len(manifest_missing(QZLC))


@dataclass(frozen=True)
class Case:
    portal: str
    faults: tuple[str, ...]
    expected: str  # for the README table
    exit: int
    settings: dict[str, str] = field(default_factory=dict)


CASES = {
    "links": Case(
        HAIZHU,
        ("links",),
        "every internal and file link refused by reason; all reports archived; exit 1",
        1,
    ),
    **{
        f"redirect={target}": Case(
            HAIZHU,
            (f"redirect={target}",),
            f"each report page's 302 to {target} refused ({reason}); counted as failed; exit 1",
            1,
        )
        for target, reason in [
            ("file", "file"),
            ("loopback", "loopback"),
            ("private", "private"),
            ("localhost", "loopback"),
            ("linklocal", "link_local"),
            ("offsite", "offsite"),
        ]
    },
    "redirect=loop": Case(HAIZHU, ("redirect=loop",), "refused as redirect_loop; exit 1", 1),
    "redirect=chain": Case(
        HAIZHU, ("redirect=chain",), "refused after 20 hops (too_many_redirects); exit 1", 1
    ),
    "redirect=same": Case(
        HAIZHU,
        ("redirect=same",),
        "hops the duplicate filter drops counted as RedirectDropped; exit 1",
        1,
    ),
    "fileredirect=file": Case(
        QZLC, ("fileredirect=file",), "attachments' 302 to file:// refused; exit 1", 1
    ),
    "fileredirect=private": Case(
        QZLC, ("fileredirect=private",), "attachments' 302 to 10.0.0.1 refused; exit 1", 1
    ),
    "endless": Case(
        HAIZHU,
        ("endless",),
        f"each column stops at {CAP} list pages, reported incomplete; exit 1",
        1,
    ),
    # The spiders walk HTML lists by their pagers and never page by a JSON total: a claimed
    # 10^12 must cost nothing, or one request past the end per column, never a walk.
    "bigtotal": Case(
        HAIZHU,
        ("bigtotal",),
        "JSON and HTML lists claiming 10^12 records: no request more than a clean crawl; exit 0",
        0,
    ),
    "bigtotal trs": Case(
        QZLC,
        ("bigtotal",),
        "createPageHTML/共N页 claiming 10^11 pages, past-the-end pages answered: "
        "at most one request more per column; exit 0",
        0,
    ),
    "bigtotal hanweb": Case(
        QUFU,
        ("bigtotal",),
        "totalRecord 10^12: warned `list incomplete`, at most one request more per column; exit 0",
        0,
    ),
    "deepjson": Case(
        HAIZHU, ("deepjson",), "JSON 200,000 deep skipped, HTML walked; all reports; exit 0", 0
    ),
    "pagesize0": Case(
        HAIZHU,
        ("pagesize0",),
        "pagesize 0 unused (no JSON paging): no request more than a clean crawl; exit 0",
        0,
    ),
    "ctrlchars": Case(
        HAIZHU, ("ctrlchars",), "control characters and NUL dropped; texts as without; exit 0", 0
    ),
    "badencoding": Case(
        HAIZHU, ("badencoding",), "invalid bytes replaced; the report's text kept; exit 0", 0
    ),
    "jslinks": Case(
        HAIZHU, ("jslinks",), "javascript: entries and files skipped as not_http; exit 0", 0
    ),
    "bomb": Case(QZLC, ("bomb",), "gzip-bombed files cut at 50 MiB: too_large; exit 0", 0),
    "bomb=pages": Case(
        QZLC, ("bomb=pages",), "gzip-bombed report pages cut at 16 MiB: TooLarge; exit 1", 1
    ),
    "huge": Case(
        QZLC, ("huge",), "5 x 90 MiB attachments a page cut at their headers: too_large; exit 0", 0
    ),
    "drip": Case(
        HAIZHU,
        ("drip=0.5",),
        "drip-fed report pages time out (DOWNLOAD_TIMEOUT 2 s); exit 1",
        1,
        {"DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "0"},
    ),
    "budget": Case(
        HAIZHU,
        ("endless",),
        "the request budget (100 here) closes the portal's crawl; exit 1",
        1,
        {"PORTAL_REQUEST_BUDGET": "100"},
    ),
    "report budget": Case(
        QZLC,
        ("huge",),
        "files past 3 per report refused (ATTACHMENTS_PER_REPORT); exit 0",
        0,
        {"ATTACHMENTS_PER_REPORT": "3"},
    ),
}

_RUNS: dict[str, HostileRun] = {}
_CLEAN: dict[str, HostileRun] = {}


@pytest.fixture
def crawl(tmp_path_factory):
    """Each case's crawl, once per session."""

    def get(case_id: str) -> HostileRun:
        if case_id not in _RUNS:
            case = CASES[case_id]
            faults = [f"{case.portal}:{fault}" for fault in case.faults]
            workdir = tmp_path_factory.mktemp("hostile")
            _RUNS[case_id] = hostile_crawl(case.portal, faults, workdir, case.settings)
        return _RUNS[case_id]

    return get


@pytest.fixture
def clean(tmp_path_factory):
    """A crawl of the same portal without faults, once per session: what an attack is measured
    against."""

    def get(portal: str) -> HostileRun:
        if portal not in _CLEAN:
            _CLEAN[portal] = hostile_crawl(portal, [], tmp_path_factory.mktemp("clean"))
            assert _CLEAN[portal].returncode == 0, _CLEAN[portal].stdout
        return _CLEAN[portal]

    return get


def health(run: HostileRun, portal: str) -> dict:
    return run.stats(portal)


def observe(case_id: str, run: HostileRun, observed: str) -> None:
    path = os.environ.get("HOSTILE_OBSERVED")
    if path:
        case = CASES[case_id]
        row = {"case": case_id, "portal": case.portal, "expected": case.expected}
        row |= {"observed": observed, "exit": run.returncode, "rss_mib": round(run.peak_rss_mib)}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


# --- what every case must hold --------------------------------------------------------------------
@pytest.mark.parametrize("case_id", list(CASES))
def test_the_case_holds(crawl, case_id: str) -> None:
    case = CASES[case_id]
    run = crawl(case_id)
    h = health(run, case.portal)
    nothing_internal_archived(run)
    assert not [line for line in run.proxied if INTERNAL_HOST.search(line.split(" -> ")[0])]
    budget = int(case.settings.get("PORTAL_REQUEST_BUDGET", BUDGET))
    assert 0 < h["requests"] <= budget
    assert run.peak_rss_mib < PEAK_RSS_MIB
    assert run.returncode == case.exit, run.stdout
    header = run.stdout.splitlines()[0]
    if case.exit:
        assert header.endswith(f"(exit status 1: unhealthy {case.portal})")
        assert f"      {case.portal}: " in run.stdout  # the reason, named
    else:
        assert header.endswith("(exit status 0)")
    assert "Traceback" not in run.stderr
    assert len(run.stderr) < 64 * 1024  # what cron would mail
    assert not [e for e in h["errors"] if e.startswith(("callback:", "pipeline:"))]


def nothing_internal_archived(run: HostileRun) -> None:
    anywhere = FetchPolicy(None)
    urls = run.query("SELECT url, final_url, redirects FROM captures")
    for url, final_url, redirects in urls:
        for seen in [url, final_url, *json.loads(redirects or "[]")]:
            assert anywhere.url_reason(seen) not in INTERNAL_REASONS, seen
    for path in LOCAL_FILES:
        first_line = path.read_bytes().splitlines()[0]
        assert run.query("SELECT count(*) FROM blobs WHERE instr(body, ?)", (first_line,)) == [(0,)]


# --- what each case counts ----------------------------------------------------------------------
def reports(run: HostileRun, portal: str) -> int:
    return run.query("SELECT count(*) FROM reports WHERE portal = ?", (portal,))[0][0]


def test_links_to_files_and_internal_hosts_are_refused_and_the_reports_kept(crawl) -> None:
    run = crawl("links")
    h = health(run, HAIZHU)
    assert reports(run, HAIZHU) == HAIZHU_REPORTS
    # every refusal is on an attachment row of its report, under the URL's own reason
    rows = run.query("SELECT url, status, error FROM attachments WHERE error LIKE '%fetch policy%'")
    by_reason: dict[str, int] = {}
    for url, status, error in rows:
        reason = FetchPolicy(["haizhu.gov.cn"]).url_reason(url)
        assert (status, error) == ("fetch_failed", f"ignored: fetch policy: {reason}: {url}")
        by_reason[reason] = by_reason.get(reason, 0) + 1
    assert h["refused"] == by_reason
    assert set(by_reason) == {"file", "loopback", "private", "link_local", "offsite", "scheme"}
    linked = dict(run.query("SELECT url, count(*) FROM attachments GROUP BY url"))
    for url in (
        "file:///etc/passwd?x.pdf",
        "http://127.0.0.2/secret.pdf",
        "http://10.0.0.1/internal.pdf",
        "http://localhost/admin.pdf",
        "http://[::1]/v6.pdf",
        "http://2130706433/decimal.pdf",
        "http://169.254.169.254/latest/meta-data.pdf",
    ):
        assert linked[url] == HAIZHU_REPORTS  # linked from every report page, refused each time
    for url in ("file:///etc/os-release", "http://127.0.0.2/a.png", "http://10.0.0.1/b.png"):
        assert linked[url] == HAIZHU_REPORTS  # body images
    internal = ", ".join(f"{k} x{n}" for k, n in sorted(by_reason.items()) if k in INTERNAL_REASONS)
    reason = f"links or redirects to internal addresses or local files refused ({internal})"
    assert f"      {HAIZHU}: {reason}" in run.stdout.splitlines()
    observe("links", run, _refused(h) + f"; {reports(run, HAIZHU)} reports archived")


def _refused(h: dict) -> str:
    return "refused " + ", ".join(f"{k} {v}" for k, v in sorted(h["refused"].items()))


REDIRECTED = {
    "redirect=file": ("file", "LocalFileRefused"),
    "redirect=loopback": ("loopback", "LoopbackRefused"),
    "redirect=private": ("private", "PrivateAddressRefused"),
    "redirect=localhost": ("loopback", "LoopbackRefused"),
    "redirect=linklocal": ("link_local", "LinkLocalRefused"),
    "redirect=offsite": ("offsite", "OffsiteRefused"),
    "redirect=loop": ("redirect_loop", "RedirectLoop"),
    "redirect=chain": ("too_many_redirects", "TooManyRedirects"),
}


@pytest.mark.parametrize("case_id", list(REDIRECTED))
def test_a_report_page_that_redirects_away_is_a_counted_failure(crawl, case_id: str) -> None:
    run = crawl(case_id)
    h = health(run, HAIZHU)
    reason, failure = REDIRECTED[case_id]
    answering = HAIZHU_REPORTS  # the listed-but-gone pages answer 404 (manifest "missing")
    assert h["refused"] == {reason: answering}
    assert h["detail_failed"] == {failure: answering, "http_404": HAIZHU_MISSING}
    assert reports(run, HAIZHU) == 0
    assert f"report pages failed: {failure} {answering}, http_404 {HAIZHU_MISSING}" in run.stdout
    observe(case_id, run, f"report pages failed: {failure} {answering}; {_refused(h)}")


def test_redirect_hops_dropped_as_duplicates_are_counted_failures(crawl) -> None:
    run = crawl("redirect=same")
    failed = health(run, HAIZHU)["detail_failed"]
    assert set(failed) == {"RedirectDropped", "http_404"}
    # every listed page accounted for: the first one or two to reach /hostile/moved.html (http
    # and https) find its 404, the duplicate filter drops the redirects of all others
    assert failed["RedirectDropped"] + failed["http_404"] == HAIZHU_REPORTS + HAIZHU_MISSING
    assert failed["RedirectDropped"] >= HAIZHU_REPORTS - 2
    observe("redirect=same", run, f"report pages failed: {_counts(failed)}")


def test_reports_that_now_redirect_away_are_kept_not_gone(tmp_path) -> None:
    first = hostile_crawl(HAIZHU, [], tmp_path)
    assert first.returncode == 0
    assert reports(first, HAIZHU) == HAIZHU_REPORTS
    for target in ("offsite", "loop", "loopback"):
        # a full run: an incremental one would not even ask for pages its lists vouch for
        settings = {"INCREMENTAL_ENABLED": "False"}
        again = hostile_crawl(HAIZHU, [f"{HAIZHU}:redirect={target}"], tmp_path, settings)
        assert again.returncode == 1
        assert again.query("SELECT count(*) FROM reports WHERE gone_at IS NOT NULL") == [(0,)]
        assert health(again, HAIZHU)["gone"] == 0
    assert reports(again, HAIZHU) == HAIZHU_REPORTS


@pytest.mark.parametrize(
    ("case_id", "reason"), [("fileredirect=file", "file"), ("fileredirect=private", "private")]
)
def test_attachments_that_redirect_inward_are_refused(crawl, case_id: str, reason: str) -> None:
    run = crawl(case_id)
    h = health(run, QZLC)
    rows = run.query(
        "SELECT url, error FROM attachments WHERE error LIKE 'ignored: fetch policy:%'"
    )
    assert len(rows) >= 5
    assert h["refused"] == {reason: len(rows)}
    assert h["attachments"]["fetch_failed"] == len(rows)
    assert reports(run, QZLC) == QZLC_REPORTS
    observe(case_id, run, f"{_refused(h)}; {reports(run, QZLC)} reports archived")


def test_an_endless_next_page_chain_stops_at_the_page_cap_per_column(crawl) -> None:
    run = crawl("endless")
    h = health(run, HAIZHU)
    columns = [urlsplit(c["url"]).path for c in manifest_columns(HAIZHU)]
    assert h["limits"]["columns at page cap"] == len(columns)
    assert h["limits"]["list pages not followed"] >= len(columns)  # each chain's next page
    for column in columns:
        lists = [
            line.split()[1]
            for line in run.proxied
            if urlsplit(line.split()[1]).path.startswith(column) and "/content/" not in line
        ]
        chain = [url for url in lists if "hostile_page=" in url]
        # the cap counts every list page of the column once: its first page, its numbered
        # pages and its JSON list (requested from elsewhere) besides the endless chain
        assert len(set(lists)) == len(lists) <= CAP
        assert len(chain) >= CAP - 5
    assert h["requests"] <= len(columns) * CAP + HAIZHU_REPORTS + HAIZHU_MISSING + 10
    assert f"{len(columns)} column(s) reached the page cap of {CAP} list pages" in run.stdout
    assert reports(run, HAIZHU) == HAIZHU_REPORTS  # the reports before the cap are all kept
    observe("endless", run, f"{h['requests']} requests; limits: {_counts(h['limits'])}")


@pytest.mark.parametrize("case_id", ["bigtotal", "bigtotal trs", "bigtotal hanweb"])
def test_a_list_claiming_a_trillion_records_costs_no_walk(crawl, clean, case_id: str) -> None:
    case = CASES[case_id]
    run, before = crawl(case_id), clean(case.portal)
    h = health(run, case.portal)
    columns = h["discovery"]["columns"]
    assert h["requests"] <= health(before, case.portal)["requests"] + columns
    assert h["limits"] == {}  # no column got anywhere near the page cap
    assert reports(run, case.portal) == len(manifest_reports(case.portal))
    assert not [line for line in run.proxied if "hostile_" in line]
    # a total that is claimed and not shown is said, so the column is not judged complete
    claimed = [w for w in h["warnings"] if f"of {10**12}" in w]
    assert all(w.startswith("list incomplete: shows ") for w in claimed)
    if case.portal == QUFU:
        assert claimed
    extra = h["requests"] - health(before, case.portal)["requests"]
    said = f"; warned: {len(claimed)} list(s) shows N of 10^12" if claimed else ""
    observe(case_id, run, f"{h['requests']} requests ({extra:+d} on a clean crawl){said}")


def test_an_unusable_json_list_is_skipped_and_the_html_walked(crawl) -> None:
    run = crawl("deepjson")
    h = health(run, HAIZHU)
    assert set(h["skipped"]) == {"JSON list unusable, HTML walked"}
    assert reports(run, HAIZHU) == HAIZHU_REPORTS
    assert h["healthy"]
    observe("deepjson", run, f"skipped: {_counts(h['skipped'])}; {reports(run, HAIZHU)} reports")


def test_a_page_size_of_zero_changes_nothing(crawl, clean) -> None:
    # pagesize is never a divisor: lists are walked by their pagers, not by arithmetic
    run, before = crawl("pagesize0"), clean(HAIZHU)
    h = health(run, HAIZHU)
    assert h["requests"] == health(before, HAIZHU)["requests"]
    assert reports(run, HAIZHU) == HAIZHU_REPORTS
    assert h["healthy"] and h["errors"] == health(before, HAIZHU)["errors"]
    observe(
        "pagesize0", run, f"{h['requests']} requests, as a clean crawl; {HAIZHU_REPORTS} reports"
    )


def test_control_characters_and_nul_change_no_text(crawl) -> None:
    run = crawl("ctrlchars")
    got, truth, wrong = against_manifest(run, HAIZHU)
    assert got == truth and wrong == []
    observe("ctrlchars", run, f"{len(got)} reports, every text equal to the manifest's")


def test_broken_encodings_keep_every_report_text(crawl) -> None:
    run = crawl("badencoding")
    texts = dict(run.query("SELECT canonical_url, text FROM reports"))
    truth = {r["url"]: r["text"] for r in manifest_reports(HAIZHU)}
    assert set(texts) == set(truth)
    for url, text in texts.items():
        assert [line for line in truth[url].splitlines() if line not in text] == []
        assert "乱码" in text  # the hostile paragraph is read too, its bad bytes replaced
    observe("badencoding", run, f"{len(texts)} reports, every manifest line kept")


def test_javascript_links_are_counted_skips(crawl) -> None:
    run = crawl("jslinks")
    h = health(run, HAIZHU)
    # two script copies of a report entry on every HTML list page and in the JSON list
    assert set(h["skipped"]) == {"link not_http"} and h["skipped"]["link not_http"] >= 4
    rows = run.query("SELECT url, count(*) FROM attachments WHERE error = 'not_http' GROUP BY url")
    assert rows == [
        ("javascript:alert(1)", HAIZHU_REPORTS),
        ("javascript:void(0)//附件.pdf", HAIZHU_REPORTS),
    ]
    assert reports(run, HAIZHU) == HAIZHU_REPORTS
    assert not [line for line in run.proxied if "javascript" in line.lower()]
    observe(
        "jslinks",
        run,
        f"skipped: {_counts(h['skipped'])}; attachments: {_counts(h['attachments'])}",
    )


def test_gzip_bombs_are_cut_while_decompressing(crawl) -> None:
    run = crawl("bomb")
    h = health(run, QZLC)
    bombed = run.query("SELECT count(*) FROM attachments WHERE status = 'too_large'")[0][0]
    assert bombed >= 5
    assert h["limits"] == {"files too large": bombed}
    assert reports(run, QZLC) == QZLC_REPORTS
    pages = crawl("bomb=pages")
    hp = health(pages, QZLC)
    assert hp["detail_failed"] == {"TooLarge": QZLC_REPORTS, "http_404": QZLC_MISSING}
    assert hp["limits"] == {"pages too large": QZLC_REPORTS}
    observe("bomb", run, f"attachments: {_counts(h['attachments'])}")
    observe("bomb=pages", pages, f"report pages failed: {_counts(hp['detail_failed'])}")


def test_huge_attachments_are_refused_before_they_are_downloaded(crawl) -> None:
    run = crawl("huge")
    h = health(run, QZLC)
    rows = run.query(
        "SELECT report_id, status, error FROM attachments WHERE url LIKE '%/hostile/huge-%'"
    )
    pages = {report for report, _, _ in rows}
    assert len(rows) == 5 * len(pages) and pages  # five 90 MiB files on each such page
    assert {status for _, status, _ in rows} == {"too_large"}
    assert {error for _, _, error in rows} == {"ignored: too_large: over 52428800 bytes (file)"}
    assert h["response_bytes"] < 16 * 1024 * 1024  # not 5 x 90 MiB
    size = run.query("SELECT coalesce(sum(size), 0) FROM blobs")[0][0]
    assert size < 16 * 1024 * 1024
    observe(
        "huge",
        run,
        f"{len(rows)} files of 90 MiB on {len(pages)} pages: too_large; "
        f"{h['response_bytes'] // 1024} KiB downloaded in all",
    )


def test_drip_fed_pages_time_out_and_are_counted(crawl) -> None:
    run = crawl("drip")
    h = health(run, HAIZHU)
    assert h["detail_failed"] == {
        "DownloadTimeoutError": HAIZHU_REPORTS,
        "http_404": HAIZHU_MISSING,
    }
    observe("drip", run, f"report pages failed: {_counts(h['detail_failed'])}")


def test_the_request_budget_winds_the_portal_down(crawl) -> None:
    run = crawl("budget")
    h = health(run, HAIZHU)
    assert h["requests"] == 100
    assert h["finish_reason"] == "request_budget"
    assert h["limits"]["requests over budget"] >= 1
    assert "request budget of 100 reached (PORTAL_REQUEST_BUDGET)" in run.stdout
    assert run.query("SELECT count(*) FROM reports WHERE gone_at IS NOT NULL") == [(0,)]
    observe("budget", run, f"{h['requests']} requests, then closed; {reports(run, HAIZHU)} reports")


def test_files_past_the_report_budget_are_refused(crawl) -> None:
    run = crawl("report budget")
    h = health(run, QZLC)
    rows = run.query(
        "SELECT report_id, url, error FROM attachments WHERE url LIKE '%/hostile/huge-%'"
    )
    pages = {report for report, _, _ in rows}
    refused = [url for _, url, error in rows if "attachment budget of 3 files" in (error or "")]
    assert sorted(set(refused)) == [
        "https://www.qzlc.gov.cn/hostile/huge-4.pdf",
        "https://www.qzlc.gov.cn/hostile/huge-5.pdf",
    ]
    assert len(refused) == 2 * len(pages)
    assert h["limits"]["files over report budget"] == len(refused)
    observe("report budget", run, f"limits: {_counts(h['limits'])}")


def _counts(values: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(values.items()))


# --- the hostile sandbox as a whole: four portals, a dozen attacks, one run ------------------------
WHOLE = {
    "haizhu_gov_cn": ("links", "jslinks", "ctrlchars", "endless"),
    "zc_gov_cn": ("bigtotal", "badencoding", "huge", "fileredirect=loopback"),
    "qzlc_gov_cn": ("bomb", "redirect=same"),
    "qufu_gov_cn": ("redirect=private",),
}


def test_the_hostile_sandbox_as_a_whole(tmp_path) -> None:
    faults = [f"{portal}:{kind}" for portal, kinds in WHOLE.items() for kind in kinds]
    run = hostile_crawl(list(WHOLE), faults, tmp_path)
    nothing_internal_archived(run)
    assert not [line for line in run.proxied if INTERNAL_HOST.search(line.split(" -> ")[0])]
    assert run.peak_rss_mib < PEAK_RSS_MIB
    assert run.returncode == 1
    header = run.stdout.splitlines()[0]
    assert header.endswith(f"(exit status 1: unhealthy {', '.join(WHOLE)})"), header
    stats = json.loads(run.query("SELECT stats FROM runs")[0][0])
    requests = {portal: stats[portal]["requests"] for portal in WHOLE}
    assert all(0 < n <= BUDGET for n in requests.values())
    assert "Traceback" not in run.stderr and len(run.stderr) < 64 * 1024
    path = os.environ.get("HOSTILE_OBSERVED")
    if path:
        row = {"case": "whole sandbox", "requests": requests, "exit": run.returncode}
        row |= {"rss_mib": round(run.peak_rss_mib), "header": header, "summary": run.stdout}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
