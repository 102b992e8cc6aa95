"""A Document as the body HTML of a portal page, in the editor soup real pages carry: headings as
`<p><strong>` or `<h3>`, paragraphs indented with `&nbsp;` or full-width spaces, some wrapped in
`<span style>` / `<font>`, tables as real `<table>`; a table marked `soup` as Word exports it
(merged label cells, `<p><span>` in cells, spacer cells). A perfect cleaner recovers
truth_text()."""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

from sandbox.document import Document, Heading, Table

INDENTS = ("&nbsp;&nbsp;&nbsp;&nbsp;", "\u3000\u3000", "")
FONTS = ("仿宋_GB2312", "仿宋", "宋体")


@dataclass(frozen=True)
class BodyStyle:
    heading: str  # "strong" | "h3"
    indent: str  # one of INDENTS
    soup: float  # share of paragraphs wrapped in <span style> / <font>
    seed: int

    @classmethod
    def pick(cls, rng: random.Random) -> BodyStyle:
        return cls(
            heading=rng.choice(("strong", "strong", "h3")),
            indent=rng.choice(INDENTS),
            soup=rng.choice((0.0, 0.3, 1.0)),
            seed=rng.randint(0, 2**31),
        )


def render_body(document: Document, style: BodyStyle) -> str:
    """The inside of the page's body container (the title is not repeated here)."""
    rng = random.Random(style.seed)
    parts = []
    for block in document.blocks:
        if isinstance(block, Table):
            parts.append(render_table(block))
        elif isinstance(block, Heading):
            parts.append(_heading(block.text, style))
        else:
            parts.append(_para(block.text, style, rng))
    return "\n".join(parts)


def _heading(text: str, style: BodyStyle) -> str:
    if style.heading == "h3":
        return f"<h3>{escape(text)}</h3>"
    return f'<p style="text-indent:2em;"><strong>{escape(text)}</strong></p>'


def _para(text: str, style: BodyStyle, rng: random.Random) -> str:
    inner = escape(text)
    if rng.random() < style.soup:
        font = rng.choice(FONTS)
        if rng.random() < 0.5:
            inner = f'<span style="font-family:{font};font-size:16pt;">{inner}</span>'
        else:
            inner = f'<font face="{font}" size="4">{inner}</font>'
    return f"<p>{style.indent}{inner}</p>"


def render_table(table: Table) -> str:
    if table.soup:
        return render_word_table(table)
    width = max(len(r) for r in table.rows)
    rows = []
    for row in table.rows:
        cells = [f"<td>{escape(c)}</td>" for c in row[:-1]]
        span = width - len(row) + 1
        colspan = f' colspan="{span}"' if span > 1 else ""
        cells.append(f"<td{colspan}>{escape(row[-1])}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return (
        '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;">'
        f"{caption}<tbody>{''.join(rows)}</tbody></table>"
    )


# --- Word-exported tables ------------------------------------------------------------------

_TD = 'valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"'
_SPAN = '<span style="font-size:10.5pt;font-family:仿宋_GB2312">{}</span>'


def render_word_table(table: Table) -> str:
    """`table` as Word's "save as web page" writes it: label cells merged with rowspan and
    colspan where the rows leave them blank (Table.merges), every cell's text inside
    `<p class=MsoNormal><span>`, long labels in two paragraphs, `&nbsp;` in empty cells, an
    empty spacer cell closing each row, and the column-width row Word appends."""
    merges = table.merges()
    covered = {
        (r + i, c + j)
        for (r, c), (rows, cols) in merges.items()
        for i in range(rows)
        for j in range(cols)
        if i or j
    }
    width = max(len(r) for r in table.rows)
    out = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rows, cols = merges.get((r, c), (1, 1))
            span = (f' rowspan="{rows}"' if rows > 1 else "") + (
                f' colspan="{cols}"' if cols > 1 else ""
            )
            cells.append(f"<td{span} {_TD}>{_word_cell(text)}</td>")
        cells.append('<td style="border:none;padding:0cm 0cm 0cm 0cm" width="0"></td>')
        out.append(f'<tr style="height:14.25pt">{"".join(cells)}</tr>')
    widths = "".join('<td width="64" style="border:none"></td>' for _ in range(width))
    out.append(f'<tr height="0">{widths}</tr>')
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return (
        '<div align="center"><table class="MsoNormalTable" border="0" cellspacing="0" '
        'cellpadding="0" style="border-collapse:collapse;border:none">'
        f"{caption}<tbody>{''.join(out)}</tbody></table></div>"
    )


def _word_cell(text: str) -> str:
    if not text:
        return '<p class="MsoNormal" align="center"><span lang="EN-US">&nbsp;</span></p>'
    parts = [text]
    cut = _cut(text)
    if cut:
        parts = [text[:cut], text[cut:]]
    return "".join(
        f'<p class="MsoNormal" align="center" style="text-align:center">'
        f"{_SPAN.format(escape(part))}</p>"
        for part in parts
    )


def _cut(text: str) -> int | None:
    """Where Word wrapped a long label into a second paragraph: between two ideographs (the
    cleaner joins paragraphs of a cell without a space only there)."""
    if len(text) < 12:
        return None
    for i in range(len(text) // 2, len(text) - 1):
        if _ideograph(text[i - 1]) and _ideograph(text[i]):
            return i
    return None


def _ideograph(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"
