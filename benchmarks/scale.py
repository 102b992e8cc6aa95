"""Scale benchmark: does the cost of archiving a report stay flat as the archive grows?

Section ``archive``: the archive step alone (``Archive.store`` of one new report: its page and
attachment bytes, dedup, versions, sighting, near-duplicate sketch and LSH linking, full-text
index, one transaction) into pre-filled archives of 0 / 5,000 / 20,000 / 100,000 reports.

The archives are built through the archive's own API (``Archive.store`` and ``Archive.sight``,
500 reports per transaction) from sandbox-like texts: per portal and year about 40 units
publish about 1,300 characters from one template (same-year template-mates share a median 0.50
of their 5-gram shingles; the sandbox's generated reports: 0.47, about 1,240 characters), 3% of
the reports reappear edited under another URL (near-duplicates), every report has a PDF
attachment and was sighted by three nightly runs.
Built archives are cached in ``output/scale/`` (not in git) and reused by later runs.

Each round stores ``--reports`` new reports into a copy of every archive (into existing portals
and years, so each meets its template-mates as LSH candidates), after a warm-up of ten. The CPU
figure is measured side by side: one process holds all the archives open and stores 20 reports
into each in turn (the order alternating), counting getrusage time (user + system, all threads;
no child is started) per archive, so load from elsewhere on the machine falls on every size
alike; the median of the rounds is reported. Peak RSS comes from a process per size that stores
the same number of reports into that archive alone (its CPU is shown too). Archives under 1 GiB
get a fresh copy each round; a larger one is copied once and keeps the few hundred reports of
earlier rounds. Building the 100,000-report archive takes about half an hour the first time.

    .venv/bin/python benchmarks/scale.py [--sizes 0,5000,20000,100000] [--rounds 3]

Section ``crawl``: the sandbox crawl through the full pipeline into an empty archive and into
copies of the pre-filled ones, against a bare Scrapy spider fetching the same URLs, each crawl in
a process of its own (CPU from wait4: all threads and children; benchmarks/cpu_probe.py splits
it by thread and child). ``--crawl-off FIGURES_ENABLED,WARC_ENABLED,ATTACHMENTS_ENABLED`` adds,
per round, an empty-archive crawl with each of those settings False: what that part costs.

    .venv/bin/python benchmarks/scale.py --sections crawl --rounds 3 --crawl-off FIGURES_ENABLED

Writes benchmarks/results/scale.json (gitignored) and prints a table. Sections are functions in
SECTIONS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.metrics import cpu_seconds  # noqa: E402
from crawler.archive import Archive, fingerprint  # noqa: E402
from crawler.items import AttachmentItem, Capture, ReportItem  # noqa: E402

CACHE = ROOT / "output" / "scale"
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
GENERATOR_VERSION = 2  # bump when the corpus below changes: cached archives are rebuilt
UNITS_PER_GROUP = 40  # reports per portal and year, as a district's units publish them
YEARS = range(2014, 2026)
NEARDUP_SHARE = 0.03
NIGHTLY_RUNS = 3
TARGET_RATIO = 1.5  # issue 15: at 100,000 reports within 1.5x of the cost at 0
# Each round measures on a fresh copy of a pre-filled archive below this size; a larger one is
# copied once per run and keeps the reports of earlier rounds (under 2% of it).
FRESH_COPY_BYTES = 1 << 30

UNIT_NAMES = ["街道办事处", "镇人民政府", "科学技术局", "财政局", "教育局", "卫生健康局", "民政局",
              "司法局", "住房和城乡建设局", "市场监督管理局", "生态环境分局", "应急管理局",
              "交通运输局", "统计局", "审计局", "水务局", "林业和园林局", "人力资源和社会保障局"]  # fmt: skip
SENTENCES = [
    "{unit}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
    "全年主动公开政府信息{n}条，其中机构职能类{n}条，政策文件类{n}条，工作动态类{n}条。",
    "通过政府网站公开政府信息{n}条，通过政务新媒体发布信息{n}条，召开新闻发布会{n}次。",
    "本年度新收政府信息公开申请{n}件，上年结转{n}件，予以公开{n}件，部分公开{n}件。",
    "不予公开{n}件，其中属于国家秘密{n}件，属于三安全一稳定{n}件，无法提供{n}件。",
    "因政府信息公开工作被申请行政复议{n}件，结果维持{n}件，纠正{n}件，尚未审结{n}件。",
    "被提起行政诉讼{n}件，结果维持{n}件，结果纠正{n}件，其他结果{n}件，尚未审结{n}件。",
    "本年制发规范性文件{n}件，废止规范性文件{n}件，现行有效规范性文件{n}件。",
    "行政许可本年处理决定数量{n}件，行政处罚本年处理决定数量{n}件，行政强制{n}件。",
    "行政事业性收费本年收费金额{n}万元，政府集中采购项目总金额{n}万元。",
    "存在的主要问题是公开内容不够全面，部分栏目更新不够及时，政策解读形式较为单一。",
    "下一步，{unit}将进一步完善信息发布机制，加强政策解读，提升公开质量和实效。",
    "本年度未收取政府信息公开信息处理费，公开专栏共发布政策解读{n}篇，回应关切{n}次。",
    "组织政务公开业务培训{n}场，参训人员{n}人次，开展专项检查{n}次，整改问题{n}个。",
    "依法依规做好政府信息公开保密审查，全年审查拟公开信息{n}条，未发生泄密事件。",
    "政务公开专区接待群众查阅{n}人次，提供咨询服务{n}次，发放宣传资料{n}份。",
    "推进基层政务公开标准化规范化建设，编制公开事项目录{n}项，覆盖{n}个领域。",
    "重点领域信息公开方面，公开财政预决算信息{n}条，公开重大建设项目信息{n}条。",
    "做好建议提案办理结果公开，公开人大代表建议办理结果{n}件、政协提案办理结果{n}件。",
    "加强政府网站和政务新媒体管理，全年开展自查{n}次，整改错别字及失效链接{n}处。",
]
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]  # fmt: skip


# --- the corpus ----------------------------------------------------------------------------------
def report_text(rng: random.Random, unit: str, year: int) -> str:
    """A report from the shared template: its own figures and its own choice of sentences."""
    lines = [f"{unit}{year}年政府信息公开工作年度报告"]
    chosen = [s for s in SENTENCES * 2 if rng.random() < 0.97]
    per_heading = max(1, len(chosen) // len(HEADINGS))
    for i, heading in enumerate(HEADINGS):
        lines.append(heading)
        for sentence in chosen[i * per_heading : (i + 1) * per_heading]:
            lines.append(_fill(rng, sentence, unit))
    lines.append(f"{unit}{year + 1}年1月{rng.randint(1, 28)}日")
    return "\n".join(lines)


def _fill(rng: random.Random, sentence: str, unit: str) -> str:
    parts = sentence.replace("{unit}", unit).split("{n}")
    return "".join(p + str(rng.randint(0, 4)) for p in parts[:-1]) + parts[-1]


def edited(rng: random.Random, text: str) -> str:
    """The same report with two figures corrected: a near-duplicate (similarity about 0.95)."""
    lines = text.split("\n")
    for index in rng.sample(range(1, len(lines) - 1), 2):
        lines[index] = lines[index].replace("条", f"{rng.randint(1000, 1999)}条", 1)
    return "转载：" + "\n".join(lines)


def synthetic_reports(
    count: int, seed: int, start: int = 0, groups: int | None = None
) -> Iterator[dict[str, Any]]:
    """`count` reports spread over portals and years (`groups` of them; by default
    `UNITS_PER_GROUP` reports each)."""
    rng = random.Random(seed)
    groups = groups or max(1, count // UNITS_PER_GROUP)
    years = list(YEARS)
    for n in range(start, start + count):
        group = n % groups
        portal, year = f"portal_{group // len(years):03d}", years[group % len(years)]
        unit = f"{portal[-3:]}区第{n // groups % UNITS_PER_GROUP}{rng.choice(UNIT_NAMES)}"
        text = report_text(rng, unit, year)
        yield {"n": n, "portal": portal, "year": year, "unit": unit, "text": text}
        if rng.random() < NEARDUP_SHARE:
            yield {"n": n, "portal": portal, "year": year, "unit": unit, "text": edited(rng, text),
                   "repost": True}  # fmt: skip


def item_for(report: dict[str, Any], run_id: str, fetched_at: str) -> ReportItem:
    """The ReportItem the pipelines hand the archive: page bytes, cleaned text, one PDF."""
    host = f"www.{report['portal'].replace('_', '')}.gov.cn"
    kind = "repost" if report.get("repost") else "post"
    url = f"https://{host}/gkmlpt/content/{report['year']}/{kind}_{report['n']}.html"
    page = f"<html><head><title>{report['unit']}</title></head><body><div id='zoomcon'>"
    page += report["text"].replace("\n", "</p><p>") + "</div></body></html>"
    pdf_url = url.replace(".html", ".pdf")
    pdf = b"%PDF-1.7\n" + hashlib.sha256(url.encode()).digest() * 256  # 8 KB of "PDF"
    attachment = AttachmentItem(
        url=pdf_url,
        filename=f"{report['unit']}年报.pdf",
        capture=_capture(pdf_url, pdf, "attachment", run_id, fetched_at, report["portal"]),
        mime="application/pdf",
        text=f"附件：{report['unit']}政府信息公开情况统计表",
        method="pdf_text",
        status="ok",
    )
    item = ReportItem(
        portal=report["portal"],
        url=url,
        title=report["text"].split("\n", 1)[0],
        capture=_capture(url, page.encode(), "page", run_id, fetched_at, report["portal"]),
        unit=report["unit"],
        report_year=report["year"],
        published_at=f"{report['year'] + 1}-01-20",
        attachments=[attachment],
    )
    item.canonical_url, item.text, item.template_version = url, report["text"], "2021"
    item.attachment_text = attachment.text
    item.sections = HEADINGS
    return item


def _capture(url: str, body: bytes, kind: str, run_id: str, at: str, spider: str) -> Capture:
    return Capture(
        url=url,
        final_url=url,
        redirects=[url],
        referer=url.rsplit("/", 1)[0] + "/index.html",
        status=200,
        headers={"Content-Type": ["text/html; charset=utf-8"], "ETag": [f'"{len(body)}"']},
        fetched_at=at,
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        body=body,
        spider=spider,
        run_id=run_id,
        kind=kind,
    )


# --- building the pre-filled archives --------------------------------------------------------------
def _archive_path(size: int, seed: int) -> Path:
    return CACHE / f"archive-{size}-v{GENERATOR_VERSION}-s{seed}.db"


def cached_archive(size: int, seed: int) -> Path:
    """The archive of `size` reports, built once through the archive's API and cached."""
    path = _archive_path(size, seed)
    if path.exists():
        # Built by older code: migrate it here, once, or every measured run would pay the
        # migrations (10.6 s of CPU at 20,000 reports, counted as the crawl's own before).
        with Archive.open(path):
            pass
        return path
    # Built in a process of its own: Linux carries a process's peak RSS into every child it
    # starts afterwards (ru_maxrss survives fork and exec), so a parent grown by building the
    # 100,000-report archive (868 MiB) would show as every measured crawl's peak RSS.
    command = [sys.executable, __file__, "--worker", "build", "--size", str(size)]
    subprocess.run([*command, "--seed", str(seed)], check=True)
    return path


def build_archive(size: int, seed: int) -> None:
    path = _archive_path(size, seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in CACHE.glob(partial.name + "*"):
        stale.unlink()
    started = time.monotonic()
    with Archive.open(partial) as archive:  # closing checkpoints the WAL into the file
        stored = _fill_archive(archive, size, seed)
    partial.rename(path)
    print(f"built {path.name}: {stored} report pages in {time.monotonic() - started:.0f} s")


def _fill_archive(archive: Archive, size: int, seed: int, batch: int = 500) -> int:
    reports = list(synthetic_reports(size, seed))
    for night in range(NIGHTLY_RUNS):
        run_id, at = f"prefill-{night}", f"2026-0{night + 1}-01T02:00:00Z"
        archive.start_run(run_id, ["prefill"], 0)
        for start in range(0, len(reports), batch):
            with archive.transaction():
                for report in reports[start : start + batch]:
                    _prefill_one(archive, report, night, run_id, at)
        archive.finish_run(run_id, {}, 0, "finished")
    return len(reports)


def _prefill_one(archive: Archive, report: dict, night: int, run_id: str, at: str) -> None:
    if night == 0:
        item = item_for(report, run_id, at)
        item.text_sha256 = fingerprint(item.text, item.attachment_text)
        result = archive.store(item)
        report["id"], report["capture"], report["url"] = (
            result.report_id,
            result.capture_id,
            item.url,
        )
    else:  # a later night: the list page proved it unchanged, a sighting without a fetch
        archive.sight(report["id"], report["url"], report["capture"], run_id, at)


# --- measuring ------------------------------------------------------------------------------------
WARM_UP = 10  # reports stored first and not measured: imports, page cache, statement cache
CHUNK = 20  # reports stored into one archive before the side-by-side measurement moves on


def new_items(size: int, reports: int, seed: int, slot: int) -> list[ReportItem]:
    """Reports the archive of `size` does not hold yet, as the pipelines hand them over.

    They go to the archive's portal-years, one or two each (a nightly run's news); into an empty
    archive they fill new portal-years up to UNITS_PER_GROUP (a first crawl). Each `slot` has
    URLs of its own: a reused copy holds the reports of earlier measurements."""
    wanted = reports + WARM_UP
    groups = max(size // UNITS_PER_GROUP, -(-wanted // UNITS_PER_GROUP))
    start = size + groups * UNITS_PER_GROUP + slot * 2 * wanted
    fresh = synthetic_reports(2 * wanted, seed, start=start, groups=groups)
    items = [item_for(r, "measure", "2026-06-01T02:00:00Z") for r in fresh if not r.get("repost")]
    return items[:wanted]


def store_all(archive: Archive, items: list[ReportItem], outcomes: dict[str, int]) -> None:
    for item in items:
        item.text_sha256 = fingerprint(item.text, item.attachment_text)  # dedup's key
        outcome = archive.store(item).outcome
        outcomes[outcome] = outcomes.get(outcome, 0) + 1


def measure_side_by_side(
    paths: dict[int, Path], reports: int, seed: int, round_: int
) -> dict[int, dict[str, Any]]:
    """In this process: every archive open at once, CHUNK reports into each in turn (the order
    alternating), CPU time counted per archive: load on the machine hits every size alike."""
    archives = {size: Archive.open(path) for size, path in paths.items()}
    items = {size: new_items(size, reports, seed, 2 * round_) for size in paths}
    outcomes: dict[int, dict[str, int]] = {size: {} for size in paths}
    for size, archive in archives.items():
        store_all(archive, items[size][:WARM_UP], {})
    cpu = dict.fromkeys(paths, 0.0)
    sizes = list(paths)
    for n, start in enumerate(range(WARM_UP, WARM_UP + reports, CHUNK)):
        for size in sizes if n % 2 == 0 else reversed(sizes):
            began = cpu_seconds()
            store_all(archives[size], items[size][start : start + CHUNK], outcomes[size])
            cpu[size] += cpu_seconds() - began
    for archive in archives.values():
        archive.close()
    return {
        size: {"cpu_ms_per_report": 1000 * cpu[size] / reports, "outcomes": outcomes[size]}
        for size in paths
    }


def measure_alone(path: Path, size: int, reports: int, seed: int, round_: int) -> dict[str, Any]:
    """In this process: one archive only, for its peak RSS (and its CPU on its own)."""
    with Archive.open(path) as archive:
        items = new_items(size, reports, seed, 2 * round_ + 1)
        store_all(archive, items[:WARM_UP], {})
        outcomes: dict[str, int] = {}
        began = cpu_seconds()
        store_all(archive, items[WARM_UP:], outcomes)
        cpu = cpu_seconds() - began
    return {
        "cpu_ms_per_report": 1000 * cpu / reports,
        "outcomes": outcomes,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker(args: argparse.Namespace) -> None:
    if args.worker == "build":
        build_archive(args.size, args.seed)
        return
    if args.worker == "side-by-side":
        paths = {int(size): Path(path) for size, path in json.loads(args.archives).items()}
        result = measure_side_by_side(paths, args.reports, args.seed, args.round)
    else:
        result = {
            args.size: measure_alone(args.archive, args.size, args.reports, args.seed, args.round)
        }
    print(json.dumps(result))


def archive_section(args: argparse.Namespace) -> dict[str, Any]:
    """CPU ms per stored report at each archive size, side by side in one process; peak RSS of
    each size in a process of its own."""
    paths = {size: cached_archive(size, args.seed) for size in args.sizes}
    side: dict[int, list[float]] = {size: [] for size in args.sizes}
    alone: dict[int, list[dict[str, Any]]] = {size: [] for size in args.sizes}
    with tempfile.TemporaryDirectory(prefix="scale-", dir=CACHE) as tmp:
        copies = {size: Path(tmp) / f"{size}.db" for size in args.sizes}
        for round_ in range(args.rounds):
            for size in args.sizes:
                if round_ == 0 or paths[size].stat().st_size < FRESH_COPY_BYTES:
                    shutil.copyfile(paths[size], copies[size])
            os.sync()  # no write-back of the copies competes with the measurements
            # Seeds of their own: the prefill's seed would give the prefill's texts again
            seed = args.seed + 1000 * (round_ + 1)
            archives = json.dumps({size: str(path) for size, path in copies.items()})
            measured = _run_worker(["side-by-side", "--archives", archives], args, seed, round_)
            for size in args.sizes:
                side[size].append(measured[size]["cpu_ms_per_report"])
                extra = ["alone", "--archive", str(copies[size]), "--size", str(size)]
                alone[size].append(_run_worker(extra, args, seed, round_)[size])
    rows = []
    for size in args.sizes:
        rows.append(
            {
                "size": size,
                "archive_mib": paths[size].stat().st_size / 2**20,
                "cpu_ms_per_report": statistics.median(side[size]),
                "cpu_ms_rounds": side[size],
                "alone_cpu_ms_per_report": statistics.median(
                    r["cpu_ms_per_report"] for r in alone[size]
                ),
                "peak_rss_mib": max(r["peak_rss_mib"] for r in alone[size]),
            }
        )
    base = rows[0]["cpu_ms_per_report"]
    for row in rows:
        row["ratio_to_first"] = row["cpu_ms_per_report"] / base
    return {"rows": rows, "reports_per_round": args.reports, "rounds": args.rounds}


def _run_worker(
    extra: list[str], args: argparse.Namespace, seed: int, round_: int
) -> dict[int, dict[str, Any]]:
    command = [sys.executable, __file__, "--worker", *extra, "--round", str(round_)]
    command += ["--reports", str(args.reports), "--seed", str(seed)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.exit(f"measurement {extra[0]} failed: {proc.stderr[-2000:]}")
    result = {int(k): v for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items()}
    for size, measured in result.items():
        if measured["outcomes"] != {"new": args.reports}:  # a duplicate costs less
            sys.exit(f"{extra[0]} at {size} stored {measured['outcomes']}, not new reports")
    return result


def print_archive(result: dict[str, Any]) -> None:
    print(
        f"\narchive step: CPU ms per stored report, getrusage; side by side in one process, "
        f"median of {result['rounds']} rounds of {result['reports_per_round']} reports per size"
    )
    print(f"{'reports':>9} {'file MiB':>9} {'ms/report':>10} {'x size 0':>9} {'alone ms':>9} "
          f"{'peak RSS MiB':>13}  rounds")  # fmt: skip
    for row in result["rows"]:
        rounds = " ".join(f"{v:.2f}" for v in row["cpu_ms_rounds"])
        print(
            f"{row['size']:>9,} {row['archive_mib']:>9.0f} {row['cpu_ms_per_report']:>10.2f} "
            f"{row['ratio_to_first']:>9.2f} {row['alone_cpu_ms_per_report']:>9.2f} "
            f"{row['peak_rss_mib']:>13.0f}  {rounds}"
        )
    last = result["rows"][-1]
    verdict = "met" if last["ratio_to_first"] <= TARGET_RATIO else "MISSED"
    print(
        f"goal: at {last['size']:,} reports within {TARGET_RATIO}x of the cost at "
        f"{result['rows'][0]['size']:,}: {last['ratio_to_first']:.2f}x, {verdict}"
    )


# --- the crawl: full pipeline against bare Scrapy ----------------------------------------------
BARE_SPIDER = """
import json, scrapy

class Bare(scrapy.Spider):
    name = "bare"

    async def start(self):
        for url in open(self.urls, encoding="utf-8").read().split():
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response):
        return None

    def failed(self, failure):
        return None

    def closed(self, reason):
        with open(self.stats_out, "w", encoding="utf-8") as out:
            json.dump(self.crawler.stats.get_stats(), out, default=str)
"""
# Same network settings for both crawls (the sandbox's own: no politeness delay, one retry);
# OCR off: about 10 s a scanned page, the same for any crawler, it would only blur the ratio.
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_TIMES": "1",
    "LOG_LEVEL": "INFO",
}
FULL_ONLY = {"OCR_ENABLED": "False", "PROGRESS_ENABLED": "False"}
CRAWL_TARGET_RATIO = 2.5  # issue 15: full pipeline CPU per page <= 2.5x bare Scrapy's
RSS_TARGET = 0.10  # issue 15: crawl RSS within 10% between an empty and a 20,000-report archive


class SandboxLog:
    """The sandbox serving every crawl of the section; its request log (one line per answered
    request) counts the pages each crawl fetched and lists them for the bare crawl."""

    def __init__(self, scale: int, folder: Path) -> None:
        self.path = folder / "sandbox.log"
        self._log = self.path.open("wb")
        command = [sys.executable, "-m", "sandbox", "serve", "--port", "0", "-v"]
        self.proc = subprocess.Popen(
            [*command, "--scale", str(scale)],
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            cwd=ROOT,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("SANDBOX READY "):
            sys.exit(f"sandbox did not start: {line!r}")
        self.proxy = line.split()[-1]
        self._offset = 0

    def served(self) -> list[str]:
        """URLs answered since the last call, in order (the sandbox logs `GET url -> status`)."""
        self._log.flush()
        with self.path.open("rb") as log:
            log.seek(self._offset)
            data = log.read()
        self._offset += len(data)
        urls = []
        for line in data.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[-2] == "->" and parts[-4] in ("GET", "HEAD", "POST"):
                urls.append(parts[-3])
        return urls

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self._log.close()


def run_measured(command: list[str], env: dict[str, str], cwd: Path) -> dict[str, float]:
    """Run one crawl in a process of its own: its CPU (user + system of it, all its threads and
    every descendant it waited for: cleaning pool, writer, extraction workers) and peak RSS."""
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # 1: a portal unhealthy, still a full crawl to measure
            stderr.seek(0)
            said = stderr.read().decode("utf-8", "replace")
            sys.exit(f"{command[:5]} failed with {code}: {said[-2000:]}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024}


def _settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def full_crawl(
    archive: Path, sandbox: SandboxLog, tmp: Path, extra: dict[str, str] | None = None
) -> dict[str, Any]:
    """`govreports crawl` through benchmarks/cpu_probe.py, which splits its CPU by thread and by
    child process (the total stays wait4's); `extra` settings on top of the section's."""
    probe = tmp / "probe.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "cpu_probe.py"), str(probe)]
    command += ["crawl", "--archive", str(archive)]
    settings = {**CRAWL_SETTINGS, **FULL_ONLY, **(extra or {}), "LOG_FILE": str(tmp / "full.log")}
    command += _settings_args(settings)
    env = {**os.environ, "http_proxy": sandbox.proxy, "https_proxy": sandbox.proxy}
    measured = run_measured(command, env, ROOT)
    measured["urls"] = sandbox.served()
    measured["split"] = json.loads(probe.read_text("utf-8"))
    return measured


def bare_crawl(urls: list[str], sandbox: SandboxLog, tmp: Path) -> dict[str, Any]:
    """Plain Scrapy, outside the project (its default settings, no middleware of ours), fetching
    the very URLs the full crawl fetched, with a callback that does nothing."""
    (tmp / "urls.txt").write_text("\n".join(urls), "utf-8")
    (tmp / "bare.py").write_text(BARE_SPIDER, "utf-8")
    command = [sys.executable, "-m", "scrapy", "runspider", str(tmp / "bare.py")]
    command += ["-a", f"urls={tmp / 'urls.txt'}", "-a", f"stats_out={tmp / 'bare.json'}"]
    command += _settings_args({**CRAWL_SETTINGS, "LOG_FILE": str(tmp / "bare.log")})
    env = {**os.environ, "http_proxy": sandbox.proxy, "https_proxy": sandbox.proxy}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    bare = tmp / "bare"
    bare.mkdir(exist_ok=True)  # no scrapy.cfg here: Scrapy's own defaults
    measured = run_measured(command, env, bare)
    measured["urls"] = sandbox.served()
    return measured


def crawl_section(args: argparse.Namespace) -> dict[str, Any]:
    """Per round, side by side: bare Scrapy, then the full pipeline into an empty archive and
    into copies of the pre-filled ones, each crawl in its own process, all from one sandbox."""
    sizes = [s for s in args.crawl_sizes]
    paths = {size: cached_archive(size, args.seed) for size in sizes if size}
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], **{str(s): [] for s in sizes}}
    runs.update({f"off {name}": [] for name in args.crawl_off})
    CACHE.mkdir(parents=True, exist_ok=True)  # an empty-archive-only run builds no archive
    with tempfile.TemporaryDirectory(prefix="scale-crawl-", dir=CACHE) as folder:
        tmp = Path(folder)
        sandbox = SandboxLog(args.crawl_scale, tmp)
        try:
            warm = full_crawl(tmp / "warm.db", sandbox, tmp)  # the sandbox renders its pages
            urls = warm["urls"]
            for round_ in range(args.rounds):
                order = sizes if round_ % 2 == 0 else list(reversed(sizes))
                runs["bare"].append(bare_crawl(urls, sandbox, tmp))
                for size in order:
                    archive = tmp / f"crawl-{size}.db"
                    for stale in tmp.glob(f"crawl-{size}.db*"):
                        stale.unlink()
                    if size:
                        shutil.copyfile(paths[size], archive)
                    os.sync()
                    runs[str(size)].append(full_crawl(archive, sandbox, tmp))
                for name in args.crawl_off:  # what one part costs: the crawl without it
                    archive = tmp / f"crawl-off-{name}-{round_}.db"
                    off = full_crawl(archive, sandbox, tmp, {name: "False"})
                    runs[f"off {name}"].append(off)
        finally:
            sandbox.close()
    return _crawl_rows(runs, sizes, args)


def _crawl_rows(
    runs: dict[str, list[dict[str, Any]]], sizes: list[int], args: argparse.Namespace
) -> dict[str, Any]:
    def summary(measured: list[dict[str, Any]]) -> dict[str, Any]:
        per_page = [1000 * m["cpu_s"] / max(len(m["urls"]), 1) for m in measured]
        row = {
            "pages": statistics.median(len(m["urls"]) for m in measured),
            "cpu_ms_per_page": statistics.median(per_page),
            "cpu_ms_rounds": per_page,
            "peak_rss_mib": max(m["peak_rss_mib"] for m in measured),
        }
        if all("split" in m for m in measured):
            row["split_ms_per_page"] = _split_per_page(measured)
        return row

    bare = summary(runs["bare"])

    def full_row(crawl: str, measured: list[dict[str, Any]], **key: Any) -> dict[str, Any]:
        row = {"crawl": crawl, **key, **summary(measured)}
        row["ratio_to_bare"] = row["cpu_ms_per_page"] / bare["cpu_ms_per_page"]
        return row

    rows = [{"crawl": "bare Scrapy", **bare, "ratio_to_bare": 1.0}]
    rows += [full_row(f"full, {s:,} reports", runs[str(s)], size=s) for s in sizes]
    rows += [full_row(f"full, 0, {n}=False", runs[f"off {n}"], off=n) for n in args.crawl_off]
    return {"rows": rows, "rounds": args.rounds, "scale": args.crawl_scale}


def _split_per_page(measured: list[dict[str, Any]]) -> dict[str, float]:
    """Median over the rounds of each part's CPU ms per page (threads of the crawl's process,
    then its children); "unattributed" is wait4's total minus the parts."""
    parts: dict[str, list[float]] = {}
    for m in measured:
        pages = max(len(m["urls"]), 1)
        split = {**{f"thread {k}": v for k, v in m["split"]["threads"].items()},
                 **m["split"]["children"]}  # fmt: skip
        split["unattributed"] = m["cpu_s"] - sum(split.values())
        for name, seconds in split.items():
            parts.setdefault(name, []).append(1000 * seconds / pages)
    return {name: statistics.median(values) for name, values in parts.items()}


def print_crawl(result: dict[str, Any]) -> None:
    print(
        f"\ncrawl: sandbox scale {result['scale']}, CPU ms per page (getrusage of the crawl's "
        f"process: all threads and children), median of {result['rounds']} rounds"
    )
    print(f"{'crawl':<34} {'pages':>6} {'ms/page':>8} {'x bare':>7} {'peak RSS MiB':>13}  rounds")
    for row in result["rows"]:
        rounds = " ".join(f"{v:.1f}" for v in row["cpu_ms_rounds"])
        print(
            f"{row['crawl']:<34} {row['pages']:>6.0f} {row['cpu_ms_per_page']:>8.1f} "
            f"{row['ratio_to_bare']:>7.2f} {row['peak_rss_mib']:>13.0f}  {rounds}"
        )
    full = [r for r in result["rows"] if "size" in r]
    bare_ms = result["rows"][0]["cpu_ms_per_page"]
    for row in full:
        split = sorted(row.get("split_ms_per_page", {}).items(), key=lambda kv: -kv[1])
        if split:
            print(f"  {row['crawl']}, CPU ms per page by part (x bare Scrapy's whole crawl):")
            for name, ms in split:
                if ms >= 0.05:
                    print(f"    {name:<46} {ms:>6.1f}  {ms / bare_ms:>5.2f}")
    worst = max(r["ratio_to_bare"] for r in full)
    verdict = "met" if worst <= CRAWL_TARGET_RATIO else "MISSED"
    print(
        f"goal: full pipeline <= {CRAWL_TARGET_RATIO}x bare Scrapy: worst {worst:.2f}x, {verdict}"
    )
    rss = [r["peak_rss_mib"] for r in full]
    spread = max(rss) / min(rss) - 1
    verdict = "met" if spread <= RSS_TARGET else "MISSED"
    print(f"goal: crawl RSS within {RSS_TARGET:.0%} across sizes: {spread:.1%}, {verdict}")


# Each section: (measure, print). Another part of this benchmark adds its own here.
SECTIONS: dict[str, tuple[Callable[[argparse.Namespace], dict], Callable[[dict], None]]] = {
    "archive": (archive_section, print_archive),
    "crawl": (crawl_section, print_crawl),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help="Comma-separated.")
    parser.add_argument("--sizes", default="0,5000,20000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reports", type=int, default=200, help="New reports per measurement.")
    parser.add_argument("--crawl-sizes", default="0,5000,20000", help="Archives the crawl fills.")
    parser.add_argument("--crawl-scale", type=int, default=1, help="Sandbox scale of the crawl.")
    parser.add_argument(
        "--crawl-off",
        default="",
        help="Comma-separated boolean settings (FIGURES_ENABLED, WARC_ENABLED, ...): one more "
        "crawl into an empty archive per round with each set to False (what that part costs).",
    )
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--worker", choices=["side-by-side", "alone", "build"], help=argparse.SUPPRESS
    )
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--archives", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.crawl_sizes = [int(s) for s in args.crawl_sizes.split(",")]
    args.crawl_off = [name for name in args.crawl_off.split(",") if name]
    results = {}
    for name in args.sections.split(","):
        measure, show = SECTIONS[name]
        results[name] = measure(args)
        show(results[name])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
