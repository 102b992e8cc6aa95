"""One worker call per report page: clean it, and read its figures from the same parsed tree.

The crawl cleaned a page in one pool call and read its figures in another: the page's bytes went
to a worker twice, were decoded and parsed twice, and every table cell's text was computed once
by each. `clean_and_read` does both from one parse, each cell read once (cleaning.html
shared_reads), and gives what each call gave: the very `Cleaned` of clean_html, the page's
Extraction exactly as report_figures reads it (ReportSources.page_reading), and report_figures
over the page alone, which is the report's figures when no attachment is read (most reports).

Figures read the tree before cleaning prunes its chrome (they read every table of the page). The
two readers' trees differ only in <font> tags, which cleaning removes before parsing (inline
markup: the cells' texts are the same; checked on every page of the sandbox crawl,
tests/figures/test_pagework.py). A page cleaning had to repair otherwise (an XML declaration,
control characters, a parser limit), whose <font> tags nest deeper than real pages do (its own
parse may lose text past libxml2's depth limit), or that does not start as a whole document
(lxml.html's fromstring then returns a part of it) is read from its own parse, as
figures_from_html does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from crawler.cleaning import template_version
from crawler.cleaning.html import shared_reads
from crawler.cleaning.page import Cleaned, ParsedPage, clean_parsed, parse_page
from crawler.figures.grids import Grid, html_grids
from crawler.figures.report import ReportFigures, ReportSources, read_guarded, report_figures
from crawler.figures.sources import Extraction, figures_from_html, html_extraction

# What lxml.html.fromstring takes for a whole document (it is given the page as UTF-8 bytes).
_WHOLE_DOCUMENT = re.compile(r"^[ \t\n\r\f\v]*<(?:html|!doctype)", re.IGNORECASE | re.ASCII)
# Unclosed <font> soup deepens the figures' own tree (not the cleaner's, which has none) towards
# libxml2's depth limit, below which that parse loses text: such a page is read from its own
# parse, as before. Real pages nest <font> a few deep (the sandbox crawl: at most 4).
_FONT_DEPTH = 64
_FONT_TAG = re.compile(r"<(/?)font\b", re.IGNORECASE)


@dataclass(frozen=True)
class PageWork:
    cleaned: Cleaned
    # report_figures' reading of the page (ReportSources.page_reading), for a report with files
    # to read beside it; None when the caller said it has none (it is not sent back for nothing)
    reading: Extraction | None
    sources: ReportSources  # what `figures` was computed from: the page alone, its reading aside
    # report_figures over the page alone; None when it failed: the figures pipeline calls it
    # again and records that failure as its own, as before (cleaning must not fail with it)
    figures: ReportFigures | None


def clean_and_read(
    kwargs: dict[str, Any], sources: ReportSources, with_reading: bool = True
) -> PageWork:
    """`clean_html(**kwargs)`, and the page's figures: `sources` is the report's ReportSources
    without the page and its attachments (unit, city, district; the page is kwargs["html"])."""
    parsed = parse_page(kwargs["html"], kwargs.get("encoding"))
    clean_arguments = {k: v for k, v in kwargs.items() if k not in ("html", "encoding")}
    with shared_reads():
        grids = _grids_before_pruning(parsed)
        cleaned = clean_parsed(parsed, **clean_arguments)
        page = replace(
            sources,
            page=None,
            page_text=cleaned.text,
            template=cleaned.template_version,
            attachments=(),
            page_reading=None,
        )
        reading = read_guarded(_reading, parsed, grids, page)
    try:
        figures = report_figures(replace(page, page_reading=reading))
    except Exception:
        figures = None
    return PageWork(cleaned, reading if with_reading else None, page, figures)


def _grids_before_pruning(parsed: ParsedPage) -> list[Grid] | Exception | None:
    """The tables of the cleaner's tree (None: the page is read from its own parse)."""
    if parsed.problem or parsed.repaired or not _WHOLE_DOCUMENT.match(parsed.decoded):
        return None
    if _font_depth(parsed.decoded) > _FONT_DEPTH:
        return None
    try:
        return html_grids(parsed.tree)
    except Exception as exc:  # recorded as the reading's error, as report_figures does
        return exc


def _reading(
    parsed: ParsedPage, grids: list[Grid] | Exception | None, page: ReportSources
) -> Extraction:
    text = page.page_text  # figures_from_html's `text`: the page's cleaned text, a str
    if grids is None:
        return figures_from_html(parsed.decoded, hint=page.template, text=text)
    if isinstance(grids, Exception):
        raise grids
    return html_extraction(grids, text, page.template or template_version(text))


def _font_depth(html: str) -> int:
    """How deep <font> tags nest in the page's markup (a close without an open counts none)."""
    depth = deepest = 0
    for tag in _FONT_TAG.finditer(html):
        depth = max(depth - 1, 0) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest
