"""Run logs rotate; the progress line is drawn on a terminal and nowhere else."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.progress import Board, ProgressExtension, progress_enabled
from crawler.runlog import log_to_file, rotate
from tests.cron.helpers import ROOT, command

RUN_IDS = [
    "20261101T020000Z-aaaaaa",
    "20261102T020000Z-bbbbbb",
    "20261103T020000Z-cccccc",
    "20261104T020000Z-dddddd",
]


def make_logs(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for run_id in RUN_IDS:
        (folder / f"crawl-{run_id}.log").write_text(run_id)
    (folder / "notes.txt").write_text("not a run log: never deleted")


def test_rotate_keeps_the_newest_run_logs(tmp_path) -> None:
    make_logs(tmp_path)
    deleted = rotate(tmp_path, 2)
    assert [p.name for p in deleted] == [f"crawl-{r}.log" for r in RUN_IDS[:2]]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"crawl-{RUN_IDS[2]}.log",
        f"crawl-{RUN_IDS[3]}.log",
        "notes.txt",
    ]


def test_a_new_run_log_beside_the_archive_leaves_keep_logs_in_all(tmp_path) -> None:
    make_logs(tmp_path / "logs")
    settings = Settings({"ARCHIVE_PATH": str(tmp_path / "archive.db"), "CRAWL_LOGS_KEEP": 3})
    path = log_to_file(settings, "20261105T020000Z-eeeeee")
    assert path == tmp_path / "logs" / "crawl-20261105T020000Z-eeeeee.log"
    assert settings.get("LOG_FILE") == str(path)
    left = sorted(p.name for p in (tmp_path / "logs").glob("crawl-*.log"))
    assert left == [f"crawl-{RUN_IDS[2]}.log", f"crawl-{RUN_IDS[3]}.log"]  # + the new one: 3


def test_an_explicit_log_file_is_left_alone(tmp_path) -> None:
    settings = Settings({"ARCHIVE_PATH": str(tmp_path / "a.db"), "LOG_FILE": "/tmp/mine.log"})
    assert log_to_file(settings, "20261105T020000Z-eeeeee") is None
    assert settings.get("LOG_FILE") == "/tmp/mine.log"


@pytest.mark.parametrize(
    ("setting", "tty", "expected"),
    [(None, True, True), (None, False, False), ("False", True, False), ("1", False, True)],
)
def test_progress_only_on_a_terminal_unless_forced(setting, tty, expected) -> None:
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert progress_enabled(setting, Stream()) is expected


class Stats(dict):
    """What the board reads of a crawler's stats collector."""

    def get_value(self, key: str, default: int = 0) -> int:
        return self.get(key, default)


def board_text(width: int) -> list[str]:
    from rich.console import Console

    board = Board(started=100.0)
    zc = Stats({"downloader/response_count": 56, "portal/reports_found": 45})
    qufu = Stats({"downloader/response_count": 12, "portal/reports_found": 3})
    board.add("zc_gov_cn", zc, now=100.0)
    board.add("qufu_gov_cn", qufu, now=110.0)
    board.finish("zc_gov_cn", now=150.0)
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(board.table(now=165.0))
    return [line.rstrip() for line in out.getvalue().splitlines()]


def test_the_board_shows_totals_and_rates_per_portal() -> None:
    # zc_gov_cn: 56 pages, 45 reports in 50 s; qufu_gov_cn: 12 and 3 in 55 s so far; 65 s in all
    assert board_text(100) == [
        "govreports crawl · 1:05",
        "portal       pages  pages/s  reports  reports/s  time",
        "zc_gov_cn       56      1.1       45       0.90  0:50  done",
        "qufu_gov_cn     12      0.2        3       0.05  0:55  …",
        "total           68      1.0       48       0.74  1:05  1/2 done",
    ]


def test_the_board_fits_a_narrow_terminal() -> None:
    lines = board_text(40)
    assert max(len(line) for line in lines) <= 40
    assert lines[0] == "govreports crawl · 1:05"
    assert lines[2].split()[1:] == ["56", "1.1", "45", "0.…", "0:50", "done"]


def test_a_crawl_on_a_terminal_draws_the_progress_line(tmp_path) -> None:
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        command(tmp_path / "archive.db", "zc_gov_cn"),
        stdout=subprocess.PIPE,
        stderr=secondary,
        text=True,
        cwd=ROOT,
    )
    os.close(secondary)
    with ThreadPoolExecutor(1) as pool:  # drain the terminal while stdout is read
        stderr = pool.submit(read_all, main)
        out = proc.stdout.read()
        err = stderr.result(timeout=300)
    assert proc.wait(timeout=300) == 0, err
    # the live table: drawn at the start with nothing fetched, redrawn as pages come in
    assert "govreports crawl · 0:00" in err and "reports/s" in err
    assert "zc_gov_cn      0      0.0        0       0.00  0:00  …" in err
    assert re.search(r"zc_gov_cn +[1-9]\d* +\d+\.\d ", err)
    assert err.endswith("\x1b[2K")  # and wiped at the end (transient), before the summary
    assert "  zc_gov_cn      ok        found   48" in out


def read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("settings", "enabled"),
    [
        ({"PROGRESS_ENABLED": True}, True),
        ({"PROGRESS_ENABLED": False, "LOG_FILE": "/tmp/x.log"}, False),
        ({"PROGRESS_ENABLED": None}, False),  # plain `scrapy crawl`: its log is on the terminal
    ],
)
def test_the_extension_switches_itself_off(settings, enabled) -> None:
    crawler = get_crawler(settings_dict=settings)
    if enabled:
        assert isinstance(ProgressExtension.from_crawler(crawler), ProgressExtension)
    else:
        with pytest.raises(NotConfigured):
            ProgressExtension.from_crawler(crawler)
