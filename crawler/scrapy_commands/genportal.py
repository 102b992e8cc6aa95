"""`scrapy genportal NAME START_URL`: a new portal in three files, from its CMS's template.

    scrapy genportal haizhu_gov_cn https://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/ --sandbox

writes `spiders/NAME.py` (the declarations a portal on that CMS needs: the host's home page as
its entry point, START_URL as a hint unless it is the home page; each line to check marked
`TODO(genportal)`), `tests/fixtures/NAME/` with the start page saved (read from a file, fetched
from the offline sandbox, or fetched live) and `tests/spiders/test_NAME.py`, whose placeholder
test fails, showing what the saved page lists, until real assertions replace it. The CMS is
recognised from the saved page unless `--cms` names it. Nothing is written when a file exists
already or the page cannot be had.
"""

from __future__ import annotations

import argparse
import json
import re
import ssl
import string
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import closest_scrapy_cfg

CMS_CHOICES = ("nfcms", "trs", "hanweb", "generic")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
# What each CMS leaves in its pages (docs/portals.md §1, §5, §6); the first match wins.
CMS_MARKS = (
    ("hanweb", re.compile(r"<datastore>|/module/web/jpage/|art_\d+_\d+\.html")),
    ("nfcms", re.compile(r"NFCMS_SITE_ID|/postmeta/[ip]/|/content/m?post_\d+\.html")),
    ("trs", re.compile(r"createPageHTML|TRS_Editor|/t\d{8}_\d+\.s?htm")),
)
# 广州市海珠区人民政府门户网站 -> (广州市, 海珠区); 曲阜市人民政府 -> (None, 曲阜市)
PLACE_RE = re.compile(
    r"(?P<city>[\u4e00-\u9fff]{2,4}?市)?(?P<district>[\u4e00-\u9fff]{1,4}?[区县市])"
)


class GenportalError(Exception):
    """Something the user can fix: said in one line, nothing written."""


@dataclass(frozen=True)
class StartPage:
    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class PortalFiles:
    spider: Path
    test: Path
    fixtures: Path

    @classmethod
    def under(cls, root: Path, spiders_dir: Path, name: str) -> PortalFiles:
        tests = root / "tests"
        return cls(
            spiders_dir / f"{name}.py",
            tests / "spiders" / f"test_{name}.py",
            tests / "fixtures" / name,
        )

    def existing(self) -> list[Path]:
        return [p for p in (self.spider, self.test, self.fixtures) if p.exists()]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] <name> <start_url>"

    def short_desc(self) -> str:
        return "Write a portal spider, its fixture folder and its failing test from a CMS template"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--cms", choices=CMS_CHOICES, help="CMS template (default: recognised from the page)"
        )
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--from-file", metavar="FILE", help="the start page, saved by hand")
        source.add_argument(
            "--sandbox", action="store_true", help="fetch it from the offline sandbox"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 2:
            raise UsageError("expected <name> <start_url>")
        try:
            created = generate(args[0], args[1], opts.cms, opts.from_file, opts.sandbox)
        except GenportalError as exc:
            print(f"genportal: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print(next_steps(args[0], created))


def generate(
    name: str, url: str, cms: str | None, from_file: str | None, sandbox: bool
) -> dict[str, str | Path]:
    """Check, fetch, render, then write: a failure before the last step writes nothing."""
    check_name(name)
    check_url(url)
    files = PortalFiles.under(project_root(), spiders_dir(), name)
    if files.existing():
        raise GenportalError(f"{name} exists already: {', '.join(map(str, files.existing()))}")
    page = read_page(url, from_file) if from_file else fetch_page(url, sandbox)
    cms = cms or detect_cms(page.text)
    values = template_values(name, url, page.text)
    spider = render(f"spider_{cms}.py.tmpl", values)
    test = render("test_spider.py.tmpl", values)
    files.fixtures.mkdir(parents=True)
    (files.fixtures / "start.html").write_bytes(page.body)
    index = {
        "start.html": {
            "url": url,
            "status": page.status,
            "headers": {"Content-Type": page.content_type},
        }
    }
    (files.fixtures / "fixtures.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    files.spider.write_text(spider, "utf-8")
    files.test.parent.mkdir(parents=True, exist_ok=True)
    files.test.write_text(test, "utf-8")
    return {"cms": cms, "spider": files.spider, "test": files.test, "fixtures": files.fixtures}


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise GenportalError(
            f"name {name!r} must be lower-case words joined by _, e.g. haizhu_gov_cn"
        )


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise GenportalError(f"start URL {url!r} is not an http(s) URL")


def project_root() -> Path:
    return Path(closest_scrapy_cfg()).resolve().parent


def spiders_dir() -> Path:
    from scrapy.utils.project import get_project_settings

    module = import_module(get_project_settings()["NEWSPIDER_MODULE"])
    return Path(module.__file__ or "").resolve().parent


def read_page(url: str, path: str) -> StartPage:
    try:
        body = Path(path).read_bytes()
    except OSError as exc:
        raise GenportalError(f"cannot read {path}: {exc.strerror}") from exc
    return StartPage(url, 200, "text/html", body)


def fetch_page(url: str, sandbox: bool) -> StartPage:
    if not sandbox:
        return _fetch(url, proxy=None)
    from crawler.sandbox_process import running_sandbox

    with running_sandbox() as proxy:
        return _fetch(url, proxy=proxy)


def _fetch(url: str, proxy: str | None) -> StartPage:
    handlers: list[urllib.request.BaseHandler] = []
    if proxy:
        # The sandbox's certificate is self-signed: it is ours, and it is on 127.0.0.1.
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
        handlers += [
            urllib.request.ProxyHandler({"http": proxy, "https": proxy}),
            urllib.request.HTTPSHandler(context=insecure),
        ]
    request = urllib.request.Request(url, headers={"User-Agent": _user_agent()})
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=30) as response:
            if response.geturl() != url:
                raise GenportalError(f"{url} redirects to {response.geturl()}; start from there")
            content_type = response.headers.get("Content-Type", "text/html")
            return StartPage(url, response.status, content_type, response.read())
    except (urllib.error.URLError, OSError) as exc:
        where = "the sandbox" if proxy else "the network"
        raise GenportalError(
            f"cannot fetch {url} from {where} ({getattr(exc, 'reason', exc)}); save the page "
            "and pass --from-file FILE, or use --sandbox for a portal the sandbox serves"
        ) from exc


def _user_agent() -> str:
    from scrapy.utils.project import get_project_settings

    return get_project_settings()["USER_AGENT"]


def detect_cms(html: str) -> str:
    """The CMS family whose fingerprints the page carries, else "generic"."""
    return next((cms for cms, mark in CMS_MARKS if mark.search(html)), "generic")


def guess_place(html: str) -> tuple[str | None, str | None, str]:
    """(city, district, site name) from the page's SiteName meta or <title>; None when unsure."""
    page = Selector(text=html)
    site = (
        page.css('meta[name="SiteName"]::attr(content)').get()
        or page.css("title::text").get()
        or ""
    )
    site = re.sub(r"\s+", "", site)
    match = PLACE_RE.match(site)
    if not match:
        return None, None, site
    return match.group("city"), match.group("district"), site


def template_values(name: str, url: str, html: str) -> dict[str, str]:
    city, district, site = guess_place(html)
    parts = urlsplit(url)
    host = parts.hostname or ""
    home = f"{parts.scheme}://{parts.netloc}/"
    return {
        "name": name,
        "classname": "".join(part.capitalize() for part in name.split("_")) + "Spider",
        "start_url": url,
        "home_url": home,
        "hints": "[]" if url.rstrip("/") == home.rstrip("/") else f'["{url}"]',
        "host": host,
        "domain": host.removeprefix("www."),
        "portal_name": f"{city or ''}{district}" if district else (site or host),
        "city": _literal(city),
        "district": _literal(district),
    }


def _literal(value: str | None) -> str:
    return f'"{value}"' if value else "None"  # as ruff format writes it


def render(template: str, values: dict[str, str]) -> str:
    return string.Template((TEMPLATES / template).read_text("utf-8")).substitute(values)


def next_steps(name: str, created: dict[str, str | Path]) -> str:
    root = project_root()
    shown = {key: Path(value).relative_to(root) for key, value in created.items() if key != "cms"}
    return (
        f"genportal: {name} from the {created['cms']} template\n"
        f"  {shown['spider']}    the spider: check every TODO(genportal) line\n"
        f"  {shown['fixtures']}/start.html    the start page, as fetched\n"
        f"  {shown['test']}    its test: the placeholder fails until real assertions replace it\n"
        "next:\n"
        f"  .venv/bin/pytest -q {shown['test']} tests/test_portal_meta.py    # says what is left\n"
        f"  add a row for `{name}` to the Portals table of README.md\n"
        f"  .venv/bin/govreports crawl {name} --sandbox --archive /tmp/{name}.db    # if the sandbox serves it"
    )
