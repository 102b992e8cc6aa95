"""A report as structured content: the one model every rendering (HTML page, PDF, DOCX, DOC,
XLSX, image) is made from, and the source of the manifest's truth text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # merged cells appear once, in their first position
    caption: str | None = None


Block = Heading | Para | Table


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def truth_text(self) -> str:
        """The text a perfect cleaner yields: title, then one line per heading or paragraph,
        one line per table row with tab-separated cells, in reading order."""
        lines = [self.title]
        for block in self.blocks:
            if isinstance(block, Table):
                if block.caption:
                    lines.append(block.caption)
                lines.extend("\t".join(cell for cell in row) for row in block.rows)
            else:
                lines.append(block.text)
        return "\n".join(lines)

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading)]
