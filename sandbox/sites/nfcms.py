"""NFCMS (南方网 CMS of the Guangdong cluster) pieces any of by/zc/haizhu/gz can reuse with their
own chrome: post ids, the URL grammar, the §0.1 meta tags, the list pager, and the static JSON
(`/postmeta/i/{cat}.json`, `/postmeta/p/{id//1e6}/{id//1e3}/{id}.json`).

List JSON shape: the documented fields (portals.md §1, H) are always there:
{"articles": [{"id", "title", "url", "date", "publish_time", "created_at", "source"}],
 "children": [{"id", "name", "url", "publish_count"}], "updated"}.
Around them, our invention (L), which a variant may leave out (`JsonPlan`): the undocumented
"cat", "total", "page", "pages", "pagesize"; and paging: page 1 is `/postmeta/i/{cat}.json`,
page n `/postmeta/i/{cat}_{n}.json` (mirroring index_n.html), or the whole column in one file,
or no JSON at all for a column (its HTML pages only). The HTML list is always complete.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from sandbox.document import Document
from sandbox.http import json_bytes
from sandbox.sites.bodyhtml import BodyStyle
from sandbox.sites.cms import id_on_curve, new_year_anchors
from sandbox.variants import pick, some

# (publish date, post id) anchors of the shared id sequence (portals.md §1): 2017-2018 reports
# were migrated later and carry ~5.6M; 2021 ~8.0M, 2023 ~9.4M, 2026 ~10.9M.
ID_ANCHORS = new_year_anchors(
    {
        2015: 5_560_000,
        2019: 5_700_000,
        2020: 6_400_000,
        2021: 7_050_000,
        2022: 8_000_000,
        2023: 8_700_000,
        2024: 9_400_000,
        2025: 10_100_000,
        2026: 10_900_000,
        2027: 11_600_000,
    }
)


def assign_ids(moments: list[datetime], rng: random.Random) -> list[int]:
    """Ids for posts created at these (sorted) moments: near the curve, strictly increasing."""
    ids: list[int] = []
    for moment in moments:
        candidate = id_on_curve(ID_ANCHORS, moment) + rng.randint(0, 900)
        ids.append(max(candidate, ids[-1] + rng.randint(1, 40)) if ids else candidate)
    return ids


def page_number(
    name: str, stem: str, suffix: str, numbered_only: bool = False, allow_bare: bool = True
) -> int | None:
    """'' (if allow_bare) or index.html -> 1, index_3.html -> 3 (index_1.html does not exist);
    with numbered_only, post_N.html -> N."""
    if not numbered_only and (name == f"{stem}{suffix}" or (allow_bare and name == "")):
        return 1
    if not (name.startswith(stem + "_") and name.endswith(suffix)):
        return None
    number = name[len(stem) + 1 : -len(suffix)]
    if not number.isdigit() or number.startswith("0"):
        return None
    value = int(number)
    return None if value == 1 and not numbered_only else value


def postmeta_path(post_id: int) -> str:
    return f"/postmeta/p/{post_id // 1_000_000}/{post_id // 1_000}/{post_id}.json"


def content_post(name: str, column: Column, posts: dict[int, Post]) -> tuple[Post, bool] | None:
    """The post of `column` a `content/` file name shows (post_N.html, or the mobile twin
    mpost_N.html), and whether it is the mobile page."""
    post_id = page_number(name.removeprefix("m"), "post", ".html", numbered_only=True)
    post = posts.get(post_id or -1)
    if post is None or post.column is not column:
        return None
    return post, name.startswith("mpost_")


def postmeta_post(rest: str, posts: dict[int, Post]) -> Post | None:
    """The post whose detail JSON is `/postmeta/{rest}` (`p/{a}/{b}/{id}.json`)."""
    try:
        post_id = int(rest.rsplit("/", 1)[-1].removesuffix(".json"))
    except ValueError:
        return None
    post = posts.get(post_id)
    return post if post is not None and postmeta_path(post_id) == "/postmeta/" + rest else None


@dataclass(frozen=True)
class Column:
    path: str  # "/gk/zfxxgk/zfxxgkgznb/"
    name: str  # 政府信息公开工作年报
    cat_id: int
    crumbs: tuple[tuple[str, str], ...]  # (label, path) from 首页 down to this column


@dataclass
class Post:
    id: int
    title: str
    published: datetime  # CST
    modified: datetime
    column: Column
    document: Document
    kind: str  # "report" | "nonreport"
    source_meta: str  # <meta name="ContentSource">
    source_text: str  # the 来源 label in the page
    style: BodyStyle
    listed_host: str = ""  # host the list links to ("" = the site's own)
    listed_scheme: str = "https"
    missing: bool = False  # listed, but the detail answers 404
    pubdate_seconds: bool = True  # PubDate "YYYY-MM-DD HH:MM:SS" (else "YYYY-MM-DD HH:MM")
    wrong_column_name: bool = False  # ColumnName "头部", as seen in the wild
    no_charset: bool = False  # Content-Type without charset (only <meta> says utf-8)
    extra: dict = field(default_factory=dict)

    def path(self, mobile: bool = False) -> str:
        return f"{self.column.path}content/{'mpost' if mobile else 'post'}_{self.id}.html"

    @property
    def date(self) -> str:
        return self.published.strftime("%Y-%m-%d")

    @property
    def pubdate(self) -> str:
        return self.published.strftime(
            "%Y-%m-%d %H:%M:%S" if self.pubdate_seconds else "%Y-%m-%d %H:%M"
        )


@dataclass(frozen=True)
class Quirks:
    """How often a portal's posts show each quirk, drawn in this order; a quirk a portal never
    shows (share 0) takes no draw."""

    pubdate_seconds: float = 0.6  # PubDate with seconds
    wrong_column_name: float = 0.1  # ColumnName "头部"
    no_charset: float = 0.15  # Content-Type without charset
    empty_title_meta: float = 0.0  # an empty ArticleTitle tag (haizhu)

    def draw(self, rng: random.Random) -> tuple[bool, bool, bool, bool]:
        shares = (self.pubdate_seconds, self.wrong_column_name, self.no_charset)
        drawn = [share > 0 and rng.random() < share for share in shares]
        empty = self.empty_title_meta > 0 and rng.random() < self.empty_title_meta
        return drawn[0], drawn[1], drawn[2], empty


def drafted_post(
    post_id: int,
    draft: dict,
    document: Document,
    column: Column,
    rng: random.Random,
    extra: dict | None = None,
    quirks: Quirks = Quirks(),
) -> Post:
    """The post a catalogue draft ({"spec", "published", "meta", "text"}) describes; drawn from
    rng in this order: minutes to the last edit, body style, then the quirks."""
    published = draft["published"]
    modified = published + timedelta(minutes=rng.randint(0, 90))
    style = BodyStyle.pick(rng)
    seconds, wrong_column, no_charset, empty_title = quirks.draw(rng)
    if quirks.empty_title_meta:
        extra = {**(extra or {}), "empty_title_meta": empty_title}
    return Post(
        id=post_id,
        title=document.title,
        published=published,
        modified=modified,
        column=column,
        document=document,
        kind="report" if draft["spec"] else "nonreport",
        source_meta=draft["meta"],
        source_text=draft["text"],
        style=style,
        pubdate_seconds=seconds,
        wrong_column_name=wrong_column,
        no_charset=no_charset,
        extra=extra or {},
    )


def meta_tags(post: Post, site_name: str, domain: str, id_code: str) -> str:
    """The 政府网站发展指引 tags of an article page, with their real imperfections."""
    column = "头部" if post.wrong_column_name else post.column.name
    tags = [
        ("SiteName", site_name),
        ("SiteDomain", domain),
        ("SiteIDCode", id_code),
        ("ColumnName", column),
        ("ColumnType", post.column.name),
        ("ArticleTitle", post.title),
        ("PubDate", post.pubdate),
        ("ContentSource", post.source_meta),
        ("Keywords", ""),
        ("Author", ""),
        ("Description", post.title),
        ("Url", f"https://{domain}{post.path()}"),
        ("ArticleId", str(post.id)),
    ]
    return "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in tags)


def pager_html(page: int, pages: int, href, css: str = "pagination") -> str:
    """`href(n)` gives page n's URL. 首页 / 上一页 / numbers / 下一页 / 尾页, plus 共N页."""
    links = [f'<a class="first" href="{href(1)}">首页</a>']
    if page > 1:
        links.append(f'<a class="prev" href="{href(page - 1)}">上一页</a>')
    for n in range(1, pages + 1):
        if n == page:
            links.append(f'<span class="current">{n}</span>')
        else:
            links.append(f'<a class="num" href="{href(n)}">{n}</a>')
    if page < pages:
        links.append(f'<a class="next" href="{href(page + 1)}">下一页</a>')
    links.append(f'<a class="last" href="{href(pages)}">尾页</a>')
    links.append(f'<span class="total">共{pages}页</span>')
    return f'<div class="{css}" id="page_div">{"".join(links)}</div>'


def list_url(post: Post, domain: str) -> str:
    return f"{post.listed_scheme}://{post.listed_host or domain}{post.path()}"


def article(post: Post, url: str) -> dict:
    """A post as a list JSON names it, linking `url`."""
    return {
        "id": post.id,
        "title": post.title,
        "url": url,
        "date": post.date,
        "publish_time": int(post.published.timestamp()),
        "created_at": post.published.strftime("%Y-%m-%d %H:%M:%S"),
        "source": post.source_meta,
    }


UNDOCUMENTED = ("cat", "total", "page", "pages", "pagesize")
PAGED, WHOLE, NO_JSON = "paged", "whole", "none"


@dataclass(frozen=True)
class JsonPlan:
    """How a column's list JSON is published: paged like its HTML, whole in one file, or not at
    all; and which undocumented fields it carries (the reference world: all of them)."""

    mode: str = PAGED
    extra: tuple[str, ...] = UNDOCUMENTED

    @classmethod
    def drawn(cls, rng: random.Random) -> JsonPlan:
        mode = pick(rng, (PAGED, PAGED, WHOLE, NO_JSON))
        return cls(mode, tuple(some(rng, UNDOCUMENTED, 0, len(UNDOCUMENTED))))

    def page_count(self, html_pages: int) -> int:
        """How many JSON files the column has (0: none)."""
        return {PAGED: html_pages, WHOLE: 1}.get(self.mode, 0)


def list_json(
    column: Column,
    rows: list[tuple[Post, str]],
    page: int,
    pages: int,
    total: int,
    page_size: int,
    domain: str,
    updated: datetime,
    children: list[dict] | None = None,
    extra: tuple[str, ...] = UNDOCUMENTED,
) -> bytes:
    """Page `page` of a column's list JSON: (post, listed URL) rows, sub-columns as `children`;
    of the undocumented fields only those in `extra`."""
    optional = {
        "cat": {"id": column.cat_id, "name": column.name, "url": f"https://{domain}{column.path}"},
        "total": total,
        "page": page,
        "pages": pages,
        "pagesize": page_size,
    }
    data = {key: value for key, value in optional.items() if key in extra}
    data["articles"] = [article(p, url) for p, url in rows]
    data["children"] = children or []
    data["updated"] = updated.strftime("%Y-%m-%d %H:%M:%S")
    return json_bytes(data)


def detail_json(post: Post, content_html: str, domain: str, related: list[Post]) -> bytes:
    data = {
        "id": post.id,
        "title": post.title,
        "abstract": "",
        "content": content_html,
        "source": post.source_meta,
        "date": post.pubdate,
        "publish_time": int(post.published.timestamp()),
        "url": f"https://{domain}{post.path()}",
        "cat_id": post.column.cat_id,
        "attachment": [],
        "json_ext": {},
        "gkml_data": None,
        "related_posts": [
            {"id": r.id, "title": r.title, "url": f"https://{domain}{r.path()}"} for r in related
        ],
    }
    return json_bytes(data)
