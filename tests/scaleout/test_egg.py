"""The egg Scrapyd runs carries the portal registry: a node builds every registered portal's
spider from the egg alone (its `scrapy list`, the portals it can crawl)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from crawler.cluster.egg import build_egg

LIST = (
    "from scrapy.utils.project import get_project_settings;"
    "from crawler.registry.loader import RegistrySpiderLoader;"
    "print(' '.join(sorted(RegistrySpiderLoader(get_project_settings()).list())))"
)


def test_the_egg_alone_knows_every_registered_portal(tmp_path):
    egg = build_egg(tmp_path / "govreports.egg")
    assert "crawler/registry/portals.toml" in zipfile.ZipFile(egg).namelist()
    # run from the egg, far from the repository (as Scrapyd's runner does)
    env = {**os.environ, "PYTHONPATH": str(egg), "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    listed = subprocess.run(
        [sys.executable, "-c", LIST], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert listed.stdout.split() == [
        "by_gov_cn",
        "haizhu_gov_cn",
        "qufu_gov_cn",
        "qzlc_gov_cn",
        "zc_gov_cn",
    ]
