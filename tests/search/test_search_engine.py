"""crawler.archive.search on the fixture archive: complete for every term length from the
character index, ranked by bm25, snippets with every term marked, totals and facets."""

from __future__ import annotations

import pytest

from crawler.archive import search as engine
from crawler.archive.search import (
    Filters,
    QueryError,
    build_sql,
    chars_expression,
    format_snippet,
    ids_by,
    matching_ids,
    parse_query,
    search,
    tally,
    trigram_expression,
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


def test_every_term_is_a_quoted_phrase_of_its_characters():
    assert chars_expression(['信息"公开', "年报", "NEAR(a b)"]) == (
        '"信 息 "" 公 开" "年 报" "N E A R ( a ␣ b )"'
    )
    assert trigram_expression(['信息"公开', "NEAR(a b)"]) == '"信息""公开" "NEAR(a b)"'


def test_no_term_is_answered_by_a_scan():
    sql, params = build_sql(["年报", "依申请公开"], Filters(portal="zc_gov_cn"))
    assert "LIKE" not in sql
    assert "reports_chars MATCH ?" in sql
    assert params == ['"年 报" "依 申 请 公 开"', "zc_gov_cn"]


def ids(db, query, **filters):
    return [hit.id for hit in search(db, query, Filters(**filters), limit=None)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("依申请公开", {1, 2, 3, 4, 6}),  # 5 chars: FTS, attachment text included (6)
        ("年报", {2, 5, 6}),  # 2 chars: trigram cannot, the character index does
        ("诉", {1, 3, 6}),  # 1 char
        ('"信息公开" "条例"', {1, 3, 4}),  # trigram alone would drop "条例" and return all 7
        ("依申请公开 年报", {2, 6}),
        ("朱村街道办事处", {1, 7}),
        ("第二十条第（一）项", {4}),
        ("依申请公开 年报 条例", set()),
    ],
)
def test_search_is_complete_for_every_term_length(db, query, expected):
    assert set(ids(db, query)) == expected
    assert matching_ids(db, query) == expected


def test_every_length_comes_from_the_character_index_as_like_would_find_it(db):
    for term in ("诉", "年报", "条例", "依申请公开", "第二十条第（一）项", "2023", "0宗"):
        assert ids_by(db, term, "chars") == ids_by(db, term, "like"), term
    assert ids_by(db, "依申请公开", "trigram") == {1, 2, 3, 4, 6}
    assert ids_by(db, "年报", "trigram") == set()  # why the character index exists


def test_a_term_never_matches_across_a_line_break(db):
    # report 1: "…156条。\n二、主动公开…": the characters are neighbours only across "\n"
    assert ids_by(db, "条。二", "chars") == ids_by(db, "条。二", "like") == set()
    assert ids_by(db, "条。", "chars") == ids_by(db, "条。", "like") == {1, 2, 5, 7}


def test_hits_rank_by_bm25_with_title_hits_first(db):
    # Reports 1 and 3 name 行政诉讼 twice, 6 once in a shorter text; 朱村街道办事处 in the title
    # of 7 (a short text) outranks 1 (title and a longer text). 3+ characters: trigram's bm25;
    # 年报 (2 characters): the character index's.
    assert ids(db, "行政诉讼") == [1, 6, 3]
    assert ids(db, "依申请公开") == [3, 4, 6, 2, 1]
    assert ids(db, "年报") == [5, 2, 6]
    assert ids(db, "朱村街道办事处") == [7, 1]


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


def test_snippet_is_a_window_around_the_first_hit(db):
    (hit,) = search(db, "受理依申请公开")
    assert format_snippet(hit.snippet) == (
        "…精神。 三、依申请公开政府信息情况 2018年共[受理依申请公开]0宗。"
        " 五、申请行政复议和提起行政诉讼情况 无。"
    )
    assert "\n" not in hit.snippet
    (hit,) = search(db, "年报", Filters(portal="qufu_gov_cn"))
    assert format_snippet(hit.snippet) == (
        "…件精神，鲁城街道高度重视政府信息公开工作。本年度[年报]经街道党工委审定后发布。"
        " 二、主动公开政府信息情况 全年主动公开信息86条。"
    )
    (hit,) = search(db, "年报", Filters(portal="qzlc_gov_cn"))  # only in the attachment text
    assert format_snippet(hit.snippet) == (
        "…情况 2023年，我局依申请公开政府信息0件。本[年报]所列数据统计期限为2023年1月1日至12月31日。"
        " 四、政府信息公开行政复议、行政诉讼情况 无。"
    )


def test_snippet_marks_every_term_and_every_occurrence(db):
    (hit,) = search(db, "依申请公开 年报", Filters(portal="qzlc_gov_cn"))
    assert format_snippet(hit.snippet) == (
        "一、总体情况 2023年，我局[依申请公开]政府信息0件。本[年报]所列数据统计期限为"
        "2023年1月1日至12月31日。 四、政府信息公开行政复议、行政诉讼情况…"
    )
    (hit,) = search(db, "诉", Filters(portal="zc_gov_cn"))
    assert format_snippet(hit.snippet).count("[诉]") == 2


def test_a_title_only_hit_shows_the_title(db):
    (hit,) = search(db, "朱村街道办事处", Filters(year=2021))
    assert (
        format_snippet(hit.snippet)
        == f"{TITLES[7][:5]}广州市增城区人民政府[朱村街道办事处]政府信息公开工作年度报告"
    )


def test_tally_counts_every_match_and_its_facets(db):
    assert tally(db, "依申请公开") == engine.Tally(
        total=5,
        portals=[("zc_gov_cn", 2), ("by_gov_cn", 1), ("haizhu_gov_cn", 1), ("qzlc_gov_cn", 1)],
        years=[(2023, 1), (2020, 1), (2019, 2), (2018, 1)],
        places=[
            ("440118", "广州市增城区", 2),
            ("440111", "广州市白云区", 1),
            ("440105", "广州市海珠区", 1),
        ],
    )
    assert tally(db, "年报", Filters(year=2017)).total == 1
    assert tally(db, "依申请公开 年报 条例").total == 0


def test_hits_carry_their_place(db):
    hit = search(db, "鲁城街道")[0]
    assert (hit.province, hit.city, hit.county, hit.adcode, hit.place) == (
        "山东省", "济宁市", "曲阜市", "370881", "济宁市曲阜市",
    )  # fmt: skip
    assert ids(db, "依申请公开", adcode="440118") == [2, 1]
    assert ids(db, "依申请公开", adcode="350502") == []  # report 6's portal declared no place


def test_pages_of_hits(db):
    assert [h.id for h in search(db, "依申请公开", limit=2, offset=2)] == [6, 2]
    assert [h.id for h in search(db, "依申请公开", limit=2, offset=4)] == [1]


def test_coloured_snippet_styles_the_hit():
    assert format_snippet("本\x02年报\x03所列", color=True) == "本\x1b[31m\x1b[1m年报\x1b[0m所列"


def test_user_input_is_never_fts_syntax(db):
    assert ids(db, "NEAR(依申请 公开) OR 条例") == []
    assert ids(db, '信息"公开') == []
    assert ids(db, "title:依申请") == []
    assert ids(db, "100%") == []
    assert ids(db, "_") == []


def test_limit(db):
    assert [h.id for h in search(db, "年报", limit=2)] == [5, 2]
    with pytest.raises(QueryError):
        search(db, "年报", limit=0)
