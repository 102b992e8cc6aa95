"""Every documented exit status of `govreports crawl`, each from a real run against the sandbox
(or against a proxy that counts requests, to prove that none was sent)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.cron.helpers import (
    HOST,
    archived,
    crawl,
    query,
    run_id_of,
    run_rows,
    run_stats,
    start_crawl,
    truth,
    wait_for,
)

pytestmark = pytest.mark.sandbox
# no politeness delay, no retries: the counting proxy answers 502 to everything
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0")


# --- 0: every portal healthy, and 1: a portal that found nothing where it found 48 before ------
@pytest.fixture(scope="module")
def healthy_then_redesigned(tmp_path_factory, companion):
    archive = tmp_path_factory.mktemp("redesign") / "archive.db"
    first = crawl(archive, "zc_gov_cn", companion)
    second = crawl(archive, "zc_gov_cn", companion, "--fault", "zc_gov_cn:markup")
    return first, second


def test_exit_0_when_every_portal_is_healthy(healthy_then_redesigned, manifest, companion):
    first, _ = healthy_then_redesigned
    assert first.returncode == 0, first.stderr
    run_id = run_id_of(first)
    assert first.lines[0] == f"run {run_id} -> {first.archive} (exit status 0)"
    assert "  zc_gov_cn      ok        found   48  new   48" in first.stdout
    assert "recall 100% precision 100% of 48" in first.stdout
    assert archived(first.archive, "zc_gov_cn") == truth(manifest, "zc_gov_cn")
    assert archived(first.archive, companion) == truth(manifest, companion)
    assert run_rows(first.archive)[0] == (run_id, "finished", 0, 1)
    stats = run_stats(first.archive, run_id)
    assert (stats["zc_gov_cn"]["healthy"], stats["zc_gov_cn"]["reasons"]) == (True, [])
    # the 404s the sandbox serves on purpose: a listed post that is gone, attachment links
    zc = [r for r in manifest["reports"] if r["portal"] == "zc_gov_cn"]
    gone_posts = [url for url in manifest["missing"] if "//www.zc.gov.cn/" in url]
    dead_links = [a for r in zc for a in r.get("attachments", []) if a["format"] == "missing"]
    assert stats["zc_gov_cn"]["detail_failed"] == {"http_404": len(gone_posts)} == {"http_404": 1}
    assert stats["zc_gov_cn"]["errors"] == {"http_404": len(gone_posts) + len(dead_links)}


def test_quiet_under_cron_full_log_in_a_file(healthy_then_redesigned):
    first, _ = healthy_then_redesigned
    # stderr (cron's mail) has warnings only: no progress line, no INFO chatter
    assert "crawling " not in first.stderr and "INFO" not in first.stderr
    assert "WARNING zc_gov_cn: detail page failed (http_404)" in first.stderr
    log = first.archive.parent / "logs" / f"crawl-{run_id_of(first)}.log"
    text = log.read_text("utf-8")
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in text
    assert f"run {run_id_of(first)} finished with exit status 0" in text


def test_exit_1_when_the_markup_changed_and_the_archive_held_reports(
    healthy_then_redesigned, companion
):
    _, second = healthy_then_redesigned
    assert second.returncode == 1, second.stderr
    run_id = run_id_of(second)
    assert second.lines[0] == (
        f"run {run_id} -> {second.archive} (exit status 1: unhealthy zc_gov_cn)"
    )
    assert "      zc_gov_cn: 0 reports found (the archive holds 48)" in second.lines
    assert (
        "      zc_gov_cn: 1 list page(s) read but no post found on them: "
        "has the list markup changed?" in second.lines
    )
    assert any(line.startswith(f"  {companion:<14} ok ") for line in second.lines)
    stats = run_stats(second.archive, run_id)
    assert stats["zc_gov_cn"]["healthy"] is False
    assert stats[companion]["healthy"] is True
    again = stats[companion]  # its second run: everything seen before, nothing new
    assert (again["new"], again["changed"]) == (0, 0)
    assert again["unchanged"] + again["duplicates"] == again["reports_found"] > 0
    assert run_rows(second.archive)[1] == (run_id, "finished", 1, 1)


# --- 1: a list that answers 500, beside a portal that is archived normally ----------------------
def test_exit_1_names_the_portal_whose_list_answers_500(tmp_path, manifest, companion):
    fault = ("--fault", "zc_gov_cn:list500")
    run = crawl(tmp_path / "archive.db", "zc_gov_cn", companion, *fault)
    assert run.returncode == 1, run.stderr
    assert run.lines[0].endswith("(exit status 1: unhealthy zc_gov_cn)")
    hint = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"  # the home page answers, the column not
    assert f"      zc_gov_cn: start URL or hint failed: {hint} (http_500)" in run.lines
    assert "      zc_gov_cn: 0 reports found" in run.lines
    assert "      errors: http_500 2" in run.lines
    assert archived(run.archive, "zc_gov_cn") == set()
    assert archived(run.archive, companion) == truth(manifest, companion)
    assert any(line.startswith(f"  {companion:<14} ok ") for line in run.lines)
    stats = run_stats(run.archive, run_id_of(run))
    assert stats["zc_gov_cn"]["reasons"] == [
        f"start URL or hint failed: {hint} (http_500)",
        "no list page could be read",
        "0 reports found",
    ]


def test_exit_1_when_every_request_fails(tmp_path, counting_proxy):
    # also the control of the exit-4 tests below: with a usable archive this command does fetch
    run = crawl(tmp_path / "a.db", "zc_gov_cn", *FAST, sandbox=False, env=counting_proxy.env())
    assert run.returncode == 1, run.stderr
    assert counting_proxy.requests[0] == "CONNECT www.zc.gov.cn:443 HTTP/1.1"
    reasons = run_stats(run.archive, run_id_of(run))["zc_gov_cn"]["reasons"]
    assert reasons == ["every request failed (TunnelError x2)", "0 reports found"]  # home, hint


# --- 2: usage errors, before anything else -------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no_such_portal",), "govreports: unknown portal(s): no_such_portal; known: "),
        (("-s", "DOWNLOAD_DELAY"), "Error: -s expects NAME=VALUE, got 'DOWNLOAD_DELAY'"),
        (("--no-such-option",), "Error: No such option '--no-such-option'."),
    ],
)
def test_exit_2_on_usage_errors(tmp_path, args, message):
    run = crawl(tmp_path / "archive.db", *args)
    assert run.returncode == 2
    assert message in run.stderr
    assert not (tmp_path / "archive.db").exists()  # nothing created, nothing fetched


def test_exit_2_for_a_fault_without_the_sandbox(tmp_path):
    run = crawl(tmp_path / "archive.db", "--fault", "zc_gov_cn:list500", sandbox=False)
    assert run.returncode == 2
    assert run.stderr == "govreports: --fault and --revision only apply with --sandbox\n"


# --- 3: a second run while one is going -----------------------------------------------------------
def test_exit_3_while_another_run_holds_the_lock(tmp_path, manifest):
    archive = tmp_path / "archive.db"
    first = start_crawl(archive, "zc_gov_cn", "--fault", "zc_gov_cn:slow=0.5")
    try:
        wait_for(archive, "SELECT count(*) FROM runs WHERE status = 'running'", 1, first)
        second = crawl(archive, "zc_gov_cn")
        assert second.returncode == 3
        assert second.stderr == (
            f"govreports: archive is locked by pid {first.pid} on {HOST} ({archive}.lock)\n"
        )
        assert second.stdout == ""
        _, err = first.communicate(timeout=300)
    finally:
        first.kill()
    assert first.returncode == 0, err
    assert len(run_rows(archive)) == 1  # the refused run left no row
    assert archived(archive, "zc_gov_cn") == truth(manifest, "zc_gov_cn")


def test_a_stale_lock_file_does_not_block(tmp_path):
    archive = tmp_path / "archive.db"
    (tmp_path / "archive.db.lock").write_text("pid 999999 on oldhost")  # nobody holds the flock
    run = crawl(archive, "zc_gov_cn")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "archive.db.lock").read_text() == ""  # released at the end


# --- 4: the archive cannot be used: said before any request ----------------------------------------
def test_exit_4_for_a_corrupt_archive_before_any_request(tmp_path, counting_proxy):
    archive = tmp_path / "archive.db"
    garbage = b"this is not an SQLite database\n" * 200
    archive.write_bytes(garbage)
    run = crawl(archive, "zc_gov_cn", *FAST, sandbox=False, env=counting_proxy.env())
    assert run.returncode == 4
    assert run.stderr == f"govreports: archive {archive} unavailable: file is not a database\n"
    assert counting_proxy.requests == []
    assert archive.read_bytes() == garbage
    assert not (tmp_path / "logs").exists()


def test_exit_4_for_an_archive_in_an_unwritable_place(tmp_path, counting_proxy):
    (tmp_path / "file").write_text("a file, not a folder")
    archive = tmp_path / "file" / "archive.db"
    run = crawl(archive, "zc_gov_cn", *FAST, sandbox=False, env=counting_proxy.env())
    assert run.returncode == 4
    assert run.stderr == (
        f"govreports: archive {archive} unavailable: [Errno 17] File exists: '{tmp_path / 'file'}'\n"
    )
    assert counting_proxy.requests == []


def test_exit_4_for_a_failed_migration(tmp_path, counting_proxy):
    archive = tmp_path / "archive.db"
    with sqlite3.connect(archive) as db:  # another tool's file, with a clashing table
        db.execute("CREATE TABLE runs (started TEXT, command TEXT)")
    run = crawl(archive, "zc_gov_cn", *FAST, sandbox=False, env=counting_proxy.env())
    assert run.returncode == 4
    assert run.stderr == f'govreports: archive {archive} unavailable: table "runs" already exists\n'
    assert counting_proxy.requests == []
    assert query(archive, "SELECT count(*) FROM sqlite_master WHERE name = 'reports'") == [(0,)]


def test_crawl_json_summary(tmp_path):
    run = crawl(tmp_path / "archive.db", "zc_gov_cn", "--json", "--fault", "zc_gov_cn:list500")
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert (data["status"], data["exit_status"], data["aborted_before"]) == ("finished", 1, [])
    zc = data["portals"]["zc_gov_cn"]
    assert (zc["healthy"], zc["reports_found"], zc["errors"]) == (False, 0, {"http_500": 2})
    assert zc["sandbox"] == {"recall": 0.0, "precision": 0.0, "expected": 48}
