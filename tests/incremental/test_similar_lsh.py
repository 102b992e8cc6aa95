"""Near-duplicates through LSH candidates give exactly the links of the exact all-pairs method.

The corpus is shaped like the sandbox's (and the portals'): per portal and year a dozen units
publish reports from one template, so unrelated reports share most of their boilerplate; some
reports reappear edited (a corrected figure, a rewritten paragraph or several), which puts pairs
on both sides of the threshold.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from crawler.archive import Archive, similar
from tests.core.factories import report

THRESHOLD = similar.DEFAULT_THRESHOLD
UNITS = ["朱村街道办事处", "荔城街道办事处", "鹤龙街道办事处", "科学技术局", "财政局", "教育局",
         "卫生健康局", "民政局", "司法局", "应急管理局", "交通运输局", "统计局"]  # fmt: skip
TEMPLATE = [
    "{unit}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
    "全年主动公开政府信息{a}条，其中机构职能类{b}条，政策文件类{c}条，工作动态类{d}条。",
    "本年度新收政府信息公开申请{e}件，上年结转{f}件，予以公开{g}件，部分公开{h}件。",
    "不予公开{i}件，无法提供{j}件，不予处理{k}件，结转下年度继续办理{l}件。",
    "因政府信息公开工作被申请行政复议{m}件，被提起行政诉讼{n}件，结果均为维持。",
    "本单位政府信息公开工作存在的主要问题是公开内容不够全面，更新频率有待提高。",
    "下一步，{unit}将进一步完善信息发布机制，加强政策解读，提升公开质量和实效。",
    "本年度未收取政府信息公开信息处理费，公开专栏共发布政策解读{o}篇，回应关切{p}次。",
]


def unit_report(rng: random.Random, unit: str, year: int) -> list[str]:
    """One unit's report as a list of paragraphs (the template filled with its own figures)."""
    paragraphs = [f"一、总体情况\n{year}年，{unit}持续推进政务公开工作。"]
    for round_ in range(3):
        for line in TEMPLATE:
            figures = {k: rng.randint(0, 400) for k in "abcdefghijklmnop"}
            paragraphs.append(f"（{round_ + 1}）" + line.format(unit=unit, **figures))
    return paragraphs


def edited(rng: random.Random, paragraphs: list[str], edits: int) -> list[str]:
    """The same report with `edits` paragraphs changed: one figure rewritten in each."""
    out = list(paragraphs)
    for index in rng.sample(range(1, len(out)), edits):
        out[index] = out[index].replace("条", f"{rng.randint(500, 999)}条", 1) + "（已更正）"
    return out


def corpus(seed: int = 7) -> list[tuple[str, int, str]]:
    """(portal, year, text) in arrival order."""
    rng = random.Random(seed)
    items = []
    for portal, year in itertools.product(("zc_gov_cn", "by_gov_cn"), (2017, 2018, 2019)):
        for unit in UNITS:
            paragraphs = unit_report(rng, unit, year)
            title = f"{year}年{unit}政府信息公开工作年度报告"
            items.append((portal, year, title + "\n" + "\n".join(paragraphs)))
            if rng.random() < 0.5:  # reappears edited, under another URL
                changed = edited(rng, paragraphs, rng.randint(1, 8))
                items.append((portal, year, "转载：" + title + "\n" + "\n".join(changed)))
    rng.shuffle(items)
    return items


def all_pairs(items: list[tuple[str, int, str]]) -> dict[tuple[int, int], float]:
    """The exact method: every pair of the same portal and year, Jaccard of 5-gram shingles."""
    sets = [similar.shingles(similar.comparable_text(text)) for _, _, text in items]
    pairs = {}
    for i, j in itertools.combinations(range(len(items)), 2):
        if items[i][:2] == items[j][:2]:
            score = similar.jaccard(sets[i], sets[j])
            if score >= THRESHOLD:
                pairs[(i + 1, j + 1)] = round(score, 4)
    return pairs


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory):
    items = corpus()
    archive = Archive.open(tmp_path_factory.mktemp("lsh") / "archive.db")
    for n, (portal, year, text) in enumerate(items, start=1):
        item = report(f"https://www.zc.gov.cn/gk/zfxxgk/content/post_{n}.html", text=text)
        item.portal, item.report_year = portal, year
        assert archive.store(item).report_id == n
    yield items, archive
    archive.close()


def test_lsh_links_equal_the_exact_all_pairs_links(stored) -> None:
    items, archive = stored
    expected = all_pairs(items)
    linked = {
        (row["report_id"], row["other_id"]): row["similarity"]
        for row in archive.db["related"].rows
        if row["report_id"] < row["other_id"]
    }
    assert linked == expected
    assert archive.db["related"].count == 2 * len(expected)


def test_the_corpus_puts_pairs_on_both_sides_of_the_threshold(stored) -> None:
    items, _ = stored
    sets = [similar.shingles(similar.comparable_text(text)) for _, _, text in items]
    scores = [
        similar.jaccard(sets[i], sets[j])
        for i, j in itertools.combinations(range(len(items)), 2)
        if items[i][:2] == items[j][:2]
    ]
    assert len(items) == 112
    assert sum(s >= THRESHOLD for s in scores) == 23
    assert sum(0.8 <= s < THRESHOLD for s in scores) == 17  # near misses, rightly not linked
    assert any(0.895 <= s < THRESHOLD for s in scores) and any(
        THRESHOLD <= s < 0.905 for s in scores
    )
    assert sum(0.3 <= s < 0.8 for s in scores) > 500  # template-mates: the usual case


def test_each_report_is_sketched_once_and_compared_with_candidates_only(
    stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    items, archive = stored
    sketched, exact = [], []
    text_sketch, jaccard = similar.text_sketch, similar.jaccard
    monkeypatch.setattr(similar, "text_sketch", lambda t: sketched.append(t) or text_sketch(t))
    monkeypatch.setattr(similar, "jaccard", lambda a, b: exact.append(1) or jaccard(a, b))
    portal, year, text = items[0]
    again = report("https://www.zc.gov.cn/gk/zfxxgk/content/post_9000.html", text=text + "补充。")
    again.portal, again.report_year = portal, year
    result = archive.store(again)
    assert result.outcome == "new"
    assert len(sketched) == 1  # the peers' sketches are read from the archive, not recomputed
    peers = sum(1 for p, y, _ in items if (p, y) == (portal, year))
    assert 1 <= len(exact) < peers  # the near-duplicate itself, not every peer
    related = archive.db["related"].rows_where("report_id = ?", [result.report_id])
    assert 1 in [row["other_id"] for row in related]


def test_sketch_of_a_shingle_set_equals_the_sketch_of_its_text() -> None:
    text = similar.comparable_text(
        "标题\n" + "\n".join(unit_report(random.Random(1), "统计局", 2020))
    )
    assert similar.sketch(similar.shingles(text)) == similar.text_sketch(text)
    assert len(similar.text_sketch(text)) == 512
    assert similar.text_sketch("") is None
    assert similar.sketch(similar.shingles("年报")) == similar.text_sketch("年报")


def test_a_new_version_moves_the_report_out_of_its_old_bands(tmp_path: Path) -> None:
    archive = Archive.open(tmp_path / "archive.db")
    paragraphs = unit_report(random.Random(3), "财政局", 2019)
    base = "标题\n" + "\n".join(paragraphs)
    archive.store(report(text=base))
    rewritten = "标题\n" + "\n".join(unit_report(random.Random(4), "教育局", 2019))
    assert archive.store(report(text=rewritten, run_id="run-2")).outcome == "new_version"
    assert archive.db["report_bands"].count == similar.BANDS
    copy = report("https://www.zc.gov.cn/gk/zfxxgk/content/post_2.html", text="转载\n" + base)
    assert archive.store(copy).outcome == "new"  # the old text's bands are gone with it
    assert archive.db["related"].count == 0
    archive.close()
