"""The numbers inside each report, from every source it has (page tables, attachments by their
sniffed type, OCR'd images), for the archive to store in the report's transaction.

The work is one pure call (crawler.figures.report.report_figures): what it needs is gathered
from the item into a picklable ReportSources here. `PooledFiguresPipeline` (the one in
ITEM_PIPELINES) makes that call in the crawl's page-work pool, beside cleaning
(crawler/cleaning/pool.py, `CLEAN_WORKERS`; 0 reads them inline); `FiguresPipeline` inline.
Never raises: a report the readers fail on is archived without figures and counted as
`figures/failed/<exception>`; `govreports reclean` computes them again once fixed."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from crawler.cleaning.encoding import stored_header_charset
from crawler.figures.report import (
    AttachmentSource,
    ReportFigures,
    ReportSources,
    read_attachments,
    report_figures,
)
from crawler.items import AttachmentItem, ReportItem
from pipelines.pooled import UsesPagePool

log = logging.getLogger(__name__)


def sources_of(
    item: ReportItem, city: str | None, district: str | None, ocr: bool
) -> ReportSources:
    """What report_figures needs from an item, after the clean and attachments pipelines."""
    return ReportSources(
        page=item.capture.body,
        page_text=item.text,
        template=item.template_version,
        attachments=tuple(_attachment(a) for a in [*item.attachments, *item.images]),
        encoding=stored_header_charset(item.capture.headers),
        unit=item.unit,
        city=city,
        district=district,
        ocr=ocr,
    )


def page_sources(
    item: ReportItem, city: str | None, district: str | None, ocr: bool
) -> ReportSources:
    """What clean_and_read needs besides the page itself (pipelines.clean sends both)."""
    return ReportSources(
        page=None,
        page_text=None,
        template=None,
        encoding=stored_header_charset(item.capture.headers),
        unit=item.unit,
        city=city,
        district=district,
        ocr=ocr,
    )


def reads_figures(settings: BaseSettings) -> bool:
    """Whether this crawl's ITEM_PIPELINES read figures (FIGURES_ENABLED and a figures
    pipeline in the list): the clean pipeline then reads the page's figures too."""
    if not settings.getbool("FIGURES_ENABLED"):
        return False
    paths = build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    classes = [load_object(path) if isinstance(path, str) else path for path in paths]
    return any(isinstance(c, type) and issubclass(c, FiguresPipeline) for c in classes)


def _attachment(attachment: AttachmentItem) -> AttachmentSource:
    body = attachment.capture.body if attachment.capture else None
    return AttachmentSource(
        attachment.url, attachment.mime, attachment.status, attachment.text, body
    )


class FiguresPipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("FIGURES_ENABLED"):
            raise NotConfigured("FIGURES_ENABLED is off")
        self.crawler = crawler
        self.ocr = settings.getbool("FIGURES_OCR")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FiguresPipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        try:
            sources, figures = self.prepared(item)
            if figures is None:
                figures = report_figures(sources)
        except Exception as exc:  # a reader's bug on bytes it has not met: keep the report
            return self.failed(item, exc)
        return self.apply(item, figures)

    def sources(self, item: ReportItem) -> ReportSources:
        spider = self.crawler.spider
        city, district = getattr(spider, "city", None), getattr(spider, "district", None)
        return sources_of(item, city, district, self.ocr)

    def prepared(self, item: ReportItem) -> tuple[ReportSources, ReportFigures | None]:
        """The item's sources, and its figures when the clean pipeline already has them: its
        page was read where it was cleaned (item.page_work), so with no attachment to read that
        page's figures are the report's, and with some the page's reading stands for its bytes.
        Only while the item still says what the page was read with."""
        sources = self.sources(item)
        work, item.page_work = item.page_work, None
        if work is None or _page_inputs(sources) != _page_inputs(work.sources):
            return sources, None  # not read there, or read from what the item no longer says
        alone = replace(sources, page=None, attachments=())
        if not read_attachments(sources) and alone == work.sources:
            return sources, work.figures
        if work.reading is None:
            return sources, None
        return replace(sources, page=None, page_reading=work.reading), None

    def failed(self, item: ReportItem, exc: BaseException) -> ReportItem:
        self.crawler.stats.inc_value(f"figures/failed/{type(exc).__name__}")
        log.warning("figures failed (%s) on %s; archived without figures", exc, item.url)
        return item

    def apply(self, item: ReportItem, figures: ReportFigures) -> ReportItem:
        item.figures = figures
        self._count(figures)
        return item

    def _count(self, result: ReportFigures) -> None:
        # Counted here first: a report has a few hundred cells and checks, and each call of
        # Scrapy's stats collector passes its deprecation wrappers on the reactor.
        counts: Counter[str] = Counter({"figures/reports": 1})
        if not result.rows:
            counts["figures/none"] += 1
        else:
            counts[f"figures/template/{result.template}"] += 1
            counts["figures/cells"] += len(result.rows)
            counts.update(f"figures/cells/{row.figure.source}" for row in result.rows)
            counts.update(f"figures/checks/{check.status}" for check in result.checks)
            errors = sum(1 for reading in result.readings if reading.error)
            if errors:
                counts["figures/source_errors"] += errors
        for key, count in counts.items():
            self.crawler.stats.inc_value(key, count)


def _page_inputs(sources: ReportSources) -> tuple:
    # what figures_from_html reads besides the page's bytes
    return sources.page_text, sources.template, sources.encoding


class PooledFiguresPipeline(UsesPagePool, FiguresPipeline):
    """The same call in the crawl's page-work pool (shared with cleaning); the reactor waits."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.configure_pool(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PooledFiguresPipeline:
        return cls(crawler)

    async def process_item(self, item: ReportItem) -> ReportItem:  # type: ignore[override]
        if self.pool is None:
            return super().process_item(item)
        try:
            sources, figures = self.prepared(item)
            if figures is None:
                figures = await self.in_pool(report_figures, sources)
        except Exception as exc:  # a dead worker (BrokenProcessPool) too: the next gets a new pool
            return self.failed(item, exc)
        return self.apply(item, figures)
