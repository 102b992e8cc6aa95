"""The archive package is the one owner of SQL: no statement, cursor or table access elsewhere.

Scans the product's code (crawler/ outside crawler/archive/, pipelines/, spiders/) and the
benchmarks. Comments and docstrings may talk about SQL; code may not run it. The README's SQL
examples are run by tests/search/test_readme_queries.py and tests/incremental/test_readme_queries.py.
The last tests keep the inner walls of design.md that this ownership repaired.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("crawler", "pipelines", "spiders", "benchmarks")
OWNER = ROOT / "crawler" / "archive"

SQL_TEXT = re.compile(
    r"\bSELECT\b[\s\S]+\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(?:CREATE|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bALTER\s+TABLE\b|\bPRAGMA\s+\w+|\bEXPLAIN\b"
)
CURSOR_CALLS = {"execute", "executemany", "executescript"}
# Modules that hand out connections or tables: only the archive opens them.
CONNECTION_MODULES = {"sqlite_utils", "crawler.archive.connection"}


def scanned_files() -> list[Path]:
    files = []
    for top in SCANNED:
        files += [p for p in sorted((ROOT / top).rglob("*.py")) if OWNER not in p.parents]
    return files


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (or other bare string statements)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
    return found


def sql_in(source: str) -> list[str]:
    """What looks like SQL in ``source``'s code, one line per finding."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    found = []
    for node in ast.walk(tree):
        finding = _finding(node, skip)
        if finding:
            found.append(f"{getattr(node, 'lineno', 0)}: {finding}")
    return found


def _finding(node: ast.AST, skip: set[int]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
        return f"SQL text {node.value[:60]!r}" if SQL_TEXT.search(node.value) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr in CURSOR_CALLS:
            return f".{node.func.attr}(...) call"
        if node.func.attr == "connect" and _names(node.func.value) == "sqlite3":
            return "sqlite3.connect(...)"
    if isinstance(node, ast.Import | ast.ImportFrom):
        modules = [node.module] if isinstance(node, ast.ImportFrom) else []
        modules += [alias.name for alias in node.names]
        named = [m for m in modules if m and m.split(".")[0] == "sqlite_utils"]
        named += [m for m in modules if m in CONNECTION_MODULES or m == "open_archive"]
        return f"imports {', '.join(named)}" if named else None
    # archive.db["reports"]: a table reached behind the API's back
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
        return f"table access {_names(node.value)}[...]" if node.value.attr == "db" else None
    return None


def _names(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_names(node.value)}.{node.attr}"
    return "?"


def test_the_scan_covers_the_product_and_the_benchmarks() -> None:
    names = {str(p.relative_to(ROOT)) for p in scanned_files()}
    assert {"crawler/incremental.py", "crawler/reclean.py", "crawler/commands/status.py"} <= names
    assert {"pipelines/archive.py", "benchmarks/search.py", "crawler/runner.py"} <= names
    assert not any(name.startswith("crawler/archive/") for name in names)


@pytest.mark.parametrize(
    "source, finding",
    [
        ('db.execute("SELECT 1")', "1: .execute(...) call"),
        ('SQL = "SELECT id FROM reports WHERE portal = ?"', "1: SQL text 'SELECT id FROM reports"),
        ('q = f"UPDATE reports SET gone_at = {x}"', "1: SQL text 'UPDATE reports SET gone_at = "),
        ("from sqlite_utils import Database", "1: imports sqlite_utils"),
        ("from crawler.archive import open_archive", "1: imports open_archive"),
        ('archive.db["reports"].insert({})', "1: table access archive.db[...]"),
        ("import sqlite3\nsqlite3.connect(path)", "2: sqlite3.connect(...)"),
    ],
)
def test_the_scan_finds_sql_in_code(source: str, finding: str) -> None:
    assert [f for f in sql_in(source) if f.startswith(finding)], sql_in(source)


def test_comments_docstrings_and_error_types_are_not_sql() -> None:
    source = (
        '"""Reads SELECT rows FROM the archive through its API."""\n'
        "import sqlite3  # for the error type: UPDATE reports SET nothing\n"
        "def f():\n"
        '    """INSERT INTO nothing: a docstring."""\n'
        "    try:\n"
        "        return 1\n"
        "    except sqlite3.Error:\n"
        "        return 'no archive'\n"
    )
    assert sql_in(source) == []


def test_no_sql_outside_the_archive_package() -> None:
    findings = {
        str(path.relative_to(ROOT)): sql_in(path.read_text("utf-8")) for path in scanned_files()
    }
    assert {name: found for name, found in findings.items() if found} == {}


# --- the inner walls of crawler/ (design.md): who may import whom ---------------------------------
def first_party_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return {n for n in names if n.split(".")[0] in ("crawler", "spiders", "pipelines", "scrapy")}


def imports_of(folder: str) -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): first_party_imports(p) for p in (ROOT / folder).rglob("*.py")}


RUNS = (
    "crawler.health",
    "crawler.history",
    "crawler.runner",
    "crawler.lifecycle",
    "crawler.gone",
    "crawler.lock",
)
CRAWL_MIDDLEWARES = ("crawler.middlewares", "crawler.incremental", "crawler.portal", "crawler.cms")


def test_the_archive_imports_neither_the_run_lifecycle_nor_the_crawls_middlewares() -> None:
    banned = (*RUNS, *CRAWL_MIDDLEWARES, "scrapy", "spiders", "pipelines")
    found = {
        name: sorted(i for i in names if i.startswith(banned))
        for name, names in imports_of("crawler/archive").items()
    }
    assert {name: bad for name, bad in found.items() if bad} == {}


def test_the_text_package_holds_no_archive_and_incremental_crawling_no_health() -> None:
    text = {
        name: sorted(i for i in names if i.startswith("crawler.archive"))
        for name, names in imports_of("crawler/cleaning").items()
    }
    assert {name: bad for name, bad in text.items() if bad} == {}
    incremental = first_party_imports(ROOT / "crawler" / "incremental.py")
    assert not any(i.startswith(RUNS) for i in incremental)
    assert "crawler.clock.utc_now" in first_party_imports(ROOT / "crawler" / "middlewares.py")
