"""www.by.gov.cn (广州市白云区人民政府门户网站, NFCMS, portals.md §2): reports are scattered.

Where they are is the variant's layout (by_layout.py); in the reference world (variant 0):
- `/zwgk/qzfxxgknb/` 区政府信息公开年报 (cat 25190): the district government's own reports; its
  sub-columns `bm/` 部门 (25191) and `zj/` 镇街 (25192);
- `/gzjg/{unit}/zfxxgkgzndbg/` per-unit columns: `qwbgs` 区委办公室 (25320, holds 档案局's reports,
  among them the 2023 one whose tables are only `<img>`: post_9472985, portals.md §0.3),
  `qczj` 区财政局 (25334), `qsfj` 区司法局 (25341);
- `/gzbyjy/gkmlpt/index#2851`: 教育局's gkmlpt sub-site (gkmlpt.py), a shell whose `_CONFIG`
  leads to the documented list API `/gkmlpt/api/all/2851?page=1&sid=200711`.
Every column is `index.html`, `index_{n}.html` with a 下一页 link in `#page_div`, mostly with the
same rows as `/postmeta/i/{cat}.json`, `{cat}_{n}.json`; newest first. The home page leads to them
through the channels `/zwgk/` and `/gzjg/` (工作机构) and each unit's `/gzjg/{unit}/`; ordinary
columns (通知公告, 白云要闻, each unit's 机构职能) sit beside them.

Posts: `content/post_{id}.html` + `content/mpost_{id}.html` twins (gkmlpt:
`/gzbyjy/gkmlpt/content/{a}/{b}/post_{id}.html`, no twin), `/postmeta/p/{a}/{b}/{id}.json`.
Quirks: 来源 abbreviated (`来源:棠景街`), an empty ContentSource, `本网`; two reports of one unit
column also listed in `bm/` by their mpost_ URL; two rows linked over http; one listed post
answers 404; non-report posts in the columns; attachments `/attachment/{a}/{b}/{aid}/{postid}.pdf`
(real PDFs, two served as application/octet-stream), three reports whose page is only a note
before the PDF; body images `/img/{a}/{b}/{aid}/{name}.png` (real PNGs of the tables).
Other variants add: other title phrasings, more non-reports, report pages whose charset header
lies, one district report published as a 转发 notice.
The district's 2023 and 2024 reports are re-posted on www.gz.gov.cn (gz_gov_cn.py) with the same
body: the manifest lists those URLs as aliases.  Revisions do not change this site.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document, Para, Table
from sandbox.files import render, table_png, truth_for
from sandbox.http import HTML_UTF8, JSON_UTF8, Request, Resource, Response
from sandbox.sites import by_theme as theme
from sandbox.sites import charset, gkmlpt, nfcms
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import render_body
from sandbox.sites.by_layout import DISTRICT_YEARS, Layout, UnitHome, layout
from sandbox.sites.channels import Channel, crumbs_to, news_posts
from sandbox.sites.cms import CST, html_type, listed_manifest, notice, report_truth, utc
from sandbox.sites.nfcms import Column, Post
from sandbox.textgen import generate
from sandbox.titles import forwarded, negative_document, negative_titles
from sandbox.units import DEPT, DISTRICTS, STREET, Unit
from sandbox.variants import corpus_seed, draw, varied

PORTAL = "by_gov_cn"
DOMAIN = theme.DOMAIN
DISTRICT = DISTRICTS[PORTAL]
# The district government itself publishes the district report (titles: 广州市白云区人民政府…).
DISTRICT_UNIT = Unit("白云区人民政府", DEPT, "白云区人民政府")


@dataclass(frozen=True)
class Pin:
    """A post whose URL, date and 来源 were seen on the real portal (portals.md §2, seed 000)."""

    column: str  # "bm", "zj" or a unit column's slug
    published: datetime
    post_id: int | None = None
    source: str | None = None  # meta and label
    images: bool = False  # the tables are posted as <img>


PINS = {
    ("棠景街道办事处", 2021): Pin(
        "zj", datetime(2022, 1, 24, 10, 12, 33, tzinfo=CST), 8041063, "棠景街"
    ),
    ("白云区人民政府办公室", 2020): Pin("bm", datetime(2021, 1, 19, 9, 36, 2, tzinfo=CST), 7043430),
    ("白云区档案局", 2023): Pin(
        "qwbgs", datetime(2024, 1, 23, 15, 42, 26, tzinfo=CST), 9472985, images=True
    ),
    ("鹤龙街道办事处", 2018): Pin(
        "zj", datetime(2019, 2, 13, 16, 5, 37, tzinfo=CST), None, "鹤龙街"
    ),
}

# www.gz.gov.cn re-posts the district's reports in its 各区 column (portals.md §0.2): the same
# body under the city portal's chrome.  {report year: gz post id}; 2015 is only on gz.gov.cn.
GZ_DOMAIN = "www.gz.gov.cn"
GZ_COLUMN_PATH = "/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
GZ_REPOSTS = {2023: 9459871, 2024: 10121234}
GZ_ONLY = {2015: 5632792}

# Non-report posts of the reference world: (column key, title, published); "unit:X" is the
# report column of unit X, skipped where a variant gives X none.
NONREPORTS = (
    ("root", "广州市白云区人民政府信息公开指南", datetime(2020, 3, 2, 9, 15, tzinfo=CST)),
    ("bm", "白云区2022年政府信息公开工作年度报表", datetime(2023, 2, 20, 16, 40, tzinfo=CST)),
    ("zj", "白云区2023年镇街政务公开工作要点", datetime(2023, 4, 11, 10, 5, tzinfo=CST)),
    ("zj", "白云区镇街政府信息公开申请表（样式）", datetime(2021, 6, 15, 11, 30, tzinfo=CST)),
    (
        "unit:白云区财政局",
        "广州市白云区财政局政府信息公开指南",
        datetime(2021, 5, 10, 14, 22, tzinfo=CST),
    ),
    (
        "unit:白云区教育局",
        "广州市白云区教育局2024年部门预算",
        datetime(2024, 2, 2, 17, 8, tzinfo=CST),
    ),
)

# Ordinary columns beside the report columns (their posts are news, never reports).
NOTICES = Column(
    "/zwgk/tzgg/", "通知公告", 25101, crumbs_to(("政务公开", "/zwgk/"), ("通知公告", "/zwgk/tzgg/"))
)
NEWS = Column(
    "/xwzx/byyw/", "白云要闻", 25011, crumbs_to(("新闻中心", "/xwzx/"), ("白云要闻", "/xwzx/byyw/"))
)
NOTICE_TITLES = (
    "关于白云区2025年春节期间烟花爆竹禁放的通告",
    "白云区2025年公开招聘社区专职工作人员公告",
    "关于征求《白云区城市更新专项规划》意见的公告",
    "白云区关于开展2025年度防汛应急演练的通知",
    "白云区2025年第一批政府投资项目计划公示",
    "关于白云区部分道路临时交通管制的通告",
    "白云区2025年度重点民生实事项目征集公告",
    "关于公布白云区第二批区级非物质文化遗产代表性项目名录的通知",
)
NEWS_TITLES = (
    "白云区召开2025年区政府全体会议",
    "白云区推进“百千万工程”现场会召开",
    "白云区举办政务公开日活动",
    "白云区开展安全生产大检查",
    "白云区重点项目集中签约仪式举行",
    "白云区召开优化营商环境工作推进会",
    "白云湖数字科技城建设提速",
    "白云区开展“政策进企业”宣讲活动",
    "白云区举行2025年征兵欢送大会",
    "白云区召开河长制湖长制工作会议",
)


@dataclass
class Attachment:
    path: str
    name: str  # link text
    fmt: str  # sandbox.files format
    content_type: str
    document: Document


@dataclass
class Catalogue:
    posts: list[Post]  # every post of the site, newest first
    listings: dict[int, list[tuple[Post, str]]]  # cat id -> (post, listed URL), newest first
    specs: dict[int, ReportSpec]  # post id -> report
    files: dict[str, Attachment] = field(default_factory=dict)  # path -> attachment
    images: dict[str, Table] = field(default_factory=dict)  # path -> the table it shows
    district_posts: dict[int, Post] = field(default_factory=dict)  # report year -> post
    news: dict[str, list[Post]] = field(default_factory=dict)  # column path -> ordinary posts


# -- the catalogue -----------------------------------------------------------------------------


@cache
def district_spec(seed: int, year: int) -> ReportSpec:
    """The district government's report of `year`, from the corpus seed of its world."""
    rng = random.Random(f"{seed}:{PORTAL}:district:{year}")
    return ReportSpec(PORTAL, DISTRICT_UNIT, year, generate(DISTRICT, DISTRICT_UNIT, year, rng), -2)


@cache
def catalogue(world: World) -> Catalogue:
    """Which posts exist, where they are listed and how they look: a function of the world."""
    plan = layout(world)
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = _all_specs(world, plan)
    drafts = [_report_draft(spec, rng, plan) for spec in specs]
    drafts += [
        _nonreport_draft(column, title, when)
        for key, title, when in NONREPORTS
        if (column := _keyed_column(key, plan)) is not None
    ]
    drafts += _negative_drafts(world, plan)
    drafts.sort(key=lambda d: (d["published"], d["title"]))
    posts, by_id = _make_posts(drafts, rng), {}
    for post, draft in zip(posts, drafts, strict=True):
        if draft["spec"] is not None:
            by_id[post.id] = draft["spec"]
    posts.sort(key=lambda p: (p.published, p.id), reverse=True)
    cat = Catalogue(posts, {}, by_id)
    cat.district_posts = {
        s.year: p for p in posts if (s := by_id.get(p.id)) and s.unit is DISTRICT_UNIT
    }
    _list_posts(cat, rng, plan)
    _add_files(cat, rng, plan)
    if varied(world):
        _tell_lies(cat, draw(world, PORTAL, "lies"), plan)
    cat.news = _news(world, plan, max(p.id for p in posts))
    return cat


def _keyed_column(key: str, plan: Layout) -> Column | None:
    if key.startswith("unit:"):
        home = plan.home_of(key.removeprefix("unit:"))
        return home.report_column if home else None
    return {"root": plan.root, "bm": plan.bm, "zj": plan.zj}[key]


def _all_specs(world: World, plan: Layout) -> list[ReportSpec]:
    seed = corpus_seed(world)
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, seed, world.scale))
    have = {(s.unit.full, s.year) for s in specs}
    units = {u.full: u for u in DISTRICT.units}
    wanted = [
        (units[full], year) for home in plan.homes for full in home.units for year in home.years
    ]
    wanted += [(units[full], year) for full, year in PINS if full in units]
    for unit, year in wanted:
        if (unit.full, year) not in have:
            rng = random.Random(f"{seed}:{PORTAL}:extra:{unit.full}:{year}")
            specs.append(ReportSpec(PORTAL, unit, year, generate(DISTRICT, unit, year, rng), -3))
            have.add((unit.full, year))
    specs += [district_spec(seed, year) for year in DISTRICT_YEARS]
    if plan.titles is not None:
        specs = [_retitled(world, plan, spec) for spec in specs]
    return specs


def _retitled(world: World, plan: Layout, spec: ReportSpec) -> ReportSpec:
    assert plan.titles is not None
    rng = draw(world, PORTAL, f"title:{spec.unit.full}:{spec.year}:{spec.index}")
    spec = plan.titles.retitled(spec, DISTRICT.long_name(spec.unit), rng)
    if spec.unit is DISTRICT_UNIT and spec.year == plan.forward_year:
        when = datetime(spec.year + 1, 2, rng.randint(1, 28), 10, 30, tzinfo=CST)
        doc_no = f"云府办〔{spec.year + 1}〕{rng.randint(2, 19)}号"
        spec = forwarded(spec, "广州市白云区人民政府办公室", doc_no, when)
    return spec


def _column_of(spec: ReportSpec, plan: Layout) -> Column:
    pin = PINS.get((spec.unit.full, spec.year))
    if pin:
        return _pinned_column(pin, plan)
    if spec.unit is DISTRICT_UNIT:
        return plan.district_column
    home = plan.home_of(spec.unit.full)
    if home and home.report_column:
        return home.report_column
    return plan.bm if spec.unit.kind == DEPT else plan.zj


def _pinned_column(pin: Pin, plan: Layout) -> Column:
    if pin.column in ("bm", "zj"):
        return plan.bm if pin.column == "bm" else plan.zj
    home = next(h for h in plan.homes if h.slug == pin.column)
    assert home.column is not None
    return home.column


def _report_draft(spec: ReportSpec, rng: random.Random, plan: Layout) -> dict:
    pin = PINS.get((spec.unit.full, spec.year))
    late = rng.random() < 0.08  # a few reports come out months after the usual Jan-Mar
    month = rng.randint(4, 10) if late else rng.randint(1, 3)
    clock = (rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
    published = datetime(spec.year + 1, month, rng.randint(1, 28), *clock, tzinfo=CST)
    meta, text = _sources(spec, rng)
    if pin:
        published = pin.published
    if pin and pin.source:
        meta = text = pin.source
    return {
        "spec": spec,
        "title": spec.title,
        "column": _column_of(spec, plan),
        "published": published,
        "meta": meta,
        "text": text,
        "pin": pin,
    }


def _sources(spec: ReportSpec, rng: random.Random) -> tuple[str, str]:
    """(ContentSource meta, 来源 label): the unit's name, often abbreviated as 来源:棠景街 (§2)."""
    unit = spec.unit
    if unit is DISTRICT_UNIT:
        return unit.full, unit.full
    roll = rng.random()
    if roll < 0.08:
        return "本网", "本网"  # the unit only in the title
    if unit.kind == STREET and roll < 0.5:
        short = unit.name.removesuffix("街道") + "街"
        return short, short
    if roll < 0.6:
        return "", unit.full  # an empty ContentSource; the 来源 label names the unit
    return unit.full, unit.full


def _nonreport_draft(column: Column, title: str, when: datetime, negative: bool = False) -> dict:
    return {
        "spec": None,
        "title": title,
        "column": column,
        "published": when,
        "meta": "本网",
        "text": "本网",
        "pin": None,
        "negative": negative,
    }


def _negative_drafts(world: World, plan: Layout) -> list[dict]:
    """A variant's non-reports (工作要点, 年度工作报表, 法治政府建设年度报告 ...) in report columns."""
    if not plan.negatives:
        return []
    rng = draw(world, PORTAL, "negatives")
    columns = [c for c in (*plan.nfcms_columns, *plan.gkmlpt_columns) if c.cat_id]
    drafts = []
    for title, year in negative_titles("广州市白云区", range(2016, 2025), rng, plan.negatives):
        when = datetime(year + 1, rng.randint(1, 11), rng.randint(1, 28), 10, 0, tzinfo=CST)
        drafts.append(_nonreport_draft(rng.choice(columns), title, when, negative=True))
    return drafts


def _make_posts(drafts: list[dict], rng: random.Random) -> list[Post]:
    pinned = {d["pin"].post_id for d in drafts if d["pin"] and d["pin"].post_id}
    ids = nfcms.assign_ids([d["published"] for d in drafts], rng)
    posts = []
    for draft, post_id in zip(drafts, ids, strict=True):
        pin = draft["pin"]
        if pin and pin.post_id:
            post_id = pin.post_id
        while post_id in pinned and not (pin and pin.post_id == post_id):
            post_id += 1
        posts.append(_post(draft, post_id, rng))
    return posts


def _post(draft: dict, post_id: int, rng: random.Random) -> Post:
    spec: ReportSpec | None = draft["spec"]
    if spec:
        document = spec.document
    elif draft.get("negative"):
        document = negative_document(draft["title"], "广州市白云区人民政府办公室")
    else:
        document = _nonreport_document(draft["title"])
    pin: Pin | None = draft["pin"]
    images = {"images": bool(pin and pin.images)}
    return nfcms.drafted_post(post_id, draft, document, draft["column"], rng, images)


def _nonreport_document(title: str) -> Document:
    lead = "根据工作需要，现将《{title}》予以公布，请各单位遵照执行。"
    return notice(title, lead, "广州市白云区人民政府办公室")


def _list_posts(cat: Catalogue, rng: random.Random, plan: Layout) -> None:
    """Each post in its own column; two reports of one unit column also in bm/ by their mpost_
    URL; two zj/ rows linked over http; one zj/ report listed although its page is gone (404)."""
    for column in (*plan.nfcms_columns, *plan.gkmlpt_columns):
        cat.listings[column.cat_id] = [(p, post_url(p)) for p in cat.posts if p.column is column]
    crossed = next(h.column for h in plan.homes if h.slug == plan.crossed)
    assert crossed is not None
    reports = [p for p, _u in cat.listings[crossed.cat_id] if p.kind == "report"]
    twins = [(p, post_url(p, mobile=True)) for p in rng.sample(reports, 2)]
    bm = cat.listings[plan.bm.cat_id] + twins
    cat.listings[plan.bm.cat_id] = sorted(bm, key=lambda r: (r[0].published, r[0].id), reverse=True)
    streets = [p for p, _u in cat.listings[plan.zj.cat_id] if _ordinary(p, cat)]
    for post in rng.sample(streets, 2):
        post.listed_scheme = "http"
    rows = cat.listings[plan.zj.cat_id]
    cat.listings[plan.zj.cat_id] = [(p, post_url(p)) for p, _u in rows]  # re-read the schemes
    candidates = [p for p in streets if p.listed_scheme == "https"]
    rng.choice(candidates).missing = True


def _ordinary(post: Post, cat: Catalogue) -> bool:
    spec = cat.specs.get(post.id)
    return spec is not None and spec.index >= 0 and (spec.unit.full, spec.year) not in PINS


def _add_files(cat: Catalogue, rng: random.Random, plan: Layout) -> None:
    """PDF attachments (three reports are only a note before their PDF) and the table images."""
    filed = next(h.column for h in plan.homes if h.slug == plan.filed)
    assert filed is not None
    by_year = {
        cat.specs[p.id].year: p for p, _u in cat.listings[filed.cat_id] if p.kind == "report"
    }
    first, second = [by_year[y] for y in sorted(by_year) if y >= 2019][:2]
    depts = [
        p for p, _u in cat.listings[plan.bm.cat_id] if p.column is plan.bm and _ordinary(p, cat)
    ]
    streets = [
        p
        for p, _u in cat.listings[plan.zj.cat_id]
        if _ordinary(p, cat)
        and not p.missing
        and p.listed_scheme == "https"
        and cat.specs[p.id].year >= 2019
    ]
    attach = [
        (first, "pdf", "application/pdf", True),
        (second, "pdf_cid", "application/octet-stream", True),
        (rng.choice(depts), "pdf", "application/octet-stream", True),
        (rng.choice(streets), "pdf_cid", "application/pdf", False),
    ]
    for post, fmt, content_type, only in attach:
        spec = cat.specs[post.id]
        aid = post.id - rng.randint(3, 60)
        path = f"/attachment/{aid // 1_000_000}/{aid // 1_000}/{aid}/{post.id}.pdf"
        cat.files[path] = Attachment(path, f"{post.title}.pdf", fmt, content_type, spec.document)
        post.extra["attachments"] = [path]
        if only:
            post.document = _note(spec)
    for post in cat.posts:
        if post.extra.get("images"):
            post.extra["image_paths"] = _image_paths(post, cat)


def _tell_lies(cat: Catalogue, rng: random.Random, plan: Layout) -> None:
    """Report pages whose charset header lies (charset.py), one lie each."""
    plain = [
        p
        for p in cat.posts
        if _ordinary(p, cat)
        and not p.missing
        and not p.extra.get("attachments")
        and p.column in plan.nfcms_columns
    ]
    for lie, post in zip(plan.lies, rng.sample(plain, len(plan.lies)), strict=True):
        post.extra["lie"] = lie


def _note(spec: ReportSpec) -> Document:
    text = (
        f"根据《中华人民共和国政府信息公开条例》要求，现将《{spec.title}》全文予以公开，详见附件。"
    )
    return Document(spec.title, [Para(text)])


def _image_paths(post: Post, cat: Catalogue) -> list[str]:
    """Screenshot-style names, as on post_9472985: 1705995746322.png, clipbord_1705996747791.png."""
    tables = [b for b in post.document.blocks if isinstance(b, Table)]
    stamp = int(post.published.timestamp() * 1000) + 322
    paths = []
    for i, table in enumerate(tables):
        aid = post.id + 1 + i
        name = f"{stamp}.png" if i == 0 else f"clipbord_{stamp + 1001469 + 7351 * i}.png"
        path = f"/img/{aid // 1_000_000}/{aid // 1_000}/{aid}/{name}"
        cat.images[path] = table
        paths.append(path)
    return paths


def _news(world: World, plan: Layout, top_id: int) -> dict[str, list[Post]]:
    """Ordinary columns: 通知公告, 白云要闻 and each unit's 机构职能 (one post)."""
    rng = random.Random(f"{world.seed}:{PORTAL}:news")
    out = {
        NOTICES.path: news_posts(NOTICES, NOTICE_TITLES, top_id + 5_000, "白云区政府办", rng),
        NEWS.path: news_posts(NEWS, NEWS_TITLES, top_id + 9_000, "白云区融媒体中心", rng),
    }
    for i, home in enumerate(plan.homes):
        column = duties_column(home)
        titles = (f"{home.label}主要职责",)
        out[column.path] = news_posts(column, titles, top_id + 20_000 + 50 * i, home.label, rng)
    return out


@cache
def duties_column(home: UnitHome) -> Column:
    path = f"{home.path}jgzn/"
    crumbs = crumbs_to(("工作机构", "/gzjg/"), (home.label, home.path), ("机构职能", path))
    return Column(path, "机构职能", 0, crumbs)


def post_path(post: Post, mobile: bool = False) -> str:
    if post.column.path.endswith("/gkmlpt/"):
        i = post.id
        return f"{post.column.path}content/{i // 1_000_000}/{i // 1_000}/post_{i}.html"
    return post.path(mobile)


def post_url(post: Post, mobile: bool = False) -> str:
    return f"{post.listed_scheme}://{DOMAIN}{post_path(post, mobile)}"


# -- rendering helpers shared with gz_gov_cn ------------------------------------------------------


def body_html(post: Post, image_paths: list[str] | None = None) -> str:
    """The body in editor soup; with image_paths, every table is an <img> instead."""
    if not image_paths:
        return render_body(post.document, post.style)
    parts, run, images = [], [], iter(image_paths)
    for block in post.document.blocks:
        if isinstance(block, Table):
            if run:
                parts.append(render_body(Document(post.title, run), post.style))
                run = []
            parts.append(f'<p style="text-align:center;"><img src="{next(images)}" border="0"></p>')
        else:
            run.append(block)
    if run:
        parts.append(render_body(Document(post.title, run), post.style))
    return "\n".join(parts)


def page_document(post: Post) -> Document:
    """What the page itself shows (tables posted as images are not page text)."""
    if not post.extra.get("images"):
        return post.document
    blocks = [b for b in post.document.blocks if not isinstance(b, Table)]
    return Document(post.title, blocks)


def aliases(scheme_host_paths: list[tuple[str, str]]) -> list[str]:
    return [
        f"{scheme}://{host}{path}"
        for host, path in scheme_host_paths
        for scheme in ("http", "https")
    ]


# -- the site ------------------------------------------------------------------------------------


class BySite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        self.plan = layout(world)
        self.cat = catalogue(world)
        self.posts = {p.id: p for p in self.cat.posts if not p.missing}
        self.news_columns = {
            c.path: c for c in (NOTICES, NEWS, *map(duties_column, self.plan.homes))
        }
        for posts in self.cat.news.values():
            self.posts.update((p.id, p) for p in posts)
        self.channels = {c.path: c for c in _channels(self.plan)}
        self._files: dict[str, bytes] = {}

    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            return Resource(theme.home_page(self.plan.root).encode(), HTML_UTF8)
        if path in self.channels:
            return Resource(theme.channel_page(self.channels[path]).encode(), HTML_UTF8)
        if path.startswith("/postmeta/"):
            return self._postmeta(path.removeprefix("/postmeta/"))
        if path in self.cat.files or path in self.cat.images:
            return self._file(path)
        if gkmlpt.is_api(path, list(self.plan.plans)):
            return self._gkmlpt_api(path, request)
        plan = next((p for p in self.plan.plans if path.startswith(p.base)), None)
        if plan is not None:
            return self._gkmlpt(plan, path.removeprefix(plan.base))
        column = self._column_at(path)
        if column is None:
            return None
        rest = path.removeprefix(column.path)
        if rest.startswith("content/"):
            return self._detail(rest.removeprefix("content/"), column)
        page = nfcms.page_number(rest, "index", ".html")
        return self._list_html(column, page) if page else None

    def is_list(self, request: Request) -> bool:
        path = request.path
        if path.startswith("/postmeta/i/") or gkmlpt.is_api(path, list(self.plan.plans)):
            return True
        if any(path == p.index_path for p in self.plan.plans):
            return True
        column = self._column_at(path)
        return column is not None and "content/" not in path.removeprefix(column.path)

    def _column_at(self, path: str) -> Column | None:
        columns = (*self.plan.nfcms_columns, *self.news_columns.values())
        found = [c for c in columns if path.startswith(c.path)]
        return max(found, key=lambda c: len(c.path)) if found else None

    def _rows(self, column: Column) -> list[tuple[Post, str]]:
        if column.path in self.news_columns:
            return [(p, post_url(p)) for p in self.cat.news[column.path]]
        return self.cat.listings[column.cat_id]

    # -- lists -----------------------------------------------------------------------------------
    def _page_rows(self, column: Column, page: int) -> tuple[list[tuple[Post, str]], int] | None:
        rows = self._rows(column)
        size = self.plan.size(column) if column.path not in self.news_columns else 10
        pages = max(1, -(-len(rows) // size))
        if not 1 <= page <= pages:
            return None
        return rows[(page - 1) * size : page * size], pages

    def _updated(self, column: Column) -> datetime:
        return max(p.modified for p, _u in self._rows(column))

    def _list_html(self, column: Column, page: int) -> Resource | None:
        found = self._page_rows(column, page)
        if found is None:
            return None
        rows, pages = found
        json_plan = self.plan.json.get(column.cat_id, nfcms.JsonPlan())
        has_json = json_plan.mode != nfcms.NO_JSON and column.path not in self.news_columns
        children = list(self.plan.children(column))
        html = theme.list_page(column, rows, page, pages, children, has_json)
        return Resource(html.encode(), HTML_UTF8, utc(self._updated(column)))

    def _list_json(self, column: Column, page: int) -> Resource | None:
        json_plan = self.plan.json.get(column.cat_id, nfcms.JsonPlan())
        found = self._page_rows(column, 1 if json_plan.mode == nfcms.WHOLE else page)
        if found is None or (json_plan.mode == nfcms.WHOLE and page != 1):
            return None
        rows, pages = found
        if json_plan.mode == nfcms.WHOLE:
            rows, pages = self._rows(column), 1
        children = [
            {
                "id": c.cat_id,
                "name": c.name,
                "url": f"https://{DOMAIN}{c.path}",
                "publish_count": len(self.cat.listings[c.cat_id]),
            }
            for c in self.plan.children(column)
        ]
        total, size = len(self._rows(column)), self.plan.size(column)
        updated = self._updated(column)
        body = nfcms.list_json(
            column, rows, page, pages, total, size, DOMAIN, updated, children, json_plan.extra
        )
        return Resource(body, JSON_UTF8, utc(updated))

    def _postmeta(self, rest: str) -> Resource | None:
        if rest.startswith("i/"):
            name = rest.removeprefix("i/")
            for column in self.plan.nfcms_columns:
                json_plan = self.plan.json.get(column.cat_id, nfcms.JsonPlan())
                if json_plan.mode == nfcms.NO_JSON:
                    continue
                page = nfcms.page_number(name, str(column.cat_id), ".json", allow_bare=False)
                if page:
                    return self._list_json(column, page)
            return None
        post = nfcms.postmeta_post(rest, self.posts)
        if post is None or post.column not in self.plan.nfcms_columns:
            return None
        body = nfcms.detail_json(post, self._body(post), DOMAIN, [])
        return Resource(body, JSON_UTF8, utc(post.modified))

    # -- posts -----------------------------------------------------------------------------------
    def _detail(self, name: str, column: Column) -> Resource | None:
        found = nfcms.content_post(name, column, self.posts)
        if found is None:
            return None
        post, mobile = found
        body, files = self._body(post), self._links(post)
        if mobile:
            html = theme.mobile_page(post, body, files)
            return Resource(html.encode(), html_type(post.no_charset), utc(post.modified))
        html = theme.detail_page(post, body, files)
        data, content_type = charset.page_bytes(
            html, post.extra.get("lie"), html_type(post.no_charset)
        )
        return Resource(data, content_type, utc(post.modified))

    def _body(self, post: Post) -> str:
        return body_html(post, post.extra.get("image_paths"))

    def _links(self, post: Post) -> list[tuple[str, str]]:
        return [(path, self.cat.files[path].name) for path in post.extra.get("attachments", [])]

    def _file(self, path: str) -> Resource:
        if path not in self._files:  # rendering a PDF takes a moment: once per path
            if path in self.cat.files:
                self._files[path] = render(self.cat.files[path].document, self.cat.files[path].fmt)
            else:
                self._files[path] = table_png(self.cat.images[path])
        kind = self.cat.files[path].content_type if path in self.cat.files else "image/png"
        return Resource(self._files[path], kind, datetime(2024, 1, 23, 7, 0, tzinfo=CST))

    # -- gkmlpt ------------------------------------------------------------------------------------
    def _gkmlpt_column(self, plan: gkmlpt.Plan) -> Column:
        return next(c for c in self.plan.gkmlpt_columns if c.path == plan.base)

    def _gkmlpt(self, plan: gkmlpt.Plan, rest: str) -> Resource | None:
        column = self._gkmlpt_column(plan)
        if rest == "index":
            html = gkmlpt.shell_page(plan, self._page, theme.THEME.footer_html())
            return Resource(html.encode(), HTML_UTF8, utc(self._updated(column)))
        post = next((p for p in self.posts.values() if post_path(p) == plan.base + rest), None)
        if post is None or post.column is not column:
            return None
        title = f"{post.title} - {theme.SITE_NAME}"
        body = self._body(post)
        metas, footer = theme.THEME.post_metas(post), theme.THEME.footer_html()
        html = gkmlpt.detail_page(plan, post, body, metas, title, self._page, footer)
        return Resource(html.encode(), HTML_UTF8, utc(post.modified))

    def _gkmlpt_api(self, path: str, request: Request) -> Resource | None:
        try:
            plan, cat, page = gkmlpt.api_request(path, request.query, list(self.plan.plans))
        except LookupError:
            return None
        column = self._gkmlpt_column(plan)
        rows = self.cat.listings[column.cat_id] if cat == plan.report_cat else []
        name = plan.report_name if cat == plan.report_cat else dict(plan.other_cats)[cat]
        body = gkmlpt.api_body(plan, cat, name, rows, page)
        if body is None:
            return None
        return Resource(body, JSON_UTF8, utc(self._updated(column)))

    @staticmethod
    def _page(title: str, metas: str, content: str) -> str:
        return theme.THEME.page(title, metas, content)

    # -- truth ---------------------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        posts = sorted(self.cat.posts, key=lambda p: p.id)
        part = listed_manifest(posts, lambda p: f"https://{DOMAIN}{post_path(p)}", self._truth)
        part.columns = [self._column_entry(c) for c in self.plan.nfcms_columns]
        part.columns += [self._column_entry(c) for c in self.plan.gkmlpt_columns]
        return part

    def _column_entry(self, column: Column) -> dict:
        plan = self.plan.plan_of(column)
        if plan is not None:
            how = f"gkmlpt ({plan.paging}, sid {plan.sid}, cat {plan.report_cat})"
        else:
            json_plan = self.plan.json.get(column.cat_id, nfcms.JsonPlan())
            how = f"html, {self.plan.size(column)} a page; json {json_plan.mode}"
        url = column_url(column, plan)
        return {"portal": PORTAL, "url": url, "name": column.name, "id": column.cat_id, "how": how}

    def _truth(self, post: Post) -> dict | None:
        if post.kind == "nonreport":
            return None
        spec = self.cat.specs[post.id]
        places = [(DOMAIN, post_path(post))]
        if self.plan.plan_of(post.column) is None:
            places.append((DOMAIN, post_path(post, mobile=True)))
        gz_id = GZ_REPOSTS.get(spec.year) if spec.unit is DISTRICT_UNIT else None
        if gz_id:
            gz_path = f"{GZ_COLUMN_PATH}content/post_{gz_id}.html"
            places += [(GZ_DOMAIN, gz_path), (GZ_DOMAIN, gz_path.replace("/post_", "/mpost_"))]
        url = f"https://{DOMAIN}{post_path(post)}"
        column = column_url(post.column, self.plan.plan_of(post.column))
        entry = report_entry(
            post, spec, url, [u for u in aliases(places) if u != url], self.cat, column
        )
        if post.extra.get("lie"):
            entry["charset_lie"] = charset.truth(post.extra["lie"])
        return entry


def column_url(column: Column, plan: gkmlpt.Plan | None = None) -> str:
    if plan is not None:
        return f"https://{DOMAIN}{plan.index_path}#{plan.report_cat}"
    return f"https://{DOMAIN}{column.path}"


def report_entry(
    post: Post,
    spec: ReportSpec,
    url: str,
    alias_urls: list[str],
    cat: Catalogue | None,
    column: str,
) -> dict:
    files = [cat.files[p] for p in post.extra.get("attachments", [])] if cat else []
    attachments = [
        {
            "url": f"https://{DOMAIN}{f.path}",
            "filename": f.name,
            "content_type": f.content_type,
            "format": f.fmt,
            "text": truth_for(f.document, f.fmt),
        }
        for f in files
    ]
    shown = page_document(post)
    entry = report_truth(
        PORTAL,
        url,
        alias_urls,
        post.title,
        spec,
        post.date,
        shown,
        attachments,
        column=column,
    )
    entry["text"] = _as_shown(entry["text"])
    entry["headings"] = [_as_shown(h) for h in entry["headings"]]
    entry["images"] = [
        {
            "url": f"https://{DOMAIN}{path}",
            "text": "\n".join("\t".join(r) for r in cat.images[path].rows),
        }
        for path in (post.extra.get("image_paths", []) if cat else [])
    ]
    return entry


def _as_shown(text: str) -> str:
    # HTML collapses spaces: the seed's "一、概  述" reads "一、概 述" on any page.
    return re.sub(r" {2,}", " ", text)


def _channels(plan: Layout) -> list[Channel]:
    """The channel tree above the columns: 政务公开, 工作机构, each unit, 新闻中心."""
    zwgk = Channel(
        "/zwgk/",
        "政务公开",
        crumbs_to(("政务公开", "/zwgk/")),
        (
            (plan.root.name, plan.root.path),
            (NOTICES.name, NOTICES.path),
            ("政府信息公开指南", "/zwgk/qzfxxgknb/"),
        ),
    )
    units = Channel(
        "/gzjg/",
        "工作机构",
        crumbs_to(("工作机构", "/gzjg/")),
        tuple((home.label, home.path) for home in plan.homes),
    )
    news = Channel(
        "/xwzx/", "新闻中心", crumbs_to(("新闻中心", "/xwzx/")), ((NEWS.name, NEWS.path),)
    )
    sitemap = Channel(
        "/wzdt/",
        "网站地图",
        crumbs_to(("网站地图", "/wzdt/")),
        ((zwgk.name, zwgk.path), (units.name, units.path), (news.name, news.path)),
    )
    stubs = [
        Channel(path, label, crumbs_to((label, path)), ())
        for label, path in (*theme.NAV[1:], ("智能问答", "/znwd/"), ("联系我们", "/lxwm/"))
        if path not in ("/zwgk/",)
    ]
    return [zwgk, units, news, sitemap, *stubs, *(_unit_channel(home) for home in plan.homes)]


def _unit_channel(home: UnitHome) -> Channel:
    links = [("机构职能", f"{home.path}jgzn/")]
    if home.column:
        links.append((home.column.name, home.column.path))
    if home.plan:
        links.append(("政府信息公开目录", home.plan.index_path))
    crumbs = crumbs_to(("工作机构", "/gzjg/"), (home.label, home.path))
    return Channel(home.path, home.label, crumbs, tuple(links))


def build(world: World) -> list[Site]:
    return [BySite(world)]
