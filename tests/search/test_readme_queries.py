"""The three SQL queries the README shows, read from README.md and run against the real schema."""

from __future__ import annotations

from pathlib import Path

from tests.search.archive_fixture import TITLES

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_queries() -> list[str]:
    """The statements of the README's ```sql block, so the README cannot drift from the schema."""
    text = README.read_text("utf-8")
    block = text.split("```sql\n", 1)[1].split("```", 1)[0]
    code = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() + ";" for statement in code.split(";") if statement.strip()]


REPORTS_PER_PORTAL_AND_YEAR, FULL_TEXT_WITH_PROVENANCE, SHORT_TERM_ON_BASE_TABLE = readme_queries()


def test_reports_per_portal_and_year(db):
    assert db.execute(REPORTS_PER_PORTAL_AND_YEAR).fetchall() == [
        ("by_gov_cn", 2018, 1, 0),
        ("haizhu_gov_cn", 2019, 1, 1),
        ("qufu_gov_cn", 2017, 1, 0),
        ("qzlc_gov_cn", 2023, 1, 0),
        ("zc_gov_cn", 2021, 1, 0),
        ("zc_gov_cn", 2020, 1, 0),
        ("zc_gov_cn", 2019, 1, 0),
    ]


def test_full_text_search_with_provenance(db):
    rows = db.execute(FULL_TEXT_WITH_PROVENANCE).fetchall()
    assert [r[0] for r in rows] == [3, 4, 2, 6, 1]  # rank: unweighted bm25
    assert rows[4][:4] == (
        1,
        TITLES[1],
        "https://www.zc.gov.cn/zcjd/zfxxgk/zfxxgknb/content/post_5713452.html",
        "2024-03-01T02:10:00Z",
    )
    assert rows[4][4] == "…请情况\n本年新收[依申请公开]2件，予以公开2件…"


def test_short_terms_need_the_base_table(db):
    assert db.execute(SHORT_TERM_ON_BASE_TABLE).fetchall() == [
        (6, TITLES[6], 2023),
        (2, TITLES[2], 2020),
        (5, TITLES[5], 2017),
    ]
    # The same 2-character term through the trigram index finds nothing.
    assert db.execute(
        "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '\"年报\"'"
    ).fetchone() == (0,)
