"""`govreports crawl --quiet`, the crontab line: a healthy run prints 0 bytes; an unhealthy one
prints the summary, its new warnings, and one line for the warnings the previous run already
reported (the same dead link night after night). The run log begins with the run's settings
and ends with its summary; neither Scrapy's telnet console nor its remote control is on."""

from __future__ import annotations

import pytest

from crawler import __version__
from tests.cron.helpers import crawl, run_id_of, run_rows

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def healthy_then_broken(tmp_path_factory, companion):
    archive = tmp_path_factory.mktemp("quiet") / "archive.db"
    first = crawl(archive, "zc_gov_cn", "--quiet")
    # zc_gov_cn healthy again (its one dead link again), the companion's lists answer 500
    second = crawl(archive, "zc_gov_cn", companion, "--quiet", "--fault", f"{companion}:list500")
    return first, second


def log_of(archive, run_id: str) -> list[str]:
    return (archive.parent / "logs" / f"crawl-{run_id}.log").read_text("utf-8").splitlines()


def test_a_healthy_quiet_run_prints_nothing_at_all(healthy_then_broken):
    first, _ = healthy_then_broken
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    run_id, status, exit_status, finished = run_rows(first.archive)[0]
    assert (status, exit_status, finished) == ("finished", 0, 1)
    log = log_of(first.archive, run_id)
    # what cron did not mail is in the log: the dead link, and the summary at the end
    assert any("[zc_gov_cn] WARNING: detail page failed (http_404): " in line for line in log)
    summary = log[log.index("# summary") + 1 :]
    assert summary[0] == f"# run {run_id} -> {first.archive} (exit status 0)"
    assert summary[1].startswith("#   zc_gov_cn      ok        found   48  new   48")
    # the sandbox's own chatter went beside the logs, not to cron's mail
    assert (first.archive.parent / "logs" / "sandbox.log").exists()


def test_the_run_log_begins_with_the_runs_settings(healthy_then_broken):
    first, _ = healthy_then_broken
    run_id = run_rows(first.archive)[0][0]
    log = log_of(first.archive, run_id)
    assert log[:3] == [
        f"# govreports {__version__} run {run_id}",
        f"# archive {first.archive}",
        "# portals zc_gov_cn",
    ]
    settings = log[3]
    assert settings.startswith("# settings {")
    for pair in (
        '"CRAWL_QUIET": true',
        '"OCR_ENABLED": false',  # set on the command line, typed by the project's settings
        '"REMOTE_CONTROL_ENABLED": false',
        '"TELNETCONSOLE_ENABLED": false',
        f'"ARCHIVE_PATH": "{first.archive}"',
    ):
        assert pair in settings
    extensions = "\n".join(log[log.index(next(x for x in log if "Enabled extensions" in x)) :][:12])
    assert "scrapy.extensions.corestats.CoreStats" in extensions  # the list is there
    assert "TelnetConsole" not in extensions and "RemoteControl" not in extensions


def test_an_unhealthy_quiet_run_prints_the_summary_and_exits_1(healthy_then_broken, companion):
    _, second = healthy_then_broken
    assert second.returncode == 1
    run_id = run_id_of(second)
    assert second.lines[0] == (
        f"run {run_id} -> {second.archive} (exit status 1: unhealthy {companion})"
    )
    assert second.lines[1].startswith(
        "  zc_gov_cn      ok        found   48  new    0  changed   0  unchanged   48"
    )
    assert any(line.startswith(f"  {companion:<14} UNHEALTHY ") for line in second.lines)
    # the log ends with the same summary
    log = log_of(second.archive, run_id)
    assert log[log.index("# summary") + 1 :] == [f"# {line}" for line in second.lines]


def test_warnings_the_previous_run_reported_are_one_line(healthy_then_broken, companion):
    _, second = healthy_then_broken
    warnings = second.stderr.splitlines()
    assert warnings[-1] == (
        "1 warning already reported by the previous run, not repeated (zc_gov_cn 1): "
        "see the run's log"
    )
    assert not any(line.startswith("WARNING zc_gov_cn:") for line in warnings)
    assert any(
        line.startswith(f"WARNING {companion}: start URL or hint ") and "(http_500)" in line
        for line in warnings
    )
    assert all(line.startswith(("WARNING ", "ERROR ")) for line in warnings[:-1])
    log = log_of(second.archive, run_id_of(second))
    assert any("[zc_gov_cn] WARNING: detail page failed (http_404): " in line for line in log)
