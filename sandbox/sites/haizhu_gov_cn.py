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
from datetime import datetime, timedelta

from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document, Para
from sandbox.http import JSON_UTF8, Request, Resource, Response
from sandbox.sites import haizhu_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import BodyStyle, render_body
from sandbox.sites.nfcms import (
    CST,
    Column,
    Post,
    assign_ids,
    detail_json,
    list_json,
    list_url,
    postmeta_path,
    utc,
)
from sandbox.units import STREET

PORTAL = "haizhu_gov_cn"
DOMAIN = theme.DOMAIN
PAGE_SIZE = 15
_ROOT = (("首页", "/"), ("政务公开", "/zwgk/"), ("政府信息公开年报", "/zwgk/zfxxgknb/"))
STREETS = Column("/zwgk/zfxxgknb/jd/", "街道", 2891, (*_ROOT, ("街道", "/zwgk/zfxxgknb/jd/")))
DEPARTMENTS = Column("/zwgk/zfxxgknb/bm/", "部门", 0, (*_ROOT, ("部门", "/zwgk/zfxxgknb/bm/")))
COLUMNS = (STREETS, DEPARTMENTS)
SEED_PUBLISHED = datetime(2020, 1, 22, 9, 12, 36, tzinfo=CST)

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
        page = page_number(rest, "index", ".html")
        return self._list_html(column, page) if page else None

    def _detail(self, column: Column, name: str) -> Resource | None:
        mobile = name.startswith("mpost_")
        post_id = page_number(name.removeprefix("m"), "post", ".html", numbered_only=True)
        post = self.posts.get(post_id or -1)
        if post is None or post.column is not column:
            return None
        body = render_body(post.document, post.style)
        html = theme.mobile_page(post, body) if mobile else theme.detail_page(post, body)
        return Resource(html.encode(), last_modified=utc(post.modified))

    def _postmeta(self, rest: str) -> Resource | None:
        if rest.startswith("i/"):
            page = page_number(rest.removeprefix("i/"), str(STREETS.cat_id), ".json")
            return self._list_json(page) if page else None
        try:
            post_id = int(rest.rsplit("/", 1)[-1].removesuffix(".json"))
        except ValueError:
            return None
        post = self.posts.get(post_id)
        if (
            post is None
            or post.column is not STREETS
            or postmeta_path(post_id) != "/postmeta/" + rest
        ):
            return None
        body = detail_json(post, render_body(post.document, post.style), DOMAIN, [])
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
        body = list_json(STREETS, posts, page, pages, total, PAGE_SIZE, DOMAIN, updated)
        for post in posts:  # the JSON links the same URL as the HTML list
            body = body.replace(list_url(post, DOMAIN).encode(), _listed_url(post).encode())
        return Resource(body, JSON_UTF8, utc(updated))

    def _updated(self, column: Column) -> datetime:
        return max(p.modified for p in self.listed[column.path])

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        part = ManifestPart()
        for column in COLUMNS:
            for post in self.listed[column.path]:
                url = f"https://{DOMAIN}{post.path()}"
                if post.missing:
                    part.missing.append(url)
                elif post.kind == "nonreport":
                    part.nonreports.append(url)
                else:
                    part.reports.append(self._entry(post, self.reports[post.id]))
        return part

    def _entry(self, post: Post, spec: ReportSpec) -> dict:
        url = f"https://{DOMAIN}{post.path()}"
        mobile = f"https://{DOMAIN}{post.path(mobile=True)}"
        return {
            "portal": PORTAL,
            "url": url,
            "aliases": [url.replace("https:", "http:"), mobile, mobile.replace("https:", "http:")],
            "title": post.title,
            "unit": spec.unit.full,
            "year": spec.year,
            "published_at": post.date,
            "template": spec.template,
            "text": post.document.truth_text(),
            "headings": post.document.headings(),
            "attachments": [],
        }


def build(world: World) -> list[Site]:
    return [HaizhuSite(world)]


def page_number(name: str, stem: str, suffix: str, numbered_only: bool = False) -> int | None:
    """'' or index.html -> 1, index_3.html -> 3 (index_1.html does not exist); post_N.html -> N."""
    if name in ("", f"{stem}{suffix}") and not numbered_only:
        return 1
    if not (name.startswith(stem + "_") and name.endswith(suffix)):
        return None
    number = name[len(stem) + 1 : -len(suffix)]
    if not number.isdigit() or number.startswith("0"):
        return None
    value = int(number)
    return None if value == 1 and not numbered_only else value


def _listed_url(post: Post) -> str:
    if post.extra.get("listed_mobile"):
        return f"{post.listed_scheme}://{DOMAIN}{post.path(mobile=True)}"
    return list_url(post, DOMAIN)


# -- the catalogue: which posts exist, when published, how they look ---------------------------


def build_catalogue(world: World) -> tuple[list[Post], dict[int, ReportSpec]]:
    """Every post of both columns (newest first within each), and the report behind each id."""
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, world.seed, world.scale))
    drafts = [_report_draft(spec, rng) for spec in specs]
    drafts += [{"spec": None, "column": c, "title": t, "published": w} for c, t, w in NONREPORTS]
    drafts.sort(key=lambda d: d["published"])
    ids = assign_ids([d["published"] for d in drafts], rng)
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
        return {"spec": spec, "column": column, "published": SEED_PUBLISHED, "meta": "本网"}
    published = datetime(
        spec.year + 1,
        rng.randint(1, 3),
        rng.randint(1, 28),
        rng.randint(8, 17),
        rng.randint(0, 59),
        rng.randint(0, 59),
        tzinfo=CST,
    )
    meta = "本网" if rng.random() < 0.3 else spec.unit.full
    return {"spec": spec, "column": column, "published": published, "meta": meta}


def _post(draft: dict, post_id: int, rng: random.Random) -> Post:
    spec: ReportSpec | None = draft["spec"]
    document = spec.document if spec else _nonreport_document(draft["title"])
    published = draft["published"]
    return Post(
        id=post_id,
        title=document.title,
        published=published,
        modified=published + timedelta(minutes=rng.randint(0, 90)),
        column=draft["column"],
        document=document,
        kind="report" if spec else "nonreport",
        source_meta=draft.get("meta", "本网"),
        source_text="本网",  # portals.md §4: Haizhu pages print 来源:本网
        style=BodyStyle.pick(rng),
        pubdate_seconds=rng.random() < 0.8,
        wrong_column_name=rng.random() < 0.1,
        extra={"empty_title_meta": rng.random() < 0.1},
    )


def _nonreport_document(title: str) -> Document:
    return Document(
        title,
        [
            Para(f"根据《中华人民共和国政府信息公开条例》，现将《{title}》予以公布。"),
            Para("广州市海珠区人民政府办公室"),
        ],
    )


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
