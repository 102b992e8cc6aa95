"""A report's figures from every source it has, one table at a time from the best of them.

One pure call, `report_figures(ReportSources) -> ReportFigures`: bytes and texts in, rows out,
no Scrapy, no SQL, picklable both ways, so the crawl can run it in a worker process. The crawl's
figures pipeline and `govreports reclean` both build a ReportSources and call it; the archive
stores what it returns.

Sources:
- the report page: its HTML tables (grid), prose from its cleaned text;
- each attachment the extraction read (status ok or ocr), by the type the extraction sniffed
  from its bytes: DOCX and XLS/XLSX tables from the bytes (grids keep merges apart from blanks;
  both readers refuse a zip bomb before it inflates); DOC/WPS from the text the extraction made
  through LibreOffice (TAB rows); PDF from its text layer as the extraction read it (words);
  images and scans from their OCR text (source ``ocr``, confidence 0.6). A file the extraction
  failed on is not parsed again here.

The best source of a table (二, 三, 四, or the pre-2019 prose): the one that holds every template
cell of the table, then the most confident kind (html, docx, xls 1.0 > text 0.95 > pdf 0.9 >
ocr 0.6), then the one with the most cells, then the page before attachments. So a page table
wins over the same table in its PDF, a full table in a PDF wins over a page that shows half of
it, and an OCR'd image counts only where nothing better holds that table. A table its best source
holds only in part (a table cut over two images, as by_gov_cn posts them) takes the template cells
it lacks from the next sources in that order; a cell the best source holds, even blank, is never
replaced. Checks are computed on the chosen cells together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.figures import labels as L
from crawler.figures.checks import check_report
from crawler.figures.model import CheckResult, Figure
from crawler.figures.sources import (
    Extraction,
    figures_from_docx,
    figures_from_html,
    figures_from_sheet,
    figures_from_text,
)
from crawler.figures.units import UnitIdentity, unit_identity

PAGE = "page"  # the origin of figures read from the report page itself
READ_STATUSES = ("ok", "ocr")  # attachments the extraction read within its limits
_KIND_OF_MIME = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "ole-excel",
    "application/msword": "ole-word",
    "application/pdf": "pdf",
    "text/html": "html",
}
DOC_TEXT_CONFIDENCE = 0.95  # a DOC's tables as TAB rows: a blank and a merge look alike


@dataclass(frozen=True)
class AttachmentSource:
    """An attachment as the extraction left it."""

    url: str
    mime: str | None  # sniffed from the bytes by the extraction worker
    status: str | None  # the extraction's status
    text: str | None  # the extraction's text (OCR text for images and scans)
    body: bytes | None = None


@dataclass(frozen=True)
class ReportSources:
    page: bytes | None  # the report page's bytes
    page_text: str | None  # its cleaned text (the clean pipeline's)
    template: str | None  # the template cleaning saw (a hint: the tables' words decide)
    attachments: tuple[AttachmentSource, ...] = ()
    encoding: str | None = None  # the charset the crawl decoded the page with
    unit: str | None = None  # 发布机构 as the spider read it
    city: str | None = None  # the portal's city and district (the spider's declaration)
    district: str | None = None
    ocr: bool = True  # read OCR text (images, scans)
    # The page's reading as figures_from_html gives it, made where the page was cleaned
    # (crawler/figures/pagework.py): when set, it stands for `page`, which is not read again.
    page_reading: Extraction | None = None


@dataclass(frozen=True)
class FigureRow:
    origin: str  # PAGE or the attachment's URL
    method: str  # grid, tab_rows, words, prose
    figure: Figure


@dataclass(frozen=True)
class SourceReading:
    """What one source gave: for the archive's record of how each table was chosen."""

    origin: str
    source: str | None
    method: str | None
    template: str | None
    cells: dict[str, int]  # table -> cells read
    chosen: tuple[str, ...]  # the tables taken from this source
    notes: tuple[str, ...] = ()
    error: str | None = None  # the reader failed on this source: why

    def to_dict(self) -> dict:
        return {
            "origin": self.origin,
            "source": self.source,
            "method": self.method,
            "template": self.template,
            "cells": self.cells,
            "chosen": list(self.chosen),
            "notes": list(self.notes),
            "error": self.error,
        }


@dataclass(frozen=True)
class ReportFigures:
    template: str | None
    rows: tuple[FigureRow, ...]
    checks: tuple[CheckResult, ...]
    readings: tuple[SourceReading, ...]
    unit: UnitIdentity
    notes: tuple[str, ...] = field(default=())

    @property
    def figures(self) -> list[Figure]:
        return [row.figure for row in self.rows]


def report_figures(sources: ReportSources) -> ReportFigures:
    """The report's figures, per table from its best source, and the checks over them."""
    unit = unit_identity(sources.unit, city=sources.city, district=sources.district)
    read = _read_all(sources)
    template = _template(read, sources.template)
    chosen = _choose(read, template)
    rows = tuple(
        row for table, ranked in sorted(chosen.items()) for row in _take(table, ranked, template)
    )
    figures = [row.figure for row in rows]
    # A report none of whose sources gave a number has nothing to check (it is not "all cells
    # missing": the table may be an image with OCR off); it is found by its empty figures.
    checks = tuple(check_report(figures, template)) if rows else ()
    readings = tuple(_reading(origin, got, rows) for origin, got in read)
    return ReportFigures(template, rows, checks, readings, unit)


# --- reading every source ---------------------------------------------------------------------


Read = list[tuple[str, Extraction]]
TABLES = ("二", "三", "四", "prose")


def _read_all(sources: ReportSources) -> Read:
    read: Read = []
    if sources.page_reading is not None:
        read.append((PAGE, sources.page_reading))
    elif sources.page is not None:
        read.append((PAGE, read_guarded(_page, sources)))
    for attachment in read_attachments(sources):
        read.append((attachment.url, read_guarded(_attachment, attachment, sources.template)))
    return read


def read_attachments(sources: ReportSources) -> list[AttachmentSource]:
    """The attachments report_figures reads: those the extraction read (OCR text if wanted)."""
    return [
        a
        for a in sources.attachments
        if a.status in READ_STATUSES and (a.status != "ocr" or sources.ocr)
    ]


def read_guarded(reader, *args) -> Extraction:
    """A reader that fails on one source costs that source only (its error is recorded)."""
    try:
        return reader(*args)
    except Exception as exc:  # hostile or broken input the readers have not met
        return Extraction(None, None, notes=[f"error: {type(exc).__name__}: {exc}"[:300]])


def _page(sources: ReportSources) -> Extraction:
    return figures_from_html(
        sources.page, hint=sources.template, text=sources.page_text, encoding=sources.encoding
    )


def _attachment(attachment: AttachmentSource, hint: str | None) -> Extraction:
    text, body = attachment.text, attachment.body
    if attachment.status == "ocr":
        return figures_from_text(text or "", hint=hint, source="ocr")
    kind = _KIND_OF_MIME.get(attachment.mime or "")
    if kind == "docx" and body is not None:
        return figures_from_docx(body, hint=hint)
    if kind in ("xlsx", "ole-excel") and body is not None:
        return figures_from_sheet(body, kind, hint=hint)
    if kind == "html" and body is not None:
        return figures_from_html(body, hint=hint)
    if kind == "ole-word":
        return figures_from_text(text or "", hint=hint, source="docx", tabbed=True,
                                 confidence=DOC_TEXT_CONFIDENCE)  # fmt: skip
    if kind == "pdf":
        return figures_from_text(text or "", hint=hint, source="pdf")
    return figures_from_text(text or "", hint=hint)


# --- choosing ---------------------------------------------------------------------------------


def _template(read: Read, hint: str | None) -> str | None:
    """The template of the source that reads most of section 三 (the table that tells 2019
    from 2021 best), else of any source with tables, else the hint."""
    tabled = [(origin, got) for origin, got in read if got.template in ("2019", "2021")]
    tabled = [(o, g) for o, g in tabled if any(f.table != "prose" for f in g.figures)]
    if tabled:
        best = max(tabled, key=lambda item: _count(item[1], "三"))
        return best[1].template
    if any(got.template == "pre2019" and got.figures for _, got in read):
        return "pre2019"
    return hint


def _choose(read: Read, template: str | None) -> dict[str, Read]:
    """table -> the sources that hold it, best first (see the module's docstring)."""
    chosen: dict[str, Read] = {}
    for table in TABLES:
        candidates = [
            (_rank(got, table, template, position), origin, got)
            for position, (origin, got) in enumerate(read)
            if got.template == template and _count(got, table)
        ]
        candidates.sort(key=lambda c: c[0], reverse=True)
        if candidates:
            chosen[table] = [(origin, got) for _, origin, got in candidates]
    return chosen


def _take(table: str, ranked: Read, template: str | None) -> list[FigureRow]:
    """The best source's cells of the table, then the template cells it lacks from the next
    sources (a table cut over several images); prose has no template cells and is never mixed."""
    (origin, best), *others = ranked
    rows = [FigureRow(origin, best.method or "", f) for f in best.figures if f.table == table]
    missing = expected_cells(table, template) - {row.figure.key for row in rows}
    for origin, got in others:
        for figure in got.figures:
            if figure.table == table and figure.key in missing and not figure.derived:
                rows.append(FigureRow(origin, got.method or "", figure))
                missing.discard(figure.key)
    return rows


def _rank(got: Extraction, table: str, template: str | None, position: int) -> tuple:
    cells = {f.key for f in got.figures if f.table == table and not f.derived}
    complete = bool(expected_cells(table, template)) and expected_cells(table, template) <= cells
    confidence = max(f.confidence for f in got.figures if f.table == table)
    return (complete, confidence, len(cells), -position)


def expected_cells(table: str, template: str | None) -> set[tuple[str, str, str]]:
    """Every template cell of a table (none for prose: sentences have no fixed set)."""
    if template not in ("2019", "2021"):
        return set()
    if table == "三":
        return {("三", r, c) for r in L.request_rows(template) for c in L.APPLICANTS}
    if table == "四":
        return {("四", g, c) for g in L.REVIEW_GROUPS for c in L.REVIEW_COLS}
    if table == "二":
        items = L.PROACTIVE[template].items()
        return {("二", row, col) for row, columns in items for col, _unit in columns}
    return set()


def _count(got: Extraction, table: str) -> int:
    return sum(1 for f in got.figures if f.table == table)


def _reading(origin: str, got: Extraction, rows: tuple[FigureRow, ...]) -> SourceReading:
    cells: dict[str, int] = {}
    for figure in got.figures:
        cells[figure.table] = cells.get(figure.table, 0) + 1
    given = {row.figure.table for row in rows if row.origin == origin}
    taken = tuple(table for table in TABLES if table in given)
    error = next((n[len("error: ") :] for n in got.notes if n.startswith("error: ")), None)
    notes = tuple(n for n in got.notes if not n.startswith("error: "))
    return SourceReading(origin, got.source, got.method, got.template, cells, taken, notes, error)
