"""Rows -> figures: one walk over a report's table rows, in reading order, that knows the
unified templates (sections 二, 三, 四 of 国办公开办函〔2021〕30号 and the 〔2019〕60号 trial).

Header rows set the context (which section, the order of the applicant columns, an added
法人或其他组织小计 column); data rows are recognised by their labels, never by position, so a
table split over pages, a row cut in two or a missing heading costs only the rows it touches.
A row whose values cannot be aligned to its columns without guessing is skipped and noted."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.figures import labels as L
from crawler.figures.model import CONFIDENCE, Figure
from crawler.figures.rows import TOKENS, Line, fit
from crawler.figures.values import read_cell


@dataclass
class Reading:
    template: str | None
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def detect_template(lines: list[Line]) -> str | None:
    """ "2021" or "2019" from words only one generation prints, else from section 三's （六）
    rows (three in 2021, one in the trial format), else None."""
    text = "".join(L.fold(line.label) for line in lines)
    if any(mark in text for mark in L.MARKS_2021):
        return "2021"
    if any(mark in text for mark in L.MARKS_2019):
        return "2019"
    return None


def interpret(
    lines: list[Line], source: str, hint: str | None = None, confidence: float | None = None
) -> Reading:
    """`confidence` overrides the source's (a DOC read through its extracted text is a docx
    source read as TAB rows)."""
    template = detect_template(lines) or (hint if hint in ("2019", "2021") else None)
    walk = _Walk(template or "2021", source, confidence)
    for line in lines:
        walk.line(line)
    reading = Reading(template or ("2021" if walk.figures else None), [], walk.notes)
    reading.figures = _first_of_each(walk.figures, reading.notes)
    if template is None and reading.figures:
        reading.notes.append("template not stated by the tables: read as 2021")
    return reading


def _first_of_each(figures: list[Figure], notes: list[str]) -> list[Figure]:
    """A cell read twice (a table repeated, an image beside its table) counts once."""
    seen: dict[tuple[str, str, str], Figure] = {}
    for figure in figures:
        first = seen.setdefault(figure.key, figure)
        if first is not figure and first.value != figure.value:
            notes.append(f"{'/'.join(figure.key)} read twice: {first.raw!r} and {figure.raw!r}")
    return list(seen.values())


def _is_header(line: Line) -> bool:
    """Column labels, whatever blank spacer cells follow them: two or more column names."""
    names = sum(
        bool(L.applicant(label) or L.review_col(label) or L.review_group(label))
        or "信息内容" in label
        for label in line.labels
    )
    return names >= 2 or any("信息内容" in label for label in line.labels)


class _Walk:
    def __init__(self, template: str, source: str, confidence: float | None = None):
        self.template = template
        self.source = source
        self.confidence = CONFIDENCE[source] if confidence is None else confidence
        self.figures: list[Figure] = []
        self.notes: list[str] = []
        self.section: str | None = None
        self.group: str | None = None  # section 三's current （三）-（六） group
        self.header: list[str] = []  # section 三 column labels seen in header rows
        self.columns: list[str] = list(L.APPLICANTS)
        self.review_header: list[str] = []
        self.in_header = False  # between a table's header words and its first data row

    # -- one row ------------------------------------------------------------------------
    def line(self, line: Line) -> None:
        if line.mode == TOKENS or not line.values or _is_header(line):
            self._header(line)  # a tokens line's label run may hold the header words too
        if not line.values or (line.mode != TOKENS and _is_header(line)):
            return
        if self._proactive(line) or self._request(line):
            return
        numbers = sum(read_cell(value).kind == "number" for value in line.values)
        if (self.section == "四" or not line.labels) and numbers and self._review(line):
            return
        if not numbers and line.mode != TOKENS:
            self._header(line)  # labels with blank spacer cells after them
        elif self.section == "三" and numbers >= len(self.columns) - 1:
            self.notes.append(f"三: row {line.label[:30]!r} not recognised")

    def _header(self, line: Line) -> None:
        cells = line.words if line.mode == TOKENS else line.labels
        folded = L.fold(line.label)
        if "第二十条" in folded or "信息内容" in folded:
            self.section = "二"
        if "申请人情况" in folded or "勾稽关系" in folded or L.NATURAL in folded:
            if self.section != "三" or "勾稽关系" in folded or "申请人情况" in folded:
                self.header, self.in_header = [], True
            self.section, self.group = "三", None
        if self.section == "三" and self.in_header:
            self.header += [name for cell in cells if (name := L.applicant(cell))]
            if line.mode == TOKENS and "小计" in folded and "法人" in folded:
                self.header.append(L.LEGAL_SUBTOTAL)
            self.columns = self._applicant_columns()
        if "行政复议" in folded and "结转" not in folded:
            if self.section != "四":
                self.review_header = []
            self.section = "四"
        if self.section == "四":
            self.review_header += [c for c in cells if L.review_group(c) or L.review_col(c)]

    def _applicant_columns(self) -> list[str]:
        legal = [name for name in dict.fromkeys(self.header) if name not in (L.NATURAL, L.TOTAL)]
        if sum(name in L.LEGAL for name in legal) < 4:
            legal = [*L.LEGAL, *([L.LEGAL_SUBTOTAL] if L.LEGAL_SUBTOTAL in legal else [])]
        return [L.NATURAL, *legal, L.TOTAL]

    # -- section 二 -----------------------------------------------------------------------
    def _proactive(self, line: Line) -> bool:
        name = self._proactive_name(line)
        if name is None:
            return False
        self.section = "二"
        key = L.proactive_key(name, self.template)
        columns = L.PROACTIVE[self.template].get(key)
        if columns is None:  # 其他对外管理服务事项 in a 2021 table: not a template row
            self.notes.append(f"二: {key} is not a row of the {self.template} template")
            return True
        values = fit(line, len(columns))
        if values is None:
            self.notes.append(f"二: {key}: {len(line.values)} cells for {len(columns)} columns")
            return True
        for (col, unit), raw in zip(columns, values, strict=True):
            self._emit("二", key, col, raw, unit, derived=False)
        return True

    def _proactive_name(self, line: Line) -> str | None:
        last = line.labels[-1] if line.labels else ""
        if line.mode != TOKENS:
            return L.proactive_row(last)
        folded = L.fold(last)
        names = [
            name for name in L.PROACTIVE["2019"] | L.PROACTIVE["2021"] if folded.endswith(name)
        ]
        return L.proactive_row(max(names, key=len)) if names else None

    # -- section 三 -----------------------------------------------------------------------
    def _request(self, line: Line) -> bool:
        key = self._request_key(line)
        if key is None:
            return False
        derived = False
        if key == "小计" or key.endswith("小计"):
            group = key.removesuffix("小计") or self.group
            if group is None:
                self.notes.append("三: a 小计 row outside any group")
                return True
            key, derived = group, True
        elif key in L.GROUPS:  # a group's own row with numbers: its subtotal, except the
            derived = not (key == "三（六）" and self.template == "2019")  # trial's （六）
        self.section, self.in_header = "三", False
        values = fit(line, len(self.columns))
        if values is None:
            self.notes.append(
                f"三: {key}: {len(line.values)} cells for {len(self.columns)} columns"
            )
            return True
        for col, raw in zip(self.columns, values, strict=True):
            self._emit("三", key, col, raw, "件", derived=derived or col == L.LEGAL_SUBTOTAL)
        return True

    def _request_key(self, line: Line) -> str | None:
        """The most specific row a line's labels name; groups named on the way become the
        context for later 小计 rows."""
        parts = [part for label in line.labels for part in L.segments(label)]
        found: str | None = None
        for part in parts:
            key = L.request_row(part)
            if key is None:
                continue
            if key in L.GROUPS or key.endswith("小计") or key == "小计":
                if key in L.GROUPS:
                    self.group = key
                if found is None or found in L.GROUPS:
                    found = key
                continue
            found = key
            if key.startswith("三（") and key[:4] in L.GROUPS:
                self.group = key[:4]
        if found in ("三（六）3", "三（七）", "小计") and self.section not in ("三", None):
            return None  # "其他", "总计" and "小计" mean other things outside section 三
        return found

    # -- section 四 -----------------------------------------------------------------------
    def _review(self, line: Line) -> bool:
        values = fit(line, 15)
        if values is None:
            self.notes.append(f"四: {len(line.values)} cells for 15 columns")
            return False
        for (group, col), raw in zip(self._review_columns(), values, strict=True):
            self._emit("四", group, col, raw, "件", derived=False)
        return True

    def _review_columns(self) -> list[tuple[str, str]]:
        groups = [g for g in dict.fromkeys(map(L.review_group, self.review_header)) if g]
        cols = [c for c in dict.fromkeys(map(L.review_col, self.review_header)) if c]
        if sorted(groups) != sorted(L.REVIEW_GROUPS):
            groups = list(L.REVIEW_GROUPS)
        if sorted(cols) != sorted(L.REVIEW_COLS):
            cols = list(L.REVIEW_COLS)
        return [(group, col) for group in groups for col in cols]

    # -- output ---------------------------------------------------------------------------
    def _emit(self, table: str, row: str, col: str, raw: str, unit: str, derived: bool) -> None:
        cell = read_cell(raw)
        self.figures.append(
            Figure(
                template=self.template,
                table=table,
                row=row,
                col=col,
                value=cell.value,
                raw=cell.raw,
                unit=(cell.unit or unit) if cell.kind == "number" else unit,
                source=self.source,
                confidence=self.confidence,
                derived=derived,
            )
        )
