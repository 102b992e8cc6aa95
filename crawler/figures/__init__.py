"""Figures: the numbers inside the reports as typed, long-format rows, and the checks they must
pass (reports.md §3). Text part of the crawler (design.md): bytes or text in, typed values out;
no SQL, no Scrapy.

Public API:

- ``figures_from_bytes(data, *, content_selector=None, hint=None, ocr=True) -> Extraction``
  (also ``figures_from_html``, ``figures_from_docx``, ``figures_from_pdf``,
  ``figures_from_image``, ``figures_from_text``)
- ``Extraction(source, template, figures, checks, notes)``
- ``Figure`` (template, table, row, col, value, raw, unit, source, confidence, derived)
- ``CheckResult`` (check, scope, status, difference, strength, missing)
- ``check_report(figures, template)``, ``check_years(earlier, later, later_template)``

Modules: model (row shapes), values (cell text -> number or missing), labels (canonical keys and
real spellings), grids (HTML/DOCX/XLS tables with merges expanded), rows (grid, TAB and word
rows), interpret (rows -> figures, template-aware), prose (pre-2019 sentences), checks, sources.
"""

from crawler.figures.checks import all_pass, check_report, check_years
from crawler.figures.model import FAIL, PASS, UNCERTAIN, CheckResult, Figure
from crawler.figures.sources import (
    Extraction,
    figures_from_bytes,
    figures_from_docx,
    figures_from_html,
    figures_from_image,
    figures_from_pdf,
    figures_from_text,
)

__all__ = [
    "FAIL",
    "PASS",
    "UNCERTAIN",
    "CheckResult",
    "Extraction",
    "Figure",
    "all_pass",
    "check_report",
    "check_years",
    "figures_from_bytes",
    "figures_from_docx",
    "figures_from_html",
    "figures_from_image",
    "figures_from_pdf",
    "figures_from_text",
]
