"""Reports as the crawl's clean, figures and dedup pipelines leave them, built from the
hand-written 2021 page (tests/figures/pages.py) with other years and numbers."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.items import AttachmentItem, ReportItem
from pipelines.clean import CleanPipeline
from pipelines.dedup import DedupPipeline
from pipelines.figures import FiguresPipeline
from tests.core.factories import report
from tests.figures import pages

BASE = "https://www.by.gov.cn/zwgk/qzfxxgknb/bm/content/post_{}.html"
CARRIED = '<td colspan="3">二、上年结转政府信息公开申请数量</td>'
FORWARD = '<td colspan="3">四、结转下年度继续办理</td>'
PAGE_CARRIED = ("3", "0", "0", "0", "0", "0", "0", "3")  # PAGE_2021's 二 row (小计 before 总计)
PAGE_FORWARD = ("2", "1", "0", "0", "0", "0", "1", "3")  # its 四 row
RULES = {"content_selector": "#zoomcon", "city": "广州市", "district": "白云区"}


NEW = '<td colspan="3">一、本年新收政府信息公开申请数量</td>'
PAGE_NEW = ("35", "4", "0", "0", "1", "2", "7", "42")


def page(
    year: int,
    carried: tuple[str, ...] = PAGE_CARRIED,
    rules: str = "31",
    new: tuple[str, ...] = PAGE_NEW,
) -> bytes:
    html = pages.PAGE_2021.replace("2021年", f"{year}年")
    html = html.replace(NEW + pages.tds(*PAGE_NEW), NEW + pages.tds(*new))
    html = html.replace(CARRIED + pages.tds(*PAGE_CARRIED), CARRIED + pages.tds(*carried))
    html = html.replace(pages.tds("规范性文件", "３", "1", "27"),
                        pages.tds("规范性文件", "３", "1", rules))  # fmt: skip
    return html.encode()


class Spider:
    name, city, district = "by_gov_cn", "广州市", "白云区"


def crawl_pipelines(figures: bool = True):
    crawler = get_crawler(settings_dict={"FIGURES_ENABLED": True, "FIGURES_OCR": True})
    crawler.spider = Spider()
    steps = [CleanPipeline(crawler), DedupPipeline(crawler)]
    if figures:
        steps.insert(1, FiguresPipeline(crawler))
    return crawler, steps


def item(n: int, body: bytes, year: int, unit: str, *, published: str | None = None,
         attachments: list[AttachmentItem] | None = None, figures: bool = True,
         portal: str = "by_gov_cn") -> ReportItem:  # fmt: skip
    """A report page as the crawl's clean, figures and dedup pipelines leave it."""
    got = report(BASE.format(n), body=body, attachments=attachments)
    got.portal, got.unit, got.report_year = portal, unit, year
    got.title = f"广州市白云区民政局{year}年政府信息公开工作年度报告"
    got.content_selector, got.published_at = "#zoomcon", published or f"{year + 1}-01-20"
    for step in crawl_pipelines(figures)[1]:
        got = step.process_item(got)
    return got
