"""Every portal is complete, and a broken portal declaration fails at import with a message that
says what to fix.

Complete means: `spiders/NAME.py` defines the spider NAME and has no `TODO(genportal)` line left,
`tests/spiders/test_NAME.py` exists without genportal's placeholder, `tests/fixtures/NAME/` holds
saved pages listed in its fixtures.json, and README.md's Portals table has a row for NAME.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from scrapy.spiderloader import get_spider_loader

from crawler.cms.hanweb import HanwebMixin
from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import PortalDeclarationError, PortalSpider
from crawler.registry import find_row, registry_rows
from crawler.runner import project_settings

ROOT = Path(__file__).resolve().parents[1]
LOADER = get_spider_loader(project_settings())
SPIDERS = sorted(LOADER.list())


def readme_portal_rows() -> set[str]:
    """Spider names in the first column of the table under README.md's '## Portals'."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("\n## Portals\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\|\s*`([a-z0-9_]+)`\s*\|", section, re.MULTILINE))


def test_every_spider_of_the_project_is_checked() -> None:
    # the portals of this checkout; a new one joins the list below by itself
    assert {"zc_gov_cn", "haizhu_gov_cn", "qufu_gov_cn"} <= set(SPIDERS)


@pytest.mark.parametrize("name", SPIDERS)
def test_spider_lives_in_its_own_module_with_nothing_left_to_do(name: str) -> None:
    spider = LOADER.load(name)
    row = find_row(registry_rows(), name)
    if spider.__module__ == "crawler.registry.generated":
        assert not (ROOT / "spiders" / f"{name}.py").exists()
        return  # built from its portals.toml row: no code to check
    assert spider.__module__ == f"spiders.{name}", f"spider {name} must live in spiders/{name}.py"
    source = (ROOT / "spiders" / f"{name}.py").read_text("utf-8")
    todo = [n for n, line in enumerate(source.splitlines(), 1) if "TODO(genportal)" in line]
    assert todo == [], f"spiders/{name}.py still has TODO(genportal) on lines {todo}: check them"
    if row is not None:  # a registered portal with a file: its row says which file and why
        assert row.spider == name and row.why, f"portals.toml: {name}'s row must say spider, why"


@pytest.mark.parametrize("name", SPIDERS)
def test_spider_has_its_test_module(name: str) -> None:
    test = ROOT / "tests" / "spiders" / f"test_{name}.py"
    assert test.is_file(), f"tests/spiders/test_{name}.py is missing (scrapy genportal writes one)"
    assert "genportal placeholder" not in test.read_text("utf-8"), (
        f"tests/spiders/test_{name}.py still has genportal's placeholder test: replace it"
    )


@pytest.mark.parametrize("name", SPIDERS)
def test_spider_has_its_fixture_folder(name: str) -> None:
    folder = ROOT / "tests" / "fixtures" / name
    index = folder / "fixtures.json"
    assert index.is_file(), f"tests/fixtures/{name}/fixtures.json is missing"
    saved = json.loads(index.read_text("utf-8"))
    assert saved, f"tests/fixtures/{name}/fixtures.json lists no saved page"
    missing = [file for file in saved if not (folder / file).is_file()]
    assert missing == [], f"tests/fixtures/{name}/ lacks {missing}, listed in fixtures.json"


@pytest.mark.parametrize("name", SPIDERS)
def test_spider_has_its_readme_row(name: str) -> None:
    assert name in readme_portal_rows(), (
        f"README.md: the Portals table has no row for `{name}` (spider, portal, CMS, lists walked)"
    )


# --- declarations: each mistake fails when the class is defined --------------------------------

GOOD = {
    "name": "x_gov_cn",
    "portal_name": "某某区",
    "allowed_domains": ["x.gov.cn"],
    "start_urls": ["https://www.x.gov.cn/gk/nb/"],
    "content_selector": "#zoomcon",
}


def declare(bases: tuple[type, ...] = (NfcmsMixin, PortalSpider), **changes: object) -> type:
    body = {**GOOD, **changes, "__module__": "spiders.x_gov_cn"}
    return type("XGovCnSpider", bases, {k: v for k, v in body.items() if v is not None})


def test_a_good_declaration_passes() -> None:
    spider = declare()
    assert issubclass(spider, PortalSpider) and spider.name == "x_gov_cn"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"content_selector": None},
            "spiders.x_gov_cn.XGovCnSpider: 'content_selector' is missing; declare it on the class",
        ),
        ({"name": None}, "spiders.x_gov_cn.XGovCnSpider: 'name' is missing"),
        ({"start_urls": []}, "'start_urls' is missing"),
        (
            {"start_urls": ["ftp://www.x.gov.cn/nb/"]},
            "start URL 'ftp://www.x.gov.cn/nb/' is not an http(s) URL",
        ),
        (
            {"start_urls": ["www.x.gov.cn/nb/"]},
            "start URL 'www.x.gov.cn/nb/' is not an http(s) URL",
        ),
        (
            {"start_urls": ["https://www.y.gov.cn/nb/"]},
            "start URL 'https://www.y.gov.cn/nb/' is outside allowed_domains ['x.gov.cn']",
        ),
        (
            {"start_urls": "https://www.x.gov.cn/gk/nb/"},
            "start_urls must be a list, e.g. ['https://www.x.gov.cn/gk/nb/']",
        ),
        (
            {"allowed_domains": ["https://www.x.gov.cn/"]},
            "allowed_domains entry 'https://www.x.gov.cn/' must be a bare host name",
        ),
        ({"content_selector": "#zoom[con"}, "content_selector is not valid CSS"),
        ({"title_selector": "h1 >"}, "title_selector is not valid CSS"),
        (
            {"content_selector": "#zoom, #nbnr"},
            "content_selector '#zoom, #nbnr' is a selector group, and the crawl appends ' ::text' / ' img' to it; write one selector: ':is(#zoom, #nbnr)'",
        ),
        ({"detail_url_re": "post_(\\d+"}, "detail_url_re is not a valid regex"),
        ({"list_columns": "/gkml/[^/+/$"}, "list_columns is not a valid regex"),
        (
            {"hints": ["https://www.y.gov.cn/nb/"]},
            "hint 'https://www.y.gov.cn/nb/' is outside allowed_domains ['x.gov.cn']",
        ),
        (
            {"hints": ["ftp://www.x.gov.cn/nb/"]},
            "hint 'ftp://www.x.gov.cn/nb/' is not an http(s) URL",
        ),
        (
            {"hints": "https://www.x.gov.cn/nb/"},
            "hints must be a list, e.g. ['https://www.x.gov.cn/nb/']",
        ),
    ],
)
def test_a_broken_declaration_fails_at_import_saying_what_to_fix(changes, message) -> None:
    with pytest.raises(PortalDeclarationError) as raised:
        declare(**changes)
    assert message in str(raised.value)
    assert str(raised.value).startswith("spiders.x_gov_cn.XGovCnSpider: ")


def test_a_cms_mixin_after_portalspider_fails_instead_of_being_shadowed() -> None:
    with pytest.raises(PortalDeclarationError) as raised:
        declare(bases=(PortalSpider, HanwebMixin))
    assert str(raised.value) == (
        "spiders.x_gov_cn.XGovCnSpider: HanwebMixin must come before PortalSpider in the bases: "
        "class XGovCnSpider(HanwebMixin, PortalSpider)"
    )


def test_a_broken_portal_file_fails_scrapy_list_with_the_message(tmp_path) -> None:
    import subprocess
    import sys

    broken = tmp_path / "spiders"
    broken.mkdir()
    (broken / "__init__.py").write_text("")
    (broken / "bad_gov_cn.py").write_text(
        "from crawler.cms.nfcms import NfcmsMixin\n"
        "from crawler.portal import PortalSpider\n\n\n"
        "class BadGovCnSpider(NfcmsMixin, PortalSpider):\n"
        '    name = "bad_gov_cn"\n'
        '    portal_name = "坏区"\n'
        '    allowed_domains = ["bad.gov.cn"]\n'
        '    start_urls = ["https://www.bad.gov.cn/nb/"]\n'
    )
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = crawler.settings\n")
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "list", "-s", "SPIDER_MODULES=spiders"],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert (
        "crawler.portal.PortalDeclarationError: spiders.bad_gov_cn.BadGovCnSpider: "
        "'content_selector' is missing; declare it on the class"
    ) in proc.stderr
