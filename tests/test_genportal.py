"""`scrapy genportal`: CMS recognition, the templates, the command in a copy of the project, and
the README's "Adding a portal" walkthrough run command by command, from nothing to a passing
test (in a copy of the checkout without haizhu_gov_cn)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from crawler.portal import PortalSpider
from crawler.scrapy_commands import genportal
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
HAIZHU = "https://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/"
QUFU = "http://www.qufu.gov.cn/col/col15260/index.html"


def page(portal: str, name: str) -> str:
    return (FIXTURES / portal / name).read_text("utf-8")


# --- pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "cms"),
    [
        (page("haizhu_gov_cn", "jd_index.html"), "nfcms"),
        (page("zc_gov_cn", "index.html"), "nfcms"),
        (page("qufu_gov_cn", "col15260.html"), "hanweb"),
        ('<div class="page"><script>createPageHTML(3, 0, "index", "htm");</script></div>', "trs"),
        ('<ul><li><a href="./202401/t20240122_2996819.htm">通知</a></li></ul>', "trs"),
        ("<html><body><ul><li><a href='/news/1.html'>新闻</a></li></ul></body></html>", "generic"),
    ],
)
def test_the_cms_is_recognised_from_the_page(html: str, cms: str) -> None:
    assert genportal.detect_cms(html) == cms


@pytest.mark.parametrize(
    ("html", "place"),
    [
        (
            page("haizhu_gov_cn", "jd_index.html"),
            ("广州市", "海珠区", "广州市海珠区人民政府门户网站"),
        ),
        (page("qufu_gov_cn", "col15260.html"), (None, "曲阜市", "曲阜市人民政府")),
        ("<title>白云信息网</title>", (None, None, "白云信息网")),
    ],
)
def test_city_and_district_are_guessed_from_the_site_name(html: str, place: tuple) -> None:
    assert genportal.guess_place(html) == place


def load_rendered(cms: str, html: str, url: str = "") -> tuple[str, type]:
    """The spider genportal would write, and the class it defines (checked by PortalSpider)."""
    name = "demo_gov_cn"
    url = url or (HAIZHU if cms == "nfcms" else QUFU)
    source = genportal.render(f"spider_{cms}.py.tmpl", genportal.template_values(name, url, html))
    namespace: dict = {"__name__": f"spiders.{name}"}
    exec(compile(source, f"spiders/{name}.py", "exec"), namespace)
    return source, next(
        v for v in namespace.values() if isinstance(v, type) and v.__name__ == "DemoGovCnSpider"
    )


def test_nfcms_template_is_a_working_declaration_of_start_urls_and_selectors() -> None:
    source, spider = load_rendered("nfcms", page("haizhu_gov_cn", "jd_index.html"))
    assert issubclass(spider, PortalSpider) and spider.json_list_path == "/postmeta/i/{cat}.json"
    assert (spider.name, spider.portal_name, spider.allowed_domains, spider.start_urls) == (
        "demo_gov_cn",
        "广州市海珠区",
        ["haizhu.gov.cn"],
        ["https://www.haizhu.gov.cn/"],  # the home page: discovery starts there
    )
    assert spider.hints == [HAIZHU]  # the page genportal was given: a hint, never the limit
    assert (spider.city, spider.district, spider.content_selector, spider.title_selector) == (
        "广州市",
        "海珠区",
        "#zoomcon",
        "h1",
    )
    assert len(source.splitlines()) == 18
    assert source.count("TODO(genportal)") == 6


def test_hanweb_template_is_a_working_declaration_of_start_urls_and_selectors() -> None:
    source, spider = load_rendered("hanweb", page("qufu_gov_cn", "col15260.html"))
    assert spider.parse_group.__qualname__ == "HanwebMixin.parse_group"
    assert (spider.portal_name, spider.start_urls, spider.hints, spider.city, spider.district) == (
        "曲阜市",
        ["http://www.qufu.gov.cn/"],
        [QUFU],
        None,
        "曲阜市",
    )
    assert (spider.content_selector, spider.title_selector) == ("#zoom", ".title")
    assert len(source.splitlines()) == 18


def test_trs_template_is_a_working_declaration_of_start_urls_and_selectors() -> None:
    html = (
        '<title>泉州市鲤城区人民政府</title><script>createPageHTML(3, 0, "index", "htm");</script>'
    )
    assert genportal.detect_cms(html) == "trs"
    source, spider = load_rendered("trs", html, url="https://www.qzlc.gov.cn/zwgk/zj/jljd/nb/")
    assert [base.__name__ for base in spider.__bases__] == ["TrsMixin", "PortalSpider"]
    assert (spider.portal_name, spider.city, spider.district, spider.allowed_domains) == (
        "泉州市鲤城区",
        "泉州市",
        "鲤城区",
        ["qzlc.gov.cn"],
    )
    assert (spider.content_selector, spider.title_selector) == (".TRS_Editor", "h1")
    assert len(source.splitlines()) == 18


def test_generic_template_declares_which_links_are_posts() -> None:
    source, spider = load_rendered("generic", "", url="https://www.example.gov.cn/xxgk/nb/")
    assert spider.__bases__ == (PortalSpider,)
    assert spider.detail_url_re == r"\.s?html?$"
    assert spider.portal_name == "www.example.gov.cn"  # no site name to guess from
    assert spider.content_selector == "article"
    assert len(source.splitlines()) == 19


def test_a_home_page_given_to_genportal_is_the_entry_point_and_no_hint() -> None:
    source, spider = load_rendered("trs", "", url="https://www.qzlc.gov.cn/")
    assert "hints = []" in source
    assert (spider.start_urls, spider.hints) == (["https://www.qzlc.gov.cn/"], [])


def test_names_and_urls_are_checked_before_anything_is_written() -> None:
    with pytest.raises(genportal.GenportalError, match="must be lower-case words joined by _"):
        genportal.check_name("Haizhu-gov")
    with pytest.raises(genportal.GenportalError, match="is not an http"):
        genportal.check_url("www.haizhu.gov.cn/zwgk/")


# --- the command, in a copy of the project ------------------------------------------------------


def copy_project(into: Path, without: str | None = None) -> Path:
    """The checkout's tracked files (others' unfinished files stay out), the venv linked."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith("tests/fixtures/cleaning/"):
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    (into / ".venv").symlink_to(ROOT / ".venv")
    if without:
        (into / "spiders" / f"{without}.py").unlink()
        (into / "tests" / "spiders" / f"test_{without}.py").unlink()
        shutil.rmtree(into / "tests" / "fixtures" / without)
        readme = into / "README.md"
        kept = [
            x
            for x in readme.read_text("utf-8").splitlines(True)
            if not x.startswith(f"| `{without}`")
        ]
        readme.write_text("".join(kept), "utf-8")
        registry = into / "portals.toml"
        registry.write_text(without_row(registry.read_text("utf-8"), without), "utf-8")
    return into


def without_row(toml: str, key: str) -> str:
    """portals.toml without the [[portal]] table of the portal `key` (haizhu_gov_cn)."""
    host = "www." + key.replace("_", ".")
    blocks = toml.split("\n[[portal]]\n")
    kept = [b for b in blocks if f'host = "{host}"' not in b]
    assert len(kept) == len(blocks) - 1, f"portals.toml has no row for {host}"
    return "\n[[portal]]\n".join(kept)


def run(project: Path, command: str) -> subprocess.CompletedProcess:
    # The copy's packages come first on the path (the venv's editable install points here).
    env = {**os.environ, "PYTHONPATH": str(project), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        command, shell=True, cwd=project, env=env, capture_output=True, text=True, timeout=600
    )


def test_genportal_from_a_saved_file_writes_three_files_and_a_failing_test(tmp_path) -> None:
    project = copy_project(tmp_path / "project")
    saved = tmp_path / "column.html"
    shutil.copy(FIXTURES / "qufu_gov_cn" / "col15260.html", saved)
    done = run(project, f".venv/bin/scrapy genportal demo_gov_cn {QUFU} --from-file {saved}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "genportal: demo_gov_cn from the hanweb template"
    assert (project / "tests/fixtures/demo_gov_cn/start.html").read_bytes() == saved.read_bytes()
    spider = (project / "spiders/demo_gov_cn.py").read_text("utf-8")
    assert "class DemoGovCnSpider(HanwebMixin, PortalSpider):" in spider
    tested = run(
        project, ".venv/bin/pytest -q -p no:cacheprovider tests/spiders/test_demo_gov_cn.py"
    )
    assert tested.returncode == 1
    assert "1 failed, 1 passed" in tested.stdout
    assert "genportal placeholder: the start page lists 45 posts, the first:" in tested.stdout
    assert (
        "2025年曲阜市住房和城乡建设局政府信息公开工作年度报告 http://www.qufu.gov.cn/art/2026/3/10/art_15260_3846255.html 2026-03-10"
        in tested.stdout
    )
    again = run(project, f".venv/bin/scrapy genportal demo_gov_cn {QUFU} --from-file {saved}")
    assert again.returncode == 1
    assert again.stderr.startswith("genportal: demo_gov_cn exists already: ")


def test_genportal_refuses_bad_input_and_writes_nothing(tmp_path) -> None:
    project = copy_project(tmp_path / "project")
    missing = run(
        project, f".venv/bin/scrapy genportal demo_gov_cn {QUFU} --from-file nowhere.html"
    )
    assert (missing.returncode, missing.stderr) == (
        1,
        "genportal: cannot read nowhere.html: No such file or directory\n",
    )
    bad_url = run(project, ".venv/bin/scrapy genportal demo_gov_cn ftp://www.qufu.gov.cn/")
    assert bad_url.stderr == "genportal: start URL 'ftp://www.qufu.gov.cn/' is not an http(s) URL\n"
    taken = run(project, f".venv/bin/scrapy genportal zc_gov_cn {QUFU} --from-file nowhere.html")
    assert taken.stderr.startswith("genportal: zc_gov_cn exists already: ")
    assert not (project / "spiders/demo_gov_cn.py").exists()
    assert not (project / "tests/fixtures/demo_gov_cn").exists()


# --- the README walkthrough -----------------------------------------------------------------------


def readme_block(tag: str) -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(rf"<!-- walkthrough:{tag} -->\n```\w*\n(.*?)```", text, re.DOTALL)
    assert match, f"README.md has no walkthrough:{tag} block"
    return match.group(1)


def test_readme_spider_is_the_committed_spider() -> None:
    assert readme_block("spider") == (ROOT / "spiders/haizhu_gov_cn.py").read_text("utf-8")


@pytest.mark.sandbox
def test_readme_walkthrough_from_nothing_to_a_passing_test(tmp_path) -> None:
    project = copy_project(tmp_path / "project", without="haizhu_gov_cn")
    commands = [c for c in readme_block("commands").splitlines() if c and not c.startswith("#")]
    generate, first_test, second_test, crawl = commands

    done = run(project, generate)
    assert done.returncode == 0, done.stderr
    assert "genportal: haizhu_gov_cn from the nfcms template" in done.stdout

    failing = run(project, first_test)
    assert failing.returncode == 1
    assert "4 failed, 2 passed" in failing.stdout
    for says in (
        "genportal placeholder: the start page lists 15 posts",
        "spiders/haizhu_gov_cn.py still has TODO(genportal) on lines [3, 12, 15, 16, 17, 18]",
        "still has genportal's placeholder test: replace it",
        "the Portals table has no row for `haizhu_gov_cn`",
    ):
        assert says in failing.stdout

    # the edits the README shows: the spider, the test's placeholder, the table row
    (project / "spiders/haizhu_gov_cn.py").write_text(readme_block("spider"), "utf-8")
    test = project / "tests/spiders/test_haizhu_gov_cn.py"
    head = test.read_text("utf-8").split("def test_start_page_lists_reports")[0]
    test.write_text(head + readme_block("test"), "utf-8")
    row = next(
        x
        for x in (ROOT / "README.md").read_text("utf-8").splitlines(True)
        if x.startswith("| `haizhu_gov_cn`")
    )
    readme = (project / "README.md").read_text("utf-8")
    readme = readme.replace("\n\n## Adding a portal", f"\n{row}\n## Adding a portal", 1)
    (project / "README.md").write_text(readme, "utf-8")

    passing = run(project, second_test)
    assert passing.returncode == 0, passing.stdout
    assert "6 passed" in passing.stdout

    crawled = run(project, crawl)
    assert crawled.returncode == 0, crawled.stderr
    assert "recall 100% precision 100% of 40" in crawled.stdout
