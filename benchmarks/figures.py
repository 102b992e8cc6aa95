"""Figures extraction against the sandbox's truth figures, per template generation and source,
with a generic table parser beside ours on the same HTML.

Two sets of sources, both straight from the sandbox in-process (no crawl, no proxy):

- served: every report page the sites serve (Router.handle on the manifest URL) and every
  attachment and table image the manifest lists for it, each scored on the cells of the tables
  (and sentences) that source holds: a note page holds none, an image one table, a spreadsheet
  the tables only (judged by the truth's own table signatures in the source's truth text);
- rendered: every generated report of every portal rendered by the sandbox's own renderers
  (sandbox.sites.bodyhtml for HTML, sandbox.files for DOCX, PDF, XLSX, XLS, the table PNG) and
  its truth text (what a perfect cleaner gives, the "text" source). XLS needs LibreOffice and
  OCR ~5 s an image, so those two run on the first --xls / --ocr reports.

Cells match when table, row key, column key and value are all equal (a missing cell is None on
both sides: a 0 for a "/" is wrong). Precision = matches / cells read, recall = matches /
truth cells. The generic parser is pandas.read_html (lxml) plus the official labels matched
exactly, values by position (last 7 cells of a 三 row, the row of 15 numbers, a 二 item's
columns in template order), non-numbers as None: what a researcher would write.

Checks (sources holding every table): our PASS/FAIL/UNCERTAIN per check and scope against the
truth's expectations: injected totals caught as FAIL, missing cells as UNCERTAIN, no PASS where
the truth says otherwise. CPU per source via getrusage (self + children).

    .venv/bin/python benchmarks/figures.py [--scale 1] [--xls 20] [--ocr 12] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

from crawler.figures import (  # noqa: E402
    PASS,
    Extraction,
    figures_from_bytes,
    figures_from_html,
    figures_from_text,
)
from crawler.figures import labels as L  # noqa: E402
from sandbox import DEFAULT_SEED, files  # noqa: E402
from sandbox.corpus import reports_for  # noqa: E402
from sandbox.http import Request  # noqa: E402
from sandbox.runner import router_for  # noqa: E402
from sandbox.sites import World  # noqa: E402
from sandbox.sites.bodyhtml import BodyStyle, render_body  # noqa: E402
from sandbox.units import DISTRICTS  # noqa: E402

PRECISION_TARGET, RECALL_TARGET = 0.99, 0.98
TARGETED = {("html", "2021"), ("html", "2019"), ("docx", "2021"), ("docx", "2019")}
FULL_SOURCES = ("html", "docx", "xls", "text", "pdf")  # hold every table of the report
SOURCE_OF = {"pdf": "pdf", "pdf_cid": "pdf", "docx": "docx", "doc": "docx", "wps": "docx",
             "xlsx": "xls", "xls": "xls", "scan_pdf": "ocr", "png_table": "ocr"}  # fmt: skip

Cells = dict[tuple[str, str, str], Decimal | None]


@dataclass
class Sample:
    origin: str  # "served" or "rendered"
    report: str
    template: str
    source: str
    truth: Cells
    ours: Cells
    generic: Cells | None = None
    checks: dict[tuple[str, str], str] = field(default_factory=dict)
    expect: dict[tuple[str, str], str] | None = None  # None: this source lacks some table
    cpu: float = 0.0
    cpu_generic: float = 0.0


# --- truth ----------------------------------------------------------------------------------


def number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def truth_cells(figures: dict, text: str | None, tables_only: bool = False) -> Cells:
    """The truth cells a source whose truth text is `text` holds (None: all of them)."""
    shown = {i for i, sig in enumerate(figures["tables"]) if text is None or (sig and sig in text)}
    prose = not tables_only and (text is None or (figures["prose"] and figures["prose"] in text))
    return {
        (c["table"], c["row"], c["col"]): number(c["value"])
        for c in figures["cells"]
        if (c["t"] in shown) or (c["t"] is None and prose)
    }


def expectations(figures: dict) -> dict[tuple[str, str], str]:
    return {(e["check"], e["scope"]): e["status"] for e in figures["expect"]}


def read(extraction: Extraction) -> tuple[Cells, dict[tuple[str, str], str]]:
    cells = {f.key: number(f.value) for f in extraction.figures}
    return cells, {(c.check, c.scope): c.status for c in extraction.checks}


def cpu() -> float:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn: Callable, *args, **kwargs):
    start = cpu()
    result = fn(*args, **kwargs)
    return result, cpu() - start


# --- the generic parser ---------------------------------------------------------------------

_OFFICIAL = {label: key for key, label in L.REQUEST_LABELS.items()}


def generic_cells(html: str, template: str) -> Cells:
    import pandas as pd

    try:
        frames = pd.read_html(io.StringIO(html), flavor="lxml")
    except ValueError:  # "No tables found"
        return {}
    out: Cells = {}
    for frame in frames:
        for row in frame.astype(object).itertuples(index=False):
            _generic_row(list(row), template, out)
    return out


def _generic_row(cells: list, template: str, out: Cells) -> None:
    values = [_generic_number(c) for c in cells]
    label_at = max((i for i, (c, v) in enumerate(zip(cells, values, strict=True)) if v is None and _text(c)),
                   default=-1)  # fmt: skip
    label = _text(cells[label_at]).strip() if label_at >= 0 else ""
    after = values[label_at + 1 :]
    if label in _OFFICIAL and len(after) >= 7 and _OFFICIAL[label] not in L.GROUPS:
        for col, value in zip(L.APPLICANTS, after[-7:], strict=True):
            out[("三", _OFFICIAL[label], col)] = value
    elif (key := L.proactive_key(label, template)) in L.PROACTIVE.get(template, {}):
        columns = L.PROACTIVE[template][key]
        if len(after) >= len(columns):
            for (col, _unit), value in zip(columns, after, strict=False):
                out[("二", key, col)] = value
    elif label_at < 0 and len(after) == 15:
        keys = [(g, c) for g in L.REVIEW_GROUPS for c in L.REVIEW_COLS]
        for (group, col), value in zip(keys, after, strict=True):
            out[("四", group, col)] = value


def _text(cell) -> str:
    return "" if cell is None or (isinstance(cell, float) and cell != cell) else str(cell)


def _generic_number(cell) -> Decimal | None:
    import pandas as pd

    value = pd.to_numeric(_text(cell) or "x", errors="coerce")
    if value != value:  # NaN: blank, "/", text
        return None
    return Decimal(str(int(value))) if float(value).is_integer() else Decimal(str(value))


# --- sources --------------------------------------------------------------------------------


def served(world: World) -> list[Sample]:
    router = router_for(world)
    samples = []
    for entry in router.manifest()["reports"]:
        figures = entry.get("figures")
        if not figures:
            continue
        page = get(router, entry["url"])
        selector = _selector(entry["url"])
        ours, took = timed(figures_from_html, page, content_selector=selector,
                           hint=entry["template"])  # fmt: skip
        html = page.decode("utf-8", "replace")
        generic, took_generic = timed(generic_cells, html, figures["template"])
        samples.append(_sample("served", entry["url"], figures, "html", entry["text"], ours,
                               took, generic, took_generic))  # fmt: skip
        for item in [*entry["attachments"], *entry.get("images", [])]:
            if not item.get("text"):
                continue  # hostile, missing or without a truth text
            source = SOURCE_OF.get(item.get("format", "png_table"), "ocr")
            data = get(router, item["url"])
            extraction, took = timed(figures_from_bytes, data, hint=entry["template"])
            only_tables = item.get("format") in ("xlsx", "xls", None)
            samples.append(_sample("served", item["url"], figures, source, item["text"],
                                   extraction, took, tables_only=only_tables))  # fmt: skip
    return samples


def _selector(url: str) -> str | None:
    from crawler.portals import rules_for_url

    return (rules_for_url(url) or {}).get("content_selector")


def get(router, url: str) -> bytes:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = router.handle(Request("GET", parts.scheme, parts.hostname or "", target))
    if response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response.status}")
    return response.body


def rendered(seed: int, scale: int, xls: int, ocr: int) -> list[Sample]:
    samples = []
    counts: Counter = Counter()
    for portal in sorted(DISTRICTS):
        for spec in reports_for(portal, seed, scale):
            figures = spec.document.figures()
            if not figures:
                continue
            samples += _render_all(spec, figures, counts, xls, ocr)
    return samples


def _render_all(spec, figures: dict, counts: Counter, xls: int, ocr: int) -> list[Sample]:
    doc, name, tables = spec.document, f"{spec.portal}#{spec.index}", bool(figures["tables"])
    body = render_body(doc, BodyStyle.pick(random.Random(name)))
    html = f"<html><head><title>{doc.title}</title></head><body><h1>{doc.title}</h1>{body}</body></html>"
    out = []
    ours, took = timed(figures_from_html, html, hint=spec.template)
    generic, took_generic = timed(generic_cells, html, figures["template"]) if tables else ({}, 0.0)
    out.append(_sample("rendered", name, figures, "html", None, ours, took, generic, took_generic))
    text, took = timed(figures_from_text, doc.truth_text(), hint=spec.template)
    out.append(_sample("rendered", name, figures, "text", None, text, took))
    formats = ["docx", "pdf_cid" if spec.index % 2 else "pdf"]
    if tables:
        formats.append("xlsx")
        if counts["xls"] < xls:
            formats.append("xls")
        if counts["ocr"] < ocr:
            formats.append("png_table")
    for fmt in formats:
        counts[SOURCE_OF[fmt] if fmt != "xls" else "xls"] += fmt in ("xls", "png_table")
        data = files.render(doc, fmt)
        extraction, took = timed(figures_from_bytes, data, hint=spec.template)
        text = files.truth_for(doc, fmt) if fmt == "png_table" else None
        out.append(_sample("rendered", name, figures, SOURCE_OF[fmt], text, extraction, took,
                           tables_only=fmt in ("xlsx", "xls")))  # fmt: skip
    return out


def _sample(origin, report, figures, source, text, extraction, took, generic=None,
            took_generic=0.0, tables_only=False) -> Sample:  # fmt: skip
    truth = truth_cells(figures, text, tables_only)
    ours, checks = read(extraction)
    every_table = all(text is None or (sig and sig in text) for sig in figures["tables"])
    checked = every_table and source != "ocr" and figures["template"] != "pre2019"
    return Sample(origin, report, figures["template"], source, truth, ours, generic, checks,
                  expectations(figures) if checked else None, took, took_generic)  # fmt: skip


# --- scores ---------------------------------------------------------------------------------


@dataclass
class Score:
    samples: int = 0
    truth: int = 0
    read: int = 0
    right: int = 0
    cpu: float = 0.0

    def add(self, truth: Cells, got: Cells, seconds: float) -> None:
        self.samples += 1
        self.truth += len(truth)
        self.read += len(got)
        self.right += sum(1 for k, v in got.items() if k in truth and truth[k] == v)
        self.cpu += seconds

    @property
    def precision(self) -> float:
        return self.right / self.read if self.read else (1.0 if not self.truth else 0.0)

    @property
    def recall(self) -> float:
        return self.right / self.truth if self.truth else 1.0


def score(samples: list[Sample]) -> dict:
    ours: dict = defaultdict(Score)
    generic: dict = defaultdict(Score)
    for s in samples:
        for key in ((s.origin, s.source, s.template), (s.origin, s.source, "all")):
            ours[key].add(s.truth, s.ours, s.cpu)
            if s.generic is not None:
                generic[key].add(s.truth, s.generic, s.cpu_generic)
    return {"ours": ours, "generic": generic}


def check_scores(samples: list[Sample]) -> dict:
    """Per source: reports checked, how many the truth and we call all-PASS, and the
    'TRUTH -> OURS' status pairs over every check and scope."""
    tally: dict[str, Counter] = defaultdict(Counter)
    for s in samples:
        if s.expect is None:
            continue
        for source in (s.source, "all"):
            count = tally[source]
            count["reports"] += 1
            count["truth all pass"] += not s.expect
            count["ours all pass"] += bool(s.checks) and all(v == PASS for v in s.checks.values())
            for key, status in s.checks.items():
                count[f"{s.expect.get(key, PASS)} -> {status}"] += 1
            count["expected results missing"] += sum(1 for k in s.expect if k not in s.checks)
    return {source: dict(count) for source, count in tally.items()}


def table(scores: dict) -> str:
    lines = [
        "| origin | source | template | reports | truth cells | ours P | ours R | generic P "
        "| generic R | ms CPU ours | ms CPU generic |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(scores["ours"], key=lambda k: (k[0], k[1], k[2] == "all", k[2])):
        o, g = scores["ours"][key], scores["generic"].get(key)
        gp = f"{g.precision:.4f}" if g else "-"
        gr = f"{g.recall:.4f}" if g else "-"
        gc = f"{1000 * g.cpu / max(g.samples, 1):.1f}" if g else "-"
        lines.append(
            f"| {key[0]} | {key[1]} | {key[2]} | {o.samples} | {o.truth} | {o.precision:.4f} "
            f"| {o.recall:.4f} | {gp} | {gr} | {1000 * o.cpu / max(o.samples, 1):.1f} | {gc} |"
        )
    return "\n".join(lines)


def targets(scores: dict) -> list[str]:
    misses = []
    for (origin, source, template), s in scores["ours"].items():
        low = s.precision < PRECISION_TARGET or s.recall < RECALL_TARGET
        if (source, template) in TARGETED and s.truth and low:
            misses.append(f"{origin} {source} {template}: P {s.precision:.4f} R {s.recall:.4f}")
    return misses


def worst(samples: list[Sample], count: int = 8) -> list[str]:
    out = []
    for s in samples:
        wrong = [k for k, v in s.ours.items() if s.truth.get(k, "absent") != v]
        lost = [k for k in s.truth if k not in s.ours]
        if wrong or lost:
            out.append(f"{s.origin} {s.source} {s.template} {s.report}: {len(wrong)} wrong "
                       f"{wrong[:2]}, {len(lost)} lost {lost[:2]}")  # fmt: skip
    return out[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--xls", type=int, default=20, help="reports rendered to XLS")
    parser.add_argument("--ocr", type=int, default=12, help="table images OCR'd (rendered)")
    parser.add_argument("--no-served", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    samples = [] if args.no_served else served(World(seed=args.seed, scale=args.scale))
    samples += rendered(args.seed, args.scale, args.xls, args.ocr)
    scores = score(samples)
    print(table(scores))
    checks = check_scores(samples)
    print("\nchecks (sources holding every table; 'TRUTH -> OURS' per check and scope):")
    print(json.dumps(checks, ensure_ascii=False, indent=1))
    print("\nfirst differences:\n  " + "\n  ".join(worst(samples) or ["none"]))
    if args.json:
        data = {
            "scores": {
                who: {"/".join(k): vars(v) for k, v in by.items()} for who, by in scores.items()
            },
            "checks": checks,
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    misses = targets(scores)
    if checks.get("all", {}).get("FAIL -> PASS") or checks.get("all", {}).get("UNCERTAIN -> PASS"):
        misses.append("a check PASSed that the truth says must not")
    print("targets: " + ("met" if not misses else "MISSED\n  " + "\n  ".join(misses)))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
