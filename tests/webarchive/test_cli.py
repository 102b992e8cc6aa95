"""Usage errors of the web-archive options and commands: one line, a documented exit code."""

from __future__ import annotations

from click.testing import CliRunner

from crawler.archive import Archive
from crawler.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_report_and_run_belong_to_a_wacz_export(tmp_path) -> None:
    done = run("export", "--report", "3", "--archive", str(tmp_path / "a.db"))
    assert (done.exit_code, done.output.strip()) == (
        2,
        "govreports: error: --report and --run select a --format wacz package",
    )


def test_a_wacz_goes_to_a_file_not_stdout(tmp_path) -> None:
    done = run("export", "--format", "wacz", "--portal", "zc_gov_cn")
    assert (done.exit_code, done.output.strip()) == (
        2,
        "govreports: error: --format wacz writes a file: give -o FILE.wacz",
    )


def test_a_wacz_is_selected_by_report_portal_year_or_run_only(tmp_path) -> None:
    done = run("export", "--format", "wacz", "--unit", "朱村街道", "-o", str(tmp_path / "x.wacz"))
    assert (done.exit_code, done.output.strip()) == (
        2,
        "govreports: error: --format wacz selects by --report, --portal, --year or --run",
    )


def test_verify_names_an_unknown_run_and_passes_an_empty_archive(tmp_path) -> None:
    path = tmp_path / "archive.db"
    Archive.open(path).close()
    done = run("verify", "--run", "20261203T000000Z-000000", "--archive", str(path))
    assert (done.exit_code, done.output.strip()) == (
        2,
        "govreports: error: no run 20261203T000000Z-000000",
    )
    done = run("verify", "--archive", str(path))
    assert (done.exit_code, done.output.strip()) == (
        0,
        "0 blobs, 0 WARC files, 0 records, 0 captures checked: ok",
    )
