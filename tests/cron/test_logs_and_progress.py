"""Run logs rotate; the progress line is drawn on a terminal and nowhere else."""

from __future__ import annotations

import io
import os
import pty
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


def test_the_board_shows_pages_and_reports_per_portal() -> None:
    stream = io.StringIO()
    board = Board(stream, started=100.0)
    for name, pages, reports in [("zc_gov_cn", 56, 45), ("qufu_gov_cn", 12, 3)]:
        stats = {"downloader/response_count": pages, "portal/reports_found": reports}
        board.portals[name] = Stats(stats)
    board.closed.add("zc_gov_cn")
    assert board.render(now=165.0) == (
        "crawling 1:05  zc_gov_cn 56 pages 45 reports done | qufu_gov_cn 12 pages 3 reports"
    )
    board.draw(now=165.0)
    assert stream.getvalue().startswith("\r\x1b[Kcrawling 1:05  zc_gov_cn 56 pages")


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
    assert "\r\x1b[Kcrawling 0:0" in err
    assert "zc_gov_cn 0 pages 0 reports" in err  # drawn once at the start
    assert err.endswith("\r\x1b[K")  # and wiped at the end, before the summary
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
