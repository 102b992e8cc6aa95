"""Text normalization shared by HTML pages and attachment text (PDF, DOC, DOCX conversions).

Output convention (sandbox/document.py ``Document.truth_text``): one line per heading or
paragraph, one line per table row with cells joined by TAB, no blank lines. A form feed (``\\f``)
in the input marks a page boundary (pdftotext emits one; html.py emits one for Word page breaks).
"""

from __future__ import annotations

import re

# Converter artifacts seen in the seeds: DOCX bookmarks and Markdown bold (seeds 000, 003).
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
_BOLD = re.compile(r"\*\*")
# Tag soup left in text taken from JSON/HTML fields (/postmeta/p/*.json "content", Word pastes).
_INLINE_TAG = re.compile(r"</?(?:font|span|b|strong|i|em|u|o:p|st1:\w+)\b[^>\n]*>", re.IGNORECASE)
_ENTITY_SPACE = re.compile(r"&(?:amp;)?(?:nbsp|ensp|emsp|thinsp|#160|#xa0|#12288);?", re.I)
# No-break, en/em, ideographic (U+3000) and other wide spaces become one plain space.
_WIDE_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACE_RUN = re.compile(r" {2,}")

# Page furniture: "- 3 -", "— 3 —", "第 3 页 共 10 页", "3/10", "Page 3 of 10".
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~]\s*\d{1,4}\s*[-—–－~]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")

# Headings and list items start new lines and are never glued to the line before.
HEADING_MARK = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、．.，,:：\s]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|"
    r"\d{1,2}\s*[、．.](?!\d)|[①-⑳]|第[一二三四五六七八九十]+[部章节条]|[一二三四五六七八九十]是)"
)
_TERMINAL = "。！？!?；;：:…”’\"'）)】]》>」』"
_FULL_LINE = 30  # a hard-wrapped PDF line without punctuation is at least this long
_PROSE_PUNCT = re.compile(r"[，,、；;。]")  # a colon alone is a label ("来源: 本网")
# Ideographs, CJK punctuation (、。《》「」), full-width forms (，：（）) and curly quotes.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff60\u2018-\u201d]")


def clean_line(line: str) -> str:
    """One line's character-level cleanup: artifacts out, spaces collapsed, cells trimmed."""
    line = _BOOKMARK.sub("", line)
    line = _BOLD.sub("", line)
    line = _INLINE_TAG.sub("", line)
    line = _ENTITY_SPACE.sub(" ", line)
    line = _WIDE_SPACE.sub(" ", line)
    line = _INVISIBLE.sub("", line)
    line = _SPACE_RUN.sub(" ", line)
    if "\t" in line:
        line = "\t".join(cell.strip(" ") for cell in line.split("\t"))
        return "" if not line.strip("\t") else line
    return line.strip(" ")


def normalize_text(text: str) -> str:
    """Clean attachment or seed text into the one-line-per-paragraph/row format.

    Removes converter artifacts, page numbers and running headers, collapses wide spaces and
    glues paragraphs that a page break or a hard wrap cut in two (see ``_joinable``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [page.split("\n") for page in text.split("\f")]
    pages = _drop_page_furniture([[clean_line(x) for x in page] for page in pages])
    lines: list[str] = []
    for index, page in enumerate(pages):
        if index:
            lines.append("\f")
        lines.extend(page)
    # Trailing empty cells go last: while joining, their TABs still mark the line as a table row.
    return "\n".join(line.rstrip("\t") for line in join_lines(lines, wrapped=True))


def join_lines(lines: list[str], *, wrapped: bool) -> list[str]:
    """Drop blank lines and glue a paragraph cut by a page break (``\\f``) or, when ``wrapped``,
    by a blank line or hard wrap, as in seeds 002/004 ("…我街建立了街" + "道党政班子…")."""
    out: list[str] = []
    last = ""  # the previous physical line: a glued paragraph is judged by its last piece
    gap, page_break = 0, False
    for line in lines:
        if line == "\f":
            page_break = True
            continue
        if not line.strip("\t "):
            gap += 1
            continue
        may_join = page_break or (wrapped and gap <= 2)
        if out and may_join and _joinable(last, line):
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
        last, gap, page_break = line, 0, False
    return out


def _joinable(prev: str, nxt: str) -> bool:
    # Glue only prose cut mid-sentence: the first part has inner punctuation but no sentence end,
    # the second part does not open a heading, list item or table row.
    if "\t" in prev or "\t" in nxt or prev.endswith(tuple(_TERMINAL)):
        return False
    if len(prev) < 8 or is_heading(prev) or prev.endswith(("报告", "年报")):
        return False
    if not _PROSE_PUNCT.search(prev) and len(prev) < _FULL_LINE:
        return False
    return not HEADING_MARK.match(nxt) and not nxt.startswith(("附件", "附表", "注"))


def _glue(prev: str, nxt: str) -> str:
    ascii_edge = prev[-1].isascii() and prev[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum()
    return prev + (" " if ascii_edge else "") + nxt


def is_heading(line: str) -> bool:
    """A numbered heading line: "一、总体情况", "（二）主动公开政府信息的数量", "一 概 述"."""
    text = line.strip()
    if "\t" in line or len(text) > 40 or not HEADING_MARK.match(text):
        return False
    body = text.rstrip("。")
    return (
        "。" not in body and "；" not in body and not re.match(r"^[一二三四五六七八九十]是", body)
    )


def _drop_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers anywhere and, across page breaks, bare page numbers and running
    headers/footers (a line repeated at the same page edge on two or more pages)."""
    pages = [[x for x in page if not _PAGE_NUMBER.match(x)] for page in pages]
    if len(pages) < 2:
        return pages
    edges: dict[str, int] = {}
    for page in pages:
        for line in {*_edge_lines(page)}:
            edges[line] = edges.get(line, 0) + 1
    running = {line for line, count in edges.items() if count >= 2 and line}
    return [_trim_edges(page, running) for page in pages]


def _edge_lines(page: list[str]) -> list[str]:
    content = [x for x in page if x.strip()]
    return content[:1] + content[-1:]


def _trim_edges(page: list[str], running: set[str]) -> list[str]:
    # Running headers may stack; a bare number is dropped once per edge only, because a page
    # can also end with real table cells ("0", "12") in one-cell-per-line converter output.
    start, end = 0, len(page)
    while start < end and (not page[start].strip() or page[start] in running):
        start += 1
    if start < end and _BARE_NUMBER.match(page[start]):
        start += 1
    while end > start and (not page[end - 1].strip() or page[end - 1] in running):
        end -= 1
    if end > start and _BARE_NUMBER.match(page[end - 1]):
        end -= 1
    return page[start:end]


def is_cjk(char: str) -> bool:
    """A Chinese character or full-width punctuation mark (no spaces around these in text)."""
    return bool(char) and bool(_CJK.match(char))
