"""Search benchmark: the character index against trigram and LIKE, side by side, at 100,000 reports.

Builds (once, cached in ``output/scale/``, not in git) a synthetic archive of report-like Chinese
text (default 100,000 reports of about 1,200 characters, a third with attachment text) through
the archive's bulk load, so the schema's triggers fill both full-text indexes as in production.
For each query length 1, 2, 3 and 5 it samples queries from the stored texts (half selective:
in at most 1% of reports; half broad) and answers each one three ways, side by side in one
process: the character index (``reports_chars``, a phrase of single-character tokens), the
trigram index (``reports_fts``, 3+ characters only) and a LIKE scan of ``reports``. Each way's
ids are checked against a Python substring scan (the truth); CPU time comes from getrusage
(user + system, this process and its children; best of three for the indexes). It also times
what a user waits for, the ranked top 20 with snippets (``ArchiveView.search``), with the term
through the character index and (3+ characters) through trigram, and two-term queries.
Index sizes come from SQLite's dbstat.

    .venv/bin/python benchmarks/search.py [--reports 100000] [--queries 10]

Writes benchmarks/results/search.json (gitignored) and prints a table. The archive file stays in
the page cache between queries (a warm archive, as on a server that answers searches all day).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.metrics import cpu_seconds
from crawler.archive import Archive, ArchiveView, search

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "output" / "scale"
GENERATOR_VERSION = 1  # bump when fake_report changes: cached archives are rebuilt
LENGTHS = (1, 2, 3, 5)
WAYS = ("chars", "trigram", "like")

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


def build(path: Path, reports: int, chars: int, seed: int) -> float:
    """Fill a new archive at ``path``; seconds it took."""
    rng = random.Random(seed)
    with Archive.open(path) as archive:
        started = time.perf_counter()
        # one transaction; the triggers index every row in both indexes as it lands
        archive.bulk_load_reports(fake_report(rng, i, chars) for i in range(1, reports + 1))
        return time.perf_counter() - started


def cached_archive(reports: int, chars: int, seed: int) -> tuple[Path, float | None]:
    """The archive of ``reports`` reports, built once and cached; (path, build seconds or None)."""
    path = CACHE / f"search-{reports}-c{chars}-s{seed}-v{GENERATOR_VERSION}.db"
    if path.exists():
        return path, None
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in CACHE.glob(partial.name + "*"):
        stale.unlink()
    seconds = build(partial, reports, chars, seed)
    partial.rename(path)
    return path, seconds


def stored_rows(path: Path) -> list[tuple]:
    with ArchiveView.open(path) as archive:
        return [(r["id"], r["title"], r["text"], r["attachment_text"]) for r in archive.reports()]


def sample_query(rows: list[tuple], length: int, rng: random.Random) -> str | None:
    """A substring of a stored text, without whitespace (which would split it into terms)."""
    _, title, text, attachment = rng.choice(rows)
    source = rng.choice([t for t in (title, text, attachment) if t and len(t) > length])
    at = rng.randrange(0, len(source) - length)
    q = source[at : at + length]
    return None if any(c.isspace() or c == '"' for c in q) else q


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
    """Best CPU seconds of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = cpu_seconds()
        result = fn()
        best = min(best, cpu_seconds() - started)
    return best, result


def with_trigram_from(value: int | None, fn):
    """Run ``fn`` with terms of ``value``+ characters sent to the trigram index."""
    saved = search.TRIGRAM_FROM
    search.TRIGRAM_FROM = value
    try:
        return fn()
    finally:
        search.TRIGRAM_FROM = saved


def measure(path: Path, queries: dict[int, list[dict]], like: bool = True) -> list[dict]:
    """Each query three ways (ids and CPU ms) and through ``search`` (top 20, both setups)."""
    archive = ArchiveView.open(path)
    results = []
    for length, picked in queries.items():
        for item in picked:
            q, expected = item["query"], item["truth"]
            row = {"length": length, "query": q, "kind": item["kind"], "truth": len(expected)}
            for way in WAYS:
                if (way == "trigram" and length < 3) or (way == "like" and not like):
                    continue
                seconds, found = timed(
                    lambda q=q, w=way: archive.ids_by(q, w), 1 if way == "like" else 3
                )
                row[f"{way}_ms"] = seconds * 1000
                row[f"{way}_missed"] = len(expected - found)
                row[f"{way}_extra"] = len(found - expected)
            found = archive.matching_ids(q)  # what search itself returns (the default setup)
            row.update(found=len(found), missed=len(expected - found), extra=len(found - expected))
            top = timed(lambda q=q: with_trigram_from(None, lambda: archive.search(q, limit=20)), 1)
            row["top20_chars_ms"] = top[0] * 1000
            if length >= 3:
                top = timed(
                    lambda q=q: with_trigram_from(3, lambda: archive.search(q, limit=20)), 1
                )
                row["top20_trigram_ms"] = top[0] * 1000
            results.append(row)
    archive.close()
    return results


def measure_pairs(path: Path, rows: list[tuple], count: int, rng: random.Random) -> list[dict]:
    """Two-term queries (a 2-character and a 3-character term from one report): ids against the
    truth, CPU of all ids and of the top 20 (both terms through the character index, as search
    does), and of the two LIKE scans the index saves."""
    archive = ArchiveView.open(path)
    results = []
    while len(results) < count:
        a, b = sample_query(rows, 2, rng), sample_query(rows, 3, rng)
        if not a or not b:
            continue
        expected = truth(rows, a) & truth(rows, b)
        q = f"{a} {b}"
        row = {"query": q, "truth": len(expected)}
        seconds, found = timed(lambda q=q: archive.matching_ids(q), 3)
        row["chars_ms"] = seconds * 1000
        row["chars_missed"], row["chars_extra"] = len(expected - found), len(found - expected)
        row["top20_chars_ms"] = timed(lambda q=q: archive.search(q), 1)[0] * 1000
        seconds, scanned = timed(
            lambda a=a, b=b: archive.ids_by(a, "like") & archive.ids_by(b, "like"), 1
        )
        row["like_ms"] = seconds * 1000
        row["like_missed"], row["like_extra"] = len(expected - scanned), len(scanned - expected)
        results.append(row)
    archive.close()
    return results


def _median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if key in r]
    return statistics.median(values) if values else None


def summarize(results: list[dict], pairs: list[dict]) -> dict:
    summary: dict = {}
    for length in sorted({r["length"] for r in results}):
        rs = [r for r in results if r["length"] == length]
        entry = {
            "queries": len(rs),
            "selective": sum(r["kind"] == "selective" for r in rs),
            "relevant": sum(r["truth"] for r in rs),
            "median_hits": statistics.median(r["truth"] for r in rs),
            "missed": sum(r["missed"] for r in rs),
            "extra": sum(r["extra"] for r in rs),
        }
        for way in WAYS:
            entry[f"{way}_missed"] = sum(r.get(f"{way}_missed", 0) for r in rs)
            entry[f"{way}_extra"] = sum(r.get(f"{way}_extra", 0) for r in rs)
            entry[f"median_{way}_ms"] = _median(rs, f"{way}_ms")
        for key in ("top20_chars_ms", "top20_trigram_ms"):
            entry[f"median_{key}"] = _median(rs, key)
        for kind in ("selective", "broad"):
            subset = [r for r in rs if r["kind"] == kind]
            for way in WAYS:
                entry[f"median_{kind}_{way}_ms"] = _median(subset, f"{way}_ms")
        summary[length] = entry
    if pairs:
        summary["pairs"] = {
            "queries": len(pairs),
            "missed": sum(p["chars_missed"] + p["like_missed"] for p in pairs),
            "extra": sum(p["chars_extra"] + p["like_extra"] for p in pairs),
            **{f"median_{k}": _median(pairs, k) for k in ("chars_ms", "like_ms", "top20_chars_ms")},
        }
    return summary


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def print_table(meta: dict, summary: dict) -> None:
    sizes = meta["index_bytes"]
    print(
        f"archive: {meta['reports']:,} reports, {meta['chars'] / 1e6:.0f}M characters, "
        f"{meta['db_mb']:.0f} MB file; reports table {sizes.get('reports', 0) / 2**20:.0f} MiB, "
        f"character index {sizes.get('chars', 0) / 2**20:.0f} MiB, "
        f"trigram index {sizes.get('trigram', 0) / 2**20:.0f} MiB"
    )
    print(
        "CPU ms per query (median; getrusage), all matching ids; then the ranked top 20 with snippets"
    )
    print(
        "len  queries  median hits  missed/extra (chars trigram like)"
        "   chars  trigram    LIKE  LIKE/chars   top20 chars  top20 trigram"
    )
    for length in LENGTHS:
        s = summary[length]
        wrong = " ".join(
            f"{s[f'{w}_missed']}/{s[f'{w}_extra']}" if (w != "trigram" or length >= 3) else "-"
            for w in WAYS
        )
        ratio = (
            (s["median_like_ms"] / s["median_chars_ms"])
            if s["median_like_ms"] and s["median_chars_ms"]
            else None
        )
        print(
            f"{length:>3}  {s['queries']:>7}  {s['median_hits']:>11}  {wrong:>30}"
            f"  {_ms(s['median_chars_ms']):>6}  {_ms(s['median_trigram_ms']):>7}"
            f"  {_ms(s['median_like_ms']):>6}  {(f'{ratio:.0f}x' if ratio else '-'):>10}"
            f"  {_ms(s['median_top20_chars_ms']):>12}  {_ms(s['median_top20_trigram_ms']):>13}"
        )
        print(
            f"       selective: chars {_ms(s['median_selective_chars_ms'])} trigram"
            f" {_ms(s['median_selective_trigram_ms'])} LIKE {_ms(s['median_selective_like_ms'])};"
            f" broad: chars {_ms(s['median_broad_chars_ms'])} trigram"
            f" {_ms(s['median_broad_trigram_ms'])} LIKE {_ms(s['median_broad_like_ms'])}"
        )
    if "pairs" in summary:
        p = summary["pairs"]
        print(
            f"two terms (2 + 3 characters), {p['queries']} queries, missed/extra {p['missed']}/{p['extra']}:"
            f" all ids chars {_ms(p['median_chars_ms'])} vs two LIKE scans {_ms(p['median_like_ms'])};"
            f" top 20 {_ms(p['median_top20_chars_ms'])}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=1200, help="about this many chars a text")
    parser.add_argument("--queries", type=int, default=10, help="queries per length")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/search.json")
    args = parser.parse_args()
    path, build_s = cached_archive(args.reports, args.chars, args.seed)
    rows = stored_rows(path)
    rng = random.Random(args.seed + 1)
    queries = {n: pick_queries(rows, n, args.queries, rng) for n in LENGTHS}
    results = measure(path, queries)
    pairs = measure_pairs(path, rows, args.queries, rng)
    with ArchiveView.open(path) as archive:
        sizes = archive.index_sizes()
    meta = {
        "reports": len(rows),
        "chars": sum(len(t) + len(x) + len(a or "") for _, t, x, a in rows),
        "db_mb": path.stat().st_size / 1e6,
        "build_s": build_s,
        "index_bytes": sizes,
    }
    summary = summarize(results, pairs)
    print_table(meta, summary)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"meta": meta, "summary": summary, "queries": results, "pairs": pairs}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    complete = all(summary[n]["missed"] == 0 and summary[n]["extra"] == 0 for n in LENGTHS)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
