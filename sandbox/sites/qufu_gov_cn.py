"""www.qufu.gov.cn (曲阜市人民政府), Hanweb jcms (portals.md §6).

In the reference world (variant 0) the 政府信息公开年报 column `/col/col15260/index.html` embeds its
first 45 records in a `<datastore>` block; the rest come from `POST /module/web/jpage/
dataproxy.jsp?startrecord=46&endrecord=90&perpage=15` (form: columnid, unitid, webid, ... as the
column's nextgroup link and jpage script give them). Records link two kinds of page:
- department and city reports: articles `/art/{Y}/{M}/{D}/art_15260_{id}.html` (ZJEG_RSS markers,
  meta ArticleTitle/PubDate/ContentSource; ContentSource is empty on some, the 信息来源 marker
  still names the unit);
- street and town reports: the 信息公开 module's `/module/xxgk/xxgkAnnualReport.jsp?area={unit code}
  &fbtime={year}` pages (no article meta; 发布机构/发布日期 in a table). Seed 003 (鲁城街道 2017,
  a DOCX conversion) is `area=49417463-2&fbtime=2017`, with its DOCX attached through
  `/module/download/downfile.jsp` (served as application/octet-stream).
Quirks: one record links `http://www.qufu.gov.cn/...` absolutely (the others are relative), one
listed article answers 404, list titles are cut to 30 characters + "..." (the full title is in
the link's title attribute), non-report posts share the column, and an unknown area/year answers
200 with 暂无…年度报告信息. The home page leads to the column through the 政务公开 column
(`col15257`), whose page lists its child columns by name; 曲阜要闻 is an ordinary column beside it.

Other variants draw (L, portals.md §9: "Qufu's current list protocol for its 年报 column"): the
column ids, unit and web ids, rows a jpage page; or a parent column 政府信息公开年报 whose page
lists child columns (部门 / 镇街 年报, §10.4) each with its own records; title phrasings,
non-reports, article pages whose charset header lies. The site does not change between revisions.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import quote

from sandbox import files
from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document
from sandbox.http import Request, Resource, Response
from sandbox.sites import charset, hanweb
from sandbox.sites import qufu_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import BodyStyle, render_body
from sandbox.sites.cms import CST, listed_manifest, notice, publish_moment, report_truth, utc
from sandbox.titles import TitlePlan, negative_document, negative_titles
from sandbox.units import DEPT, DISTRICTS, STREET, TOWN, Unit
from sandbox.variants import corpus_seed, draw, pick, some, varied

PORTAL = "qufu_gov_cn"
DOMAIN = theme.DOMAIN
WEB_ID, WEB_NAME = 33, theme.SITE_NAME
COLUMN = hanweb.JpageColumn(column_id=15260, unit_id=52351, web_id=WEB_ID, web_name=WEB_NAME)
COLUMN_NAME = "政府信息公开年报"
ZWGK_ID = 15257  # the 政务公开 column of the navigation
NEWS = hanweb.JpageColumn(column_id=15251, unit_id=52341, web_id=WEB_ID, web_name=WEB_NAME)
ANNUAL_REPORT_PATH = "/module/xxgk/xxgkAnnualReport.jsp"
DOWNLOAD_PATH = "/module/download/downfile.jsp"
SEED_AREA = "49417463-2"  # 鲁城街道's code in the module (portals.md §6, H)
SEED_PUBLISHED = datetime(2018, 1, 31, 16, 20, 11, tzinfo=CST)
ALL_KINDS = (DEPT, STREET, TOWN)

NONREPORTS = (
    ("曲阜市人民政府信息公开指南", datetime(2019, 5, 14, 9, 30, 5, tzinfo=CST)),
    ("曲阜市2019年政府信息公开工作年度报表", datetime(2020, 2, 26, 15, 2, 41, tzinfo=CST)),
    ("曲阜市2021年政务公开工作要点", datetime(2021, 5, 8, 10, 44, 19, tzinfo=CST)),
    ("关于调整曲阜市政府信息公开工作机构的公告", datetime(2022, 9, 1, 8, 55, 3, tzinfo=CST)),
    ("曲阜市依申请公开政府信息办理流程", datetime(2023, 7, 20, 16, 12, 37, tzinfo=CST)),
    ("曲阜市2024年政务公开工作要点", datetime(2024, 4, 3, 11, 5, 50, tzinfo=CST)),
)
NEWS_TITLES = (
    "曲阜市召开2025年市政府全体会议",
    "曲阜市举办第三十九届孔子文化节",
    "曲阜市开展政务公开日活动",
    "曲阜市推进优秀传统文化“两创”工作",
    "曲阜市召开优化营商环境工作会议",
    "曲阜市重点项目集中开工",
    "曲阜市开展安全生产大排查大整治",
    "曲阜市召开乡村振兴工作推进会",
)


@dataclass(frozen=True)
class ListColumn:
    """A jpage column that lists records: its ids, name, and which units' reports it holds."""

    jpage: hanweb.JpageColumn
    name: str
    kinds: tuple[str, ...] = ALL_KINDS

    @property
    def path(self) -> str:
        return self.jpage.path


@dataclass(frozen=True)
class Layout:
    columns: tuple[ListColumn, ...]
    parent: tuple[int, str] | None = None  # (column id, name) of a parent column listing them
    per_page: int = hanweb.PER_PAGE
    titles: TitlePlan | None = None
    negatives: int = 0
    lies: tuple[str, ...] = ()

    @property
    def entry(self) -> tuple[str, str]:
        """(name, path) of what the 政务公开 column links for the annual reports."""
        if self.parent:
            return self.parent[1], f"/col/col{self.parent[0]}/index.html"
        return self.columns[0].name, self.columns[0].path


NEWS_COLUMN = ListColumn(NEWS, "曲阜要闻", ())
CHILD_NAMES = (("部门年报", "镇街年报"), ("市直部门", "镇街"), ("市政府及部门", "镇（街道）"))


@cache
def layout(world: World) -> Layout:
    if not varied(world):
        return Layout((ListColumn(COLUMN, COLUMN_NAME),))
    rng = draw(world, PORTAL, "layout")
    ids = rng.sample(range(15_300, 16_999), 3)
    units = rng.sample(range(52_000, 58_999), 2)
    per_page = pick(rng, (10, 15, 20))
    titles = TitlePlan.drawn(draw(world, PORTAL, "titles"))
    lies = tuple(some(rng, charset.LIES, 1, 2))
    negatives = rng.randint(3, 6)

    def jpage(i: int) -> hanweb.JpageColumn:
        return hanweb.JpageColumn(ids[i], units[min(i, 1)], WEB_ID, WEB_NAME)

    if rng.random() < 0.5:
        single = ListColumn(jpage(0), pick(rng, (COLUMN_NAME, "政府信息公开工作年度报告")))
        return Layout((single,), None, per_page, titles, negatives, lies)
    depts, streets = pick(rng, CHILD_NAMES)
    children = (
        ListColumn(jpage(1), depts, (DEPT,)),
        ListColumn(jpage(2), streets, (STREET, TOWN)),
    )
    return Layout(children, (ids[0], COLUMN_NAME), per_page, titles, negatives, lies)


@dataclass
class Entry:
    """One record of a column and the page it links."""

    title: str
    published: datetime
    document: Document
    spec: ReportSpec | None
    path: str  # "/art/..." or "/module/xxgk/xxgkAnnualReport.jsp?area=...&fbtime=..."
    source_meta: str
    source_text: str
    style: BodyStyle
    column: ListColumn
    article_id: int | None = None
    missing: bool = False  # listed, but the page answers 404
    absolute: bool = False  # listed as http://www.qufu.gov.cn/... instead of a relative link
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # href, text, format
    lie: str | None = None  # the charset lie its page tells

    @property
    def date(self) -> str:
        return self.published.strftime("%Y-%m-%d")

    @property
    def href(self) -> str:
        return f"http://{DOMAIN}{self.path}" if self.absolute else self.path


class QufuSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        self.plan = layout(world)
        self.entries = build_catalogue(world)
        self.news = _news_entries(world)
        self.news_column = NEWS_COLUMN
        every = self.entries + self.news
        self.by_path = {e.path: e for e in every if not e.missing}
        self.downloads = {a[0]: (e, a) for e in self.entries for a in e.attachments}
        columns = (*self.plan.columns, self.news_column)
        self.lists = {c.jpage.column_id: c for c in columns}
        self.rows = {c.jpage.column_id: [e for e in every if e.column is c] for c in columns}
        self.channels = _channels(self.plan, self.news_column)
        self._records: dict[int, list[str]] = {}

    def records(self, column_id: int) -> list[str]:
        if column_id not in self._records:
            rows = self.rows[column_id]
            self._records[column_id] = [hanweb.record_li(e.href, e.title, e.date) for e in rows]
        return self._records[column_id]

    # -- routing ---------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            links = [self.plan.entry, (self.news_column.name, NEWS.path)]
            return Resource(theme.home_page(links).encode())
        column_id = _column_id(path)
        if column_id in self.lists:
            return self._column_page(self.lists[column_id])
        if column_id in self.channels:
            name, links, trail = self.channels[column_id]
            return Resource(theme.channel_page(name, column_id, links, trail).encode())
        if path == hanweb.PROXY_PATH:
            return self._dataproxy(request)
        if path == ANNUAL_REPORT_PATH:
            return self._annual_report(request)
        if path == DOWNLOAD_PATH:
            return self._download(request)
        entry = self.by_path.get(path)
        return self._article(entry) if entry else None

    def is_list(self, request: Request) -> bool:
        return _column_id(request.path) in self.lists or request.path == hanweb.PROXY_PATH

    def _trail(self, column: ListColumn) -> tuple[tuple[str, str], ...]:
        """The columns between 政务公开 and this one (the parent, if the variant has one)."""
        if self.plan.parent and column in self.plan.columns:
            parent_id, parent_name = self.plan.parent
            return ((parent_name, f"/col/col{parent_id}/index.html"),)
        return ()

    def _column_page(self, column: ListColumn) -> Resource:
        column_id = column.jpage.column_id
        records = self.records(column_id)
        block = hanweb.column_block(column.jpage, records, len(records), self._per_page(column))
        html = theme.column_page(column.name, column_id, block, self._trail(column))
        rows = self.rows[column_id]
        return Resource(html.encode(), last_modified=utc(max(e.published for e in rows)))

    def _per_page(self, column: ListColumn) -> int:
        return hanweb.PER_PAGE if column is self.news_column else self.plan.per_page

    def _dataproxy(self, request: Request) -> Response:
        form = hanweb.proxy_form(request)
        column = next((c for c in self.lists.values() if c.jpage.accepts(form)), None)
        records = self.records(column.jpage.column_id) if column else []
        span = hanweb.record_range(form, len(records))
        # A form for another column, or no range, gets what Hanweb sends: an empty recordset.
        chosen = [records[i] for i in span] if span and column else []
        body = hanweb.datastore(column.jpage if column else COLUMN, chosen).encode()
        return Response(200, [("Content-Type", "text/xml;charset=UTF-8")], body)

    def _article(self, entry: Entry) -> Resource:
        column = entry.column
        html = theme.article_page(
            self._shown(entry),
            column.name,
            column.jpage.column_id,
            entry.article_id or 0,
            self._trail(column),
        )
        data, content_type = charset.page_bytes(html, entry.lie)
        return Resource(data, content_type, utc(entry.published))

    def _annual_report(self, request: Request) -> Resource:
        query = request.query
        area, year = query.get("area", [""])[-1], query.get("fbtime", [""])[-1]
        entry = self.by_path.get(annual_report_path(area, year))
        if entry is None or entry.spec is None:
            return Resource(theme.no_annual_report_page(year).encode())
        html = theme.annual_report_page(self._shown(entry), entry.spec.unit.full, entry.spec.year)
        return Resource(html.encode(), last_modified=utc(entry.published))

    def _download(self, request: Request) -> Response | None:
        found = self.downloads.get(f"{DOWNLOAD_PATH}?{request.target.partition('?')[2]}")
        if found is None:
            return None
        entry, (_href, text, fmt) = found
        headers = [
            ("Content-Type", "application/octet-stream"),  # as Hanweb's downfile.jsp sends it
            ("Content-Disposition", "attachment;filename=" + quote(text)),
        ]
        return Response(200, headers, _rendered(entry.document, fmt))

    def _shown(self, entry: Entry) -> theme.Article:
        return theme.Article(
            title=entry.title,
            published=entry.published.strftime("%Y-%m-%d %H:%M"),
            maketime=entry.published.strftime("%Y-%m-%d %H:%M:%S"),
            source_meta=entry.source_meta,
            source_text=entry.source_text,
            body_html=render_body(entry.document, entry.style),
            attachments=tuple((href, text) for href, text, _fmt in entry.attachments),
        )

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        part = listed_manifest(self.entries, _url, _truth)
        for column in self.plan.columns:
            how = f"hanweb jpage, {self.plan.per_page} a page, unitid {column.jpage.unit_id}"
            url = f"https://{DOMAIN}{column.path}"
            entry = {
                "portal": PORTAL,
                "url": url,
                "name": column.name,
                "id": column.jpage.column_id,
            }
            part.columns.append({**entry, "how": how})
        return part


def build(world: World) -> list[Site]:
    return [QufuSite(world)]


def _column_id(path: str) -> int | None:
    """N of /col/colN/index.html (or /col/colN/)."""
    if not path.startswith("/col/col"):
        return None
    number, _, rest = path.removeprefix("/col/col").partition("/")
    return int(number) if number.isdigit() and rest in ("", "index.html") else None


def _channels(
    plan: Layout, news: ListColumn
) -> dict[int, tuple[str, list[tuple[str, str]], tuple[tuple[str, str], ...]]]:
    """Hanweb parent columns: {id: (name, child column links, crumbs between 首页 and it)}."""
    zwgk = ("政务公开", f"/col/col{ZWGK_ID}/index.html")
    channels = {
        ZWGK_ID: ("政务公开", [plan.entry, (news.name, news.path)], ()),
    }
    if plan.parent:
        children = [(c.name, c.path) for c in plan.columns]
        channels[plan.parent[0]] = (plan.parent[1], children, (zwgk,))
    for label, href in theme.NAV[1:]:
        column_id = _column_id(href)
        if column_id is not None and column_id not in channels:
            channels[column_id] = (label, [], ())
    return channels


def annual_report_path(area: str, year: int | str) -> str:
    return f"{ANNUAL_REPORT_PATH}?area={area}&fbtime={year}"


def area_code(unit: Unit) -> str:
    """A unit's code in the 信息公开 module: 8 digits, '-', a check digit (组织机构代码 style)."""
    if unit.full == "鲁城街道办事处":
        return SEED_AREA
    digest = int(hashlib.sha256(unit.full.encode()).hexdigest(), 16)
    return f"{10_000_000 + digest % 90_000_000}-{digest % 10}"


def _url(entry: Entry) -> str:
    return f"https://{DOMAIN}{entry.path}"


def _truth(entry: Entry) -> dict | None:
    if entry.spec is None:
        return None
    files = [
        {"url": f"http://{DOMAIN}{href}", "filename": text, "format": fmt}
        for href, text, fmt in entry.attachments
    ]
    aliases = [f"http://{DOMAIN}{entry.path}"]
    column = f"https://{DOMAIN}{entry.column.path}"
    truth = report_truth(
        PORTAL,
        _url(entry),
        aliases,
        entry.title,
        entry.spec,
        entry.date,
        entry.document,
        files,
        column=column,
    )
    if entry.lie:
        truth["charset_lie"] = charset.truth(entry.lie)
    return truth


_RENDERED: dict[tuple[str, str], bytes] = {}


def _rendered(document: Document, fmt: str) -> bytes:
    # Rendering a DOCX takes a moment; the bytes are a pure function of the document.
    key = (document.title, fmt)
    if key not in _RENDERED:
        _RENDERED[key] = files.render(document, fmt)
    return _RENDERED[key]


# -- the catalogue: which records exist, when published, what they link ------------------------


def build_catalogue(world: World) -> list[Entry]:
    """Every record of the report columns, newest first."""
    plan = layout(world)
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, corpus_seed(world), world.scale))
    specs = [_retitled(world, plan, spec) for spec in specs]
    entries = [_report_entry(spec, rng, plan) for spec in specs]
    entries += [_nonreport_entry(title, when, rng, plan.columns[0]) for title, when in NONREPORTS]
    entries += _negative_entries(world, plan)
    _place(entries, rng)
    if plan.lies:
        _tell_lies(entries, plan.lies, draw(world, PORTAL, "lies"))
    entries.sort(key=lambda e: e.published, reverse=True)
    return entries


def _retitled(world: World, plan: Layout, spec: ReportSpec) -> ReportSpec:
    if plan.titles is None:
        return spec
    rng = draw(world, PORTAL, f"title:{spec.unit.full}:{spec.year}:{spec.index}")
    return plan.titles.retitled(spec, DISTRICTS[PORTAL].long_name(spec.unit), rng)


def _report_entry(spec: ReportSpec, rng: random.Random, plan: Layout) -> Entry:
    if spec.seed_key == "003":
        published = SEED_PUBLISHED
    else:
        published = publish_moment(spec.year + 1, rng.randint(1, 3), rng)
    meta = spec.unit.full if rng.random() < 0.8 else ""
    column = next(c for c in plan.columns if spec.unit.kind in c.kinds)
    return Entry(
        spec.title,
        published,
        spec.document,
        spec,
        "",
        meta,
        spec.unit.full,
        BodyStyle.pick(rng),
        column,
    )


def _nonreport_entry(
    title: str, when: datetime, rng: random.Random, column: ListColumn, negative: bool = False
) -> Entry:
    source = "曲阜市人民政府办公室"
    if negative:
        document = negative_document(title, source)
    else:
        lead = "根据《中华人民共和国政府信息公开条例》，现将《{title}》予以公布。"
        document = notice(title, lead, source)
    return Entry(title, when, document, None, "", source, source, BodyStyle.pick(rng), column)


def _negative_entries(world: World, plan: Layout) -> list[Entry]:
    """A variant's non-reports (工作要点, 年度工作报表, 法治政府建设年度报告 ...) in its columns."""
    rng = draw(world, PORTAL, "negatives")
    out = []
    for title, year in negative_titles("曲阜市", range(2016, 2025), rng, plan.negatives):
        when = datetime(year + 1, rng.randint(1, 11), rng.randint(1, 28), 11, 20, tzinfo=CST)
        out.append(_nonreport_entry(title, when, rng, rng.choice(plan.columns), negative=True))
    return out


def _place(entries: list[Entry], rng: random.Random) -> None:
    """Give every entry its page: streets and towns in the 信息公开 module (one page per unit and
    year), the rest as articles with ids that grow with the publish time; then the quirks."""
    taken: set[str] = set()
    last_id = 0
    for entry in sorted(entries, key=lambda e: e.published):
        spec = entry.spec
        if spec is not None and spec.unit.kind != DEPT:
            path = annual_report_path(area_code(spec.unit), spec.year)
            if path not in taken:  # a repeated unit/year (large scales) becomes an article
                entry.path = path
                taken.add(path)
                continue
        entry.article_id = last_id = max(_article_id(entry.published, rng), last_id + 1)
        column_id = entry.column.jpage.column_id
        entry.path = hanweb.art_path(column_id, entry.article_id, entry.published)
    seed = next((e for e in entries if e.spec and e.spec.seed_key == "003"), None)
    if seed is not None:
        token = hashlib.sha256(seed.title.encode()).hexdigest()[:32]
        href = f"{DOWNLOAD_PATH}?classid=0&filename={token}.docx"
        seed.attachments.append((href, f"{seed.title}.docx", "docx"))
    articles = [e for e in entries if e.spec and e.article_id]
    rng.choice(articles).missing = True
    rng.choice([e for e in articles if not e.missing]).absolute = True


def _tell_lies(entries: list[Entry], lies: tuple[str, ...], rng: random.Random) -> None:
    """Article pages whose charset header lies (charset.py), one lie each."""
    plain = [e for e in entries if e.spec and e.article_id and not e.missing and not e.absolute]
    for lie, entry in zip(lies, rng.sample(plain, len(lies)), strict=True):
        entry.lie = lie


def _news_entries(world: World) -> list[Entry]:
    """曲阜要闻: ordinary articles, never reports, never in the manifest."""
    rng = random.Random(f"{world.seed}:{PORTAL}:news")
    column = NEWS_COLUMN
    out = []
    for i, title in enumerate(NEWS_TITLES):
        when = datetime(2025, 1 + i, 8 + i, 9, 40, tzinfo=CST)
        entry = _nonreport_entry(title, when, rng, column)
        entry.article_id = 3_900_000 + 113 * i + rng.randint(0, 99)
        entry.path = hanweb.art_path(NEWS.column_id, entry.article_id, when)
        out.append(entry)
    return sorted(out, key=lambda e: e.published, reverse=True)


def _article_id(published: datetime, rng: random.Random) -> int:
    # Hanweb article ids grow with time: ~2.41M at the start of 2015, ~3.95M at the end of 2026.
    start = datetime(2015, 1, 1, tzinfo=CST)
    share = (published - start) / timedelta(days=365.25 * 12)
    return int(2_410_000 + share * 1_540_000) + rng.randint(0, 999)
