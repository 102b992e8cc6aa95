"""Completeness on a generated archive: every sampled 1-, 2-, 3- and 5-character query and every
two-term query finds exactly what a Python substring scan finds, by the character index, by
trigram (3+ characters), by LIKE and through search itself (the benchmark's method, at test
size)."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.search import LENGTHS, build, measure, measure_pairs, pick_queries, stored_rows


def test_every_query_length_is_complete_and_exact(tmp_path: Path):
    path = tmp_path / "gen.db"
    build(path, reports=400, chars=600, seed=3)
    rows = stored_rows(path)
    rng = random.Random(4)
    queries = {n: pick_queries(rows, n, 8, rng) for n in LENGTHS}
    results = measure(path, queries)
    assert [len(queries[n]) for n in LENGTHS] == [8, 8, 8, 8]
    wrong = {
        (r["query"], way): (r[f"{way}_missed"], r[f"{way}_extra"])
        for r in results
        for way in ("chars", "trigram", "like")
        if f"{way}_missed" in r and (r[f"{way}_missed"], r[f"{way}_extra"]) != (0, 0)
    }
    assert wrong == {}
    assert sum("trigram_missed" in r for r in results) == 16  # 3 and 5 characters
    assert [r["found"] for r in results] == [r["truth"] for r in results]
    assert sum(r["truth"] for r in results) > 0


def test_two_term_queries_are_exact(tmp_path: Path):
    path = tmp_path / "gen.db"
    build(path, reports=300, chars=600, seed=5)
    pairs = measure_pairs(path, stored_rows(path), 6, random.Random(6))
    assert len(pairs) == 6
    assert [(p["chars_missed"], p["chars_extra"]) for p in pairs] == [(0, 0)] * 6
    assert [(p["like_missed"], p["like_extra"]) for p in pairs] == [(0, 0)] * 6
