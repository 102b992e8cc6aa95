"""crawler.archive.search on the fixture archive: complete for every term length, exact results."""

from __future__ import annotations

import pytest

from crawler.archive.search import (
    Filters,
    QueryError,
    format_snippet,
    fts_match_expression,
    matching_ids,
    parse_query,
    search,
)
from tests.search.archive_fixture import TITLES


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("依申请公开 年报", ["依申请公开", "年报"]),
        ('"信息公开" "条例"', ["信息公开", "条例"]),
        ('"行政复议 行政诉讼" 诉', ["行政复议 行政诉讼", "诉"]),
        ("“依申请 公开”　年报", ["依申请 公开", "年报"]),  # Chinese quotes, ideographic space
        ('信息"公开', ['信息"公开']),
        ('"信息""公开"', ['信息"公开']),
        ("年报 年报 OR", ["年报", "OR"]),
        ("abc\x00def", ["abcdef"]),
    ],
)
def test_parse_query(query, terms):
    assert parse_query(query) == terms


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query: type at least one term, e.g. 依申请公开"),
        ('  ""  ', "empty query: type at least one term, e.g. 依申请公开"),
        (
            '"依申请公开 年报',
            "unbalanced quote: the phrase starting at '\"依申请公开 年报' never closes",
        ),
    ],
)
def test_parse_query_rejects(query, message):
    with pytest.raises(QueryError) as err:
        parse_query(query)
    assert str(err.value) == message


def test_fts_expression_quotes_every_long_term_and_leaves_short_ones_out():
    assert fts_match_expression(['信息"公开', "年报", "NEAR(a b)"]) == '"信息""公开" "NEAR(a b)"'
    assert fts_match_expression(["年报", "诉"]) is None


def ids(db, query, **filters):
    return [hit.id for hit in search(db, query, Filters(**filters), limit=None)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("依申请公开", {1, 2, 3, 4, 6}),  # 5 chars: FTS, attachment text included (6)
        ("年报", {2, 5, 6}),  # 2 chars: trigram cannot, LIKE on reports does
        ("诉", {1, 3, 6}),  # 1 char
        ('"信息公开" "条例"', {1, 3, 4}),  # FTS alone would drop "条例" and return all 7
        ("依申请公开 年报", {2, 6}),
        ("朱村街道办事处", {1, 7}),
        ("第二十条第（一）项", {4}),
        ("依申请公开 年报 条例", set()),
    ],
)
def test_search_is_complete_for_every_term_length(db, query, expected):
    assert set(ids(db, query)) == expected
    assert matching_ids(db, query) == expected


def test_short_terms_rank_by_report_year(db):
    assert ids(db, "年报") == [6, 2, 5]
    assert ids(db, "诉") == [6, 1, 3]


def test_fts_terms_rank_by_bm25_not_by_year(db):
    # Reports 1 and 3 name the term twice; by year the order would be 6, 1, 3 and 6, 2, 1/4, 3.
    assert ids(db, "行政诉讼") == [1, 6, 3]
    assert ids(db, "依申请公开") == [3, 4, 6, 2, 1]


def test_filters(db):
    assert ids(db, "依申请公开", portal="zc_gov_cn") == [2, 1]
    assert set(ids(db, "依申请公开", year=2019)) == {1, 4}
    assert ids(db, "依申请公开", unit="朱村") == [1]
    assert ids(db, "年报", portal="qufu_gov_cn", year=2017) == [5]
    assert ids(db, "年报", portal="by_gov_cn") == []


def test_gone_reports_are_found_and_flagged(db):
    hit = next(h for h in search(db, "官洲街道") if h.id == 4)
    assert hit.gone_at == "2024-05-02T03:00:00Z"
    assert hit.as_dict()["gone"] is True
    assert hit.title == TITLES[4]


def test_fts_snippet_marks_the_hit(db):
    (hit,) = search(db, "受理依申请公开")
    assert format_snippet(hit.snippet) == (
        "…申请公开政府信息情况 2018年共[受理依申请公开]0宗。 五、申请行政复议和提起行政诉…"
    )
    assert "\n" not in hit.snippet


def test_short_term_snippet_is_a_window_around_the_first_hit(db):
    (hit,) = search(db, "年报", Filters(portal="qufu_gov_cn"))
    assert format_snippet(hit.snippet) == (
        "…鲁城街道高度重视政府信息公开工作。本年度[年报]经街道党工委审定后发布。"
        " 二、主动公开政府信息情况 全年主动公开信息86条。"
    )
    (hit,) = search(db, "年报", Filters(portal="qzlc_gov_cn"))  # only in the attachment text
    assert format_snippet(hit.snippet) == (
        "…023年，我局依申请公开政府信息0件。本[年报]所列数据统计期限为2023年1月1日至12月31日。"
        " 四、政府信息公开行政复议、…"
    )


def test_coloured_snippet_styles_the_hit():
    assert format_snippet("本\x02年报\x03所列", color=True) == "本\x1b[31m\x1b[1m年报\x1b[0m所列"


def test_user_input_is_never_fts_syntax(db):
    assert ids(db, "NEAR(依申请 公开) OR 条例") == []
    assert ids(db, '信息"公开') == []
    assert ids(db, "title:依申请") == []
    assert ids(db, "100%") == []
    assert ids(db, "_") == []


def test_limit(db):
    assert [h.id for h in search(db, "年报", limit=2)] == [6, 2]
    with pytest.raises(QueryError):
        search(db, "年报", limit=0)
