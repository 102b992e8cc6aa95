"""Near-duplicates: character 5-gram Jaccard, linked in `related` both ways, never merged."""

from __future__ import annotations

import pytest

from crawler.archive import Archive, open_archive, similar
from tests.core.factories import ZHUCUN_TEXT, ZHUCUN_URL, report

CORRECTED = ZHUCUN_TEXT.replace("2017年度没有发生", "2017年度发生1起")
GZ_REPOST = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_5632792.html"
APPLICATIONS = "本年新收政府信息公开申请32件，其中予以公开21件，部分公开5件，不予公开6件。"


@pytest.fixture
def archive(tmp_path):
    archive = Archive(open_archive(tmp_path / "archive.db"))
    yield archive
    archive.close()


def test_shingles_are_runs_of_five_characters() -> None:
    assert similar.shingles("政府信息公开") == {"政府信息公", "府信息公开"}
    assert similar.shingles("年报") == {"年报"}


def test_comparable_text_drops_the_title_line_punctuation_and_width() -> None:
    text = (
        "2017年朱村街道政府信息公开工作年度报告\n一、总体情况\n　　2017年，朱村街（ＡＢＣ）主动公开"
    )
    assert similar.comparable_text(text, "附件：表 1") == "一总体情况2017年朱村街ABC主动公开附件表1"


def test_a_corrected_figure_barely_moves_shingles_but_breaks_whitespace_tokens() -> None:
    corrected = APPLICATIONS.replace("32件", "45件")
    chars = similar.jaccard(
        similar.shingles(similar.comparable_text("标题\n" + APPLICATIONS)),
        similar.shingles(similar.comparable_text("标题\n" + corrected)),
    )
    words = similar.jaccard(frozenset(APPLICATIONS.split()), frozenset(corrected.split()))
    assert (round(chars, 4), words) == (0.6842, 0.0)  # one sentence, one "word": all or nothing


def test_a_repost_with_a_corrected_figure_is_related_not_merged(archive: Archive) -> None:
    first = archive.store(report())
    repost = report(
        GZ_REPOST, text="增城区朱村街道2017年政府信息公开年报\n" + CORRECTED.split("\n", 1)[1]
    )
    second = archive.store(repost)
    assert (second.outcome, archive.db["reports"].count) == ("new", 2)
    rows = list(archive.db.query("SELECT * FROM related ORDER BY report_id"))
    assert rows == [
        {"report_id": 1, "other_id": 2, "similarity": 0.9266, "measure": "jaccard_char5"},
        {"report_id": 2, "other_id": 1, "similarity": 0.9266, "measure": "jaccard_char5"},
    ]
    assert (first.report_id, second.report_id) == (1, 2)


def test_other_years_and_dissimilar_reports_are_not_linked(archive: Archive) -> None:
    archive.store(report())
    other_year = report(GZ_REPOST, text=CORRECTED)
    other_year.report_year = 2018
    archive.store(other_year)
    other_unit = report(
        ZHUCUN_URL.replace("5646102", "5646188"),
        text="2017年广州市增城区人民政府荔城街道办事处政府信息公开工作年度报告\n"
        + "一 概 述\n2017年，荔城街道深入推进政务公开，主动公开政府信息1532条，"
        + "受理依申请公开4件，均已按期答复。",
    )
    archive.store(other_unit)
    assert archive.db["reports"].count == 3 and archive.db["related"].count == 0


def test_a_new_version_relinks_from_its_new_text(archive: Archive) -> None:
    archive.store(report())
    archive.store(report(GZ_REPOST, text="转载\n" + CORRECTED.split("\n", 1)[1]))
    rewritten = "2017年朱村街道政府信息公开工作年度报告\n本报告已撤回重写，新版本另行发布。" * 3
    assert archive.store(report(text=rewritten, run_id="run-2")).outcome == "new_version"
    assert archive.db["related"].count == 0


def test_sketch_estimate_is_close_to_the_exact_index() -> None:
    from crawler.archive.similar import estimate, jaccard, shingles, sketch

    base = "".join(
        f"第{i}项本年新收政府信息公开申请{i * 7 % 97}件，办结{i * 5 % 89}件。" for i in range(120)
    )
    edited = base.replace("办结3件", "办结4件").replace("申请14件", "申请15件")
    exact = jaccard(shingles(base), shingles(edited))
    assert 0.95 < exact < 1.0
    assert abs(estimate(sketch(shingles(base)), sketch(shingles(edited))) - exact) < 0.05
    unrelated = "".join(f"主动公开工作动态{i}条，通知公告{i * 3}条。" for i in range(200))
    assert estimate(sketch(shingles(base)), sketch(shingles(unrelated))) < 0.1
