"""The figures pipeline: what it hands to the pure call, the counts it keeps, a failure that
costs the report its figures only, and its place between attachments and the archive."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.items import AttachmentItem
from pipelines import figures as module
from pipelines.figures import FiguresPipeline, PooledFiguresPipeline, sources_of
from tests.core.factories import capture
from tests.figures.archived import Spider, crawl_pipelines, item, page


def test_it_runs_after_attachments_and_before_dedup_and_the_archive():
    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.get)
    assert order.index("pipelines.figures.PooledFiguresPipeline") == (
        order.index("pipelines.attachments.AttachmentsPipeline") + 1
    )
    assert order[-1] == "pipelines.archive.ArchivePipeline"
    assert (settings.FIGURES_ENABLED, settings.FIGURES_OCR) == (True, True)


def test_switched_off_it_is_not_configured():
    with pytest.raises(NotConfigured):
        FiguresPipeline(get_crawler(settings_dict={"FIGURES_ENABLED": False}))


def test_the_item_carries_its_figures_and_the_stats_count_them():
    got = item(1, page(2021), 2021, "白云区民政局", figures=False)
    crawler, steps = crawl_pipelines()
    figures = next(step for step in steps if isinstance(step, FiguresPipeline))
    figures.process_item(got)
    assert got.figures.template == "2021" and len(got.figures.rows) == 233
    assert (got.figures.unit.key, got.figures.unit.county_name) == ("民政局", "广州市白云区")
    stats = crawler.stats.get_stats()
    assert stats["figures/reports"] == 1
    assert stats["figures/cells"] == stats["figures/cells/html"] == 233
    assert stats["figures/template/2021"] == 1
    assert stats["figures/checks/PASS"] + stats["figures/checks/UNCERTAIN"] == 42


def test_sources_hold_the_page_its_cleaned_text_and_every_file_as_extracted():
    url = "https://www.by.gov.cn/attachment/0/1/1.pdf"
    pdf = AttachmentItem(url, "1.pdf", capture=capture(url, b"%PDF-1.7 x", kind="attachment"))
    pdf.mime, pdf.status, pdf.text = "application/pdf", "ok", "一、总体情况"
    image = AttachmentItem("https://www.by.gov.cn/img/t.png", "t.png", fetch_error="http_404")
    got = item(1, page(2021), 2021, "白云区民政局")
    got.attachments, got.images = [pdf], [image]
    sources = sources_of(got, "广州市", "白云区", ocr=False)
    assert sources.page == got.capture.body and sources.page_text == got.text
    assert (sources.template, sources.encoding, sources.unit) == ("2021", "utf-8", "白云区民政局")
    assert [(a.url, a.mime, a.status, a.body) for a in sources.attachments] == [
        (url, "application/pdf", "ok", b"%PDF-1.7 x"),
        ("https://www.by.gov.cn/img/t.png", None, None, None),
    ]
    assert (sources.city, sources.district, sources.ocr) == ("广州市", "白云区", False)


def test_a_failure_costs_the_report_its_figures_only(monkeypatch):
    def broken(sources):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(module, "report_figures", broken)
    crawler = get_crawler(settings_dict={"FIGURES_ENABLED": True})
    crawler.spider = Spider()
    got = item(1, page(2021), 2021, "白云区民政局", figures=False)
    assert FiguresPipeline(crawler).process_item(got) is got
    assert got.figures is None and got.text  # archived as it is; reclean computes them later
    assert crawler.stats.get_value("figures/failed/RecursionError") == 1


def pooled(**settings) -> tuple:
    crawler = get_crawler(settings_dict={"FIGURES_ENABLED": True, "CLEAN_WORKERS": 1, **settings})
    crawler.spider = Spider()
    pipeline = PooledFiguresPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return crawler, pipeline


def test_figures_read_in_the_pool_equal_figures_read_inline():
    inline = item(1, page(2021), 2021, "白云区民政局", figures=False)
    FiguresPipeline(crawl_pipelines()[0]).process_item(inline)
    crawler, pipeline = pooled()
    try:
        got = item(1, page(2021), 2021, "白云区民政局", figures=False)
        assert asyncio.run(pipeline.process_item(got)) is got
    finally:
        pipeline.close_spider()
    assert got.figures == inline.figures
    assert got.figures.template == "2021" and len(got.figures.rows) == 233
    assert crawler.stats.get_value("figures/cells/html") == 233
    assert pipeline.pool is None  # released: the last user closed the pool


def test_a_dead_pool_worker_costs_the_report_its_figures_and_the_next_gets_a_new_pool():
    crawler, pipeline = pooled()
    try:
        asyncio.run(pipeline.process_item(item(1, page(2021), 2021, "白云区民政局", figures=False)))
        for process in list(pipeline.pool._executor._processes.values()):  # the OOM killer, say
            os.kill(process.pid, signal.SIGKILL)
        lost = item(2, page(2022), 2022, "白云区民政局", figures=False)
        assert asyncio.run(pipeline.process_item(lost)) is lost
        assert lost.figures is None and lost.text
        assert crawler.stats.get_value("figures/failed/BrokenProcessPool") == 1
        after = item(3, page(2023), 2023, "白云区民政局", figures=False)
        asyncio.run(pipeline.process_item(after))
        assert after.figures.template == "2021" and len(after.figures.rows) == 233
    finally:
        pipeline.close_spider()


def test_with_no_workers_it_reads_inline():
    _, pipeline = pooled(CLEAN_WORKERS=0)
    got = item(1, page(2021), 2021, "白云区民政局", figures=False)
    asyncio.run(pipeline.process_item(got))
    assert pipeline.pool is None and len(got.figures.rows) == 233
