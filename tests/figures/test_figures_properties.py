"""Property tests: the parsers never raise on arbitrary tables and text, never read a missing
mark as a number, and only emit cells under the template's keys."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.figures import check_report, figures_from_html, figures_from_text
from crawler.figures.labels import REQUEST_LABELS
from crawler.figures.model import CheckResult, Figure
from crawler.figures.values import MISSING_MARKS, read_cell

LABELS = [*REQUEST_LABELS.values(), "规章", "行政许可", "自然人", "总计", "行政复议", "小计",
          "第二十条第（一）项", "信息内容", "申请人情况", "其它"]  # fmt: skip
CELL = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(sorted(MISSING_MARKS)),
    st.integers(-5, 10_000).map(str),
    st.text(max_size=12),
)
ROWS = st.lists(st.lists(CELL, max_size=12), max_size=30)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ROWS, st.sampled_from(["2021", "2019", None]))
def test_tab_rows_never_raise(rows, hint):
    text = "\n".join("\t".join(row) for row in rows)
    got = figures_from_text(text, hint=hint)
    for figure in got.figures:
        assert figure.table in ("二", "三", "四", "prose")
        if read_cell(figure.raw).kind == "missing":
            assert figure.value is None
    check_report(got.figures, got.template)


@SETTINGS
@given(ROWS)
def test_words_never_raise(rows):
    figures_from_text("\n".join(" ".join(row) for row in rows), source="pdf")


@SETTINGS
@given(
    ROWS,
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=40),
)
def test_html_tables_with_any_spans_never_raise(rows, spans):
    spans_iter = iter(spans)
    html = "<table>"
    for row in rows:
        html += "<tr>"
        for cell in row:
            rowspan, colspan = next(spans_iter, (1, 1))
            html += f'<td rowspan="{rowspan}" colspan="{colspan}">{cell.replace("<", "")}</td>'
        html += "</tr>"
    figures_from_html(html + "</table>")


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_never_raises(text):
    figures_from_text(text)
    figures_from_text(text, source="ocr")


def _asdict_reference(obj) -> dict:
    """What to_dict gave through dataclasses.asdict: stored digests depend on it."""
    out = dataclasses.asdict(obj)
    for name, value in out.items():
        if isinstance(value, Decimal):
            out[name] = float(value)
        elif isinstance(value, tuple):
            out[name] = list(value)
    return out


VALUES = st.none() | st.integers(-10, 10**9) | st.decimals(allow_nan=False, places=2)
TEXTS = st.text(max_size=8)


@SETTINGS
@given(st.builds(Figure, TEXTS, TEXTS, TEXTS, TEXTS, VALUES, TEXTS, st.none() | TEXTS, TEXTS,
                 st.floats(0, 1), st.booleans()))  # fmt: skip
def test_figure_to_dict_is_what_asdict_gave(figure):
    assert figure.to_dict() == _asdict_reference(figure)


@SETTINGS
@given(st.builds(CheckResult, TEXTS, TEXTS, TEXTS, VALUES, TEXTS, st.lists(TEXTS).map(tuple),
                 st.lists(TEXTS).map(tuple), st.lists(TEXTS).map(tuple)))  # fmt: skip
def test_check_to_dict_is_what_asdict_gave(check):
    assert check.to_dict() == _asdict_reference(check)
