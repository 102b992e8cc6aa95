"""One page-work call gives what the clean call and the figures call gave: the same Cleaned, the
same page reading, the same ReportFigures, on real pages and on the shapes that take the
figures' own parse; and the crawl's pipelines take the figures from it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import lxml.html
import pytest
from scrapy.utils.test import get_crawler

from crawler.cleaning import chrome, clean_html
from crawler.cleaning.html import shared_reads, table_lines
from crawler.figures.grids import html_grids
from crawler.figures.pagework import clean_and_read
from crawler.figures.report import ReportSources, report_figures
from crawler.items import AttachmentItem
from pipelines.clean import PooledCleanPipeline
from pipelines.figures import PooledFiguresPipeline, page_sources, sources_of
from tests.core.factories import capture, report
from tests.figures.archived import Spider, page
from tests.helpers import fixture_response

BYUN = "广州市白云区民政局2021年政府信息公开工作年度报告"
# Real pages saved from the portals (tests/fixtures/*/fixtures.json says where from).
REAL = [
    ("zc_gov_cn", "post_5672236.html", "#zoomcon"),
    ("zc_gov_cn", "post_8011311.html", "#zoomcon"),
    ("by_gov_cn", "post_5638147.html", None),
    ("qufu_gov_cn", "art_15260_3334084.html", None),
]
# Word's cells in unclosed <font> soup, as TRS editors leave it (cleaning strips it before parsing)
FONT_SOUP = page(2021).replace(
    b'<p class="MsoNormal" align="center">', b'<p class="MsoNormal" align="center"><font size="3">'
)


def two_calls(html: bytes, selector: str | None, title: str | None, unit: str | None) -> tuple:
    cleaned = clean_html(html, content_selector=selector, title=title, encoding="utf-8")
    sources = ReportSources(html, cleaned.text, cleaned.template_version, encoding="utf-8",
                            unit=unit, city="广州市", district="白云区")  # fmt: skip
    return cleaned, sources, report_figures(sources)


def one_call(html: bytes, selector: str | None, title: str | None, unit: str | None):
    kwargs = {"html": html, "url": None, "content_selector": selector, "title": title,
              "encoding": "utf-8"}  # fmt: skip
    alone = ReportSources(None, None, None, encoding="utf-8", unit=unit, city="广州市",
                          district="白云区")  # fmt: skip
    return clean_and_read(kwargs, alone)


# Unclosed <font> nested past libxml2's depth limit: the figures' own parse loses the tables
# below it, the cleaner's (fonts stripped) does not; the one call must read what the two read.
DEEP_FONTS = page(2021).replace(b"<body>", b"<body>" + b"<font size=3>" * 3000, 1)

CASES = [
    pytest.param(DEEP_FONTS, "#zoomcon", BYUN, None, id="font-soup-past-the-parser-limit"),
    pytest.param(page(2021), "#zoomcon", BYUN, "白云区民政局", id="word-table-2021"),
    pytest.param(FONT_SOUP, "#zoomcon", BYUN, "白云区民政局", id="font-in-every-cell"),
    pytest.param(b'<?xml version="1.0"?>\n' + page(2021), "#zoomcon", BYUN, None, id="xml-decl"),
    pytest.param(
        page(2021).replace(b"<html", b"<!-- a -->\n<html", 1),
        None,
        None,
        None,
        id="not-a-whole-document",
    ),
    pytest.param(
        page(2021).replace(b"\xe5\x90\x88\xe8\xae\xa1", b"\x0c\x01"),
        None,
        BYUN,
        None,
        id="control-characters",
    ),
    *(
        pytest.param(fixture_response(p, name).body, sel, None, None, id=name)
        for p, name, sel in REAL
    ),
]


@pytest.mark.parametrize(("html", "selector", "title", "unit"), CASES)
def test_one_call_gives_what_the_two_calls_gave(html, selector, title, unit) -> None:
    cleaned, sources, figures = two_calls(html, selector, title, unit)
    work = one_call(html, selector, title, unit)
    assert work.cleaned == cleaned
    assert work.figures == figures
    with_reading = replace(sources, page=None, page_reading=work.reading)
    assert report_figures(with_reading) == figures
    assert work.sources == replace(sources, page=None, attachments=())


def test_the_word_table_page_gives_its_text_and_its_233_cells() -> None:
    work = one_call(page(2021), "#zoomcon", BYUN, "白云区民政局")
    assert work.cleaned.text.startswith(BYUN + "\n")
    assert work.cleaned.template_version == "2021"
    assert len(work.figures.rows) == 233 and work.figures.template == "2021"
    assert {row.origin for row in work.figures.rows} == {"page"}
    soup = one_call(FONT_SOUP, "#zoomcon", BYUN, "白云区民政局")
    assert soup.figures == work.figures and soup.cleaned == work.cleaned


def test_a_cell_that_loses_chrome_between_the_two_reads_is_read_again() -> None:
    html = (
        "<html><body><table><tr><td>收到申请数</td><td>12"
        '<span class="share">分享</span></td></tr></table></body></html>'
    )
    tree = lxml.html.document_fromstring(html)
    table = tree.find(".//table")
    with shared_reads():
        assert html_grids(tree) == [[(["收到申请数", "12分享"], [False, False])]]
        chrome.prune(tree)
        assert [line.text for line in table_lines(table)] == ["收到申请数\t12"]
        assert html_grids(tree) == [[(["收到申请数", "12"], [False, False])]]


def test_report_figures_without_a_page_reading_reads_the_page_bytes() -> None:
    _, sources, figures = two_calls(page(2021), "#zoomcon", BYUN, "白云区民政局")
    assert sources.page_reading is None and len(figures.rows) == 233
    assert report_figures(replace(sources, page=None)).rows == ()


# --- the pipelines ----------------------------------------------------------------------------


def crawl(**settings):
    crawler = get_crawler(
        settings_dict={
            "FIGURES_ENABLED": True,
            "FIGURES_OCR": True,
            "CLEAN_WORKERS": 1,
            "ITEM_PIPELINES": {
                "pipelines.clean.PooledCleanPipeline": 300,
                "pipelines.figures.PooledFiguresPipeline": 450,
            },
            **settings,
        },
    )
    crawler.spider = Spider()
    clean, figures = PooledCleanPipeline(crawler), PooledFiguresPipeline(crawler)
    clean.open_spider()
    figures.open_spider()
    return clean, figures


def pooled_calls(pipeline) -> list[tuple]:
    """Record each call the pipeline sends to the pool: (function name, its arguments)."""
    calls: list[tuple] = []
    in_pool = pipeline.in_pool

    async def spy(function, *args):
        calls.append((function.__name__, *args))
        return await in_pool(function, *args)

    pipeline.in_pool = spy
    return calls


def through_both(clean, figures, item, between=lambda item: None) -> None:
    """The item through the cleaning then the figures pipeline (`between` edits it between
    them), and both pipelines closed, whatever happens."""
    try:
        asyncio.run(clean.process_item(item))
        between(item)
        asyncio.run(figures.process_item(item))
    finally:
        clean.close_spider()
        figures.close_spider()


def report_item(attachments: list[AttachmentItem] | None = None):
    got = report("https://www.by.gov.cn/zwgk/1.html", body=page(2021), attachments=attachments)
    got.unit, got.title, got.content_selector = "白云区民政局", BYUN, "#zoomcon"
    return got


def test_the_page_goes_to_a_worker_once_when_no_attachment_is_read() -> None:
    clean, figures = crawl()
    cleaned, read = pooled_calls(clean), pooled_calls(figures)
    got, handed = report_item(), []
    through_both(clean, figures, got, lambda item: handed.append(item.page_work is not None))
    assert handed == [True]  # cleaning handed its page work to the figures pipeline
    assert [call[0] for call in cleaned] == ["clean_and_read"] and read == []
    assert cleaned[0][3] is False  # no files beside the page: its reading is not sent back
    assert got.page_work is None
    assert got.figures == report_figures(sources_of(got, "广州市", "白云区", ocr=True))
    assert len(got.figures.rows) == 233


def test_with_an_attachment_to_read_the_figures_call_carries_the_page_reading() -> None:
    url = "https://www.by.gov.cn/attachment/0/1/1.pdf"
    pdf = AttachmentItem(url, "1.pdf", capture=capture(url, b"%PDF-1.7 x", kind="attachment"))
    pdf.mime, pdf.status, pdf.text = "application/pdf", "ok", "一、总体情况"
    clean, figures = crawl()
    read = pooled_calls(figures)
    got = report_item([pdf])
    through_both(clean, figures, got)
    [(name, sent)] = read
    assert name == "report_figures"
    assert sent.page is None and sent.page_reading is not None  # the page is not sent again
    whole = sources_of(got, "广州市", "白云区", ocr=True)
    assert whole.page == page(2021) and got.figures == report_figures(whole)
    assert [r.origin for r in got.figures.readings] == ["page", url]


def test_a_page_whose_text_changed_after_cleaning_is_read_from_its_bytes() -> None:
    clean, figures = crawl()
    read = pooled_calls(figures)
    got = report_item()

    def edit(item) -> None:
        item.text = item.text.replace("政府信息公开", "信息公开")

    through_both(clean, figures, got, edit)
    [(name, sent)] = read
    assert name == "report_figures"
    assert sent.page == page(2021) and sent.page_reading is None and sent.page_text == got.text
    assert got.figures == report_figures(sources_of(got, "广州市", "白云区", ocr=True))


def test_page_sources_carry_what_the_figures_need_besides_the_page() -> None:
    got = report_item()
    alone = page_sources(got, "广州市", "白云区", ocr=False)
    assert (alone.page, alone.page_text, alone.template, alone.attachments) == (
        None,
        None,
        None,
        (),
    )
    assert (alone.unit, alone.city, alone.district, alone.ocr) == (
        "白云区民政局",
        "广州市",
        "白云区",
        False,
    )


def test_cleaning_reads_figures_only_when_the_crawl_reads_them() -> None:
    from crawler import settings as project
    from pipelines.figures import reads_figures

    def settings_of(**values):
        return get_crawler(settings_dict=values).settings

    assert reads_figures(settings_of(ITEM_PIPELINES=project.ITEM_PIPELINES, FIGURES_ENABLED=True))
    off = settings_of(ITEM_PIPELINES=project.ITEM_PIPELINES, FIGURES_ENABLED=False)
    assert not reads_figures(off)
    clean_only = {"pipelines.clean.PooledCleanPipeline": 300}
    assert not reads_figures(settings_of(ITEM_PIPELINES=clean_only, FIGURES_ENABLED=True))
