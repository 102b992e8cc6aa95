"""Every query a crawl makes is an index lookup: EXPLAIN QUERY PLAN shows no SCAN of a table
that grows with runs.

The statements are not listed by hand: the archive API that the crawl code calls (pipelines,
incremental middlewares, the run lifecycle) is exercised on a populated archive with SQLite's
trace callback on, and every statement SQLite ran (sqlite-utils' own included) is explained.
A test also checks that each API method the crawl code names was exercised, so a new lookup
cannot slip past.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crawler.archive import Archive, ArchiveReader, ArchiveView, Listing
from crawler.figures.report import ReportFigures, ReportSources, report_figures
from crawler.items import AttachmentItem
from crawler.places import Place
from tests.core.factories import ZHUCUN_TEXT, capture, report
from tests.figures.pages import PAGE_2021

ROOT = Path(__file__).resolve().parents[2]
# The code that runs during a crawl and calls the archive.
CRAWL_CODE = [
    "crawler/incremental.py",
    "crawler/runner.py",
    "crawler/lifecycle.py",
    "crawler/gone.py",
    "crawler/history.py",
    "pipelines/archive.py",
    "pipelines/attachments.py",
    "pipelines/dedup.py",
    "crawler/warc.py",
]
# Tables that do not grow with runs, or SQLite's own: a scan of them is fine.
SMALL_TABLES = {
    "runs",
    "_sqlite_migrations",
    "sqlite_master",
    "sqlite_schema",
    "sqlite_temp_master",
}
NOT_QUERIES = re.compile(r"^\s*(--|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)", re.I)
COLUMN = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
OTHER_COLUMN = "https://www.zc.gov.cn/gzjg/qczj/zfxxgkgzndbg/"
# Units as reports print them: two spellings of one, so a series crosses spellings.
UNITS = ("白云区民政局", "区民政局", "白云区财政局", "鹤龙街道办事处")
LIST_URL = "https://www.zc.gov.cn/postmeta/i/5060_3.json"
GZ = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/"


def api_methods() -> set[str]:
    """Public methods of the archive's classes that read or write rows."""
    names = set()
    for cls in (Archive, ArchiveView, ArchiveReader):
        names |= {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if n[0] != "_"}
    return names - {"open", "close", "transaction"}


def methods_the_crawl_calls() -> set[str]:
    called = set()
    for name in CRAWL_CODE:
        tree = ast.parse((ROOT / name).read_text("utf-8"))
        called |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return called & api_methods()


@cache
def figures_of(unit: str) -> ReportFigures:
    """A 2021 report's figures and checks as the figures pipeline computes them."""
    page = ReportSources(PAGE_2021.encode(), None, "2021", unit=unit, city="广州市",
                         district="白云区")  # fmt: skip
    return report_figures(page)


def body_text(i: int) -> str:
    """Report-like text, different for every i (near-duplicates only where a test makes them)."""
    return f"2019年第{i}号单位政府信息公开工作年度报告\n一、总体情况\n" + "".join(
        f"本单位第{i}年度第{k}项工作主动公开信息{i * 31 + k * 7}条。" for k in range(40)
    )


class Traced:
    """Records the SQL each connection runs and the API methods called."""

    def __init__(self) -> None:
        self.statements: dict[str, str] = {}  # statement -> the API method that ran it
        self.called: set[str] = set()
        self.current = ""

    def trace(self, statement: str) -> None:
        if not NOT_QUERIES.match(statement):
            self.statements.setdefault(statement, self.current)

    def wrap(self, obj: Any) -> None:
        for name in api_methods():
            method = getattr(obj, name, None)
            if callable(method):
                setattr(obj, name, self._recording(name, method))

    def _recording(self, name: str, method: Callable) -> Callable:
        def call(*args: Any, **kwargs: Any) -> Any:
            outer, self.current = self.current, self.current or name
            self.called.add(name)
            try:
                return method(*args, **kwargs)
            finally:
                self.current = outer

        return call


def populate(archive: Archive) -> None:
    """Three nightly runs of 60 reports over two portals and four years, with list pages,
    attachments, an edited report, twins and a re-post: the shape a real archive has."""
    for run in (1, 2, 3):
        run_id = f"run-{run}"
        archive.start_run(run_id, ["zc_gov_cn", "by_gov_cn"], 4242)
        archive.store_list_capture(capture(LIST_URL, f"list {run}".encode(), kind="list"))
        for i in range(60):
            text = body_text(i) + ("（更正）" if run == 3 and i == 7 else "")
            item = report(f"{COLUMN}content/post_{5000 + i}.html", text=text, run_id=run_id)
            item.portal = "zc_gov_cn" if i % 2 else "by_gov_cn"
            item.report_year = 2016 + i % 4
            item.attachments = [_attachment(i, run_id)]
            item.column = COLUMN if i % 3 else OTHER_COLUMN
            item.unit = UNITS[(i // 4) % 4]  # every unit in every year, some twice
            item.figures = figures_of(item.unit)
            archive.store(item)
        listed = [Listing(COLUMN, f"{COLUMN}content/post_{5000 + i}.html", 200) for i in range(60)]
        archive.record_listings(run_id, listed)
        archive.finish_run(run_id, {}, 0, "finished")


def _attachment(i: int, run_id: str, text: str | None = None) -> AttachmentItem:
    url = f"{COLUMN}attachment/{i}.pdf"
    return AttachmentItem(
        url=url,
        filename=f"{i}.pdf",
        capture=capture(url, f"%PDF-1.7 report {i}".encode(), kind="attachment", run_id=run_id),
        mime="application/pdf",
        text=text or f"附件{i}",
        method="pdf_text",
        status="ok",
    )


def exercise(archive: Archive, reader: ArchiveReader) -> None:
    """Every call the crawl makes, each outcome of `store` included."""
    archive.running_runs()
    archive.recent_runs(10)
    archive.mark_runs_aborted([], "2026-11-24T02:00:00Z")
    archive.report_counts("zc_gov_cn")
    # the archive pipeline's place declaration, once per spider and run (pipelines/archive.py)
    archive.portal_declaration("zc_gov_cn")
    zengcheng = Place("广东省", "广州市", "增城区", "440118")
    archive.declare_portal("zc_gov_cn", "广州市增城区人民政府", "广州市", "增城区", zengcheng)
    archive.start_run("run-4", ["zc_gov_cn"], 4242)
    archive.store_list_capture(capture(LIST_URL, b"list 4", kind="list", run_id="run-4"))
    url = f"{COLUMN}content/post_5003.html"
    archive.store(report(url, text=body_text(3), run_id="run-4"))  # unchanged
    edited = report(url, text=body_text(3) + "（再次更正）", run_id="run-4")
    edited.figures = figures_of("白云区民政局")
    archive.store(edited)  # new version: a new figure set, the unit's years checked again
    between = report(f"{COLUMN}content/post_9998.html", text=body_text(98), run_id="run-4")
    between.portal, between.report_year = "by_gov_cn", 2017
    between.figures = figures_of("区民政局")
    archive.store(between)  # its unit reported 2016 and 2018: both ways
    twin = report(url.replace("post_", "mpost_"), body=b"<html>same bytes</html>", run_id="run-4")
    twin.canonical_url = url.replace("post_", "mpost_")
    archive.store(twin)  # new (other bytes and canonical URL, same text: same_text)
    archive.store(twin)  # same canonical URL again
    same_bytes = report(f"{GZ}post_1.html", body=b"<html>same bytes</html>", run_id="run-4")
    archive.store(same_bytes)  # same bytes under another URL
    repost = report(f"{GZ}post_2.html", text="转载\n" + body_text(11).split("\n", 1)[1])
    repost.home_domain = "zc.gov.cn"
    archive.store(repost)  # same text
    archive.store(report(f"{COLUMN}content/post_9999.html", text=ZHUCUN_TEXT, run_id="run-4"))
    first_as_repost = report(f"{GZ}post_3.html", text="转载\n" + body_text(70).split("\n", 1)[1])
    first_as_repost.home_domain = "zc.gov.cn"
    archive.store(first_as_repost)  # new, from a re-post
    own = report(f"{COLUMN}content/post_5070.html", text=body_text(70), run_id="run-4")
    own.home_domain, own.attachments = "zc.gov.cn", [_attachment(70, "run-4")]
    archive.store(own)  # its own page takes it over
    edited = report(f"{COLUMN}content/post_5005.html", text=body_text(5), run_id="run-4")
    edited.attachments = [_attachment(5, "run-4", text="附件5（更正）")]
    archive.store(edited)  # an edited attachment: a new attachment version
    archive.sight(1, url, 1, "run-4", "2026-11-24T02:00:00Z", COLUMN)
    reader.latest_capture(url, "page")
    reader.latest_capture(LIST_URL, "list", not_run="run-4")
    reader.extraction(_attachment(5, "run-1").capture.sha256)
    reader.body(_attachment(5, "run-1").capture.sha256)
    reader.live_report(url)
    reader.sighted_in(1, "run-3")
    reader.warc_original(_attachment(5, "run-1").capture.sha256)
    archive.record_listings(
        "run-4",
        [Listing(COLUMN, url, 200), Listing(COLUMN, f"{COLUMN}content/post_5001.html", None)],
    )
    archive.mark_gone("zc_gov_cn", "run-4", "2026-11-24T03:00:00Z", {COLUMN}, legacy=False)
    archive.mark_gone("by_gov_cn", "run-4", "2026-11-24T03:00:00Z")
    archive.finish_run("run-4", {}, 0, "finished")


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Traced, list[tuple[str, str, str]]]:
    path = tmp_path_factory.mktemp("plans") / "archive.db"
    archive = Archive.open(path)
    populate(archive)
    reader = ArchiveReader(path)
    reader.body("warm-up")  # opens its connection
    seen = Traced()
    archive.db.conn.set_trace_callback(seen.trace)
    reader._conn().conn.set_trace_callback(seen.trace)
    seen.wrap(archive)
    seen.wrap(reader)
    exercise(archive, reader)
    archive.db.conn.set_trace_callback(None)
    plans = []
    for statement, method in seen.statements.items():
        for row in archive.db.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall():
            plans.append((method, statement, row[-1]))
    reader.close()
    archive.close()
    return seen, plans


def scanned_table(detail: str) -> str | None:
    match = re.match(r"SCAN (\w+)", detail)
    if not match or match.group(1) == "CONSTANT":
        return None
    return match.group(1)


def test_every_archive_method_the_crawl_calls_is_exercised(traced) -> None:
    seen, _ = traced
    crawl_calls = methods_the_crawl_calls()
    assert {"store", "sight", "mark_gone", "latest_capture", "extraction"} <= crawl_calls
    assert crawl_calls - seen.called == set()


def test_the_crawl_queries_were_collected(traced) -> None:
    seen, plans = traced
    methods = set(seen.statements.values())
    assert {"store", "latest_capture", "mark_gone", "sight", "report_counts"} <= methods
    assert "record_listings" in methods
    lookups = {detail for _, _, detail in plans}
    assert any("idx_sightings_capture_id" in d for d in lookups)  # the same-bytes lookup
    assert any("idx_report_versions_report_id_valid_to" in d for d in lookups)
    assert any("idx_attachment_versions_attachment_id_valid_to" in d for d in lookups)
    assert any("report_bands" in d for d in lookups)
    # gone marking: this run's listings of a report's URLs, its columns when last sighted
    assert any("idx_listings_run_id_url_column_key" in d for d in lookups)
    # figures: the report's current set, the unit's years, a set's checks and cells
    assert any("idx_figure_sets_report" in d for d in lookups)
    assert any("idx_figure_sets_unit_year" in d for d in lookups)
    assert any("idx_checks_set" in d for d in lookups)
    assert any("idx_figures_set_cell" in d for d in lookups)


def test_no_crawl_query_scans_a_growing_table(traced) -> None:
    _, plans = traced
    scans = [
        f"{method}: {detail} <- {statement[:160]}"
        for method, statement, detail in plans
        if scanned_table(detail) and scanned_table(detail) not in SMALL_TABLES
    ]
    assert scans == []


def test_the_check_sees_a_scan() -> None:
    assert scanned_table("SCAN sightings") == "sightings"
    assert scanned_table("SCAN s USING COVERING INDEX idx_sightings_url") == "s"
    assert scanned_table("SEARCH s USING INDEX idx_sightings_capture_id (capture_id=?)") is None
    assert scanned_table("SCAN CONSTANT ROW") is None


def test_figure_reads_filtered_by_portal_unit_or_report_search_by_index(tmp_path) -> None:
    """`govreports figures --portal/--unit`, reclean's attachments and store_figures: every
    growing table is searched; only the small units table may be scanned."""
    from crawler.archive.figure_queries import FigureFilters

    archive = Archive.open(tmp_path / "archive.db")
    populate(archive)
    seen = Traced()
    archive.db.conn.set_trace_callback(seen.trace)
    filters = [FigureFilters(portal="by_gov_cn"), FigureFilters(unit="区民政局"),
               FigureFilters(portal="by_gov_cn", unit="民政局")]  # fmt: skip
    for figure_filter in filters:
        list(archive.figures(figure_filter))
        list(archive.figure_checks(figure_filter, "FAIL"))
    archive.requests_received(FigureFilters(portal="by_gov_cn"))
    archive.requests_received_per_unit(FigureFilters(unit="民政局"))
    archive.report_attachments(5)
    archive.store_figures(5, figures_of("白云区财政局"), "2026-12-01T00:00:00Z")
    archive.db.conn.set_trace_callback(None)
    scans = []
    for statement in seen.statements:
        for row in archive.db.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall():
            table = scanned_table(row[-1])
            if table and table not in {*SMALL_TABLES, "units", "reps", "received"}:
                scans.append(f"{row[-1]} <- {statement.strip()[:200]}")
    archive.close()
    assert scans == []
