"""www.haizhu.gov.cn (广州市海珠区人民政府门户网站), the NFCMS cluster's Haizhu theme.

The annual-report columns under `/zwgk/zfxxgknb/` (portals.md §4): `jd/` (街道, H) and a
sibling for the departments (L), newest first, `index.html`, `index_2.html`, ... In the
reference world (variant 0) the sibling is `bm/` (部门), both show 15 rows a page, `jd/` also has
its JSON list (`/postmeta/i/2891.json`, `_{n}.json`) and detail JSON, `bm/` has none (its pages
carry no category id), so a spider must walk its HTML pages. Posts are `content/post_{id}.html`
with mobile twins `content/mpost_{id}.html`. Seed 002 (官洲街道 2019, with its trial-format tables
as real HTML tables) is on its page in `jd/`. Quirks: one `jd/` item links the mobile twin, one
links plain http, one listed department post answers 404, a few pages have an empty
ArticleTitle tag, and non-report posts (公开指南, 年度报表, 工作要点) share both columns. The home
page leads to the columns through `/zwgk/` (政务公开) and `/zwgk/zfxxgknb/` (政府信息公开年报).

Other variants draw (L/M): the departments' sub-column (slug, name), a `qzf/` sub-column with
the district government's own reports, the category ids, rows a page, each column's list JSON;
departments whose reports are only in their gkmlpt sub-site (`/gzhzjy/`, `/gzhzfg/`,
`/gzhzkgsx/`: real prefixes, §4), listed by the channel `/zwgk/zfxxgkml/`; title phrasings,
non-reports, charset lies. The site does not change between revisions.

Where a spider finds the facts: title = meta ArticleTitle, else `.hz-title`; year = the title's
`YYYY年`; date = meta PubDate / `发布日期:YYYY-MM-DD HH:MM:SS`; unit = meta ContentSource when it
names the unit, else (来源:本网) the title; body = `#zoomcon`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document
from sandbox.http import HTML_UTF8, JSON_UTF8, Request, Resource, Response
from sandbox.sites import charset, gkmlpt, nfcms
from sandbox.sites import haizhu_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import render_body
from sandbox.sites.channels import Channel, crumbs_to
from sandbox.sites.cms import CST, listed_manifest, notice, publish_moment, report_truth, utc
from sandbox.sites.nfcms import Column, Post
from sandbox.textgen import generate
from sandbox.titles import TitlePlan, negative_document, negative_titles
from sandbox.units import DEPT, DISTRICTS, STREET, Unit
from sandbox.variants import corpus_seed, draw, new_ids, pick, some, varied

PORTAL = "haizhu_gov_cn"
DOMAIN = theme.DOMAIN
DISTRICT = DISTRICTS[PORTAL]
DISTRICT_UNIT = Unit("海珠区人民政府", DEPT, "海珠区人民政府")
PAGE_SIZE = 15
NB = "/zwgk/zfxxgknb/"
_ROOT = (("首页", "/"), ("政务公开", "/zwgk/"), ("政府信息公开年报", NB))


def sub_column(slug: str, name: str, cat_id: int) -> Column:
    return Column(f"{NB}{slug}", name, cat_id, (*_ROOT, (name, f"{NB}{slug}")))


STREETS = sub_column("jd/", "街道", 2891)
DEPARTMENTS = sub_column("bm/", "部门", 0)
COLUMNS = (STREETS, DEPARTMENTS)
SEED_PUBLISHED = datetime(2020, 1, 22, 9, 12, 36, tzinfo=CST)
# PubDate mostly with seconds; no page without charset; a few empty ArticleTitle tags.
QUIRKS = nfcms.Quirks(pubdate_seconds=0.8, no_charset=0, empty_title_meta=0.1)

# Non-report posts of the same columns, which a title filter must reject.
NONREPORTS = (
    ("jd", "海珠区街道政府信息公开指南", datetime(2019, 7, 3, 10, 15, 2, tzinfo=CST)),
    ("jd", "海珠区2022年街道政务公开工作要点", datetime(2022, 4, 11, 15, 40, 9, tzinfo=CST)),
    ("bm", "海珠区2020年政府信息公开工作年度报表", datetime(2021, 3, 5, 9, 2, 44, tzinfo=CST)),
    ("bm", "海珠区政府信息公开申请流程图", datetime(2023, 6, 19, 16, 27, 31, tzinfo=CST)),
)
# Departments with a gkmlpt sub-site of their own on this host (portals.md §4, H for prefixes).
GKMLPT_SITES = (
    ("/gzhzjy/", "教育局"),
    ("/gzhzfg/", "发展和改革局"),
    ("/gzhzkgsx/", "科技工业商务和信息化局"),
)
DEPARTMENT_COLUMNS = (("bm/", "部门"), ("qbm/", "区直部门"), ("bmnb/", "部门年报"))


@dataclass(frozen=True)
class Layout:
    streets: Column
    departments: Column
    district: Column | None = None  # qzf/: the district government's own reports
    plans: tuple[gkmlpt.Plan, ...] = ()
    gkmlpt_columns: tuple[Column, ...] = ()
    page_size: dict[int, int] = field(default_factory=dict)  # by column path
    json: dict[str, nfcms.JsonPlan] = field(default_factory=dict)  # by column path
    titles: TitlePlan | None = None
    negatives: int = 0
    lies: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[Column, ...]:
        return (self.streets, self.departments) + ((self.district,) if self.district else ())

    def json_of(self, column: Column) -> nfcms.JsonPlan:
        return self.json.get(column.path, nfcms.JsonPlan(nfcms.NO_JSON))

    def plan_of(self, column: Column) -> gkmlpt.Plan | None:
        return next((p for p in self.plans if p.base == column.path), None)


def _reference() -> Layout:
    sizes = {STREETS.path: PAGE_SIZE, DEPARTMENTS.path: PAGE_SIZE}
    return Layout(STREETS, DEPARTMENTS, page_size=sizes, json={STREETS.path: nfcms.JsonPlan()})


def _drawn(world: World) -> Layout:
    rng = draw(world, PORTAL, "layout")
    taken: set[int] = set()
    jd_id, bm_id, qzf_id = new_ids(rng, 2_000, 4_999, 3, taken)
    slug, name = pick(rng, DEPARTMENT_COLUMNS)
    streets, departments = sub_column("jd/", "街道", jd_id), sub_column(slug, name, bm_id)
    district = sub_column("qzf/", "区政府", qzf_id) if rng.random() < 0.5 else None
    plans = tuple(
        gkmlpt.Plan(
            prefix,
            f"广州市海珠区{unit}",
            f"海珠区{unit}",
            str(rng.randint(200_100, 200_199)),
            rng.randint(10_000, 19_999),
            pick(rng, ("政府信息公开年报", "年度报告")),
            pick(rng, (gkmlpt.PAGED, gkmlpt.WHOLE)),
            org_code="11440105MB2C90215X",
        )
        for prefix, unit in some(rng, GKMLPT_SITES, 0, 2)
    )
    gk_columns = tuple(
        Column(p.base, p.report_name, p.report_cat, crumbs_to((p.publisher, p.index_path)))
        for p in plans
    )
    columns = (streets, departments) + ((district,) if district else ())
    return Layout(
        streets,
        departments,
        district,
        plans,
        gk_columns,
        {c.path: pick(rng, (10, 15, 20)) for c in columns},
        {c.path: nfcms.JsonPlan.drawn(rng) for c in columns},
        TitlePlan.drawn(draw(world, PORTAL, "titles")),
        rng.randint(3, 6),
        tuple(some(rng, charset.LIES, 1, 2)),
    )


@cache
def layout(world: World) -> Layout:
    return _drawn(world) if varied(world) else _reference()


class HaizhuSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        self.plan = layout(world)
        posts, self.reports = build_catalogue(world)
        columns = (*self.plan.columns, *self.plan.gkmlpt_columns)
        self.listed = {c.path: [p for p in posts if p.column is c] for c in columns}
        self.posts = {p.id: p for p in posts if not p.missing}
        self.channels = {c.path: c for c in _channels(self.plan)}

    # -- routing ---------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            return Resource(theme.home_page(self.plan.columns).encode())
        if path in self.channels:
            return Resource(theme.channel_page(self.channels[path]).encode())
        for column in self.plan.columns:
            if path.startswith(column.path):
                return self._column(column, path.removeprefix(column.path))
        if path.startswith("/postmeta/"):
            return self._postmeta(path.removeprefix("/postmeta/"))
        if gkmlpt.is_api(path, list(self.plan.plans)):
            return self._gkmlpt_api(path, request)
        for column in self.plan.gkmlpt_columns:
            if path.startswith(column.path):
                return self._gkmlpt(column, path.removeprefix(column.path))
        return None

    def is_list(self, request: Request) -> bool:
        path = request.path
        in_column = any(
            path.startswith(c.path) and "/content/" not in path for c in self.plan.columns
        )
        json_list = any(
            path.startswith(f"/postmeta/i/{c.cat_id}")
            for c in self.plan.columns
            if self.plan.json_of(c).mode != nfcms.NO_JSON
        )
        gk = gkmlpt.is_api(path, list(self.plan.plans))
        return in_column or json_list or gk or path.endswith("/gkmlpt/index")

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
        if mobile:
            return Resource(
                theme.mobile_page(post, body).encode(), last_modified=utc(post.modified)
            )
        html = theme.detail_page(post, body)
        data, content_type = charset.page_bytes(html, post.extra.get("lie"))
        return Resource(data, content_type, utc(post.modified))

    def _postmeta(self, rest: str) -> Resource | None:
        if rest.startswith("i/"):
            for column in self.plan.columns:
                if self.plan.json_of(column).mode == nfcms.NO_JSON:
                    continue
                name = rest.removeprefix("i/")
                page = nfcms.page_number(name, str(column.cat_id), ".json", allow_bare=False)
                if page:
                    return self._list_json(column, page)
            return None
        post = nfcms.postmeta_post(rest, self.posts)
        if post is None or self.plan.json_of(post.column).mode == nfcms.NO_JSON:
            return None
        body = nfcms.detail_json(post, render_body(post.document, post.style), DOMAIN, [])
        return Resource(body, JSON_UTF8, utc(post.modified))

    # -- lists -----------------------------------------------------------------------------
    def _page_items(self, column: Column, page: int) -> tuple[list[Post], int] | None:
        posts = self.listed[column.path]
        size = self.plan.page_size[column.path]
        pages = max(1, -(-len(posts) // size))
        if not 1 <= page <= pages:
            return None
        return posts[(page - 1) * size : page * size], pages

    def _list_html(self, column: Column, page: int) -> Resource | None:
        found = self._page_items(column, page)
        if found is None:
            return None
        posts, pages = found
        urls = [_listed_url(p) for p in posts]
        has_json = self.plan.json_of(column).mode != nfcms.NO_JSON
        html = theme.list_page(column, posts, urls, page, pages, has_json)
        return Resource(html.encode(), last_modified=utc(self._updated(column)))

    def _list_json(self, column: Column, page: int) -> Resource | None:
        json_plan = self.plan.json_of(column)
        whole = json_plan.mode == nfcms.WHOLE
        found = self._page_items(column, page)
        if found is None or (whole and page != 1):
            return None
        posts, pages = found
        if whole:
            posts, pages = self.listed[column.path], 1
        total = len(self.listed[column.path])
        updated = self._updated(column)
        rows = [(p, _listed_url(p)) for p in posts]  # the JSON links the same URL as the HTML
        size = self.plan.page_size[column.path]
        body = nfcms.list_json(
            column, rows, page, pages, total, size, DOMAIN, updated, extra=json_plan.extra
        )
        return Resource(body, JSON_UTF8, utc(updated))

    def _updated(self, column: Column) -> datetime:
        return max(p.modified for p in self.listed[column.path])

    # -- gkmlpt ----------------------------------------------------------------------------
    def _gkmlpt(self, column: Column, rest: str) -> Resource | None:
        plan = self.plan.plan_of(column)
        assert plan is not None
        if rest == "index":
            html = gkmlpt.shell_page(plan, theme.THEME.page, theme.THEME.footer_html())
            return Resource(html.encode(), HTML_UTF8, utc(self._updated(column)))
        post = next((p for p in self.listed[column.path] if _path(p) == column.path + rest), None)
        if post is None or post.missing:
            return None
        body = render_body(post.document, post.style)
        title = f"{post.title} - {theme.SITE_NAME}"
        metas, footer = theme.THEME.post_metas(post), theme.THEME.footer_html()
        html = gkmlpt.detail_page(plan, post, body, metas, title, theme.THEME.page, footer)
        return Resource(html.encode(), HTML_UTF8, utc(post.modified))

    def _gkmlpt_api(self, path: str, request: Request) -> Resource | None:
        try:
            plan, cat, page = gkmlpt.api_request(path, request.query, list(self.plan.plans))
        except LookupError:
            return None
        column = next(c for c in self.plan.gkmlpt_columns if c.path == plan.base)
        rows = [(p, f"https://{DOMAIN}{_path(p)}") for p in self.listed[column.path]]
        body = gkmlpt.api_body(plan, cat, plan.report_name, rows, page)
        return Resource(body, JSON_UTF8, utc(self._updated(column))) if body else None

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        listed = [post for column in self.listed for post in self.listed[column]]
        part = listed_manifest(listed, _url, self._truth)
        for column in self.plan.columns:
            size, mode = self.plan.page_size[column.path], self.plan.json_of(column).mode
            how = f"html, {size} a page; json {mode}"
            part.columns.append(_column_entry(column, how, f"https://{DOMAIN}{column.path}"))
        for plan in self.plan.plans:
            column = next(c for c in self.plan.gkmlpt_columns if c.path == plan.base)
            how = f"gkmlpt ({plan.paging}, sid {plan.sid}, cat {plan.report_cat})"
            url = f"https://{DOMAIN}{plan.index_path}#{plan.report_cat}"
            part.columns.append(_column_entry(column, how, url))
        return part

    def _truth(self, post: Post) -> dict | None:
        if post.kind == "nonreport":
            return None
        url = _url(post)
        if post.column.path.endswith("/gkmlpt/"):
            aliases = [url.replace("https:", "http:")]
            plan = self.plan.plan_of(post.column)
            assert plan is not None
            column = f"https://{DOMAIN}{plan.index_path}#{plan.report_cat}"
        else:
            mobile = f"https://{DOMAIN}{post.path(mobile=True)}"
            aliases = [url.replace("https:", "http:"), mobile, mobile.replace("https:", "http:")]
            column = f"https://{DOMAIN}{post.column.path}"
        spec = self.reports[post.id]
        entry = report_truth(
            PORTAL, url, aliases, post.title, spec, post.date, post.document, [], column=column
        )
        if post.extra.get("lie"):
            entry["charset_lie"] = charset.truth(post.extra["lie"])
        return entry


def build(world: World) -> list[Site]:
    return [HaizhuSite(world)]


def _column_entry(column: Column, how: str, url: str) -> dict:
    return {"portal": PORTAL, "url": url, "name": column.name, "id": column.cat_id, "how": how}


def _path(post: Post) -> str:
    if post.column.path.endswith("/gkmlpt/"):
        i = post.id
        return f"{post.column.path}content/{i // 1_000_000}/{i // 1_000}/post_{i}.html"
    return post.path()


def _url(post: Post) -> str:
    return f"https://{DOMAIN}{_path(post)}"


def _listed_url(post: Post) -> str:
    if post.extra.get("listed_mobile"):
        return f"{post.listed_scheme}://{DOMAIN}{post.path(mobile=True)}"
    return nfcms.list_url(post, DOMAIN)


def _channels(plan: Layout) -> list[Channel]:
    """政务公开 -> 政府信息公开年报 -> the columns; 政府信息公开目录 -> departments' gkmlpt."""
    zwgk_links = [("政府信息公开年报", NB), ("通知公告", "/zwgk/tzgg/")]
    if plan.plans:
        zwgk_links.insert(1, ("政府信息公开目录", "/zwgk/zfxxgkml/"))
    channels = [
        Channel("/zwgk/", "政务公开", crumbs_to(("政务公开", "/zwgk/")), tuple(zwgk_links)),
        Channel(NB, "政府信息公开年报", _ROOT, tuple((c.name, c.path) for c in plan.columns)),
        Channel(
            "/zwgk/tzgg/",
            "通知公告",
            crumbs_to(("政务公开", "/zwgk/"), ("通知公告", "/zwgk/tzgg/")),
            (),
        ),
    ]
    if plan.plans:
        links = tuple((p.publisher, p.index_path) for p in plan.plans)
        crumbs = crumbs_to(("政务公开", "/zwgk/"), ("政府信息公开目录", "/zwgk/zfxxgkml/"))
        channels.append(Channel("/zwgk/zfxxgkml/", "政府信息公开目录", crumbs, links))
    stubs = (*theme.NAV[1:], ("网站地图", "/wzdt/"), ("联系我们", "/lxwm/"))
    channels += [
        Channel(p, label, crumbs_to((label, p)), ()) for label, p in stubs if p != "/zwgk/"
    ]
    return channels


# -- the catalogue: which posts exist, when published, how they look ---------------------------


def build_catalogue(world: World) -> tuple[list[Post], dict[int, ReportSpec]]:
    """Every post of every column (newest first within each), and the report behind each id."""
    plan = layout(world)
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    seed = corpus_seed(world)
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, seed, world.scale))
    if plan.district:
        specs += [_district_spec(seed, year) for year in range(2019, 2025)]
    specs = [_retitled(world, plan, spec) for spec in specs]
    drafts = [_report_draft(spec, rng, plan) for spec in specs]
    keyed = {"jd": plan.streets, "bm": plan.departments}
    drafts += [
        {
            "spec": None,
            "column": keyed[k],
            "title": t,
            "published": w,
            "meta": "本网",
            "text": "本网",
        }
        for k, t, w in NONREPORTS
    ]
    drafts += _negative_drafts(world, plan)
    drafts.sort(key=lambda d: d["published"])
    ids = nfcms.assign_ids([d["published"] for d in drafts], rng)
    posts, reports = [], {}
    for draft, post_id in zip(drafts, ids, strict=True):
        posts.append(_post(draft, post_id, rng))
        if draft["spec"] is not None:
            reports[post_id] = draft["spec"]
    _mark_listing_quirks(posts, rng, plan)
    if plan.lies:
        _tell_lies(posts, plan, draw(world, PORTAL, "lies"))
    posts.sort(key=lambda p: (p.published, p.id), reverse=True)
    return posts, reports


@cache
def _district_spec(seed: int, year: int) -> ReportSpec:
    rng = random.Random(f"{seed}:{PORTAL}:district:{year}")
    return ReportSpec(PORTAL, DISTRICT_UNIT, year, generate(DISTRICT, DISTRICT_UNIT, year, rng), -2)


def _retitled(world: World, plan: Layout, spec: ReportSpec) -> ReportSpec:
    if plan.titles is None:
        return spec
    rng = draw(world, PORTAL, f"title:{spec.unit.full}:{spec.year}:{spec.index}")
    return plan.titles.retitled(spec, DISTRICT.long_name(spec.unit), rng)


def _column_for(spec: ReportSpec, plan: Layout) -> Column:
    if spec.unit is DISTRICT_UNIT and plan.district:
        return plan.district
    if spec.unit.kind == STREET:
        return plan.streets
    for p, column in zip(plan.plans, plan.gkmlpt_columns, strict=True):
        if p.unit == spec.unit.full:
            return column
    return plan.departments


def _report_draft(spec: ReportSpec, rng: random.Random, plan: Layout) -> dict:
    column = _column_for(spec, plan)
    if spec.seed_key == "002":  # the real page: 2020-01-22, 来源:本网 (its unit only in the title)
        published, meta = SEED_PUBLISHED, "本网"
    else:
        published = publish_moment(spec.year + 1, rng.randint(1, 3), rng)
        meta = "本网" if rng.random() < 0.3 else spec.unit.full
    # portals.md §4: Haizhu pages print 来源:本网
    return {"spec": spec, "column": column, "published": published, "meta": meta, "text": "本网"}


def _negative_drafts(world: World, plan: Layout) -> list[dict]:
    """A variant's non-reports (工作要点, 年度工作报表, 法治政府建设年度报告 ...) in its columns."""
    rng = draw(world, PORTAL, "negatives")
    columns = (*plan.columns, *plan.gkmlpt_columns)
    drafts = []
    for title, year in negative_titles("广州市海珠区", range(2017, 2025), rng, plan.negatives):
        when = datetime(year + 1, rng.randint(1, 11), rng.randint(1, 28), 9, 30, tzinfo=CST)
        drafts.append(
            {
                "spec": None,
                "column": rng.choice(columns),
                "title": title,
                "published": when,
                "meta": "本网",
                "text": "本网",
                "negative": True,
            }
        )
    return drafts


def _post(draft: dict, post_id: int, rng: random.Random) -> Post:
    spec: ReportSpec | None = draft["spec"]
    if spec:
        document = spec.document
    elif draft.get("negative"):
        document = negative_document(draft["title"], "广州市海珠区人民政府办公室")
    else:
        document = _nonreport_document(draft["title"])
    return nfcms.drafted_post(post_id, draft, document, draft["column"], rng, quirks=QUIRKS)


def _nonreport_document(title: str) -> Document:
    lead = "根据《中华人民共和国政府信息公开条例》，现将《{title}》予以公布。"
    return notice(title, lead, "广州市海珠区人民政府办公室")


def _mark_listing_quirks(posts: list[Post], rng: random.Random, plan: Layout) -> None:
    """One street report listed by its mobile twin, one by plain http; one listed department
    post 404."""
    reports = [p for p in posts if p.kind == "report" and p.title != _seed_title()]
    streets = [p for p in reports if p.column is plan.streets]
    mobile, plain = rng.sample(streets, 2)
    mobile.extra["listed_mobile"] = True
    plain.listed_scheme = "http"
    rng.choice([p for p in reports if p.column is plan.departments]).missing = True


def _tell_lies(posts: list[Post], plan: Layout, rng: random.Random) -> None:
    """Report pages whose charset header lies (charset.py), one lie each."""
    plain = [
        p
        for p in posts
        if p.kind == "report"
        and not p.missing
        and not p.extra.get("listed_mobile")
        and p.listed_scheme == "https"
        and p.column in plan.columns
        and p.title != _seed_title()
    ]
    for lie, post in zip(plan.lies, rng.sample(plain, len(plan.lies)), strict=True):
        post.extra["lie"] = lie


def _seed_title() -> str:
    return next(s.title for s in seeds_for(PORTAL) if s.seed_key == "002")
