"""NFCMS (南方网 CMS of the Guangdong cluster) pieces any of by/zc/haizhu/gz can reuse with their
own chrome: post ids, the URL grammar, the §0.1 meta tags, the list pager, and the static JSON
(`/postmeta/i/{cat}.json`, `/postmeta/p/{id//1e6}/{id//1e3}/{id}.json`).

List JSON shape (our invention around the observed fields, portals.md §1): page 1 is
`/postmeta/i/{cat}.json`, page n is `/postmeta/i/{cat}_{n}.json` (mirroring index_n.html):
{"cat": {"id", "name", "url"}, "total", "page", "pages", "pagesize",
 "articles": [{"id", "title", "url", "date", "publish_time", "created_at", "source"}],
 "children": [], "updated"}
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from html import escape

from sandbox.document import Document
from sandbox.http import json_bytes
from sandbox.sites.bodyhtml import BodyStyle

CST = timezone(timedelta(hours=8), "CST")

# (publish date, post id) anchors of the shared id sequence (portals.md §1): 2017-2018 reports
# were migrated later and carry ~5.6M; 2021 ~8.0M, 2023 ~9.4M, 2026 ~10.9M.
ID_ANCHORS = [
    (datetime(2015, 1, 1, tzinfo=CST), 5_560_000),
    (datetime(2019, 1, 1, tzinfo=CST), 5_700_000),
    (datetime(2020, 1, 1, tzinfo=CST), 6_400_000),
    (datetime(2021, 1, 1, tzinfo=CST), 7_050_000),
    (datetime(2022, 1, 1, tzinfo=CST), 8_000_000),
    (datetime(2023, 1, 1, tzinfo=CST), 8_700_000),
    (datetime(2024, 1, 1, tzinfo=CST), 9_400_000),
    (datetime(2025, 1, 1, tzinfo=CST), 10_100_000),
    (datetime(2026, 1, 1, tzinfo=CST), 10_900_000),
    (datetime(2027, 1, 1, tzinfo=CST), 11_600_000),
]


def base_id(moment: datetime) -> int:
    """Interpolated id of a post created at `moment`."""
    times = [t for t, _ in ID_ANCHORS]
    i = min(max(bisect.bisect_right(times, moment), 1), len(ID_ANCHORS) - 1)
    (t0, id0), (t1, id1) = ID_ANCHORS[i - 1], ID_ANCHORS[i]
    share = (moment - t0) / (t1 - t0)
    return int(id0 + share * (id1 - id0))


def assign_ids(moments: list[datetime], rng: random.Random) -> list[int]:
    """Ids for posts created at these (sorted) moments: near the curve, strictly increasing."""
    ids: list[int] = []
    for moment in moments:
        candidate = base_id(moment) + rng.randint(0, 900)
        ids.append(max(candidate, ids[-1] + rng.randint(1, 40)) if ids else candidate)
    return ids


def postmeta_path(post_id: int) -> str:
    return f"/postmeta/p/{post_id // 1_000_000}/{post_id // 1_000}/{post_id}.json"


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


def list_json(
    column: Column,
    posts: list[Post],
    page: int,
    pages: int,
    total: int,
    page_size: int,
    domain: str,
    updated: datetime,
) -> bytes:
    articles = [
        {
            "id": p.id,
            "title": p.title,
            "url": list_url(p, domain),
            "date": p.date,
            "publish_time": int(p.published.timestamp()),
            "created_at": p.published.strftime("%Y-%m-%d %H:%M:%S"),
            "source": p.source_meta,
        }
        for p in posts
    ]
    data = {
        "cat": {"id": column.cat_id, "name": column.name, "url": f"https://{domain}{column.path}"},
        "total": total,
        "page": page,
        "pages": pages,
        "pagesize": page_size,
        "articles": articles,
        "children": [],
        "updated": updated.strftime("%Y-%m-%d %H:%M:%S"),
    }
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


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
