"""Guangdong's 政府信息公开目录平台 (gkmlpt) without a browser: its config and its list API.

Facts (docs/portals.md §1, §10.3): a sub-site's catalogue is the Vue page `/{site}/gkmlpt/index`,
whose `window._CONFIG` holds `SID` (the site id) and `TREE` (the category tree, nodes with `id`,
`name` and `children`); the page's own script lists a category with
`GET /gkmlpt/api/all/{catId}?page={n}&sid={SID}` -> `{classify: {post_count}, articles: [{id,
title, url, post_url, date, created_at, ...}]}`, 100 articles a page; some sites answer the whole
category on page 1 and 404 for page >= 2.

Everything read from a response is hostile input: a missing key, a wrong type or a page that is
not the one expected gives None or an empty list, never an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crawler import discovery

PAGE_SIZE = 100  # articles per API page (docs/portals.md §1)
_SID_RE = re.compile(r"""["']?SID["']?\s*:\s*["']?(\d+)""")
_TREE_RE = re.compile(r"""["']?TREE["']?\s*:\s*(?=\[)""")
_GKMLPT_RE = re.compile(r"^(?P<prefix>.*?)/gkmlpt(?:/|$)")


@dataclass(frozen=True)
class Category:
    id: str
    name: str


@dataclass(frozen=True)
class Config:
    sid: str
    categories: list[Category]


def index_url(url: str) -> str | None:
    """'…/gzbyjy/gkmlpt/content/9/9407/post_9407028.html' -> '…/gzbyjy/gkmlpt/index'."""
    parts = urlsplit(url)
    match = _GKMLPT_RE.match(parts.path)
    if not match:
        return None
    return f"{parts.scheme}://{parts.netloc}{match.group('prefix')}/gkmlpt/index"


def api_urls(index: str, cat: str, sid: str, page: int) -> list[str]:
    """Where the list API may answer: beside the sub-site's index, then at the host's root
    (the documented `/gkmlpt/api/all/…`: for a site at the root both are the same URL)."""
    parts = urlsplit(index)
    prefix = parts.path.rsplit("/gkmlpt/", 1)[0]
    query = f"?page={page}&sid={sid}"
    paths = dict.fromkeys([f"{prefix}/gkmlpt/api/all/{cat}", f"/gkmlpt/api/all/{cat}"])
    return [f"{parts.scheme}://{parts.netloc}{path}{query}" for path in paths]


def read_config(html: str) -> Config | None:
    """SID and the category tree from `window._CONFIG`; None when the page has no SID."""
    sid = _SID_RE.search(html or "")
    if not sid:
        return None
    return Config(sid.group(1), list(_categories(_tree(html))))


def _tree(html: str) -> Any:
    match = _TREE_RE.search(html)
    if not match:
        return []
    try:
        tree, _ = json.JSONDecoder().raw_decode(html, match.end())
    except ValueError:
        return []
    return tree


def _categories(node: Any) -> Iterator[Category]:
    if isinstance(node, list):
        for child in node:
            yield from _categories(child)
    elif isinstance(node, dict):
        cat, name = node.get("id"), node.get("name")
        if isinstance(cat, int | str) and not isinstance(cat, bool) and isinstance(name, str):
            yield Category(str(cat), name)
        yield from _categories(node.get("children"))


def report_categories(config: Config) -> list[Category]:
    """The categories named as annual-report columns (政府信息公开年报, 年度报告 ...)."""
    return [c for c in config.categories if discovery.names_report_column(c.name)]


@dataclass(frozen=True)
class ApiPage:
    post_count: int | None
    articles: list[dict[str, Any]]


def read_api(text: str) -> ApiPage | None:
    """One API answer; None for a body of another shape (not JSON, no `articles` list)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python recurses
        return None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        return None
    classify = data.get("classify")
    count = classify.get("post_count") if isinstance(classify, dict) else None
    articles = [a for a in data["articles"] if isinstance(a, dict)]
    return ApiPage(_count(count), articles)


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
