"""Cleaning quality on every report page the offline sandbox serves, side by side.

For each page (each manifest report's URL and its aliases: mpost_ twins, http/https; identical
bytes counted once) the same bytes go to four cleaners in the same run:

- ours (selector): crawler.cleaning.clean_html with the portal's content_selector
  (crawler.portals.rules_for_url; pages of portals without a spider fall back);
- ours (fallback): clean_html with no selector (container scoring);
- trafilatura 2.3.1 (include_tables=True; its title line prepended, its " | " cell separator
  turned into TAB so tables are compared fairly);
- readability-lxml 0.9 (its summary() container turned into lines by our html.py, title
  prepended).
No cleaner is given the manifest title: each reads it from the page.

Measures against the manifest's truth text: character 4-gram precision / recall / F1
(benchmarks.metrics.prf), chrome lines left (crawler.cleaning.chrome_left, minus any in the
truth), manifest headings missing as a line of the output. Targets: F1 >= 0.99 on every portal,
0 chrome, 0 headings lost. Exit status 1 when ours (selector) misses a target.

    .venv/bin/python benchmarks/cleaning.py [--scale 1] [--revision 0] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import ssl
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, Python puts benchmarks/ first on sys.path, where a file named like a package
# (once benchmarks/incremental.py, which shadowed Twisted's `incremental`) breaks imports: put the
# repository root there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))

import sandbox  # noqa: E402
from benchmarks.metrics import prf  # noqa: E402
from crawler.cleaning import chrome_left, clean_html  # noqa: E402
from crawler.cleaning.encoding import decode_html  # noqa: E402
from crawler.cleaning.html import element_lines  # noqa: E402
from crawler.portals import rules_for_url  # noqa: E402

F1_TARGET = 0.99


@dataclass
class Page:
    portal: str
    url: str
    body: bytes
    charset: str | None
    truth: str
    headings: list[str]
    selector: str | None


@dataclass
class Score:
    pages: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    f1_min: float = 1.0
    chrome: int = 0
    headings_lost: int = 0
    seconds: float = 0.0
    worst: str = ""
    methods: Counter = field(default_factory=Counter)

    def add(self, url: str, pred: str, page: Page, seconds: float) -> None:
        p, r, f = prf(pred, page.truth)
        self.pages += 1
        self.precision += p
        self.recall += r
        self.f1 += f
        if f < self.f1_min:
            self.f1_min, self.worst = f, url
        self.chrome += sum((Counter(chrome_left(pred)) - Counter(chrome_left(page.truth))).values())
        self.headings_lost += headings_lost(pred, page.headings)
        self.seconds += seconds


def headings_lost(pred: str, headings: list[str]) -> int:
    lines = {_squash(line) for line in pred.split("\n")}
    return sum(_squash(h) not in lines for h in headings)


def _squash(text: str) -> str:
    # HTML cannot carry a double space, so "一、概  述" and "一、概 述" are the same heading.
    return re.sub(r"\s+", " ", text).strip()


# --- fetching -------------------------------------------------------------------------------


def opener(proxy_url: str) -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the sandbox's certificate is self-signed
    proxies = urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url})
    return urllib.request.build_opener(proxies, urllib.request.HTTPSHandler(context=context))


def fetch_pages(proxy_url: str, manifest: dict, aliases: bool) -> list[Page]:
    client, seen, pages = opener(proxy_url), set(), []
    for report in manifest["reports"]:
        urls = [report["url"], *(report.get("aliases", []) if aliases else [])]
        for url in urls:
            with client.open(url, timeout=60) as response:
                body = response.read()
                charset = response.headers.get_content_charset()
            digest = hashlib.sha256(body).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            rules = rules_for_url(url) or {}
            pages.append(
                Page(
                    report["portal"],
                    url,
                    body,
                    charset,
                    report["text"],
                    report["headings"],
                    rules.get("content_selector"),
                )
            )
    return pages


# --- the cleaners ---------------------------------------------------------------------------


def ours_selector(page: Page) -> tuple[str, str]:
    cleaned = clean_html(
        page.body, url=page.url, content_selector=page.selector, encoding=page.charset
    )
    return cleaned.text, cleaned.method


def ours_fallback(page: Page) -> tuple[str, str]:
    cleaned = clean_html(page.body, url=page.url, encoding=page.charset)
    return cleaned.text, cleaned.method


def with_trafilatura(page: Page) -> tuple[str, str]:
    import trafilatura

    html = decode_html(page.body, page.charset)
    doc = trafilatura.bare_extraction(html, url=page.url, include_tables=True, with_metadata=True)
    if doc is None:
        return "", "none"
    text = re.sub(r" \| ", "\t", doc.text or "")
    return "\n".join(x for x in (doc.title, text) if x), "trafilatura"


def with_readability(page: Page) -> tuple[str, str]:
    import lxml.html
    from readability import Document

    doc = Document(decode_html(page.body, page.charset))
    summary = lxml.html.fragment_fromstring(doc.summary(html_partial=True), create_parent="div")
    lines = [line.text for line in element_lines(summary) if line.text != "\f"]
    return "\n".join([doc.short_title(), *lines]), "readability"


CLEANERS: dict[str, Callable[[Page], tuple[str, str]]] = {
    "ours (selector)": ours_selector,
    "ours (fallback)": ours_fallback,
    "trafilatura": with_trafilatura,
    "readability-lxml": with_readability,
}


def evaluate(pages: list[Page]) -> dict[str, dict[str, Score]]:
    scores: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    for page in pages:
        for name, cleaner in CLEANERS.items():
            start = time.perf_counter()
            text, method = cleaner(page)
            elapsed = time.perf_counter() - start
            for portal in (page.portal, "ALL"):
                score = scores[portal][name]
                score.add(page.url, text, page, elapsed)
                score.methods[method] += 1
    return scores


# --- report ---------------------------------------------------------------------------------


def table(scores: dict[str, dict[str, Score]]) -> str:
    head = (
        "| portal | cleaner | pages | precision | recall | F1 mean | F1 min | chrome left "
        "| headings lost | ms/page |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [head]
    for portal in sorted(scores, key=lambda p: (p == "ALL", p)):
        for name, s in scores[portal].items():
            n = max(s.pages, 1)
            rows.append(
                f"| {portal} | {name} | {s.pages} | {s.precision / n:.4f} | {s.recall / n:.4f} "
                f"| {s.f1 / n:.4f} | {s.f1_min:.4f} | {s.chrome} | {s.headings_lost} "
                f"| {1000 * s.seconds / n:.1f} |"
            )
    return "\n".join(rows)


def targets_met(scores: dict[str, dict[str, Score]]) -> list[str]:
    misses = []
    for portal, by_cleaner in scores.items():
        s = by_cleaner["ours (selector)"]
        if s.f1_min < F1_TARGET:
            misses.append(f"{portal}: F1 {s.f1_min:.4f} < {F1_TARGET} on {s.worst}")
        if s.chrome or s.headings_lost:
            misses.append(
                f"{portal}: {s.chrome} chrome lines left, {s.headings_lost} headings lost"
            )
    return misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--revision", type=int, default=0)
    parser.add_argument("--no-aliases", action="store_true", help="manifest URLs only")
    parser.add_argument("--json", type=Path, help="also write the scores here")
    args = parser.parse_args(argv)
    with sandbox.running(revision=args.revision, scale=args.scale) as sb:
        pages = fetch_pages(sb.proxy_url, sb.manifest, aliases=not args.no_aliases)
    scores = evaluate(pages)
    print(table(scores))
    methods = scores["ALL"]["ours (selector)"].methods
    print(
        f"\nours (selector) used: {dict(methods)}; pages per portal: "
        f"{ {p: s['ours (selector)'].pages for p, s in scores.items() if p != 'ALL'} }"
    )
    false_chrome = sum(len(chrome_left(p.truth)) for p in pages)
    print(f"chrome lexicon lines matching the truth itself: {false_chrome}")
    if args.json:
        data = {
            p: {n: vars(s) | {"methods": dict(s.methods)} for n, s in c.items()}
            for p, c in scores.items()
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    misses = targets_met(scores)
    print("targets: " + ("met" if not misses else "MISSED\n  " + "\n  ".join(misses)))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
