"""The egg Scrapyd runs: built by scrapyd-client (`scrapyd-deploy --build-egg`) from a copy of
the project, because scrapyd-deploy writes a setup.py into the tree it builds.

Why an egg and not a wheel: Scrapyd 1.6 stores and activates eggs only (addversion.json takes
an `egg`; its runner finds the settings module through the egg's `scrapy` entry point). The
egg carries our code; a node still needs the pinned dependencies and the Debian packages
(chromium, tesseract, LibreOffice) installed, which no egg or wheel can bring.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("pyproject.toml", "README.md", "scrapy.cfg")
PACKAGES = ("crawler", "spiders", "pipelines")  # the crawler never imports sandbox/
# The portal registry rides in the egg as package data: a node's `scrapy list` and `scrapy
# crawl X` build the generic spiders from its rows (crawler/registry/rows.py reads it there
# when the repository's portals.toml is not beside the code; pyproject.toml's package-data).
REGISTRY_IN_EGG = Path("crawler") / "registry" / "portals.toml"


class EggBuildError(Exception):
    pass


def build_egg(out: Path, root: Path = ROOT) -> Path:
    """Build the project egg into `out`; return its path."""
    with tempfile.TemporaryDirectory(prefix="govreports-egg-") as tmp:
        tree = Path(tmp) / "project"
        tree.mkdir()
        for name in PROJECT_FILES:
            shutil.copy2(root / name, tree / name)
        for package in PACKAGES:
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(root / package, tree / package, ignore=ignore)
        shutil.copy2(root / "portals.toml", tree / REGISTRY_IN_EGG)
        deploy = Path(sys.executable).with_name("scrapyd-deploy")
        done = subprocess.run(
            [str(deploy), f"--build-egg={out}"],
            cwd=tree,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0 or not out.is_file():
        raise EggBuildError(f"scrapyd-deploy --build-egg failed: {done.stderr.strip()[-500:]}")
    return out
