"""Cleaned text a researcher can quote: the report and nothing else, in reading order.

Public API (others code against these names):

- ``clean_html(html, *, url=None, content_selector=None, title=None, encoding=None) -> Cleaned``
- ``Cleaned(text, sections, template_version, method)``
- ``normalize_text(text) -> str`` for attachment text and seeds
- ``template_version(text) -> "pre2019" | "2019" | "2021" | None``
- ``section_headings(text) -> list[str]``
- ``CHROME_PHRASES`` (the documented lexicon) and ``chrome_left(text) -> list[str]``

Modules: chrome (lexicon + DOM pruning), html (DOM -> lines), normalize, fallback (container
scoring), template, encoding, page (the pipeline).
"""

from crawler.cleaning.chrome import CHROME_PHRASES, chrome_left
from crawler.cleaning.normalize import normalize_text
from crawler.cleaning.page import Cleaned, clean_html
from crawler.cleaning.template import section_headings, template_version

__all__ = [
    "CHROME_PHRASES",
    "Cleaned",
    "chrome_left",
    "clean_html",
    "normalize_text",
    "section_headings",
    "template_version",
]
