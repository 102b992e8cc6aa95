"""The govreports pages of `govreports serve`, as a Datasette plugin (registered by crawler/serve.py).

Datasette gives the read-only connections, the JSON API, the table browser, canned queries and
the templates machinery; these routes add the pages a researcher reads, in Chinese:

- ``/``: the archive at a glance (reports per portal and year as a table and a chart, the years
  without a report marked, the last run and each portal's health), instead of the database list;
- ``/{db}/search``: the CLI's search (same function: terms ANDed, any length, from the indexes)
  with the total, facets by portal, year and place, snippets, 20 hits a page; ``.json`` too;
- ``/{db}/report/{id}``: one report for reading, with its attachments, versions (and what changed
  between them), sightings and the provenance of every capture;
- ``/{db}/report/{id}/capture/{capture}``: the original bytes under their original name and type;
- ``/{db}/figures``: charts of the figures tables, when the archive has them;
- ``/{db}/coverage?province=广东``: `govreports coverage` as a page (crawler/coverage.py): the
  province's county-level units, their registered portal, reports per year, the gaps marked.

Every read goes through ArchiveView on Datasette's own read-only connection; no SQL here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape
from sqlite_utils import Database

from crawler import coverage, divisions
from crawler.archive import ArchiveView, Filters, QueryError, ReportNotFound
from crawler.archive.datasette import STATIC_MOUNT, render
from crawler.archive.search import MARK_CLOSE, MARK_OPEN, Hit

PAGE_SIZE = 20
TEXT_COLUMNS = {"text", "attachment_text"}  # never shipped whole on a list page
PREVIEW_CHARS = 80
TEMPLATE_LABELS = {"pre2019": "2019年前格式", "2019": "2019年试行格式", "2021": "2021年统一格式"}
STATUS_LABELS = {
    "ok": "已提取文字",
    "ocr": "OCR识别",
    "extract_queued": "等待提取",
    "ocr_queued": "等待OCR",
    "no_text_layer": "无文字层",
    "unsupported": "不支持的格式",
    "too_large": "文件过大",
    "timeout": "提取超时",
    "corrupt": "文件损坏",
    "fetch_failed": "下载失败",
}
REASON_LABELS = {
    "first": "首次发现",
    "unchanged": "未变化",
    "new_version": "新版本",
    "same_bytes": "相同字节",
    "same_text": "相同正文",
    "canonical_url": "同一网址",
}


@hookimpl
def register_routes() -> list[tuple[str, Callable]]:
    return [
        (r"^/$", home),
        (r"^/(?P<db>[^/]+)/search(?P<as_json>\.json)?$", search_page),
        (r"^/(?P<db>[^/]+)/report/(?P<id>\d+)$", report_page),
        (r"^/(?P<db>[^/]+)/report/(?P<id>\d+)/capture/(?P<capture>\d+)$", download),
        (r"^/(?P<db>[^/]+)/figures$", figures_page),
        (r"^/(?P<db>[^/]+)/coverage$", coverage_page),
    ]


@hookimpl
def asgi_wrapper(datasette) -> Callable:
    """The reports table's own search box (Datasette's, over the trigram index) silently finds
    nothing for 1-2 character terms and takes one phrase: its searches go to the search page,
    which answers any term from the indexes, as the CLI does."""

    def wrap(app: Callable) -> Callable:
        async def redirected(scope: dict, receive: Callable, send: Callable) -> None:
            target = _table_search_target(scope)
            if target is None:
                await app(scope, receive, send)
                return
            headers = [(b"location", target.encode()), (b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 302, "headers": headers})
            await send({"type": "http.response.body", "body": b""})

        return redirected

    return wrap


def _table_search_target(scope: dict) -> str | None:
    """Where a table search on ``reports`` (``?_search=``) is sent: the same words, searched."""
    if scope.get("type") != "http":
        return None
    prefix, dot, suffix = scope.get("path", "").rpartition("/reports")
    if not prefix or prefix.count("/") != 1 or suffix not in ("", ".json") or dot != "/reports":
        return None
    params = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if "_search" not in params:
        return None
    return f"{prefix}/search{suffix}?{urlencode({'q': ' '.join(params['_search']).strip()})}"


@hookimpl
def extra_css_urls(datasette) -> list[str]:
    return [datasette.urls.path(f"/{STATIC_MOUNT}/govreports.css")]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette) -> Any:
    """List pages show the first characters of a text and link to the report, never all of it."""
    if table != "reports" or column not in TEXT_COLUMNS or not isinstance(value, str):
        return None
    preview = value[:PREVIEW_CHARS] + ("…" if len(value) > PREVIEW_CHARS else "")
    return Markup(f'<span class="preview">{escape(preview)}</span>')


@hookimpl
def extra_template_vars(datasette) -> dict[str, Any]:
    return {"govreports_db": _archive_name(datasette)}


# --- reading --------------------------------------------------------------------------------------
def _archive_name(datasette) -> str | None:
    names = [n for n in datasette.databases if n != "_internal"]
    return names[0] if names else None


async def _read(datasette, name: str, fn: Callable[[ArchiveView], Any]) -> Any:
    try:
        database = datasette.get_database(name)
    except KeyError as exc:
        raise NotFound(f"没有名为 {name} 的档案") from exc
    # Datasette's read-only connection, wrapped: never closed here (Datasette owns it).
    return await database.execute_fn(lambda conn: fn(ArchiveView(Database(conn))))


async def _page(datasette, request, template: str, context: dict[str, Any]) -> Response:
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


# --- home -------------------------------------------------------------------------------------------
async def home(datasette, request) -> Response:
    name = _archive_name(datasette)
    if name is None:
        raise NotFound("没有档案")
    data = await _read(datasette, name, _overview)
    return await _page(datasette, request, "govreports_home.html", {"db": name, **data})


def _overview(view: ArchiveView) -> dict[str, Any]:
    portals = view.portal_overview()
    counts = view.year_counts()
    years = sorted({year for _, year, _ in counts if year is not None})
    if years:
        years = list(range(years[0], years[-1] + 1))
    per = {(portal, year): n for portal, year, n in counts}
    matrix = []
    for portal in portals:
        cells = []
        first, last = portal["first_year"], portal["last_year"]
        for year in years:
            n = per.get((portal["portal"], year), 0)
            within = first is not None and first <= year <= last
            cells.append(
                {"year": year, "n": n, "kind": "has" if n else ("gap" if within else "none")}
            )
        undated = per.get((portal["portal"], None), 0)
        matrix.append({**portal, "cells": cells, "undated": undated})
    series = [
        (_portal_label(p), [per.get((p["portal"], y)) or None for y in years]) for p in portals
    ]
    chart = render.stacked_years_chart(years, series, "各门户每年报告数") if years else ""
    runs = view.recent_runs(5)
    return {
        "totals": view.totals(),
        "years": years,
        "matrix": matrix,
        "gaps": sum(c["kind"] == "gap" for row in matrix for c in row["cells"]),
        "chart": Markup(chart),
        "runs": [_run(r) for r in runs],
        "health": _latest_health(view),
    }


def _portal_label(portal: dict[str, Any]) -> str:
    return portal.get("name") or portal["portal"]


def _run(row: dict[str, Any]) -> dict[str, Any]:
    stats = json.loads(row["stats"]) if row.get("stats") else {}
    portals = {p: h for p, h in stats.items() if isinstance(h, dict)}
    return {
        **row,
        "portals": portals,
        "unhealthy": sorted(p for p, h in portals.items() if not h.get("healthy", True)),
    }


def _latest_health(view: ArchiveView) -> list[dict[str, Any]]:
    """Each portal's health as of the newest run that recorded it, and its last healthy run."""
    latest: dict[str, dict[str, Any]] = {}
    for row in view.runs_with_stats():  # newest first
        for portal, health in _run(row)["portals"].items():
            entry = latest.setdefault(portal, {"portal": portal, "run": row, "health": health})
            if health.get("healthy") and "last_healthy" not in entry:
                entry["last_healthy"] = row.get("finished_at") or row.get("started_at")
    return [latest[p] for p in sorted(latest)]


# --- search -----------------------------------------------------------------------------------------
def _filters(request) -> Filters:
    year = request.args.get("year") or ""
    return Filters(
        portal=request.args.get("portal") or None,
        year=int(year) if year.isdigit() else None,
        adcode=request.args.get("adcode") or None,
    )


def _page_number(request) -> int:
    page = request.args.get("page") or "1"
    return max(int(page), 1) if page.isdigit() else 1


async def search_page(datasette, request) -> Response:
    name = request.url_vars["db"]
    q = (request.args.get("q") or "").strip()
    filters, page = _filters(request), _page_number(request)
    found: dict[str, Any] = {"hits": [], "tally": None, "error": None}
    if q:

        def run(view: ArchiveView) -> dict[str, Any]:
            try:
                tally = view.tally(q, filters)
                hits = view.search(q, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
            except QueryError as exc:
                return {"hits": [], "tally": None, "error": str(exc)}
            return {"hits": hits, "tally": tally, "error": None}

        found = await _read(datasette, name, run)
    portal_names = {
        p["portal"]: _portal_label(p)
        for p in await _read(datasette, name, ArchiveView.portal_overview)
    }
    if request.url_vars.get("as_json"):
        return Response.json(_search_json(q, filters, page, found), default=str)
    context = {
        "db": name,
        "q": q,
        "filters": filters,
        "page": page,
        "page_size": PAGE_SIZE,
        "portal_names": portal_names,
        "error": found["error"],
        "tally": found["tally"],
        "hits": [_hit_view(h) for h in found["hits"]],
        "link": lambda **changes: _link(request, name, changes),
    }
    if found["tally"]:
        context["pages"] = (found["tally"].total + PAGE_SIZE - 1) // PAGE_SIZE
    return await _page(datasette, request, "govreports_search.html", context)


def _search_json(q: str, filters: Filters, page: int, found: dict[str, Any]) -> dict[str, Any]:
    tally = found["tally"]
    return {
        "query": q,
        "filters": filters.as_dict(),
        "page": page,
        "error": found["error"],
        "total": tally.total if tally else 0,
        "facets": {
            "portal": tally.portals if tally else [],
            "year": tally.years if tally else [],
            "place": tally.places if tally else [],
        },
        "hits": [h.as_dict() for h in found["hits"]],
    }


def _hit_view(hit: Hit) -> dict[str, Any]:
    return {"hit": hit, "snippet": marked(hit.snippet)}


def marked(snippet: str) -> Markup:
    """A snippet as HTML: the text escaped, the hits in <mark>."""
    text = str(escape(snippet))
    return Markup(text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def _link(request, name: str, changes: dict[str, Any]) -> str:
    params = {
        k: request.args.get(k) for k in ("q", "portal", "year", "adcode") if request.args.get(k)
    }
    params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return f"/{name}/search?{urlencode(params)}"


# --- one report -------------------------------------------------------------------------------------
async def report_page(datasette, request) -> Response:
    name, report_id = request.url_vars["db"], int(request.url_vars["id"])

    def run(view: ArchiveView) -> dict[str, Any]:
        try:
            report = view.report(report_id)
        except ReportNotFound as exc:
            raise NotFound(f"没有编号为 {report_id} 的报告") from exc
        portals = {p["portal"]: p for p in view.portal_overview()}
        return {
            "report": report,
            "place": view.report_place(report_id),
            "portal": portals.get(report["portal"]),
        }

    data = await _read(datasette, name, run)
    report = data["report"]
    sections = json.loads(report["sections"]) if report.get("sections") else []
    versions = report["versions"]
    context = {
        "db": name,
        "r": report,
        "place": data["place"] or {},
        "portal": data["portal"] or {},
        "template_label": TEMPLATE_LABELS.get(
            report.get("template_version") or "", report.get("template_version")
        ),
        "blocks": render.blocks(report.get("text"), sections),
        "attachments": [
            {
                **a,
                "blocks": render.blocks(a.get("text")),
                "status_label": STATUS_LABELS.get(a["status"], a["status"]),
            }
            for a in report["attachments"]
        ],
        "diffs": [
            {"old": old, "new": new, "lines": render.diff(old["text"], new["text"])}
            for old, new in pairwise(versions)
        ],
        "reason_labels": REASON_LABELS,
        "captures": report["captures"],
    }
    return await _page(datasette, request, "govreports_report.html", context)


async def download(datasette, request) -> Response:
    name = request.url_vars["db"]
    report_id, capture_id = int(request.url_vars["id"]), int(request.url_vars["capture"])
    capture = await _read(
        datasette, name, lambda view: view.capture_of_report(report_id, capture_id)
    )
    if capture is None or capture.get("body") is None:
        raise NotFound(f"报告 {report_id} 没有编号为 {capture_id} 的原始文件")
    ctype = render.content_type(capture)
    if not ctype.isascii():
        ctype = "application/octet-stream"
    headers = {
        "content-disposition": render.disposition(render.download_name(capture)),
        # the portal's bytes are hostile input: never sniffed, never run as our page
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox",
        "x-govreports-sha256": capture["sha256"] or "",
    }
    return Response(capture["body"], headers=headers, content_type=ctype)


# --- figures ----------------------------------------------------------------------------------------
async def figures_page(datasette, request) -> Response:
    name = request.url_vars["db"]
    data = await _read(
        datasette, name, lambda view: (view.received_per_place(), view.check_statuses())
    )
    received, checks = data
    context: dict[str, Any] = {
        "db": name,
        "available": received is not None,
        "received": received or [],
    }
    if received:
        years = sorted({r["year"] for r in received if r["year"] is not None})
        places = sorted({r["place"] for r in received})
        value = {(r["place"], r["year"]): r["county_report"] for r in received}
        series = [(p or "未知地区", [value.get((p, y)) for y in years]) for p in places]
        context["received_chart"] = Markup(
            render.lines_chart(years, series, "依申请公开：收到申请数（区县政府本级报告）")
        )
    if checks:
        years = sorted({r["year"] for r in checks if r["year"] is not None})
        statuses = ["PASS", "FAIL", "UNCERTAIN"]
        value = {(r["year"], r["status"]): r["checks"] for r in checks}
        labels = {"PASS": "通过", "FAIL": "不符", "UNCERTAIN": "无法判断"}
        series = [(labels[s], [value.get((y, s)) for y in years]) for s in statuses]
        context["checks_chart"] = Markup(
            render.stacked_years_chart(years, series, "数据核对结果（每年）")
        )
    return await _page(datasette, request, "govreports_figures.html", context)


# --- coverage ---------------------------------------------------------------------------------------
async def coverage_page(datasette, request) -> Response:
    """The CLI's `govreports coverage --province P` (the same function) as a table; an unknown
    province or an unreadable registry is said on the page, with the list of provinces."""
    from crawler.registry import RegistryError  # loads Scrapy: only when the page is asked for

    name = request.url_vars["db"]
    province = (request.args.get("province") or "").strip()
    context: dict[str, Any] = {"db": name, "province": province, "error": None, "table": None}
    status = 200
    if province:
        try:
            context["table"] = await _read(
                datasette, name, lambda view: _province_coverage(province, view)
            )
        except coverage.UnknownProvince:
            context["error"] = f"行政区划表中没有名为“{province}”的省级行政区。"
            status = 404
        except RegistryError as exc:
            context["error"] = f"门户登记表（portals.toml）无法读取：{exc}"
            status = 500
    if context["table"] is None:  # no province asked, or a wrong one: offer them all
        context["provinces"] = await _read(datasette, name, lambda view: divisions.provinces())
    html = await datasette.render_template("govreports_coverage.html", context, request=request)
    return Response.html(html, status=status)


def _province_coverage(province: str, view: ArchiveView) -> coverage.ProvinceCoverage:
    # on Datasette's thread: the division table and the registry are read off the event loop
    from crawler.registry import registry_rows

    return coverage.province_coverage(province, registry_rows(), view.reports_by_year())
