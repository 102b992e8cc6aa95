"""www.by.gov.cn (广州市白云区人民政府门户网站, NFCMS, portals.md §2): reports are scattered.

Columns (each `index.html`, `index_{n}.html` with a 下一页 link in `#page_div`, and the same rows
as `/postmeta/i/{cat}.json`, `{cat}_{n}.json`; newest first):
- `/zwgk/qzfxxgknb/` 区政府信息公开年报 (cat 25190): the district government's own reports; its
  sub-columns `bm/` 部门 (25191) and `zj/` 镇街 (25192);
- `/gzjg/{unit}/zfxxgkgzndbg/` per-unit columns: `qwbgs` 区委办公室 (25320, holds 档案局's reports,
  among them the 2023 one whose tables are only `<img>`: post_9472985, portals.md §0.3),
  `qczj` 区财政局 (25334), `qsfj` 区司法局 (25341);
- `/gzbyjy/gkmlpt/index#2851`: 教育局's gkmlpt sub-site, a shell whose list a script fills from
  `/gzbyjy/gkmlpt/api/all/2851?page=1&sid=200711` (only a browser sees the links).

Posts: `content/post_{id}.html` + `content/mpost_{id}.html` twins (gkmlpt:
`/gzbyjy/gkmlpt/content/{a}/{b}/post_{id}.html`, no twin), `/postmeta/p/{a}/{b}/{id}.json`.
Quirks: 来源 abbreviated (`来源:棠景街`), an empty ContentSource, `本网`; two 司法局 reports also
listed in `bm/` by their mpost_ URL; two rows linked over http; one listed post answers 404;
non-report posts in the columns; attachments `/attachment/{a}/{b}/{aid}/{postid}.pdf` (real PDFs,
two served as application/octet-stream), three reports whose page is only a note before the PDF;
body images `/img/{a}/{b}/{aid}/{name}.png` (real PNGs of the tables).
The district's 2023 and 2024 reports are re-posted on www.gz.gov.cn (gz_gov_cn.py) with the same
body: the manifest lists those URLs as aliases.  Revisions do not change this site.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document, Para, Table
from sandbox.files import render, table_png, truth_for
from sandbox.http import HTML_UTF8, JSON_UTF8, Request, Resource, Response, json_bytes
from sandbox.sites import by_theme as theme
from sandbox.sites import nfcms
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import render_body
from sandbox.sites.cms import CST, html_type, listed_manifest, notice, report_truth, utc
from sandbox.sites.nfcms import Column, Post
from sandbox.textgen import generate
from sandbox.units import DEPT, DISTRICTS, STREET, Unit

PORTAL = "by_gov_cn"
DOMAIN = theme.DOMAIN
DISTRICT = DISTRICTS[PORTAL]
# The district government itself publishes the district report (titles: 广州市白云区人民政府…).
DISTRICT_UNIT = Unit("白云区人民政府", DEPT, "白云区人民政府")

_ZWGK = (("首页", "/"), ("政务公开", "/zwgk/"), ("区政府信息公开年报", "/zwgk/qzfxxgknb/"))
ROOT = Column("/zwgk/qzfxxgknb/", "区政府信息公开年报", 25190, _ZWGK)
BM = Column("/zwgk/qzfxxgknb/bm/", "部门", 25191, (*_ZWGK, ("部门", "/zwgk/qzfxxgknb/bm/")))
ZJ = Column("/zwgk/qzfxxgknb/zj/", "镇街", 25192, (*_ZWGK, ("镇街", "/zwgk/qzfxxgknb/zj/")))


def _unit_column(code: str, label: str, cat_id: int) -> Column:
    path = f"/gzjg/{code}/zfxxgkgzndbg/"
    crumbs = (("首页", "/"), ("工作机构", "/gzjg/"), (label, f"/gzjg/{code}/"))
    return Column(
        path, "政府信息公开工作年度报告", cat_id, (*crumbs, ("政府信息公开工作年度报告", path))
    )


QWBGS = _unit_column("qwbgs", "区委办公室", 25320)
QCZJ = _unit_column("qczj", "区财政局", 25334)
QSFJ = _unit_column("qsfj", "区司法局", 25341)
GKMLPT = Column(
    "/gzbyjy/gkmlpt/",
    "政府信息公开年报",
    2851,
    (("首页", "/"), ("白云区教育局", "/gzbyjy/"), ("政府信息公开年报", "/gzbyjy/gkmlpt/index")),
)
GKMLPT_SID = "200711"
NFCMS_COLUMNS = (ROOT, BM, ZJ, QWBGS, QCZJ, QSFJ)
PAGE_SIZE = {ROOT.cat_id: 10, BM.cat_id: 10, ZJ.cat_id: 10}  # unit columns: 5
CHILDREN = {ROOT.cat_id: (BM, ZJ)}

# Departments with a column of their own, and the years each column holds at least.
HOME_COLUMN = {
    "白云区档案局": (QWBGS, (2021, 2022, 2023)),
    "白云区财政局": (QCZJ, (2019, 2020, 2021, 2022, 2023, 2024)),
    "白云区司法局": (QSFJ, (2021, 2022, 2023)),
    "白云区教育局": (GKMLPT, (2019, 2020, 2021, 2022, 2023, 2024)),
}
DISTRICT_YEARS = (2020, 2022, 2023, 2024)  # the district's reports in ROOT


@dataclass(frozen=True)
class Pin:
    """A post whose URL, date and 来源 were seen on the real portal (portals.md §2, seed 000)."""

    column: Column
    published: datetime
    post_id: int | None = None
    source: str | None = None  # meta and label
    images: bool = False  # the tables are posted as <img>


PINS = {
    ("棠景街道办事处", 2021): Pin(
        ZJ, datetime(2022, 1, 24, 10, 12, 33, tzinfo=CST), 8041063, "棠景街"
    ),
    ("白云区人民政府办公室", 2020): Pin(BM, datetime(2021, 1, 19, 9, 36, 2, tzinfo=CST), 7043430),
    ("白云区档案局", 2023): Pin(
        QWBGS, datetime(2024, 1, 23, 15, 42, 26, tzinfo=CST), 9472985, images=True
    ),
    ("鹤龙街道办事处", 2018): Pin(ZJ, datetime(2019, 2, 13, 16, 5, 37, tzinfo=CST), None, "鹤龙街"),
}

# www.gz.gov.cn re-posts the district's reports in its 各区 column (portals.md §0.2): the same
# body under the city portal's chrome.  {report year: gz post id}; 2015 is only on gz.gov.cn.
GZ_DOMAIN = "www.gz.gov.cn"
GZ_COLUMN_PATH = "/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
GZ_REPOSTS = {2023: 9459871, 2024: 10121234}
GZ_ONLY = {2015: 5632792}

NONREPORTS = (
    (ROOT, "广州市白云区人民政府信息公开指南", datetime(2020, 3, 2, 9, 15, tzinfo=CST)),
    (BM, "白云区2022年政府信息公开工作年度报表", datetime(2023, 2, 20, 16, 40, tzinfo=CST)),
    (ZJ, "白云区2023年镇街政务公开工作要点", datetime(2023, 4, 11, 10, 5, tzinfo=CST)),
    (ZJ, "白云区镇街政府信息公开申请表（样式）", datetime(2021, 6, 15, 11, 30, tzinfo=CST)),
    (QCZJ, "广州市白云区财政局政府信息公开指南", datetime(2021, 5, 10, 14, 22, tzinfo=CST)),
    (GKMLPT, "广州市白云区教育局2024年部门预算", datetime(2024, 2, 2, 17, 8, tzinfo=CST)),
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


# -- the catalogue -----------------------------------------------------------------------------


@cache
def district_spec(seed: int, year: int) -> ReportSpec:
    rng = random.Random(f"{seed}:{PORTAL}:district:{year}")
    return ReportSpec(PORTAL, DISTRICT_UNIT, year, generate(DISTRICT, DISTRICT_UNIT, year, rng), -2)


@cache
def catalogue(world: World) -> Catalogue:
    """Which posts exist, where they are listed and how they look: a function of seed and scale."""
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = _all_specs(world)
    drafts = [_report_draft(spec, rng) for spec in specs]
    drafts += [_nonreport_draft(col, title, when) for col, title, when in NONREPORTS]
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
    _list_posts(cat, rng)
    _add_files(cat, rng)
    return cat


def _all_specs(world: World) -> list[ReportSpec]:
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, world.seed, world.scale))
    have = {(s.unit.full, s.year) for s in specs}
    units = {u.full: u for u in DISTRICT.units}
    wanted = [(units[full], year) for full, (_col, years) in HOME_COLUMN.items() for year in years]
    wanted += [(units[full], year) for full, year in PINS if full in units]
    for unit, year in wanted:
        if (unit.full, year) not in have:
            rng = random.Random(f"{world.seed}:{PORTAL}:extra:{unit.full}:{year}")
            specs.append(ReportSpec(PORTAL, unit, year, generate(DISTRICT, unit, year, rng), -3))
            have.add((unit.full, year))
    specs += [district_spec(world.seed, year) for year in DISTRICT_YEARS]
    return specs


def _column_of(spec: ReportSpec) -> Column:
    pin = PINS.get((spec.unit.full, spec.year))
    if pin:
        return pin.column
    if spec.unit is DISTRICT_UNIT:
        return ROOT
    if spec.unit.full in HOME_COLUMN:
        return HOME_COLUMN[spec.unit.full][0]
    return BM if spec.unit.kind == DEPT else ZJ


def _report_draft(spec: ReportSpec, rng: random.Random) -> dict:
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
        "column": _column_of(spec),
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


def _nonreport_draft(column: Column, title: str, when: datetime) -> dict:
    return {
        "spec": None,
        "title": title,
        "column": column,
        "published": when,
        "meta": "本网",
        "text": "本网",
        "pin": None,
    }


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
    document = spec.document if spec else _nonreport_document(draft["title"])
    pin: Pin | None = draft["pin"]
    images = {"images": bool(pin and pin.images)}
    return nfcms.drafted_post(post_id, draft, document, draft["column"], rng, images)


def _nonreport_document(title: str) -> Document:
    lead = "根据工作需要，现将《{title}》予以公布，请各单位遵照执行。"
    return notice(title, lead, "广州市白云区人民政府办公室")


def _list_posts(cat: Catalogue, rng: random.Random) -> None:
    """Each post in its own column; two 司法局 reports also in bm/ by their mpost_ URL; two zj/
    rows linked over http; one zj/ report listed although its page is gone (404)."""
    for column in (*NFCMS_COLUMNS, GKMLPT):
        cat.listings[column.cat_id] = [(p, post_url(p)) for p in cat.posts if p.column is column]
    justice = [p for p, _u in cat.listings[QSFJ.cat_id] if p.kind == "report"]
    crossed = [(p, post_url(p, mobile=True)) for p in rng.sample(justice, 2)]
    bm = cat.listings[BM.cat_id] + crossed
    cat.listings[BM.cat_id] = sorted(bm, key=lambda r: (r[0].published, r[0].id), reverse=True)
    streets = [p for p, _u in cat.listings[ZJ.cat_id] if _ordinary(p, cat)]
    for post in rng.sample(streets, 2):
        post.listed_scheme = "http"
    rows = cat.listings[ZJ.cat_id]
    cat.listings[ZJ.cat_id] = [(p, post_url(p)) for p, _u in rows]  # re-read the schemes
    candidates = [p for p in streets if p.listed_scheme == "https"]
    rng.choice(candidates).missing = True


def _ordinary(post: Post, cat: Catalogue) -> bool:
    spec = cat.specs.get(post.id)
    return spec is not None and spec.index >= 0 and (spec.unit.full, spec.year) not in PINS


def _add_files(cat: Catalogue, rng: random.Random) -> None:
    """PDF attachments (three reports are only a note before their PDF) and the table images."""
    finance = {cat.specs[p.id].year: p for p, _u in cat.listings[QCZJ.cat_id] if p.kind == "report"}
    depts = [p for p, _u in cat.listings[BM.cat_id] if p.column is BM and _ordinary(p, cat)]
    streets = [
        p
        for p, _u in cat.listings[ZJ.cat_id]
        if _ordinary(p, cat)
        and not p.missing
        and p.listed_scheme == "https"
        and cat.specs[p.id].year >= 2019
    ]
    plan = [
        (finance[2019], "pdf", "application/pdf", True),
        (finance[2020], "pdf_cid", "application/octet-stream", True),
        (rng.choice(depts), "pdf", "application/octet-stream", True),
        (rng.choice(streets), "pdf_cid", "application/pdf", False),
    ]
    for post, fmt, content_type, only in plan:
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


def post_path(post: Post, mobile: bool = False) -> str:
    if post.column is GKMLPT:
        i = post.id
        return f"{GKMLPT.path}content/{i // 1_000_000}/{i // 1_000}/post_{i}.html"
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
        self.cat = catalogue(world)
        self.posts = {p.id: p for p in self.cat.posts if not p.missing}
        self._files: dict[str, bytes] = {}

    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            return Resource(theme.home_page([*NFCMS_COLUMNS]).encode(), HTML_UTF8)
        if path.startswith("/postmeta/"):
            return self._postmeta(path.removeprefix("/postmeta/"))
        if path in self.cat.files or path in self.cat.images:
            return self._file(path)
        if path.startswith(GKMLPT.path):
            return self._gkmlpt(path.removeprefix(GKMLPT.path), request)
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
        if path.startswith(("/postmeta/i/", GKMLPT.path + "api/", GKMLPT.path + "index")):
            return True
        column = self._column_at(path)
        return column is not None and "content/" not in path.removeprefix(column.path)

    @staticmethod
    def _column_at(path: str) -> Column | None:
        found = [c for c in NFCMS_COLUMNS if path.startswith(c.path)]
        return max(found, key=lambda c: len(c.path)) if found else None

    # -- lists -----------------------------------------------------------------------------------
    def _page_rows(self, column: Column, page: int) -> tuple[list[tuple[Post, str]], int] | None:
        rows = self.cat.listings[column.cat_id]
        size = PAGE_SIZE.get(column.cat_id, 5)
        pages = max(1, -(-len(rows) // size))
        if not 1 <= page <= pages:
            return None
        return rows[(page - 1) * size : page * size], pages

    def _updated(self, column: Column) -> datetime:
        return max(p.modified for p, _u in self.cat.listings[column.cat_id])

    def _list_html(self, column: Column, page: int) -> Resource | None:
        found = self._page_rows(column, page)
        if found is None:
            return None
        rows, pages = found
        html = theme.list_page(column, rows, page, pages, list(CHILDREN.get(column.cat_id, ())))
        return Resource(html.encode(), HTML_UTF8, utc(self._updated(column)))

    def _list_json(self, column: Column, page: int) -> Resource | None:
        found = self._page_rows(column, page)
        if found is None:
            return None
        rows, pages = found
        children = [
            {
                "id": c.cat_id,
                "name": c.name,
                "url": f"https://{DOMAIN}{c.path}",
                "publish_count": len(self.cat.listings[c.cat_id]),
            }
            for c in CHILDREN.get(column.cat_id, ())
        ]
        total, size = len(self.cat.listings[column.cat_id]), PAGE_SIZE.get(column.cat_id, 5)
        updated = self._updated(column)
        body = nfcms.list_json(column, rows, page, pages, total, size, DOMAIN, updated, children)
        return Resource(body, JSON_UTF8, utc(updated))

    def _postmeta(self, rest: str) -> Resource | None:
        if rest.startswith("i/"):
            name = rest.removeprefix("i/")
            for column in NFCMS_COLUMNS:
                page = nfcms.page_number(name, str(column.cat_id), ".json", allow_bare=False)
                if page:
                    return self._list_json(column, page)
            return None
        post = nfcms.postmeta_post(rest, self.posts)
        if post is None or post.column is GKMLPT:
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
        html = (
            theme.mobile_page(post, body, files) if mobile else theme.detail_page(post, body, files)
        )
        content_type = html_type(post.no_charset)
        return Resource(html.encode(), content_type, utc(post.modified))

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
    def _gkmlpt(self, rest: str, request: Request) -> Resource | None:
        if rest == "index":
            tree = [{"id": GKMLPT.cat_id, "name": GKMLPT.name, "parent": 0}]
            html = theme.gkmlpt_shell(
                "广州市白云区教育局", GKMLPT.path, GKMLPT_SID, tree, GKMLPT.cat_id
            )
            return Resource(html.encode(), HTML_UTF8, utc(self._updated(GKMLPT)))
        if rest == f"api/all/{GKMLPT.cat_id}":
            if request.query.get("sid") != [GKMLPT_SID] or request.query.get("page", ["1"]) != [
                "1"
            ]:
                return None
            return Resource(self._gkmlpt_json(), JSON_UTF8, utc(self._updated(GKMLPT)))
        post = next((p for p in self.posts.values() if post_path(p) == GKMLPT.path + rest), None)
        if post is None or post.column is not GKMLPT:
            return None
        body = self._body(post)
        detail = json.dumps(
            {"id": post.id, "title": post.title, "content": body}, ensure_ascii=False
        )
        html = theme.gkmlpt_detail(post, body, _gkmlpt_info(post), detail.replace("</", "<\\/"))
        return Resource(html.encode(), HTML_UTF8, utc(post.modified))

    def _gkmlpt_json(self) -> bytes:
        rows = self.cat.listings[GKMLPT.cat_id]
        articles = [
            {
                "id": p.id,
                "title": p.title,
                "document_number": "",
                "publisher": "广州市白云区教育局",
                "identifier": _identifier(p),
                "date": int(p.published.timestamp()),
                "created_at": p.published.strftime("%Y-%m-%d %H:%M:%S"),
                "url": url,
                "post_url": url,
                "attachment": [],
            }
            for p, url in rows
        ]
        data = {
            "classify": {"id": GKMLPT.cat_id, "name": GKMLPT.name, "post_count": len(rows)},
            "articles": articles,
        }
        return json_bytes(data)

    # -- truth ---------------------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        posts = sorted(self.cat.posts, key=lambda p: p.id)
        return listed_manifest(posts, lambda p: f"https://{DOMAIN}{post_path(p)}", self._truth)

    def _truth(self, post: Post) -> dict | None:
        if post.kind == "nonreport":
            return None
        spec = self.cat.specs[post.id]
        places = [(DOMAIN, post_path(post))]
        if post.column is not GKMLPT:
            places.append((DOMAIN, post_path(post, mobile=True)))
        gz_id = GZ_REPOSTS.get(spec.year) if spec.unit is DISTRICT_UNIT else None
        if gz_id:
            gz_path = f"{GZ_COLUMN_PATH}content/post_{gz_id}.html"
            places += [(GZ_DOMAIN, gz_path), (GZ_DOMAIN, gz_path.replace("/post_", "/mpost_"))]
        url = f"https://{DOMAIN}{post_path(post)}"
        return report_entry(post, spec, url, [u for u in aliases(places) if u != url], self.cat)


def report_entry(
    post: Post, spec: ReportSpec, url: str, alias_urls: list[str], cat: Catalogue | None
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
    entry = report_truth(PORTAL, url, alias_urls, post.title, spec, post.date, shown, attachments)
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


def _identifier(post: Post) -> str:
    """索引号 as gkmlpt prints it: organisation code / year - serial."""
    return f"11440111007501455G/{post.published.year}-{post.id % 100000:05d}"


def _gkmlpt_info(post: Post) -> dict[str, str]:
    return {
        "索引号": _identifier(post),
        "分类": "政府信息公开年报",
        "发布机构": "广州市白云区教育局",
        "成文日期": post.date,
        "名称": post.title,
        "文号": "",
        "发布日期": post.date,
        "主题词": "",
    }


def build(world: World) -> list[Site]:
    return [BySite(world)]
