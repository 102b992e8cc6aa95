"""design.md's inner walls: figures is Text (no SQL, no Scrapy); the sandbox's truth figures come
from its own Documents, never from the crawler's parsing code."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(imports: str, roots: set[str]) -> list[str]:
    code = (
        f"import sys, {imports}\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(roots)!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(done.stdout)  # a printed list of module names


def test_figures_imports_no_archive_and_no_scrapy():
    roots = {"scrapy", "twisted", "sqlite3", "sqlite_utils", "sandbox"}
    assert loaded_after("crawler.figures, crawler.figures.sources", roots) == []


def test_sandbox_truth_imports_nothing_from_the_crawler():
    imports = "sandbox.textgen, sandbox.document, sandbox.files, sandbox.sites.cms"
    assert loaded_after(imports, {"crawler", "spiders", "pipelines"}) == []
