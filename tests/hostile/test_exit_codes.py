"""Every govreports command answers bad input with one line and its documented exit code (README
"Exit codes of the other commands"; crawler/cli.py): usage 2, lock or port busy 3, archive
unavailable 4, output unwritable 5, reader of stdout gone 141. Through the real `main` group, so
the mapping in crawler/cli.py is what is tested."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.archive import Archive
from crawler.cli import main
from crawler.cliargs import SQLITE_INT_MAX

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def empty_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exit") / "archive.db"
    Archive.open(path, verify=True).close()
    return path


@pytest.fixture(scope="module")
def garbage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exit") / "garbage.db"
    path.write_text("国务院办公厅 年报 not a database\n" * 300, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="govreports")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["show", "0"],
            "Error: Invalid value for 'REPORT_ID': 0 is not in the range "
            "1<=x<=9223372036854775807. (see 'govreports show --help')",
        ),
        (
            ["search", "年报", "--year", "10000"],
            "Error: Invalid value for '--year': 10000 is not in the range 1<=x<=9999. "
            "(see 'govreports search --help')",
        ),
        (
            ["search", "年报", "--limit", "0"],
            "Error: Invalid value for '--limit': 0 is not in the range "
            "1<=x<=9223372036854775807. (see 'govreports search --help')",
        ),
        (
            ["search", b"\xff\xfe".decode("utf-8", "surrogateescape")],
            "Error: Invalid value for 'QUERY...': '\\xff\\xfe' is not valid UTF-8 text "
            "(see 'govreports search --help')",
        ),
        (
            ["export", "--unit", "朱村\x00街道"],
            "Error: Invalid value for '--unit': '朱村\\x00街道' contains a NUL character "
            "(see 'govreports export --help')",
        ),
        (
            ["status", "--runs", "-1"],
            "Error: Invalid value for '--runs': -1 is not in the range "
            "0<=x<=9223372036854775807. (see 'govreports status --help')",
        ),
        (
            ["crawl", "-s", "DOWNLOAD_DELAY=abc"],
            "Error: -s DOWNLOAD_DELAY='abc': DOWNLOAD_DELAY expects a number "
            "(could not convert string to float: 'abc') (see 'govreports crawl --help')",
        ),
        (
            ["crawl", "-s", "DOWNLOAD_TIMEOUT=2.5", "-s", "PORTAL_REQUEST_BUDGET=lots"],
            "Error: -s PORTAL_REQUEST_BUDGET='lots': PORTAL_REQUEST_BUDGET expects a whole "
            "number (invalid literal for int() with base 10: 'lots') "
            "(see 'govreports crawl --help')",
        ),
        (
            ["crawl", "--sandbox", "--revision", "7"],
            "Error: Invalid value for '--revision': 7 is not in the range 0<=x<=1. "
            "(see 'govreports crawl --help')",
        ),
        (
            ["sandbox", "--port", "99999"],
            "Error: Invalid value for '--port': 99999 is not in the range 0<=x<=65535. "
            "(see 'govreports sandbox --help')",
        ),
        (
            ["reclean", "--portal", b"zc\xc0".decode("utf-8", "surrogateescape")],
            "Error: Invalid value for '--portal': 'zc\\xc0' is not valid UTF-8 text "
            "(see 'govreports reclean --help')",
        ),
        (["nosuch"], "Error: No such command 'nosuch'. (see 'govreports --help')"),
        (
            ["show", "--colour"],
            "Error: No such option '--colour'. (see 'govreports show --help')",
        ),
    ],
)
def test_usage_errors_exit_2_on_one_line(args: list[str], line: str) -> None:
    result = invoke(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, line + "\n", "")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["show", "1"], "govreports: error: archive unavailable: file is not a database"),
        (["search", "年报"], "govreports: error: archive unavailable: file is not a database"),
        (["export"], "govreports: error: archive unavailable: file is not a database"),
        (["reclean"], "govreports: archive {path} unavailable: file is not a database"),
        (["status"], "govreports: error: archive unavailable: file is not a database"),
        (["jobs", "status"], "govreports: error: archive unavailable: file is not a database"),
        (["jobs", "work"], "govreports: error: archive unavailable: archive {path} unavailable"),
    ],
)
def test_a_damaged_archive_exits_4(garbage: Path, args: list[str], line: str) -> None:
    result = invoke(*args, "--archive", str(garbage))
    assert result.exit_code == 4
    assert result.stderr.startswith(line.format(path=garbage))
    assert "Traceback" not in result.output


def test_a_busy_port_exits_3_and_an_unknown_host_2(empty_archive: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        busy = invoke("serve", "--port", str(port), "--archive", str(empty_archive))
    assert (busy.exit_code, busy.stderr) == (
        3,
        f"govreports: error: port {port} on 127.0.0.1 is busy (another server listens)\n",
    )
    foreign = invoke("serve", "--host", "no-such-host.invalid", "--archive", str(empty_archive))
    assert foreign.exit_code == 2
    assert foreign.stderr.startswith("govreports: error: cannot listen on no-such-host.invalid:")


def test_an_output_file_that_cannot_be_opened_exits_5(empty_archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "out.jsonl"
    result = invoke("export", "--format", "csv", "-o", str(target), "--archive", str(empty_archive))
    assert result.exit_code == 5
    assert result.stderr == (
        f"govreports: error: cannot write output: [Errno 2] No such file or directory: '{target}'\n"
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers())
def test_any_report_id_is_no_such_report_or_a_usage_error(empty_archive: Path, number: int) -> None:
    result = invoke("show", "--archive", str(empty_archive), "--", str(number))
    if 1 <= number <= SQLITE_INT_MAX:
        assert (result.exit_code, result.stderr) == (
            1,
            f"govreports: error: no report with id {number}\n",
        )
    else:
        assert result.exit_code == 2
        assert result.stderr.startswith("Error: Invalid value for 'REPORT_ID': ")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(min_size=1, max_size=12))
def test_any_search_bytes_search_or_are_a_usage_error(empty_archive: Path, raw: bytes) -> None:
    term = raw.decode("utf-8", "surrogateescape")  # what Python makes of argv bytes
    result = invoke("search", "--archive", str(empty_archive), "--", term)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1


def _govreports(*args: str, **popen: object) -> subprocess.Popen:
    command = [sys.executable, "-m", "crawler.cli", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, **popen)


def test_a_full_disk_exits_5_and_a_gone_reader_141(empty_archive: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = _govreports("status", "--archive", str(empty_archive), stdout=full)
        _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (
        5,
        "govreports: error: cannot write output: [Errno 28] No space left on device\n",
    )
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line (`| head -0`)
    proc = _govreports("status", "--archive", str(empty_archive), stdout=write)
    os.close(write)
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (141, "")
