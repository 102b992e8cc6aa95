"""The corpus and the manifest: deterministic from the seed, exact counts, the real seeds intact,
and the tables' own arithmetic kept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import sandbox
from sandbox.corpus import edited, reports_for
from sandbox.document import Table
from sandbox.seeds import load_seeds
from sandbox.units import DISTRICTS
from tests.sandbox.conftest import zc_only

SEED_001 = next((Path(sandbox.__file__).parent / "corpus" / "seeds").glob("001_*.txt"))
SEED_TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"


def test_same_seed_same_manifest_other_seed_other_texts():
    first, again = zc_only(sandbox.manifest(seed=2017)), zc_only(sandbox.manifest(seed=2017))
    assert first == again
    other = zc_only(sandbox.manifest(seed=99))
    assert len(other["reports"]) == 48
    shared = {r["text"] for r in first["reports"]} & {r["text"] for r in other["reports"]}
    assert len(shared) == 1  # only the real seed 001 is in both


def test_manifest_counts_at_scale_1():
    truth = zc_only(sandbox.manifest())
    assert [len(truth[k]) for k in ("reports", "nonreports", "missing", "gone")] == [48, 5, 1, 0]
    assert sum(len(r["aliases"]) for r in truth["reports"]) == 147
    assert Counter(r["template"] for r in truth["reports"]) == {
        "2021": 25,
        "pre2019": 12,
        "2019": 11,
    }
    assert Counter(r["year"] for r in truth["reports"]) == {
        2017: 7,
        2018: 5,
        2019: 6,
        2020: 5,
        2021: 5,
        2022: 5,
        2023: 5,
        2024: 5,
        2025: 5,
    }
    assert len({r["text"] for r in truth["reports"]}) == 48  # every report a different text
    late = [r["published_at"] for r in truth["reports"] if r["published_at"][5:7] > "03"]
    assert late == ["2025-10-11", "2023-08-27", "2021-09-20", "2021-08-24"]


def test_seed_001_text_is_exact_in_the_manifest():
    lines = [line.strip() for line in SEED_001.read_text(encoding="utf-8").splitlines()]
    start = lines.index("广州市增城区人民政府朱村街道办事处")
    end = next(
        i for i, line in enumerate(lines) if line.startswith("四是不断完善信息公开保密审查机制")
    )
    expected = "\n".join([SEED_TITLE, *[line for line in lines[start : end + 1] if line]])
    [entry] = [r for r in zc_only(sandbox.manifest())["reports"] if r["title"] == SEED_TITLE]
    assert entry["text"] == expected
    for chrome in (
        "长者助手",
        "无障碍",
        "【字号",
        "分享",
        "相关附件",
        "相关新闻",
        "2018-03-15 来源",
    ):
        assert chrome not in entry["text"]
    assert (entry["unit"], entry["year"], entry["published_at"]) == (
        "朱村街道办事处",
        2017,
        "2018-03-15",
    )
    assert entry["headings"][:2] == ["一 概 述", "(一)进一步建立健全组织机构"]
    assert entry["headings"][-1] == "六 存在的主要问题和改进措施"


def test_scale_multiplies_reports_and_keeps_the_first_ones():
    one, three = reports_for("zc_gov_cn", 2017, 1), reports_for("zc_gov_cn", 2017, 3)
    assert (len(one), len(three)) == (48, 144)
    assert [r.document for r in three[:48]] == [r.document for r in one]
    assert len(zc_only(sandbox.manifest(scale=3))["reports"]) == 144


def test_application_tables_keep_their_own_check_in_every_column():
    checked = 0
    for spec in reports_for("zc_gov_cn", 2017, 2):
        for table in (b for b in spec.document.blocks if isinstance(b, Table)):
            if not table.rows[0][0].startswith("（本列数据的勾稽关系为"):
                continue
            rows = {r[0] or r[1]: r for r in table.rows}
            new, carried = (
                rows["一、本年新收政府信息公开申请数量"],
                rows["二、上年结转政府信息公开申请数量"],
            )
            total, forward = rows["（七）总计"], rows["四、结转下年度继续办理"]
            for col in range(1, 8):
                assert int(new[col]) + int(carried[col]) == int(total[col + 1]) + int(forward[col])
            checked += 1
    assert checked == 74


def test_templates_have_their_sections_and_tables():
    specs = {s.template: s for s in reports_for("zc_gov_cn")}
    pre, trial, new = specs["pre2019"].document, specs["2019"].document, specs["2021"].document
    assert pre.headings()[0] == "一、概述" and "六、存在的主要问题及改进措施" in pre.headings()
    assert sum(isinstance(b, Table) for b in pre.blocks) == 0
    assert sum(isinstance(b, Table) for b in trial.blocks) == 3
    assert sum(isinstance(b, Table) for b in new.blocks) == 4
    assert (
        "第二十条第（九）项" in trial.truth_text() and "第二十条第（九）项" not in new.truth_text()
    )
    assert "本年制发件数\t本年废止件数\t现行有效件数" in new.truth_text()
    assert "增城区政府门户网站（http://www.zengcheng.gov.cn/）可查阅本报告。" in pre.truth_text()


def test_edited_report_changes_one_figure_and_one_sentence():
    spec = reports_for("zc_gov_cn")[0]
    before, after = (
        spec.document.truth_text().splitlines(),
        edited(spec).document.truth_text().splitlines(),
    )
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 2
    assert changed[1][1] == "（本报告部分数据已于发布后更正，以本版本为准。）"


def test_the_five_real_seeds_load_as_documents():
    seeds = load_seeds()
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    assert [s.portal for s in seeds.values()] == [
        "by_gov_cn",
        "zc_gov_cn",
        "haizhu_gov_cn",
        "qufu_gov_cn",
        "qzlc_gov_cn",
    ]
    tables = [sum(isinstance(b, Table) for b in s.document.blocks) for s in seeds.values()]
    assert tables == [0, 0, 3, 0, 1]
    assert seeds["004"].document.truth_text().splitlines()[1:3] == [
        "泉鲤金办〔2018〕1号",
        "签发人：孙刚涌",
    ]
    assert "[bookmark: _GoBack]" not in seeds["003"].document.truth_text()
    first_table = next(b for b in seeds["002"].document.blocks if isinstance(b, Table))
    assert first_table.rows[:2] == (
        ("第二十条第（一）项",),
        ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
    )


def test_unit_tables_cover_the_five_portals():
    assert sorted(DISTRICTS) == [
        "by_gov_cn",
        "haizhu_gov_cn",
        "qufu_gov_cn",
        "qzlc_gov_cn",
        "zc_gov_cn",
    ]
    zc = [u.full for u in DISTRICTS["zc_gov_cn"].units]
    assert zc[:3] == ["荔城街道办事处", "增江街道办事处", "朱村街道办事处"]
    assert "新塘镇人民政府" in zc and "增城区卫生健康局" in zc
    assert (
        DISTRICTS["qufu_gov_cn"].long_name(DISTRICTS["qufu_gov_cn"].units[0])
        == "曲阜市人民政府鲁城街道办事处"
    )
