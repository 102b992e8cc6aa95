"""Find the report in a page of unknown layout: score every element that holds text.

score = report characters - 2 x chrome characters + 100 x report markers, where
- report characters: non-space characters of lines that are neither chrome (chrome.py lexicon)
  nor mostly link text (menus, "相关新闻" lists);
- chrome characters: characters of chrome lines and of link-dominated lines;
- report markers: 一、总体情况, 主动公开, 依申请 ... found in report lines.
The page body holds the report *and* the chrome, the report's own container holds the report
alone, a single paragraph holds too little: the container wins.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from crawler.cleaning.chrome import chrome_phrase
from crawler.cleaning.html import Line, element_lines

REPORT_MARKERS = re.compile(
    r"总体情况|概\s*述|主动公开|依申请|政府信息公开|年度报告|行政复议|行政诉讼|收到和处理|"
    r"存在的主要问题|改进措施|其他需要报告|收费|申请数量|予以公开"
)
HANWEB_BEGIN = "<!--ZJEG_RSS.content.begin-->"  # Hanweb jcms body markers (docs/portals.md §6)
HANWEB_END = "<!--ZJEG_RSS.content.end-->"
_LINK_DOMINATED = 0.6


def best_container(root: etree._Element, title: str | None = None) -> etree._Element:
    """The element most likely to hold the report and nothing else (``root`` if none).

    The page's title line scores nothing: it usually sits outside the body, next to the date and
    source line, and would pull the choice up to the element holding both.
    """
    title_key = re.sub(r"\s+", "", title or "")
    scores: dict[etree._Element, float] = defaultdict(float)
    for line in element_lines(root):
        weight = 0.0 if re.sub(r"\s+", "", line.text) == title_key else _line_score(line)
        if not weight:
            continue
        scores[line.owner] += weight
        for ancestor in line.owner.iterancestors():
            scores[ancestor] += weight
            if ancestor is root:
                break
    if not scores:
        return root
    # max() keeps the first of equal scores; iteration follows document order (outer first).
    return max(_in_document_order(root, scores), key=lambda el: scores[el])


def _line_score(line: Line) -> float:
    text = line.text
    if text == "\f":
        return 0.0
    size = len(text.replace(" ", "").replace("\t", ""))
    if chrome_phrase(text) or line.link_chars > _LINK_DOMINATED * len(text):
        return -2.0 * size
    return size + 100.0 * min(len(REPORT_MARKERS.findall(text)), 3)


def _in_document_order(root: etree._Element, scores: dict) -> list[etree._Element]:
    return [el for el in root.iter() if el in scores]


def hanweb_region(html: str) -> str | None:
    """The HTML between Hanweb's ZJEG_RSS content markers, if the page has them."""
    start = html.find(HANWEB_BEGIN)
    end = html.find(HANWEB_END, start + 1)
    if start < 0 or end < 0:
        return None
    return html[start + len(HANWEB_BEGIN) : end]
