"""clean_html: one saved report page in, the report's text (and nothing else) out."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import unescape

import lxml.html
from lxml import etree
from parsel import Selector

from crawler.cleaning import chrome, fallback
from crawler.cleaning.encoding import decode_html
from crawler.cleaning.html import element_lines
from crawler.cleaning.normalize import clean_line, join_lines, normalize_text
from crawler.cleaning.template import section_headings, template_version

logger = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# <font> is presentation only, and unclosed <font> soup nests past libxml2's depth limit (text
# below it is silently lost), so it goes before parsing.
_FONT_TAG = re.compile(r"</?font\b[^>]*>", re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(huge_tree=True)  # depth limit 2048 instead of 256
# XML 1.0 has no place for NUL, the other C0 controls, lone surrogates or U+FFFE/U+FFFF, and lxml
# refuses to build a node holding one: a control character after a comment cost the whole page.
# VT and FF are whitespace to HTML and become spaces; the rest go (clean_line drops them anyway).
_XML_SPACE = re.compile(r"[\x0b\x0c]")
_NOT_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EITHER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # one scan
# The text-only fallback for a page the parser cannot hold (nesting past its depth limit).
_INVISIBLE_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|table|section|article)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_TITLE_SUFFIX = re.compile(
    r"\s*(?:[-_|｜—–]|--)\s*[^-_|｜—–]*(门户网站|人民政府|信息网|政府网|网站)\s*$"
)


@dataclass
class Cleaned:
    text: str  # title line, then one line per heading/paragraph/table row (cells TAB-joined)
    sections: list[str]  # top-level headings, e.g. ["一、总体情况", ...]
    template_version: str | None  # "pre2019" | "2019" | "2021"
    method: str  # "selector" (content_selector matched) | "fallback" (container scoring) | "text"
    # why the page was cleaned as text only ("parser_limit", "unparsable"), None when it was not
    degraded: str | None = None


def clean_html(
    html: bytes | str,
    *,
    url: str | None = None,
    content_selector: str | None = None,
    title: str | None = None,
    encoding: str | None = None,
) -> Cleaned:
    """The report text of a saved page.

    ``content_selector`` (from the portal's spider) is a CSS selector, an XPath (starting with
    "/" or "("), or a Hanweb comment range "<!--ZJEG_RSS.content.begin-->"; when it matches
    nothing the fallback scores containers. ``title`` is the title the spider read: the text
    starts with it exactly once. ``encoding`` is a declared charset (HTTP header) to try after
    the bytes' own evidence. ``url`` only labels log messages.
    """
    page = parse_page(html, encoding)
    return clean_parsed(page, url=url, content_selector=content_selector, title=title)


@dataclass
class ParsedPage:
    """A page as clean_html reads it, for a caller that also reads the tree (figures) before
    cleaning prunes it."""

    decoded: str  # the page's text as decoded, before the markup the parser cannot hold goes
    source: str  # what was parsed
    tree: etree._Element
    problem: str | None  # see _parse: the tree is not the whole page when set
    repaired: bool  # more than <font> tags went before parsing (XML declaration, controls)


def parse_page(html: bytes | str, encoding: str | None = None) -> ParsedPage:
    decoded = decode_html(html, encoding) if isinstance(html, bytes) else html
    declaration = _XML_DECLARATION.match(decoded) is not None
    source = _FONT_TAG.sub("", _XML_DECLARATION.sub("", decoded))
    controls = _EITHER.search(source) is not None
    if controls:
        source = _NOT_XML.sub("", _XML_SPACE.sub(" ", source))
    tree, problem = _parse(source)
    return ParsedPage(decoded, source, tree, problem, declaration or controls)


def clean_parsed(
    parsed: ParsedPage,
    *,
    url: str | None = None,
    content_selector: str | None = None,
    title: str | None = None,
) -> Cleaned:
    """clean_html of a parsed page (its tree is pruned in place)."""
    page, source = parsed.tree, parsed.source
    title = _one_line(title) or page_title(page)
    if parsed.problem is not None:
        return _text_only(source, title, parsed.problem)
    container, method = _select(page, source, content_selector, url, title)
    lines = [
        clean_line(line.text) if line.text != "\f" else "\f" for line in element_lines(container)
    ]
    lines = chrome.strip_chrome(lines)
    lines = join_lines(_drop_title(lines, title), wrapped=False)
    text = "\n".join([title, *lines] if title else lines)
    return Cleaned(text, section_headings(text), template_version(text), method)


def _parse(source: str) -> tuple[etree._Element, str | None]:
    """The page's tree, and what went wrong: "parser_limit" when libxml2 stopped at its depth
    limit (the text below it is missing from the tree), "unparsable" when it gave up."""
    try:
        page = lxml.html.document_fromstring(source or "<html></html>", parser=_PARSER)
    except (etree.ParserError, ValueError):
        empty = lxml.html.document_fromstring("<html></html>")
        return empty, ("unparsable" if source.strip() else None)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log):
        return page, "parser_limit"
    return page, None


def _text_only(source: str, title: str | None, problem: str) -> Cleaned:
    """Every text of a page the parser cannot hold, without its markup: chrome and all, but
    nothing lost (the raw bytes are archived beside it)."""
    logger.info("page cleaned as text only (%s)", problem)
    text = _BLOCK_TAG.sub("\n", _INVISIBLE_BLOCKS.sub(" ", source))
    text = normalize_text(unescape(_ANY_TAG.sub("", text)))
    lines = chrome.strip_chrome(text.split("\n"))
    lines = _drop_title(lines, title)
    text = "\n".join([title, *lines] if title else lines)
    return Cleaned(text, section_headings(text), template_version(text), "text", problem)


def _select(
    page: etree._Element, source: str, selector: str | None, url: str | None, title: str | None
) -> tuple[etree._Element, str]:
    if selector:
        found = _by_selector(page, source, selector)
        if found is not None:
            return found, "selector"
        logger.info("content_selector %r matched no text on %s; fallback used", selector, url)
    region = fallback.hanweb_region(source)
    if region is not None:
        found = _with_text(chrome.prune(_fragment(region)))
        if found is not None:
            return found, "fallback"
    body = page.find("body")
    root = chrome.prune(body if body is not None else page)
    return fallback.best_container(root, title), "fallback"


def _by_selector(page: etree._Element, source: str, selector: str) -> etree._Element | None:
    if selector.startswith("<!--"):
        region = _comment_region(source, selector)
        return None if region is None else _with_text(chrome.prune(_fragment(region)))
    query = Selector(root=page, type="html")
    try:
        found = query.xpath(selector) if selector.startswith(("/", "(")) else query.css(selector)
    except ValueError as exc:  # a malformed selector is the spider's bug: say so, still clean
        logger.warning("bad content_selector %r: %s", selector, exc)
        return None
    elements = [item.root for item in found if isinstance(item.root, etree._Element)]
    # The largest match wins: TRS pages nest .Custom_UnionStyle inside .TRS_Editor.
    elements = [_with_text(chrome.prune(el)) for el in elements]
    elements = [el for el in elements if el is not None]
    return max(elements, key=lambda el: len(el.text_content()), default=None)


def _comment_region(source: str, selector: str) -> str | None:
    begin = selector.split("-->")[0] + "-->"
    end = begin.replace(".begin", ".end").replace("begin", "end")
    start = source.find(begin)
    stop = source.find(end, start + 1)
    return None if start < 0 or stop < 0 else source[start + len(begin) : stop]


def _fragment(region: str) -> etree._Element:
    return lxml.html.fragment_fromstring(region, create_parent="div", parser=_PARSER)


def _with_text(el: etree._Element) -> etree._Element | None:
    return el if el.text_content().strip() else None


def page_title(page: etree._Element) -> str | None:
    """The report title a page states: <meta ArticleTitle>; else a heading that reads like a
    report title (an <h1> may hold the site logo); else <title> minus the site name."""
    for value in page.xpath(
        "//meta[translate(@name,'ARTICLETITLE','articletitle')='articletitle']/@content"
    ):
        if value.strip():
            return _one_line(value)
    headings = [_one_line(el.text_content()) for el in page.xpath(_TITLE_ELEMENTS)]
    for text in headings:
        if text and _REPORTISH.search(text) and len(text) <= 120 and not chrome.chrome_phrase(text):
            return text
    node = page.find(".//title")
    if node is not None and (text := _one_line(node.text_content())):
        return _TITLE_SUFFIX.sub("", text) or text
    return next((text for text in headings if text), None)


_TITLE_ELEMENTS = (
    "//h1 | //h2 | //*[contains(@class,'title') or contains(@class,'tit') or "
    "contains(@id,'title') or contains(@id,'tit')]"
)
_REPORTISH = re.compile(r"报告|年报")


def _one_line(text: str | None) -> str | None:
    return clean_line(" ".join(text.split())) if text and text.strip() else None


def _drop_title(lines: list[str], title: str | None) -> list[str]:
    """Remove the title where the body opens with it (also split over 2-3 lines by Word, also
    twice); a title line inside the report, e.g. after 文号 and 签发人 (seed 004), is the
    report's own text and stays."""
    if not title:
        return lines
    key, index = _key(title), 0
    while index < len(lines):
        width = next((w for w in (1, 2, 3) if _key("".join(lines[index : index + w])) == key), None)
        if width is None:
            break
        index += width
    return lines[index:]


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)
