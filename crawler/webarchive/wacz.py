"""`govreports export --format wacz`: the WARC records of some reports, packaged as WACZ 1.1.

The package holds one WARC made of the records the crawl wrote (copied byte for byte, gzip
member by gzip member: nothing is re-serialised), each source file's `warcinfo`, the original
`response` behind every `revisit` the archive's captures point at, and `pages/pages.jsonl` with
each report's title, URL, fetch time and cleaned text (so the package is searchable in
ReplayWeb.page).  py-wacz (`wacz create`) writes the CDXJ index and datapackage.json (sha256 of
every file); `wacz validate` checks the result.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.archive import ArchiveView
from crawler.webarchive.records import RawRecord, record_group, resolve

with warnings.catch_warnings():
    # py-wacz imports pyamf, which imports pkg_resources: setuptools >= 80 then warns on every
    # export, on stderr, about a package that is not ours to change.
    warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
    from wacz.main import main as wacz_main


class NothingToExport(ValueError):
    """The selection holds no report with a WARC record."""


@dataclass
class Package:
    records: dict[tuple[Path, int], RawRecord] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # captures whose record could not be read

    def add(self, group: list[RawRecord]) -> None:
        for record in group:
            self.records.setdefault((record.file, record.offset), record)


def collect(view: ArchiveView, selection: dict[str, Any]) -> Package:
    package = Package()
    base = view.folder
    for report in view.export_reports(**selection):
        captures = view.report_captures(report["id"])
        recorded = [c for c in captures if c["warc_file"]]
        if not recorded:
            continue
        for capture in recorded:
            _add_capture(view, base, capture, package)
        page = captures[0]
        package.pages.append(
            {
                "id": f"report-{report['id']}",
                "url": page["final_url"],
                "ts": page["fetched_at"],
                "title": report["title"],
                "text": report["text"] or "",
            }
        )
    if not package.pages:
        raise NothingToExport("no report in this selection has WARC records")
    return package


def _add_capture(view: ArchiveView, base: Path, capture: dict, package: Package) -> None:
    path = resolve(base, capture["warc_file"])
    try:
        group = record_group(path, capture["warc_offset"])
        package.add(record_group(path, 0)[:1])  # the file's warcinfo
    except (OSError, ValueError) as exc:
        package.missing.append(f"{capture['url']}: {exc}")
        return
    package.add(group)
    if group and group[0].type == "revisit":  # replay needs the response it stands for
        for earlier in view.earlier_records(capture["sha256"], capture["id"]):
            original = record_group(resolve(base, earlier["warc_file"]), earlier["warc_offset"])
            if original and original[0].type == "response":
                package.add(original)
                break


def write_wacz(view: ArchiveView, selection: dict[str, Any], output: Path, title: str) -> Package:
    """Write the WACZ of `selection` (report_id / portal / year / run_id) to `output`."""
    package = collect(view, selection)
    with tempfile.TemporaryDirectory(prefix="govreports-wacz-") as tmp:
        warc = Path(tmp) / "govreports.warc.gz"
        with warc.open("wb") as out:
            for key in sorted(package.records, key=lambda k: (str(k[0]), k[1])):
                out.write(package.records[key].raw())
        pages = Path(tmp) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": title, "hasText": True}
        lines = [header, *package.pages]
        pages.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in lines))
        args = ["create", "-o", str(output), "--hash-type", "sha256", "--title", title]
        args += ["--pages", str(pages), "--copy-pages", str(warc)]
        _run_wacz(args)
    return package


def validate(path: Path) -> tuple[bool, str]:
    """py-wacz's `wacz validate`: (valid, what it printed)."""
    code, printed = _run_wacz(["validate", "-f", str(path)], check=False)
    return code == 0, printed


def _run_wacz(args: list[str], check: bool = True) -> tuple[int, str]:
    printed = io.StringIO()  # py-wacz reports on stdout; keep ours for the summary
    with contextlib.redirect_stdout(printed):
        code = wacz_main(args)
    if check and code != 0:
        raise RuntimeError(f"wacz {args[0]} failed: {printed.getvalue().strip()[-500:]}")
    return code or 0, printed.getvalue()
