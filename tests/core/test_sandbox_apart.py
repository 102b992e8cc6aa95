"""The sandbox stands apart from the product: none of it in the wheel, none of its dependencies
in the product's, no product module imports it; `govreports crawl --sandbox` says how to get it
when it is not there."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from setuptools import find_packages

from crawler import sandbox_process
from crawler.commands import crawl as crawl_command

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def wheel_packages() -> list[str]:
    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
    return find_packages(where=str(ROOT), include=find["include"])


def test_the_wheel_carries_the_product_and_no_sandbox_file() -> None:
    packages = wheel_packages()
    assert {"crawler", "crawler.archive", "crawler.extract", "spiders", "pipelines"} <= set(
        packages
    )
    assert [p for p in packages if p.split(".")[0] == "sandbox"] == []
    assert not [key for key in PYPROJECT["tool"]["setuptools"]["package-data"] if "sandbox" in key]


def test_the_built_wheel_holds_no_sandbox_or_test_file(tmp_path: Path) -> None:
    """The wheel itself, built as a release would be (from a copy: a build writes build/)."""
    tree = tmp_path / "tree"
    junk = shutil.ignore_patterns(".venv", ".git", "output", "build", "*.egg-info", "__pycache__")
    shutil.copytree(ROOT, tree, ignore=junk)
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*command, "-w", str(tmp_path / "dist"), str(tree)], check=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("govreports-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"crawler", "pipelines", "spiders", "govreports-0.1.0.dist-info"}
    assert [n for n in names if "sandbox" in n.split("/")[0] or n.startswith("tests/")] == []
    assert "crawler/archive/datasette/templates/govreports_home.html" in names  # package data
    assert "crawler/sandbox_process.py" in names  # the launcher that says how to get it


def test_the_sandbox_dependencies_are_an_extra_not_the_products() -> None:
    project = PYPROJECT["project"]
    names = {dep.split("==")[0] for dep in project["dependencies"]}
    assert names.isdisjoint({"h11", "cryptography", "reportlab"})
    extra = {dep.split("==")[0] for dep in project["optional-dependencies"]["sandbox"]}
    assert extra == set(sandbox_process.SANDBOX_DEPENDENCIES)
    assert "govreports[sandbox]" in project["optional-dependencies"]["dev"]


def test_no_product_module_imports_the_sandbox() -> None:
    offenders = []
    for package in ("crawler", "spiders", "pipelines"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if _sandbox(n)]
    assert offenders == []


def _sandbox(module: str) -> bool:
    return module.split(".")[0] == "sandbox"


def test_the_checkout_has_the_sandbox() -> None:
    assert sandbox_process.sandbox_installed()


@pytest.mark.parametrize(
    "args",
    [
        ["crawl", "--sandbox", "zc_gov_cn"],
        ["crawl", "--sandbox", "--revision", "1", "--fault", "zc_gov_cn:list500"],
    ],
)
def test_crawl_sandbox_without_the_sandbox_says_how_to_install_it(
    args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(crawl_command, "sandbox_installed", lambda: False)
    archive = tmp_path / "archive.db"
    result = CliRunner().invoke(crawl_command.crawl, [*args[1:], "--archive", str(archive)])
    assert result.exit_code == 2
    assert "the offline sandbox is not installed" in result.stderr
    assert "pip install -e '.[sandbox]'" in result.stderr
    assert not archive.exists()  # nothing opened, locked or fetched


def test_sandbox_missing_when_its_package_is_absent(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sandbox_process, "sandbox_root", lambda: str(tmp_path))
    monkeypatch.setattr(sandbox_process.importlib.util, "find_spec", lambda name: None)
    assert not sandbox_process.sandbox_installed()
    with pytest.raises(sandbox_process.SandboxMissing, match="not installed"):
        sandbox_process.sandbox_manifest()


def test_sandbox_run_starts_it_around_a_command() -> None:
    # the command sees the proxy; its exit status is the run's
    probe = "import os; print(os.environ['https_proxy'], os.environ['http_proxy']); exit(7)"
    command = [sys.executable, "-m", "sandbox", "run", "--", sys.executable, "-c", probe]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 7, proc.stderr[-2000:]
    https, http = proc.stdout.split()
    assert https == http
    assert https.startswith("http://127.0.0.1:")
