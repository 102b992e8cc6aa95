"""Cleaning in worker processes gives the very text cleaning inline gives, and a worker that
dies costs its page one counted failure, never the crawl."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.cleaning import pool as cleaning_pool
from pipelines.clean import CleanPipeline, PooledCleanPipeline
from tests.core.factories import capture, report
from tests.helpers import fixture_response, project_crawler
from tests.portals import ZcGovCnSpider

ROOT = Path(__file__).resolve().parents[2]
ZHUCUN = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
# Real pages saved from the portals (tests/fixtures/*/fixtures.json says where from).
PAGES = [
    ("zc_gov_cn", "post_5672236.html", "#zoomcon", ZHUCUN),
    ("zc_gov_cn", "post_8011311.html", "#zoomcon", None),
    ("by_gov_cn", "post_5638147.html", None, None),
    ("qufu_gov_cn", "art_15260_3334084.html", None, None),
]


def item_of(portal: str, name: str, selector: str | None, title: str | None):
    response = fixture_response(portal, name)
    item = report(response.url)
    item.capture = capture(response.url, response.body)
    item.content_selector = selector
    item.title = title
    return item


@pytest.fixture
def crawler(tmp_path):
    return project_crawler(ZcGovCnSpider, CLEAN_WORKERS=1, ARCHIVE_PATH=str(tmp_path / "a.db"))


def pooled(crawler) -> PooledCleanPipeline:
    pipeline = PooledCleanPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def test_pooled_cleaning_is_byte_identical_to_inline(crawler) -> None:
    pipeline = pooled(crawler)
    try:
        for page in PAGES:
            inline = CleanPipeline.from_crawler(crawler).process_item(item_of(*page))
            in_pool = asyncio.run(pipeline.process_item(item_of(*page)))
            assert in_pool.text == inline.text, page
            assert (in_pool.sections, in_pool.template_version) == (
                inline.sections,
                inline.template_version,
            )
    finally:
        pipeline.close_spider()
    first = item_of(*PAGES[0])
    asyncio.run(PooledCleanPipeline.from_crawler(crawler).process_item(first))  # never opened
    assert first.text.startswith(ZHUCUN + "\n")
    assert "本报告是根据《中华人民共和国政府信息公开条例》的规定" in first.text
    assert "ICP备" not in first.text


def test_a_dead_worker_costs_its_page_and_the_next_page_gets_a_new_pool(crawler) -> None:
    pipeline = pooled(crawler)
    try:
        asyncio.run(pipeline.process_item(item_of(*PAGES[0])))
        assert pipeline.pool is not None
        executor = pipeline.pool._executor
        for process in list(executor._processes.values()):  # the OOM killer, say
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        hit = asyncio.run(pipeline.process_item(item_of(*PAGES[0])))
        assert hit.text == ZHUCUN  # archived with its title only; `reclean` can redo it
        assert crawler.stats.get_value("clean/failed/BrokenProcessPool") == 1
        after = asyncio.run(pipeline.process_item(item_of(*PAGES[0])))
        assert after.text.startswith(ZHUCUN + "\n")
        assert "本报告是根据《中华人民共和国政府信息公开条例》的规定" in after.text
        assert crawler.stats.get_value("clean/method/selector") == 2
    finally:
        pipeline.close_spider()


def test_the_pool_is_shared_and_closed_by_its_last_user() -> None:
    first = cleaning_pool.acquire(1)
    second = cleaning_pool.acquire(1)
    assert first is second
    cleaning_pool.release(first)
    assert first.submit(html=b"<p>x</p>").result(timeout=120).text == "x"
    cleaning_pool.release(second)
    assert first._executor is None  # closed, workers reaped
    assert cleaning_pool.acquire(1) is not first
    cleaning_pool.release(cleaning_pool._shared)


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 1), (8, 7), (None, 1)])
def test_default_workers_leave_a_core_to_the_reactor(monkeypatch, cores, workers) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert cleaning_pool.default_workers() == workers


def test_workers_die_with_a_killed_crawl(tmp_path) -> None:
    """A crawl killed with SIGKILL leaves no cleaning worker behind."""
    script = (
        "import os, sys\n"
        "from crawler.cleaning.pool import CleaningPool\n"
        "pool = CleaningPool(1)\n"
        "assert pool.submit(html=b'<p>x</p>').result(timeout=120).text == 'x'\n"
        "print(*[p.pid for p in pool._executor._processes.values()], flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    crawl = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert crawl.returncode == -signal.SIGKILL, crawl.stderr[-2000:]
    (worker,) = [int(pid) for pid in crawl.stdout.split()]
    for _ in range(100):
        if not _alive(worker):
            break
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
