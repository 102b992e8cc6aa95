"""Completeness on a generated archive: every sampled 1-4 character query finds exactly what a
Python substring scan finds (the benchmark's method, at test size)."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.search import build, measure, pick_queries


def test_every_query_length_is_complete_and_exact(tmp_path: Path):
    path = tmp_path / "gen.db"
    _, rows = build(path, reports=400, chars=600, seed=3)
    rng = random.Random(4)
    queries = {n: pick_queries(rows, n, 8, rng) for n in (1, 2, 3, 4)}
    results = measure(path, queries)
    assert [len(queries[n]) for n in (1, 2, 3, 4)] == [8, 8, 8, 8]
    assert [(r["length"], r["missed"], r["extra"]) for r in results] == [
        (n, 0, 0) for n in (1, 2, 3, 4) for _ in range(8)
    ]
    assert sum(r["truth"] for r in results) > 0
    assert [r["found"] for r in results] == [r["truth"] for r in results]
