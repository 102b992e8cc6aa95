"""www.zc.gov.cn (广州市增城区人民政府门户网站): the flat annual-report column
`/gk/zfxxgk/zfxxgkgznb/` (streets, towns and departments mixed; newest first, 20 per page:
index.html, index_2.html, ...), the same items as JSON (`/postmeta/i/5060.json`,
`/postmeta/i/5060_{n}.json`), detail pages `content/post_{id}.html` with mobile twins
`content/mpost_{id}.html` and detail JSON `/postmeta/p/{a}/{b}/{id}.json`; the old host
www.zengcheng.gov.cn answers 301 to the same path here.

Attachments (the `相关附件` block, empty on most posts): eleven reports link files at the NFCMS
grammar `/attachment/{aid//1e6}/{aid//1e3}/{aid}/{postid}.{ext}` (files of one post share the
post-id name): Word 97 `.doc`, a `.wps` that is Word 97, `.xls`/`.xlsx` of the report's tables
beside a PDF, a one-page scan with no text layer, a CID-font PDF; some sent as
application/octet-stream, a DOCX named `.doc`; one report's page is only a note (详见附件) before
its file; and hostile files (a truncated PDF, a zip-bomb DOCX, a PDF whose page tree loops, a
60 MB junk "PDF") plus one link that answers 404. The manifest lists each with the status a
crawl should record (`expect`).

Never varies (H): the column path, its URL grammar and the chrome. Varies with the variant (L):
the category id (5060 in the reference world), rows a page (20), the list JSON (paged like the
HTML, whole in one file, or none; with or without the undocumented fields), title phrasings,
non-reports in the column, report pages whose charset header lies. The home page leads to the
column through the channels `/gk/` (政务公开) and `/gk/zfxxgk/` (政府信息公开); `/xw/zcyw/`
(增城要闻) is an ordinary column beside it.

Where a spider finds the facts: title = `<h1>` / meta ArticleTitle; report year = the title's
`YYYY年`; date = the `YYYY-MM-DD` before 来源 / meta PubDate; unit = meta ContentSource (most
posts), or the 来源 label, or (a few posts, seed 001 among them, both say 本网) the title.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sandbox.corpus import ReportSpec, edited, generated_report, reports_for, seeds_for
from sandbox.document import Document, Para, Table
from sandbox.files import hostile, render, truth_for
from sandbox.http import HTML_UTF8, JSON_UTF8, Request, Resource, Response, redirect
from sandbox.sites import charset, nfcms
from sandbox.sites import zc_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import BodyStyle, render_body
from sandbox.sites.channels import Channel, crumbs_to
from sandbox.sites.charset import LIES
from sandbox.sites.cms import (
    CST,
    html_type,
    listed_manifest,
    notice,
    publish_moment,
    report_truth,
    utc,
)
from sandbox.sites.nfcms import Column, Post
from sandbox.titles import TitlePlan, negative_document, negative_titles
from sandbox.units import DISTRICTS
from sandbox.variants import corpus_seed, draw, pick, some, varied

PORTAL = "zc_gov_cn"
DOMAIN = theme.DOMAIN
PAGE_SIZE = 20
CAT_ID = 5060
COLUMN_PATH = "/gk/zfxxgk/zfxxgkgznb/"


def report_column(cat_id: int) -> Column:
    return Column(
        COLUMN_PATH,
        "政府信息公开工作年报",
        cat_id,
        (
            ("首页", "/"),
            ("政务公开", "/gk/"),
            ("政府信息公开", "/gk/zfxxgk/"),
            ("政府信息公开工作年报", COLUMN_PATH),
        ),
    )


COLUMN = report_column(CAT_ID)


REFERENCE_JSON = nfcms.JsonPlan()


@dataclass(frozen=True)
class Layout:
    column: Column
    page_size: int = PAGE_SIZE
    json: nfcms.JsonPlan = REFERENCE_JSON
    titles: TitlePlan | None = None
    negatives: int = 0
    lies: tuple[str, ...] = ()


@cache
def layout(world: World) -> Layout:
    if not varied(world):
        return Layout(COLUMN)
    rng = draw(world, PORTAL, "layout")
    return Layout(
        report_column(rng.randint(1_000, 9_999)),
        pick(rng, (15, 20, 25)),
        nfcms.JsonPlan.drawn(rng),
        TitlePlan.drawn(draw(world, PORTAL, "titles")),
        rng.randint(3, 6),
        tuple(some(rng, LIES, 1, 2)),
    )


NEWS = Column(
    "/xw/zcyw/", "增城要闻", 5011, (("首页", "/"), ("新闻中心", "/xw/"), ("增城要闻", "/xw/zcyw/"))
)
OLD_HOST = "www.zengcheng.gov.cn"

# Non-report posts of the same column, which a title filter must reject: (title, published).
NONREPORTS = (
    ("广州市增城区人民政府政府信息公开指南", datetime(2019, 6, 28, 16, 2, tzinfo=CST)),
    ("增城区2021年政府信息公开工作年度报表", datetime(2022, 3, 30, 9, 45, tzinfo=CST)),
    ("增城区2022年第四季度政务公开工作动态", datetime(2023, 1, 12, 11, 20, tzinfo=CST)),
    ("增城区2023年政府信息公开工作要点", datetime(2023, 5, 18, 15, 36, tzinfo=CST)),
    ("增城区政府信息公开申请表（样式）", datetime(2024, 8, 6, 10, 8, tzinfo=CST)),
)
NEWS_TITLES = (
    "增城区召开政务公开工作推进会",
    "增城区开展“政府开放日”活动",
    "增城区政务服务中心推出“一窗通办”",
    "增城区举办政府信息公开业务培训班",
    "增城区深化“放管服”改革优化营商环境",
    "增城区2024年民生实事进展顺利",
    "增城区推进基层政务公开标准化规范化建设",
    "增城区政府网站获评优秀政府网站",
    "增城区召开全区安全生产工作会议",
    "增城区举行重点项目集中开工活动",
    "增城区开展政策解读进社区活动",
    "增城区12345热线服务质效持续提升",
)


# The channels above the column (its breadcrumb targets), the news channel, the navigation's.
CHANNELS = (
    Channel(
        "/gk/",
        "政务公开",
        crumbs_to(("政务公开", "/gk/")),
        (("政府信息公开", "/gk/zfxxgk/"), ("政策文件", "/gk/zcwj/")),
    ),
    Channel(
        "/gk/zfxxgk/",
        "政府信息公开",
        crumbs_to(("政务公开", "/gk/"), ("政府信息公开", "/gk/zfxxgk/")),
        (
            ("政府信息公开指南", "/gk/zfxxgk/zfxxgkzn/"),
            ("政府信息公开制度", "/gk/zfxxgk/zfxxgkzd/"),
            ("政府信息公开工作年报", COLUMN_PATH),
        ),
    ),
    Channel("/xw/", "新闻中心", crumbs_to(("新闻中心", "/xw/")), (("增城要闻", NEWS.path),)),
    *(
        Channel(path, label, crumbs_to((label, path)), ())
        for label, path in (
            ("政策文件", "/gk/zcwj/"),
            ("政府信息公开指南", "/gk/zfxxgk/zfxxgkzn/"),
            ("政府信息公开制度", "/gk/zfxxgk/zfxxgkzd/"),
            ("走进增城", "/zjzc/"),
            ("政务服务", "/zwfw/"),
            ("互动交流", "/hdjl/"),
        )
    ),
)


class ZcSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        self.markup_fault = world.faults.has(PORTAL, "markup")
        self.plan = layout(world)
        self.column = self.plan.column
        self.size = self.plan.page_size
        self.channels = {c.path: c for c in CHANNELS}
        catalogue = build_catalogue(world)
        self.listed: list[Post] = catalogue["listed"]
        self.reports: dict[int, ReportSpec] = catalogue["reports"]
        self.gone: list[Post] = catalogue["gone"]
        self.news: list[Post] = catalogue["news"]
        self.files: dict[str, Attachment] = catalogue["files"]
        self._rendered: dict[str, bytes] = {}
        self.posts = {p.id: p for p in self.listed + self.news if not p.missing}
        self.pages = max(1, -(-len(self.listed) // self.size))
        self.updated = max(p.modified for p in self.listed)

    # -- routing ---------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            return Resource(theme.home_page(self.column, NEWS).encode(), HTML_UTF8)
        if path in self.channels:
            return Resource(theme.channel_page(self.channels[path]).encode(), HTML_UTF8)
        if path.startswith(self.column.path):
            return self._column(path.removeprefix(self.column.path))
        if path.startswith(NEWS.path + "content/"):
            return self._detail(path.removeprefix(NEWS.path + "content/"), NEWS)
        if path.startswith(NEWS.path):
            page = nfcms.page_number(path.removeprefix(NEWS.path), "index", ".html")
            return self._news_list(page) if page else None
        if path.startswith("/postmeta/"):
            return self._postmeta(path.removeprefix("/postmeta/"))
        if path in self.files:
            return self._file(self.files[path])
        return None

    def is_list(self, request: Request) -> bool:
        rest = request.path.removeprefix(self.column.path)
        is_html_list = request.path.startswith(self.column.path) and not rest.startswith("content/")
        return is_html_list or request.path.startswith(f"/postmeta/i/{self.column.cat_id}")

    def _column(self, rest: str) -> Resource | None:
        if rest.startswith("content/"):
            return self._detail(rest.removeprefix("content/"), self.column)
        page = nfcms.page_number(rest, "index", ".html")
        return self._list_html(page) if page else None

    def _detail(self, name: str, column: Column) -> Resource | None:
        found = nfcms.content_post(name, column, self.posts)
        if found is None:
            return None
        post, mobile = found
        html = self._render_detail(post, mobile)
        lie = None if mobile or self.markup_fault else post.extra.get("lie")
        data, content_type = charset.page_bytes(html, lie, html_type(post.no_charset))
        return Resource(data, content_type, utc(post.modified))

    def _postmeta(self, rest: str) -> Resource | None:
        if rest.startswith("i/"):
            if self.plan.json.mode == nfcms.NO_JSON:
                return None
            page = nfcms.page_number(rest.removeprefix("i/"), str(self.column.cat_id), ".json")
            return self._list_json(page) if page else None
        post = nfcms.postmeta_post(rest, self.posts)
        if post is None:
            return None
        body = nfcms.detail_json(post, self._body(post), DOMAIN, self._related(post))
        return Resource(body, JSON_UTF8, utc(post.modified))

    def _file(self, file: Attachment) -> Resource | None:
        if file.fmt == MISSING:
            return None  # linked from the page, but the file is gone: 404
        if file.path not in self._rendered:  # a PDF or a LibreOffice run: once per path
            self._rendered[file.path] = file_bytes(file)
        return Resource(self._rendered[file.path], file.content_type, utc(file.post.modified))

    # -- rendering -------------------------------------------------------------------------
    def _page_items(self, page: int) -> list[Post] | None:
        if not 1 <= page <= self.pages:
            return None
        return self.listed[(page - 1) * self.size : page * self.size]

    def _list_html(self, page: int) -> Resource | None:
        posts = self._page_items(page)
        if posts is None:
            return None
        urls = [nfcms.list_url(p, DOMAIN) for p in posts]
        if self.markup_fault:
            html = theme.broken_list_page(posts, urls, page, self.pages)
        else:
            has_json = self.plan.json.mode != nfcms.NO_JSON
            html = theme.list_page(self.column, posts, urls, page, self.pages, has_json)
        return Resource(html.encode(), HTML_UTF8, utc(self.updated))

    def _list_json(self, page: int) -> Resource | None:
        whole = self.plan.json.mode == nfcms.WHOLE
        posts = self.listed if whole and page == 1 else self._page_items(page)
        if posts is None or (whole and page != 1):
            return None
        rows = [(p, nfcms.list_url(p, DOMAIN)) for p in posts]
        total, pages = len(self.listed), 1 if whole else self.pages
        body = nfcms.list_json(
            self.column,
            rows,
            page,
            pages,
            total,
            self.size,
            DOMAIN,
            self.updated,
            extra=self.plan.json.extra,
        )
        return Resource(body, JSON_UTF8, utc(self.updated))

    def _news_list(self, page: int) -> Resource | None:
        if page != 1:
            return None
        rows = [(p, f"https://{DOMAIN}{p.path()}") for p in self.news]
        html = theme.news_page(NEWS, rows)
        return Resource(html.encode(), HTML_UTF8, utc(max(p.modified for p in self.news)))

    def _body(self, post: Post) -> str:
        return render_body(post.document, post.style)

    def _render_detail(self, post: Post, mobile: bool) -> str:
        body = self._body(post)
        if self.markup_fault:
            return theme.broken_detail_page(post, body)
        links = [(f.path, f.name) for f in post.extra.get("files", [])]
        if mobile:
            return theme.mobile_page(post, body, links)
        return theme.detail_page(post, body, self._related(post), links)

    def _related(self, post: Post) -> list[Post]:
        rng = random.Random(post.id)
        return rng.sample(self.news, rng.randint(3, 5))

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        part = listed_manifest(self.listed, _url, self._truth)
        part.gone = [_url(p) for p in self.gone]
        how = f"html, {self.size} a page; json {self.plan.json.mode}"
        url = f"https://{DOMAIN}{self.column.path}"
        name, cat = self.column.name, self.column.cat_id
        part.columns = [{"portal": PORTAL, "url": url, "name": name, "id": cat, "how": how}]
        return part

    def _truth(self, post: Post) -> dict | None:
        return self._entry(post, self.reports[post.id]) if post.kind == "report" else None

    def _entry(self, post: Post, spec: ReportSpec) -> dict:
        aliases = [
            f"http://{DOMAIN}{post.path()}",
            f"https://{DOMAIN}{post.path(mobile=True)}",
            f"http://{DOMAIN}{post.path(mobile=True)}",
        ]
        if post.listed_host == OLD_HOST:
            aliases.append(nfcms.list_url(post, DOMAIN))
        files = [_file_entry(f) for f in post.extra.get("files", [])]
        column = f"https://{DOMAIN}{post.column.path}"
        return report_truth(
            PORTAL,
            _url(post),
            aliases,
            post.title,
            spec,
            post.date,
            post.document,
            files,
            column=column,
        )


class ZengchengRedirect(Site):
    """The old host: every path answers 301 to the same path on www.zc.gov.cn."""

    hosts = (OLD_HOST, "zengcheng.gov.cn", "zc.gov.cn")

    def resource(self, request: Request) -> Response:
        return redirect(f"{request.scheme}://{DOMAIN}{request.target}")


def build(world: World) -> list[Site]:
    return [ZcSite(world), ZengchengRedirect(world)]


def _url(post: Post) -> str:
    return f"https://{DOMAIN}{post.path()}"


# -- the catalogue: which posts exist, when published, how they look ---------------------------


def build_catalogue(world: World) -> dict:
    plan = layout(world)
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, corpus_seed(world), world.scale))
    specs = [_retitled(world, plan, spec) for spec in specs]
    drafts = [_report_draft(spec, rng, plan.column) for spec in specs]
    drafts += [_nonreport_draft(title, when, plan.column) for title, when in NONREPORTS]
    drafts += _negative_drafts(world, plan)
    drafts.sort(key=lambda d: d["published"])
    ids = nfcms.assign_ids([d["published"] for d in drafts], rng)
    posts, reports = [], {}
    for draft, post_id in zip(drafts, ids, strict=True):
        post = _post(draft, post_id, rng)
        posts.append(post)
        if draft["spec"] is not None:
            reports[post_id] = draft["spec"]
    _mark_listing_quirks(posts, rng)
    files = _attach_files(posts, random.Random(f"{world.seed}:{PORTAL}:files"))
    # News come from revision 0's state and their own rng, so that a revision leaves every
    # unchanged page (相关新闻 links included) byte-identical: same ETag, nothing to re-fetch.
    news = _news_posts(max(p.id for p in posts), random.Random(f"{world.seed}:{PORTAL}:news"))
    gone: list[Post] = []
    if world.revision >= 1:
        posts, gone = _revision_1(posts, reports, world, rng)
    if plan.lies:
        _tell_lies(posts, plan.lies, draw(world, PORTAL, "lies"))
    posts.sort(key=lambda p: (p.published, p.id), reverse=True)
    return {"listed": posts, "reports": reports, "gone": gone, "news": news, "files": files}


def _retitled(world: World, plan: Layout, spec: ReportSpec) -> ReportSpec:
    if plan.titles is None:
        return spec
    rng = draw(world, PORTAL, f"title:{spec.unit.full}:{spec.year}:{spec.index}")
    return plan.titles.retitled(spec, DISTRICTS[PORTAL].long_name(spec.unit), rng)


def _negative_drafts(world: World, plan: Layout) -> list[dict]:
    """A variant's non-reports (工作要点, 年度工作报表, 法治政府建设年度报告 ...) in the column."""
    rng = draw(world, PORTAL, "negatives")
    drafts = []
    for title, year in negative_titles("广州市增城区", range(2017, 2025), rng, plan.negatives):
        when = datetime(year + 1, rng.randint(1, 11), rng.randint(1, 28), 15, 0, tzinfo=CST)
        draft = _nonreport_draft(title, when, plan.column)
        draft["negative"] = True
        drafts.append(draft)
    return drafts


def _tell_lies(posts: list[Post], lies: tuple[str, ...], rng: random.Random) -> None:
    """Report pages whose charset header lies (charset.py), one lie each."""
    plain = [p for p in _ordinary(posts) if not p.extra.get("files")]
    for lie, post in zip(lies, rng.sample(plain, len(lies)), strict=True):
        post.extra["lie"] = lie


def _report_draft(spec: ReportSpec, rng: random.Random, column: Column) -> dict:
    if spec.seed_key == "001":  # the real page: 2018-03-15, 来源: 本网
        published = datetime(2018, 3, 15, 10, 26, 41, tzinfo=CST)
        return {
            "spec": spec,
            "published": published,
            "meta": "本网",
            "text": "本网",
            "column": column,
        }
    late = rng.random() < 0.08  # a few reports come out months after the usual Jan-Mar
    month = rng.randint(4, 11) if late else rng.randint(1, 3)
    published = publish_moment(spec.year + 1, month, rng)
    roll = rng.random()
    meta = "本网" if roll < 0.08 else spec.unit.full  # 本网 on both: unit only in the title
    text = "本网" if roll < 0.25 else spec.unit.full
    return {"spec": spec, "published": published, "meta": meta, "text": text, "column": column}


def _nonreport_draft(title: str, when: datetime, column: Column) -> dict:
    return {
        "spec": None,
        "published": when,
        "title": title,
        "meta": "本网",
        "text": "本网",
        "column": column,
    }


def _post(draft: dict, post_id: int, rng: random.Random) -> Post:
    spec: ReportSpec | None = draft["spec"]
    if spec:
        document = spec.document
    elif draft.get("negative"):
        document = negative_document(draft["title"], "广州市增城区人民政府办公室")
    else:
        document = _nonreport_document(draft["title"])
    return nfcms.drafted_post(post_id, draft, document, draft["column"], rng)


def _nonreport_document(title: str) -> Document:
    lead = "为进一步做好政府信息公开工作，现将《{title}》予以公布。"
    return notice(title, lead, "广州市增城区人民政府办公室")


def _mark_listing_quirks(posts: list[Post], rng: random.Random) -> None:
    """Old-host and http links for a few migrated posts; one listed report that answers 404."""
    migrated = [p for p in posts if p.kind == "report" and p.published.year <= 2019]
    for post in rng.sample(migrated, min(3, len(migrated))):
        post.listed_host, post.listed_scheme = OLD_HOST, "http"
    plain = [p for p in posts if p.kind == "report" and not p.listed_host and p.id > 6_000_000]
    for post in rng.sample(plain, min(2, len(plain))):
        post.listed_scheme = "http"
    candidates = [
        p
        for p in posts
        if p.kind == "report"
        and not p.listed_host
        and p.listed_scheme == "https"
        and p.title != _seed_title()
    ]
    rng.choice(candidates).missing = True


def _seed_title() -> str:
    return next(s.title for s in seeds_for(PORTAL) if s.seed_key == "001")


def _revision_1(
    posts: list[Post], reports: dict[int, ReportSpec], world: World, rng: random.Random
) -> tuple[list[Post], list[Post]]:
    """One new report, one report edited in place (same URL), one deleted (unlisted, 404)."""
    ordinary = _ordinary(posts)
    changed, deleted = ordinary[2], ordinary[7]
    spec = edited(reports[changed.id])
    reports[changed.id] = spec
    changed.document = spec.document
    changed.modified = datetime(2026, 4, 2, 9, 30, tzinfo=CST)
    latest = max(posts, key=lambda p: p.published)
    seed = corpus_seed(world)
    new_spec = generated_report(PORTAL, seed, len(reports_for(PORTAL, seed, world.scale)))
    new_spec = _retitled(world, layout(world), new_spec)
    draft = _report_draft(new_spec, rng, layout(world).column)
    draft["published"] = latest.published + timedelta(days=3)
    new_post = _post(draft, max(p.id for p in posts) + rng.randint(300, 3000), rng)
    reports[new_post.id] = new_spec
    remaining = [p for p in posts if p is not deleted]
    return [*remaining, new_post], [deleted]


def _news_posts(after_id: int, rng: random.Random) -> list[Post]:
    """Ordinary news (the 相关新闻 links): served, never listed in the report column."""
    out = []
    for i, title in enumerate(NEWS_TITLES):
        published = datetime(2025, 1 + i % 12, 5 + i, 9, 0, tzinfo=CST)
        doc = Document(title, [Para(f"{title}。"), Para("（来源：增城区融媒体中心）")])
        out.append(
            Post(
                after_id - 200_000 + i * 997,
                title,
                published,
                published,
                NEWS,
                doc,
                "news",
                "增城区融媒体中心",
                "增城区融媒体中心",
                BodyStyle.pick(rng),
            )
        )
    return out


# -- attachments: which posts link files, and what those files are ------------------------------

MSWORD = "application/msword"
OCTET = "application/octet-stream"
PDF = "application/pdf"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MISSING = "missing"  # a link whose file is gone: 404
HOSTILE = ("truncated_pdf", "zip_bomb_docx", "looping_pdf", "huge")

# The status a crawl with default settings (OCR on, 50 MB limit) records; any other format "ok".
EXPECT = {
    "scan_pdf": "ocr",
    "truncated_pdf": "corrupt",
    "looping_pdf": "corrupt",
    "zip_bomb_docx": "too_large",
    "huge": "too_large",
    MISSING: "fetch_failed",
}


@dataclass(frozen=True)
class Slot:
    """One file of a post: its format (sandbox.files, a hostile kind or MISSING), the extension
    its URL and link text show (not always the truth), its Content-Type, a link-text suffix."""

    fmt: str
    ext: str
    content_type: str
    label: str = ""


# One row per post that links files (the posts are drawn at random, in this order).
PLAN: tuple[tuple[Slot, ...], ...] = (
    (Slot("doc", "doc", MSWORD),),
    (Slot("wps", "wps", OCTET),),  # NOTE_ONLY: the page is only a note before this file
    (Slot("pdf", "pdf", PDF), Slot("xlsx", "xlsx", XLSX, "附表")),
    (Slot("docx", "doc", MSWORD), Slot("xls", "xls", XLS, "附表")),  # a DOCX named .doc
    (Slot("scan_pdf", "pdf", PDF, "（扫描件）"),),
    (Slot("pdf_cid", "pdf", OCTET), Slot("xlsx", "xls", OCTET, "附表")),  # an XLSX named .xls
    (Slot("truncated_pdf", "pdf", PDF),),
    (Slot("zip_bomb_docx", "docx", DOCX), Slot("pdf", "pdf", OCTET)),
    (Slot("looping_pdf", "pdf", OCTET),),
    (Slot("huge", "pdf", PDF), Slot(MISSING, "pdf", PDF, "附表")),
)
NOTE_ONLY = 1
SCAN_CHARS = 480  # the scan is the report's first page only: OCR costs ~10 s a page


@dataclass
class Attachment:
    path: str
    name: str  # link text
    fmt: str
    content_type: str
    document: Document | None  # what the file holds; None for hostile and missing files
    post: Post


def _ordinary(posts: list[Post]) -> list[Post]:
    """Reports listed plainly (own host, https, page answers), newest first; seed 001 left out."""
    found = [
        p
        for p in posts
        if p.kind == "report"
        and not p.missing
        and not p.listed_host
        and p.listed_scheme == "https"
        and p.title != _seed_title()
    ]
    return sorted(found, key=lambda p: p.published, reverse=True)


def _attach_files(posts: list[Post], rng: random.Random) -> dict[str, Attachment]:
    """Files for the posts of PLAN; returns {path: attachment}. Posts are drawn from their own
    rng, so the rest of the site is what it was before attachments existed."""
    files: dict[str, Attachment] = {}
    chosen = rng.sample(_file_candidates(posts), len(PLAN))
    for i, (post, slots) in enumerate(zip(chosen, PLAN, strict=True)):
        first_aid = post.id - rng.randint(40, 900)
        attached = [_attachment(post, slot, first_aid + k) for k, slot in enumerate(slots)]
        post.extra["files"] = attached
        files.update((f.path, f) for f in attached)
        if i == NOTE_ONLY:
            post.document = _note(post.document)
    return files


def _file_candidates(posts: list[Post]) -> list[Post]:
    # Revision 1 edits and deletes among the 8 newest ordinary posts: leave those alone, and
    # the fixture pages of tests/spiders (post_8011311); tables are needed for the xls/xlsx.
    return [
        p
        for p in _ordinary(posts)[8:]
        if p.id != 8011311 and any(isinstance(b, Table) for b in p.document.blocks)
    ]


def _attachment(post: Post, slot: Slot, aid: int) -> Attachment:
    path = f"/attachment/{aid // 1_000_000}/{aid // 1_000}/{aid}/{post.id}.{slot.ext}"
    name = f"{post.title}{slot.label}.{slot.ext}"
    if slot.fmt in (*HOSTILE, MISSING):
        document = None
    elif slot.fmt == "scan_pdf":
        document = _first_page(post.document)
    else:
        document = post.document
    return Attachment(path, name, slot.fmt, slot.content_type, document, post)


def _first_page(doc: Document) -> Document:
    """The report's opening, as much as one scanned page holds: title, then whole blocks."""
    blocks, size = [], len(doc.title)
    for block in doc.blocks:
        if isinstance(block, Table) or size + len(block.text) > SCAN_CHARS:
            break
        blocks.append(block)
        size += len(block.text)
    return Document(doc.title, blocks)


def _note(doc: Document) -> Document:
    text = f"根据《中华人民共和国政府信息公开条例》要求，现将《{doc.title}》予以公开，详见附件。"
    return Document(doc.title, [Para(text)])


@cache
def _hostile(kind: str) -> bytes:
    # One copy per process (the huge file is 60 MB), shared by every World's site.
    return hostile(kind)


def file_bytes(file: Attachment) -> bytes:
    """What the sandbox serves for `file` (never called for MISSING)."""
    if file.fmt in HOSTILE:
        return _hostile(file.fmt)
    assert file.document is not None
    return render(file.document, file.fmt)


def _file_entry(file: Attachment) -> dict:
    readable = file.document is not None
    return {
        "url": f"https://{DOMAIN}{file.path}",
        "filename": file.name,
        "format": file.fmt,
        "content_type": None if file.fmt == MISSING else file.content_type,
        "text": truth_for(file.document, file.fmt) if readable else None,
        "expect": EXPECT.get(file.fmt, "ok"),
    }
