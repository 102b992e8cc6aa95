"""The portal registry's rows: read and checked from TOML files (portals.toml and any file named
by the PORTAL_REGISTRY_FILES setting, e.g. the rows the sandbox writes for its generated portals).

A row is data only: hosts, name, division code, CMS family, entry URLs, hints and quirks. What a
row means for a crawl is crawler/registry/spiders.py's business.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPOSITORY_REGISTRY = Path(__file__).resolve().parents[2] / "portals.toml"
FAMILIES = ("nfcms", "trs", "hanweb", "generic")
_DIVISION_RE = re.compile(r"^\d{6}$")
_KNOWN_KEYS = {
    "host",
    "name",
    "division",
    "cms",
    "city",
    "district",
    "entry",
    "hints",
    "content",
    "title",
    "list_columns",
    "aliases",
    "reposts",
    "domains",
    "repost_hosts",
    "rate",
    "network",
    "spider",
    "why",
    "notes",
}


class RegistryError(ValueError):
    """A registry file or row that cannot be used; the message names the file and the row."""


@dataclass(frozen=True)
class PortalRow:
    host: str  # the portal's current host, e.g. "www.zc.gov.cn"
    name: str  # "广州市增城区"
    division: str  # 6-digit administrative division code, "440118"
    cms: str  # one of FAMILIES
    entry: tuple[str, ...]  # entry URLs: the home page, where discovery starts
    hints: tuple[str, ...] = ()  # report columns a source names: read first, never the limit
    city: str | None = None
    district: str | None = None
    content: str | None = None  # CSS of the report body; the family's default when None
    title: str | None = None  # CSS of the title; "h1" when None
    list_columns: str | None = None  # regex: URLs read as report lists wherever met
    aliases: dict[str, str] = field(default_factory=dict)  # migrated hosts: old -> current
    # another portal's column that re-posts this portal's reports: URL -> title regex kept
    reposts: dict[str, str] = field(default_factory=dict)
    domains: tuple[str, ...] = ()  # extra allowed domains beyond the host's own
    # hosts documented to re-post this portal's reports (the fetch policy lets them through)
    repost_hosts: tuple[str, ...] = ()
    # politeness of this portal's hosts: {"delay": seconds, "concurrency": requests at once}
    rate: dict[str, float] = field(default_factory=dict)
    # a network tag: a cluster crawl runs it only on nodes tagged so (docs/scale-out.md)
    network: str | None = None
    spider: str | None = None  # a spider file that replaces the generic spider, and ...
    why: str | None = None  # ... the quirk that needs code
    source: str = ""  # the file the row came from (for messages)

    @property
    def key(self) -> str:
        """The portal's name in the archive and on the command line: www.zc.gov.cn -> zc_gov_cn."""
        return re.sub(r"[^a-z0-9]+", "_", self.host.removeprefix("www.").lower()).strip("_")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"host": self.host, "name": self.name, "division": self.division}
        out.update(cms=self.cms, entry=list(self.entry))
        for name in ("hints", "domains", "repost_hosts"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        for name in (
            "city",
            "district",
            "content",
            "title",
            "list_columns",
            "network",
            "spider",
            "why",
        ):
            if getattr(self, name):
                out[name] = getattr(self, name)
        for name in ("aliases", "reposts", "rate"):
            if getattr(self, name):
                out[name] = dict(getattr(self, name))
        return out


def load_rows(path: Path | str) -> list[PortalRow]:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read the registry: {exc}") from exc
    return rows_from_text(text, str(path))


def rows_from_text(text: str, path: str) -> list[PortalRow]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: cannot read the registry: {exc}") from exc
    raw = data.get("portal", [])
    if not isinstance(raw, list):
        raise RegistryError(f"{path}: 'portal' must be an array of tables ([[portal]])")
    rows = [row_from_dict(item, f"{path} portal #{i + 1}") for i, item in enumerate(raw)]
    _check_unique(rows, str(path))
    return rows


def row_from_dict(item: Any, where: str) -> PortalRow:
    if not isinstance(item, dict):
        raise RegistryError(f"{where}: a row must be a table")
    unknown = sorted(set(item) - _KNOWN_KEYS)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {unknown}; known: {sorted(_KNOWN_KEYS)}")
    for key in ("host", "name", "division", "cms", "entry"):
        if not item.get(key):
            raise RegistryError(f"{where}: '{key}' is missing")
    where = f"{where} ({item['host']})"
    if item["cms"] not in FAMILIES:
        raise RegistryError(f"{where}: cms {item['cms']!r} is not one of {FAMILIES}")
    if not _DIVISION_RE.match(str(item["division"])):
        raise RegistryError(f"{where}: division {item['division']!r} is not a 6-digit code")
    if item["cms"] == "generic" and not item.get("content"):
        raise RegistryError(f"{where}: a generic portal needs 'content' (the body's CSS)")
    row = PortalRow(
        host=_text(item, "host", where),
        name=_text(item, "name", where),
        division=str(item["division"]),
        cms=item["cms"],
        entry=_urls(item, "entry", where),
        hints=_urls(item, "hints", where),
        city=item.get("city"),
        district=item.get("district"),
        content=item.get("content"),
        title=item.get("title"),
        list_columns=item.get("list_columns"),
        aliases=_mapping(item, "aliases", where),
        reposts=_mapping(item, "reposts", where),
        domains=tuple(_strings(item, "domains", where)),
        repost_hosts=tuple(_strings(item, "repost_hosts", where)),
        rate=_rate(item, where),
        network=item.get("network"),
        spider=item.get("spider"),
        why=item.get("why"),
        source=where,
    )
    if row.network is not None and not (isinstance(row.network, str) and row.network):
        raise RegistryError(f"{where}: network {row.network!r} must be a non-empty tag")
    if row.spider and not row.why:
        raise RegistryError(
            f"{where}: spider {row.spider!r} needs 'why' (the quirk that needs code)"
        )
    return row


def _text(item: dict, key: str, where: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _strings(item: dict, key: str, where: str) -> list[str]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{where}: '{key}' must be a list of strings, e.g. [{value!r}]")
    return list(value)


def _urls(item: dict, key: str, where: str) -> tuple[str, ...]:
    urls = _strings(item, key, where)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(f"{where}: {key} {url!r} is not an http(s) URL")
    return tuple(urls)


def _mapping(item: dict, key: str, where: str) -> dict[str, str]:
    value = item.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise RegistryError(f"{where}: '{key}' must be a table of strings")
    return dict(value)


def _rate(item: dict, where: str) -> dict[str, float]:
    rate = item.get("rate", {})
    if not isinstance(rate, dict) or set(rate) - {"delay", "concurrency"}:
        raise RegistryError(f"{where}: 'rate' is a table of delay (seconds) and concurrency")
    for key, value in rate.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RegistryError(f"{where}: rate.{key} must be a number >= 0, not {value!r}")
    if rate.get("concurrency") == 0:
        raise RegistryError(f"{where}: rate.concurrency must be at least 1")
    return dict(rate)


def _check_unique(rows: list[PortalRow], where: str) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        for name in (row.host, row.key):
            if name in seen:
                raise RegistryError(f"{where}: {name} is registered twice ({seen[name]})")
            seen[name] = row.source


def registry_rows(extra_files: list[str] | tuple[str, ...] = ()) -> list[PortalRow]:
    """The repository's rows, then each extra file's; a portal registered twice is an error."""
    rows = _repository_rows()
    for path in extra_files:
        rows += load_rows(path)
    _check_unique(rows, "the registry")
    return rows


def _repository_rows() -> list[PortalRow]:
    if REPOSITORY_REGISTRY.is_file():
        return load_rows(REPOSITORY_REGISTRY)
    # in a Scrapyd egg (a zip): the copy crawler/cluster/egg.py packs as package data
    bundled = resources.files("crawler.registry") / "portals.toml"
    if not bundled.is_file():
        return []
    return rows_from_text(bundled.read_text("utf-8"), "portals.toml (in the egg)")


def find_row(rows: list[PortalRow], name: str) -> PortalRow | None:
    """By host (www.by.gov.cn, by.gov.cn, a URL) or key (by_gov_cn)."""
    host = urlsplit(name).hostname if "://" in name else name
    for row in rows:
        if host in (row.host, row.key, row.host.removeprefix("www.")) or host in row.aliases:
            return row
    return None
