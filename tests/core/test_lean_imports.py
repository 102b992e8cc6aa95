"""The archive package loads sqlite-utils without pandas (crawler/archive/lean_sqlite_utils.py):
pandas and pyarrow cost every crawl process and its forked children ~85 MiB of RSS, which the
red-team suite's memory ceiling caught. Each check runs in a fresh interpreter, since this one
has long imported everything."""

from __future__ import annotations

import subprocess
import sys


def fresh(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_the_crawl_process_does_not_load_pandas_or_pyarrow() -> None:
    loaded = fresh(
        "import sys, crawler.archive, crawler.cli, pipelines.attachments;"
        "print(sorted(m for m in ('pandas', 'pyarrow') if m in sys.modules))"
    )
    assert loaded == "[]"


def test_pandas_stays_importable_and_sqlite_utils_still_writes() -> None:
    out = fresh(
        "import crawler.archive, sqlite_utils, pandas;"
        "db = sqlite_utils.Database(memory=True);"
        "db['t'].insert({'title': '2023年政府信息公开工作年度报告', 'year': 2023});"
        "print(pandas.__name__, sqlite_utils.db.pd, list(db['t'].rows))"
    )
    assert out == "pandas None [{'title': '2023年政府信息公开工作年度报告', 'year': 2023}]"
