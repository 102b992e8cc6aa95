"""Search benchmark: recall of 1-4 character queries against a full scan, and FTS vs scan speed.

Builds a synthetic archive (default 50,000 reports of report-like Chinese text, a third with
attachment text) through the archive's bulk load (crawler.archive), so the schema's triggers fill reports_fts as in
production. Then, for each query length 1, 2, 3 and 4, it samples queries from the stored texts and
compares ``ArchiveView.matching_ids`` (the same SQL builder ``search`` uses) with a Python
substring scan of every row (the ground truth). For 3+ character queries it times the FTS path
against the LIKE scan the engine would otherwise need, side by side in the same run.

    .venv/bin/python benchmarks/search.py [--reports 50000] [--queries 20] [--keep PATH]

Writes benchmarks/results/search.json (gitignored) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.archive import Archive, ArchiveView

DISTRICTS = ["白云区", "增城区", "海珠区", "天河区", "番禺区", "花都区", "鲤城区", "曲阜市"]
UNITS = [
    "鹤龙街道办事处", "朱村街道办事处", "荔城街道办事处", "官洲街道办事处", "鲁城街道办事处",
    "科学技术局", "财政局", "教育局", "卫生健康局", "民政局", "司法局", "住房和城乡建设局",
    "市场监督管理局", "生态环境分局", "人力资源和社会保障局", "应急管理局", "交通运输局",
]  # fmt: skip
SECTIONS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
]  # fmt: skip
SENTENCES = [
    "{y}年，{u}认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息{n}条。",
    "本年新收依申请公开{n}件，其中予以公开{m}件，部分公开{k}件，不予公开{k}件。",
    "通过政府网站、政务新媒体等渠道发布政策解读{m}篇，回应社会关切{k}次。",
    "本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
    "第一项加第二项之和，等于第三项加第四项之和。",
    "规章{k}件，行政规范性文件{m}件，现行有效件数{n}件。",
    "行政许可本年处理决定数量{n}，行政处罚{m}，行政强制{k}。",
    "存在的主要问题是信息公开的及时性和规范性有待提高，{u}将进一步加强培训。",
    "本报告所列数据统计期限为{y}年1月1日至12月31日，电子版可在{d}人民政府网站下载。",
    "对本报告如有疑问，请与{u}党政办联系，电话：{t}。",
    "{u}本年度年报经领导班子审定后发布，共收取信息处理费{k}元。",
    "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "组织开展政务公开培训{k}次，参训人员{n}人次，{p}同志作专题辅导。",
    "在{d}政务服务中心设立政府信息查阅点，接待群众查阅{m}人次。",
]  # fmt: skip
# Personal names make rare terms (few reports contain them), as real reports do.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢钟姜崔谭陆范汪廖石金贾韦夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
# Narrative sentences drawn from common characters give the long tail of rare 3-4 character
# strings that real reports have (place names, projects, events); templates alone would not.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强"
    "放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交"
)


def _narrative(rng: random.Random) -> str:
    return "".join(rng.choices(COMMON, k=rng.randint(15, 40))) + "。"


GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉鑫宇浩凯健俊帆帅旭宁龙林欣佳瑶怡婷雪琳晨曦喆镕骞翀彧珺琰"


def fake_report(rng: random.Random, i: int, chars: int) -> dict:
    year, district, unit = rng.randint(2008, 2025), rng.choice(DISTRICTS), rng.choice(UNITS)
    title = f"{year}年广州市{district}人民政府{unit}政府信息公开工作年度报告"
    body = _body(rng, year, district, unit, chars)
    attachment = _body(rng, year, district, unit, chars // 2) if rng.random() < 0.33 else None
    return {
        "id": i,
        "portal": f"p{i % 7}_gov_cn",
        "unit": unit,
        "title": title,
        "report_year": year,
        "canonical_url": f"https://www.p{i % 7}.gov.cn/content/post_{i}.html",
        "text": body,
        "attachment_text": attachment,
    }


def _body(rng: random.Random, year: int, district: str, unit: str, chars: int) -> str:
    parts, size = [], 0
    for section in SECTIONS:
        parts.append(section)
        for _ in range(rng.randint(1, 4)):
            sentence = rng.choice(SENTENCES).format(
                y=year,
                u=unit,
                d=district,
                n=rng.randint(0, 500),
                m=rng.randint(0, 60),
                k=rng.randint(0, 9),
                t=f"020-{rng.randint(30000000, 89999999)}",
                p=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
            )
            parts.append(sentence)
            size += len(sentence)
        narrative = _narrative(rng)
        parts.append(narrative)
        size += len(narrative)
        if size >= chars:
            break
    return "\n".join(parts)


def build(path: Path, reports: int, chars: int, seed: int) -> tuple[float, list[tuple]]:
    rng = random.Random(seed)
    with Archive.open(path) as archive:
        started = time.perf_counter()
        # one transaction; the FTS triggers index every row as it lands
        archive.bulk_load_reports(fake_report(rng, i, chars) for i in range(1, reports + 1))
        elapsed = time.perf_counter() - started
        rows = [(r["id"], r["title"], r["text"], r["attachment_text"]) for r in archive.reports()]
    return elapsed, rows


def sample_query(rows: list[tuple], length: int, rng: random.Random) -> str | None:
    """A substring of a stored text, without whitespace (which would split it into terms)."""
    _, title, text, attachment = rng.choice(rows)
    source = rng.choice([t for t in (title, text, attachment) if t])
    at = rng.randrange(0, len(source) - length)
    q = source[at : at + length]
    return None if any(c.isspace() for c in q) else q


def truth(rows: list[tuple], q: str) -> set[int]:
    return {i for i, title, text, att in rows if q in title or q in text or (att and q in att)}


def pick_queries(rows: list[tuple], length: int, count: int, rng: random.Random) -> list[dict]:
    """Half selective queries (in at most 1% of reports), half broad ones, each with its truth:
    both kinds are typical (a person's name vs 依申请公开) and they time very differently."""
    limit = max(1, len(rows) // 100)
    quota = {"selective": count // 2, "broad": count - count // 2}
    picked: dict[str, list[dict]] = {"selective": [], "broad": []}
    seen: dict[str, None] = {}  # ordered: the run is reproducible from --seed
    for _ in range(count * 60):  # bounded: a bucket may not fill (few rare single characters)
        if all(len(picked[k]) >= quota[k] for k in quota):
            break
        q = sample_query(rows, length, rng)
        if q is None or q in seen:
            continue
        seen[q] = None
        expected = truth(rows, q)
        kind = "selective" if len(expected) <= limit else "broad"
        if len(picked[kind]) < quota[kind]:
            picked[kind].append({"query": q, "kind": kind, "truth": expected})
    chosen = picked["selective"] + picked["broad"]
    if len(chosen) < count:  # top up from what was seen, so every length has `count` queries
        extra = [q for q in seen if q not in {c["query"] for c in chosen}]
        for q in extra[: count - len(chosen)]:
            expected = truth(rows, q)
            kind = "selective" if len(expected) <= limit else "broad"
            chosen.append({"query": q, "kind": kind, "truth": expected})
    return chosen


def timed(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(path: Path, queries: dict[int, list[dict]]) -> list[dict]:
    archive = ArchiveView.open(path)
    results = []
    for length, picked in queries.items():
        for item in picked:
            q, expected = item["query"], item["truth"]
            engine_s, found = timed(lambda q=q: archive.matching_ids(q), 3 if length >= 3 else 1)
            row = {"length": length, "query": q, "kind": item["kind"], "truth": len(expected)}
            row.update(found=len(found), missed=len(expected - found), extra=len(found - expected))
            row["engine_ms"] = engine_s * 1000
            # What a user waits for: ranked top 20 with snippets (bm25 ranks every match first).
            row["search20_ms"] = timed(lambda q=q: archive.search(q, limit=20), 1)[0] * 1000
            if length >= 3:
                scan_s, scanned = timed(lambda q=q: archive.scan_ids(q), 1)
                assert scanned == expected, f"scan disagrees with Python for {q!r}"
                row["scan_ms"] = scan_s * 1000
            results.append(row)
    archive.close()
    return results


def _ratio(rows: list[dict]) -> dict:
    return {
        "queries": len(rows),
        "total_fts_ms": sum(r["engine_ms"] for r in rows),
        "total_scan_ms": sum(r["scan_ms"] for r in rows),
        "total_scan_over_fts": sum(r["scan_ms"] for r in rows) / sum(r["engine_ms"] for r in rows),
        "median_scan_over_fts": statistics.median(r["scan_ms"] / r["engine_ms"] for r in rows),
    }


def summarize(results: list[dict]) -> dict:
    summary: dict = {}
    for length in sorted({r["length"] for r in results}):
        rs = [r for r in results if r["length"] == length]
        relevant, missed = sum(r["truth"] for r in rs), sum(r["missed"] for r in rs)
        entry = {
            "path": "fts" if length >= 3 else "like_scan",
            "queries": len(rs),
            "selective": sum(r["kind"] == "selective" for r in rs),
            "relevant": relevant,
            "missed": missed,
            "extra": sum(r["extra"] for r in rs),
            "recall": 1.0 if relevant == 0 else (relevant - missed) / relevant,
            "median_hits": statistics.median(r["truth"] for r in rs),
            "median_engine_ms": statistics.median(r["engine_ms"] for r in rs),
            "median_search20_ms": statistics.median(r["search20_ms"] for r in rs),
        }
        if length >= 3:
            entry["median_scan_ms"] = statistics.median(r["scan_ms"] for r in rs)
            entry["median_scan_over_fts"] = statistics.median(
                r["scan_ms"] / r["engine_ms"] for r in rs
            )
        summary[length] = entry
    long = [r for r in results if r["length"] >= 3]
    summary["3+"] = _ratio(long)
    for kind in ("selective", "broad"):
        subset = [r for r in long if r["kind"] == kind]
        if subset:
            summary[f"3+ {kind}"] = _ratio(subset)
    return summary


def print_table(meta: dict, summary: dict) -> None:
    print(
        f"archive: {meta['reports']} reports, {meta['chars'] / 1e6:.1f}M characters, "
        f"{meta['db_mb']:.0f} MB; inserted and FTS-indexed in {meta['build_s']:.1f} s"
    )
    print(
        "len  path       queries (selective)  relevant  missed  extra   recall"
        "  median hits  all ids ms  top20 ms  scan ms  scan/fts"
    )
    for length in (1, 2, 3, 4):
        s = summary[length]
        scan = ""
        if length >= 3:
            scan = f"{s['median_scan_ms']:7.1f}  {s['median_scan_over_fts']:7.1f}x"
        print(
            f"{length:>3}  {s['path']:<9}  {s['queries']:>7} ({s['selective']:>9})"
            f"  {s['relevant']:>8}  {s['missed']:>6}  {s['extra']:>5}  {s['recall']:>7.1%}"
            f"  {s['median_hits']:>11}  {s['median_engine_ms']:>10.2f}"
            f"  {s['median_search20_ms']:>8.2f}  {scan}"
        )
    for key in ("3+", "3+ selective", "3+ broad"):
        if key in summary:
            t = summary[key]
            print(
                f"{key:<13} ({t['queries']:>2} queries): scan/FTS time ratio, total"
                f" {t['total_scan_over_fts']:.1f}x ({t['total_scan_ms']:.1f} ms vs"
                f" {t['total_fts_ms']:.1f} ms), median per query {t['median_scan_over_fts']:.1f}x"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--chars", type=int, default=1200, help="about this many chars a text")
    parser.add_argument("--queries", type=int, default=20, help="queries per length")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/search.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govreports-bench-") as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        build_s, rows = build(path, args.reports, args.chars, args.seed)
        rng = random.Random(args.seed + 1)
        queries = {n: pick_queries(rows, n, args.queries, rng) for n in (1, 2, 3, 4)}
        results = measure(path, queries)
        meta = {
            "reports": len(rows),
            "chars": sum(len(t) + len(x) + len(a or "") for _, t, x, a in rows),
            "db_mb": path.stat().st_size / 1e6,
            "build_s": build_s,
        }
    summary = summarize(results)
    print_table(meta, summary)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"meta": meta, "summary": summary, "queries": results}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    complete = all(summary[n]["missed"] == 0 and summary[n]["extra"] == 0 for n in (1, 2, 3, 4))
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
