"""A Document as the body HTML of a portal page, in the editor soup real pages carry: headings as
`<p><strong>` or `<h3>`, paragraphs indented with `&nbsp;` or full-width spaces, some wrapped in
`<span style>` / `<font>`, tables as real `<table>`. A perfect cleaner recovers truth_text()."""

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
