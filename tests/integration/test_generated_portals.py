"""30 generated portals (sandbox `--portals 30`: NFCMS, TRS and Hanweb, each with its own theme
and truth) crawled from the registry rows the sandbox writes, with zero spider code: one crawl
(module-scoped), every portal at 100% recall and precision against its own manifest."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from crawler.registry.loader import RegistrySpiderLoader
from crawler.runner import project_settings
from crawler.sandbox_process import running_sandbox, sandbox_registry
from tests.integration.conftest import ROOT, CrawlRun, govreports_crawl

PORTALS = 30


@pytest.fixture(scope="module")
def rows_file(tmp_path_factory) -> Path:
    return sandbox_registry(tmp_path_factory.mktemp("rows") / "generated.toml", PORTALS)


@pytest.fixture(scope="module")
def rows(rows_file: Path) -> list[dict]:
    return tomllib.loads(rows_file.read_text("utf-8"))["portal"]


@pytest.fixture(scope="module")
def keys(rows: list[dict]) -> list[str]:
    return [row["host"].removeprefix("www.").replace(".", "_") for row in rows]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, keys: list[str]) -> tuple[CrawlRun, dict]:
    folder = tmp_path_factory.mktemp("generated")
    args = ("--portals", str(PORTALS), "-s", "OCR_ENABLED=False", "--json", *keys)
    run = govreports_crawl(folder / "archive.db", *args)
    return run, json.loads(run.stdout or "{}")


def test_the_rows_span_the_families_with_distinct_hosts_and_division_codes(rows) -> None:
    assert len(rows) == PORTALS
    assert Counter(row["cms"] for row in rows) == {"nfcms": 10, "trs": 10, "hanweb": 10}
    assert len({row["host"] for row in rows}) == PORTALS
    assert len({row["division"] for row in rows}) == PORTALS
    assert all(row["entry"] == [f"https://{row['host']}/"] for row in rows)


def test_every_generated_portal_is_a_generic_spider_built_from_its_row(rows_file, keys) -> None:
    settings = project_settings({"PORTAL_REGISTRY_FILES": [str(rows_file)]})
    loader = RegistrySpiderLoader(settings)
    modules = {loader.load(key).__module__ for key in keys}
    assert modules == {"crawler.registry.generated"}  # no spider file among them


def test_the_crawl_is_healthy_and_clean(crawl) -> None:
    run, _ = crawl
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr


def test_every_portal_at_full_recall_and_precision(crawl, keys) -> None:
    _, summary = crawl
    scores = {key: summary["portals"][key]["sandbox"] for key in keys}
    perfect = {k: s for k, s in scores.items() if s["recall"] == 1.0 and s["precision"] == 1.0}
    assert sorted(set(scores) - set(perfect)) == []
    assert sum(s["expected"] for s in scores.values()) >= 6 * PORTALS  # 6-22 reports each


def portals_add(url: str, proxy: str) -> dict:
    command = [sys.executable, "-m", "crawler.cli", "portals", "add", url, "--proxy", proxy]
    done = subprocess.run(
        [*command, "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_portals_add_proposes_each_familys_row_and_finds_its_report_columns(rows) -> None:
    # one portal of each family (rows alternate nfcms, trs, hanweb), two of them county-level
    # cities whose site name omits the prefecture: the division code gives it
    assert [row["district"][-1] for row in rows[:3]] == ["市", "区", "市"]
    with running_sandbox(portals=PORTALS) as proxy:
        proposals = [(row, portals_add(row["entry"][0], proxy)) for row in rows[:3]]
    for row, proposal in proposals:
        assert proposal["row"] == row
        reporting = {u: c for u, c in proposal["columns"].items() if c["reports_by_year"]}
        assert reporting, f"{row['host']}: no column listing reports found"
        assert all(url.startswith(f"https://{row['host']}/") for url in reporting)
