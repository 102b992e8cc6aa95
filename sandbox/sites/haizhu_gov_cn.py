"""www.haizhu.gov.cn (广州市海珠区人民政府门户网站), the NFCMS cluster's Haizhu theme.

The annual-report columns under `/zwgk/zfxxgknb/` (portals.md §4): `jd/` (街道, H) and its sibling
`bm/` (部门, L), newest first, 15 per page (`index.html`, `index_2.html`, ...). `jd/` also has its
JSON list (`/postmeta/i/2891.json`, `_{n}.json`) and detail JSON; `bm/` has none (its pages carry
no category id), so a spider must walk its HTML pages. Posts are `content/post_{id}.html` with
mobile twins `content/mpost_{id}.html`. Seed 002 (官洲街道 2019, with its trial-format tables as
real HTML tables) is on its page in `jd/`. Quirks: one `jd/` item links the mobile twin, one
links plain http, one listed `bm/` post answers 404, a few pages have an empty ArticleTitle tag,
and non-report posts (公开指南, 年度报表, 工作要点) share both columns. The site does not change
between revisions.

Where a spider finds the facts: title = meta ArticleTitle, else `.hz-title`; year = the title's
`YYYY年`; date = meta PubDate / `发布日期:YYYY-MM-DD HH:MM:SS`; unit = meta ContentSource when it
names the unit, else (来源:本网) the title; body = `#zoomcon`.
"""

from __future__ import annotations

import random
from datetime import datetime

from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document
from sandbox.http import JSON_UTF8, Request, Resource, Response
from sandbox.sites import haizhu_theme as theme
from sandbox.sites import nfcms
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import render_body
from sandbox.sites.cms import CST, listed_manifest, notice, publish_moment, report_truth, utc
from sandbox.sites.nfcms import Column, Post
from sandbox.units import STREET

PORTAL = "haizhu_gov_cn"
DOMAIN = theme.DOMAIN
PAGE_SIZE = 15
_ROOT = (("首页", "/"), ("政务公开", "/zwgk/"), ("政府信息公开年报", "/zwgk/zfxxgknb/"))
STREETS = Column("/zwgk/zfxxgknb/jd/", "街道", 2891, (*_ROOT, ("街道", "/zwgk/zfxxgknb/jd/")))
DEPARTMENTS = Column("/zwgk/zfxxgknb/bm/", "部门", 0, (*_ROOT, ("部门", "/zwgk/zfxxgknb/bm/")))
COLUMNS = (STREETS, DEPARTMENTS)
SEED_PUBLISHED = datetime(2020, 1, 22, 9, 12, 36, tzinfo=CST)
# PubDate mostly with seconds; no page without charset; a few empty ArticleTitle tags.
QUIRKS = nfcms.Quirks(pubdate_seconds=0.8, no_charset=0, empty_title_meta=0.1)

# Non-report posts of the same columns, which a title filter must reject.
NONREPORTS = (
    (STREETS, "海珠区街道政府信息公开指南", datetime(2019, 7, 3, 10, 15, 2, tzinfo=CST)),
    (STREETS, "海珠区2022年街道政务公开工作要点", datetime(2022, 4, 11, 15, 40, 9, tzinfo=CST)),
    (
        DEPARTMENTS,
        "海珠区2020年政府信息公开工作年度报表",
        datetime(2021, 3, 5, 9, 2, 44, tzinfo=CST),
    ),
    (DEPARTMENTS, "海珠区政府信息公开申请流程图", datetime(2023, 6, 19, 16, 27, 31, tzinfo=CST)),
)


class HaizhuSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        posts, self.reports = build_catalogue(world)
        self.listed = {c.path: [p for p in posts if p.column is c] for c in COLUMNS}
        self.posts = {p.id: p for p in posts if not p.missing}

    # -- routing ---------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            return Resource(theme.home_page(COLUMNS).encode())
        for column in COLUMNS:
            if path.startswith(column.path):
                return self._column(column, path.removeprefix(column.path))
        if path.startswith("/postmeta/"):
            return self._postmeta(path.removeprefix("/postmeta/"))
        return None

    def is_list(self, request: Request) -> bool:
        path = request.path
        in_column = any(path.startswith(c.path) and "/content/" not in path for c in COLUMNS)
        return in_column or path.startswith(f"/postmeta/i/{STREETS.cat_id}")

    def _column(self, column: Column, rest: str) -> Resource | None:
        if rest.startswith("content/"):
            return self._detail(column, rest.removeprefix("content/"))
        page = nfcms.page_number(rest, "index", ".html")
        return self._list_html(column, page) if page else None

    def _detail(self, column: Column, name: str) -> Resource | None:
        found = nfcms.content_post(name, column, self.posts)
        if found is None:
            return None
        post, mobile = found
        body = render_body(post.document, post.style)
        html = theme.mobile_page(post, body) if mobile else theme.detail_page(post, body)
        return Resource(html.encode(), last_modified=utc(post.modified))

    def _postmeta(self, rest: str) -> Resource | None:
        if rest.startswith("i/"):
            page = nfcms.page_number(rest.removeprefix("i/"), str(STREETS.cat_id), ".json")
            return self._list_json(page) if page else None
        post = nfcms.postmeta_post(rest, self.posts)
        if post is None or post.column is not STREETS:
            return None
        body = nfcms.detail_json(post, render_body(post.document, post.style), DOMAIN, [])
        return Resource(body, JSON_UTF8, utc(post.modified))

    # -- lists -----------------------------------------------------------------------------
    def _page_items(self, column: Column, page: int) -> tuple[list[Post], int] | None:
        posts = self.listed[column.path]
        pages = max(1, -(-len(posts) // PAGE_SIZE))
        if not 1 <= page <= pages:
            return None
        return posts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], pages

    def _list_html(self, column: Column, page: int) -> Resource | None:
        found = self._page_items(column, page)
        if found is None:
            return None
        posts, pages = found
        urls = [_listed_url(p) for p in posts]
        html = theme.list_page(column, posts, urls, page, pages)
        return Resource(html.encode(), last_modified=utc(self._updated(column)))

    def _list_json(self, page: int) -> Resource | None:
        found = self._page_items(STREETS, page)
        if found is None:
            return None
        posts, pages = found
        total = len(self.listed[STREETS.path])
        updated = self._updated(STREETS)
        rows = [(p, _listed_url(p)) for p in posts]  # the JSON links the same URL as the HTML
        body = nfcms.list_json(STREETS, rows, page, pages, total, PAGE_SIZE, DOMAIN, updated)
        return Resource(body, JSON_UTF8, utc(updated))

    def _updated(self, column: Column) -> datetime:
        return max(p.modified for p in self.listed[column.path])

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        listed = [post for column in COLUMNS for post in self.listed[column.path]]
        return listed_manifest(listed, _url, self._truth)

    def _truth(self, post: Post) -> dict | None:
        if post.kind == "nonreport":
            return None
        url, mobile = _url(post), f"https://{DOMAIN}{post.path(mobile=True)}"
        aliases = [url.replace("https:", "http:"), mobile, mobile.replace("https:", "http:")]
        spec = self.reports[post.id]
        column = f"https://{DOMAIN}{post.column.path}"
        return report_truth(
            PORTAL, url, aliases, post.title, spec, post.date, post.document, [], column=column
        )


def build(world: World) -> list[Site]:
    return [HaizhuSite(world)]


def _url(post: Post) -> str:
    return f"https://{DOMAIN}{post.path()}"


def _listed_url(post: Post) -> str:
    if post.extra.get("listed_mobile"):
        return f"{post.listed_scheme}://{DOMAIN}{post.path(mobile=True)}"
    return nfcms.list_url(post, DOMAIN)


# -- the catalogue: which posts exist, when published, how they look ---------------------------


def build_catalogue(world: World) -> tuple[list[Post], dict[int, ReportSpec]]:
    """Every post of both columns (newest first within each), and the report behind each id."""
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, world.seed, world.scale))
    drafts = [_report_draft(spec, rng) for spec in specs]
    drafts += [
        {"spec": None, "column": c, "title": t, "published": w, "meta": "本网", "text": "本网"}
        for c, t, w in NONREPORTS
    ]
    drafts.sort(key=lambda d: d["published"])
    ids = nfcms.assign_ids([d["published"] for d in drafts], rng)
    posts, reports = [], {}
    for draft, post_id in zip(drafts, ids, strict=True):
        posts.append(_post(draft, post_id, rng))
        if draft["spec"] is not None:
            reports[post_id] = draft["spec"]
    _mark_listing_quirks(posts, rng)
    posts.sort(key=lambda p: (p.published, p.id), reverse=True)
    return posts, reports


def _report_draft(spec: ReportSpec, rng: random.Random) -> dict:
    column = STREETS if spec.unit.kind == STREET else DEPARTMENTS
    if spec.seed_key == "002":  # the real page: 2020-01-22, 来源:本网 (its unit only in the title)
        published, meta = SEED_PUBLISHED, "本网"
    else:
        published = publish_moment(spec.year + 1, rng.randint(1, 3), rng)
        meta = "本网" if rng.random() < 0.3 else spec.unit.full
    # portals.md §4: Haizhu pages print 来源:本网
    return {"spec": spec, "column": column, "published": published, "meta": meta, "text": "本网"}


def _post(draft: dict, post_id: int, rng: random.Random) -> Post:
    spec: ReportSpec | None = draft["spec"]
    document = spec.document if spec else _nonreport_document(draft["title"])
    return nfcms.drafted_post(post_id, draft, document, draft["column"], rng, quirks=QUIRKS)


def _nonreport_document(title: str) -> Document:
    lead = "根据《中华人民共和国政府信息公开条例》，现将《{title}》予以公布。"
    return notice(title, lead, "广州市海珠区人民政府办公室")


def _mark_listing_quirks(posts: list[Post], rng: random.Random) -> None:
    """One street report listed by its mobile twin, one by plain http; one listed bm/ post 404."""
    reports = [p for p in posts if p.kind == "report" and p.title != _seed_title()]
    streets = [p for p in reports if p.column is STREETS]
    mobile, plain = rng.sample(streets, 2)
    mobile.extra["listed_mobile"] = True
    plain.listed_scheme = "http"
    rng.choice([p for p in reports if p.column is DEPARTMENTS]).missing = True


def _seed_title() -> str:
    return next(s.title for s in seeds_for(PORTAL) if s.seed_key == "002")
