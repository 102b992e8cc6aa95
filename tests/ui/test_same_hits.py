"""The same search in the CLI and in the web UI gives the same hits, in the same order, with the
same total: 1-, 2-, 3- and 5-character terms and two-term queries (one search function behind
both; this test holds them to it)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

GOVREPORTS = str(Path(sys.executable).with_name("govreports"))
QUERIES = {
    "1 character": "诉",
    "2 characters": "年报",
    "3 characters": "依申请",
    "5 characters": "依申请公开",
    "two terms, 5 + 2": "依申请公开 年报",
    "two terms, 2 + 4": "公开 政府信息",
    "two terms, 4 + 4": "信息公开 行政复议",
}


def cli_search(archive: Path, query: str) -> tuple[list[int], str]:
    result = subprocess.run(
        [GOVREPORTS, "search", *query.split(), "--json", "--archive", str(archive)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return [hit["id"] for hit in json.loads(result.stdout)], result.stderr.strip()


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_cli_and_ui_give_the_same_hits(ui_archive: Path, get, query: str):
    cli_ids, cli_total = cli_search(ui_archive, query)
    status, _, body = get(f"/archive/search.json?q={urllib.parse.quote(query)}")
    assert status == 200
    ui = json.loads(body)
    _, _, page = get(f"/archive/search?q={urllib.parse.quote(query)}")
    page_ids = [int(i) for i in re.findall(r'<li class="gr-hit" data-id="(\d+)">', page.decode())]
    assert [hit["id"] for hit in ui["hits"]] == cli_ids == page_ids
    assert cli_total == f"{ui['total']} result{'s' if ui['total'] != 1 else ''}"
    assert f"共找到 <strong>{ui['total']}</strong> 篇报告" in page.decode()
    assert cli_ids  # every query here finds something: an empty match proves nothing


def test_the_queries_cover_every_length_and_find_different_reports(get):
    assert sorted(len(q) for q in QUERIES.values() if " " not in q) == [1, 2, 3, 5]
    found = set()
    for query in QUERIES.values():
        _, _, body = get(f"/archive/search.json?q={urllib.parse.quote(query)}")
        found.add(tuple(hit["id"] for hit in json.loads(body)["hits"]))
    assert len(found) >= 5
