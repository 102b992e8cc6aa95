"""The figures pipeline: what it hands to the pure call, the counts it keeps, a failure that
costs the report its figures only, and its place between attachments and the archive."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.items import AttachmentItem
from pipelines import figures as module
from pipelines.figures import FiguresPipeline, sources_of
from tests.core.factories import capture
from tests.figures.archived import Spider, crawl_pipelines, item, page


def test_it_runs_after_attachments_and_before_dedup_and_the_archive():
    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.get)
    assert order.index("pipelines.figures.FiguresPipeline") == (
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
