"""What the web UI's pages show, computed before a template sees it: a cleaned text as headings,
paragraphs and tables; the difference between two versions; charts as SVG; a download's headers.

Everything a portal wrote is data here: the templates autoescape it, charts are drawn by pygal
(which escapes its labels), and downloads are served so that a browser never renders them.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"


# --- text as blocks ---------------------------------------------------------------------------
@dataclass
class Block:
    kind: str  # heading | paragraph | table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])"
)
_MID_SENTENCE = re.compile(r"[。，；：,;:].")  # punctuation before the end: a paragraph's lead-in


def _looks_like_heading(line: str) -> bool:
    """一、… or （二）… on a short line of its own, not "（二）机关内部公开。一是…"."""
    return len(line) <= 30 and bool(_HEADING.match(line)) and not _MID_SENTENCE.search(line)


def blocks(text: str | None, sections: list[str] | None = None) -> list[Block]:
    """Cleaned text (tables one row a line, cells tab-separated; headings on their own line,
    README "Cleaned text") as blocks to render: consecutive tab lines make one table."""
    if not text:
        return []
    headings = set(sections or [])
    out: list[Block] = []
    for line in text.split("\n"):
        if "\t" in line:
            if not out or out[-1].kind != "table":
                out.append(Block("table"))
            out[-1].rows.append(line.split("\t"))
        elif not line.strip():
            continue
        elif line.strip() in headings or _looks_like_heading(line.strip()):
            out.append(Block("heading", line.strip()))
        else:
            out.append(Block("paragraph", line))
    for block in out:
        if block.kind == "table":  # ragged rows: pad so every row has the widest row's cells
            width = max(len(row) for row in block.rows)
            block.rows = [row + [""] * (width - len(row)) for row in block.rows]
    return out


# --- versions -----------------------------------------------------------------------------------
@dataclass
class DiffLine:
    kind: str  # same | removed | added | changed | gap
    old: list[tuple[str, bool]] = field(default_factory=list)  # (piece, differs)
    new: list[tuple[str, bool]] = field(default_factory=list)


def diff(old: str | None, new: str | None, context: int = 1) -> list[DiffLine]:
    """Line by line, changed lines marked character by character; unchanged runs shortened to
    ``context`` lines around each change (a gap line stands for the rest)."""
    a, b = (old or "").split("\n"), (new or "").split("\n")
    out: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", old=[(line, False)]) for line in a[i1:i2]]
            elif tag == "delete":
                out += [DiffLine("removed", old=[(line, True)]) for line in a[i1:i2]]
            elif tag == "insert":
                out += [DiffLine("added", new=[(line, True)]) for line in b[j1:j2]]
            else:
                out += _changed(a[i1:i2], b[j1:j2])
    return out


SIMILAR = 0.5  # below this, a changed line is shown as removed and added, not marked inside


def _changed(old: list[str], new: list[str]) -> list[DiffLine]:
    lines = []
    for i in range(max(len(old), len(new))):
        before, after = (old[i] if i < len(old) else ""), (new[i] if i < len(new) else "")
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        if not before or not after or matcher.ratio() < SIMILAR:
            lines += [DiffLine("removed", old=[(before, True)])] if before else []
            lines += [DiffLine("added", new=[(after, True)])] if after else []
            continue
        line = DiffLine("changed")
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if before[i1:i2]:
                line.old.append((before[i1:i2], tag != "equal"))
            if after[j1:j2]:
                line.new.append((after[j1:j2], tag != "equal"))
        lines.append(line)
    return lines


# --- charts -------------------------------------------------------------------------------------
def _style():
    from pygal.style import Style

    return Style(
        font_family=FONT,
        background="white",
        plot_background="white",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        value_font_size=11,
    )


def stacked_years_chart(
    years: list[int], series: list[tuple[str, list[int | None]]], title: str
) -> str:
    """A stacked bar per year, one colour per series (portal), as inline SVG."""
    import pygal

    chart = pygal.StackedBar(
        **_chart_options(series, title, height=340, columns=6),
        print_zeroes=False,
        x_label_rotation=0,
    )
    return _render(chart, years, series)


def lines_chart(years: list[int], series: list[tuple[str, list[float | None]]], title: str) -> str:
    """One line per series (place) across the years, as inline SVG."""
    import pygal

    chart = pygal.Line(
        **_chart_options(series, title, height=360, columns=5),
        allow_interruptions=True,
        dots_size=3,
    )
    return _render(chart, years, series)


def _chart_options(series: list, title: str, height: int, columns: int) -> dict[str, Any]:
    return {
        "js": [],  # no script from the web: the UI works offline; tooltips are SVG <title>s
        "disable_xml_declaration": True,
        "width": 960,
        "height": height,
        "style": _style(),
        "legend_at_bottom": True,
        "legend_at_bottom_columns": min(len(series), columns) or 1,
        "title": title,
    }


def _render(chart: Any, years: list[int], series: list[tuple[str, list]]) -> str:
    chart.x_labels = [str(y) for y in years]
    for name, values in series:
        chart.add(name, values)
    return chart.render(is_unicode=True)


# --- downloads ----------------------------------------------------------------------------------
def download_name(capture: dict) -> str:
    """The name the bytes were published under: the attachment's linked name, else the last
    segment of the URL, else a fallback by kind."""
    from crawler.export import sanitize_filename

    url_name = unquote(urlsplit(capture.get("final_url") or capture.get("url") or "").path)
    url_name = url_name.rsplit("/", 1)[-1]
    fallback = "report.html" if capture.get("kind") == "page" else "attachment"
    return sanitize_filename(capture.get("filename") or url_name or fallback, fallback)


def content_type(capture: dict) -> str:
    """The Content-Type the portal sent (stored with the capture), else the sniffed type."""
    headers = capture.get("headers")
    if isinstance(headers, str):
        try:
            headers = json.loads(headers)
        except ValueError:
            headers = None
    for name, values in (headers or {}).items():
        if name.lower() == "content-type" and values:
            value = values[0] if isinstance(values, list) else values
            if isinstance(value, str) and value.strip() and "\n" not in value and "\r" not in value:
                return value.strip()
    return capture.get("mime") or "application/octet-stream"


def disposition(name: str) -> str:
    """Content-Disposition for a download under its original (possibly Chinese) name: an ASCII
    fallback for old clients and the UTF-8 name per RFC 6266 / 5987."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
