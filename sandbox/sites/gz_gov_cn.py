"""www.gz.gov.cn (广州市人民政府门户网站): the city portal's 各区 column
`/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/` (cat 5842), where the districts' own reports are re-posted
(portals.md §0.2, H): `gq/content/post_{id}.html` or `gq/{YYYY}n/content/post_{id}.html`, mobile
twins `mpost_{id}.html`, 10 rows a page (`index.html`, `index_2.html`, next link
`#page_div span a.next`, items `ul.wjbh_list li a`: the gz.gov.cn 2021 spider's selectors) and
`/postmeta/i/5842.json`.  Detail: `h1.content_title`, `#laiyuan b` (来源), body `#zoomcon`.

Rows: Baiyun's 2023 and 2024 reports (same title, body and PubDate as on www.by.gov.cn, another
post id: the manifest lists these URLs as aliases of the by.gov.cn report), Baiyun's 2015 report
(only here, listed by its mobile URL as seen: `gq/content/mpost_5632792.html`; a by_gov_cn report
of its own), and other districts' reports.  Those belong to no simulated portal and are not in the
manifest: by_gov_cn must skip them (a spider that kept one would lose precision).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from html import escape

from sandbox.http import HTML_UTF8, JSON_UTF8, Request, Resource, Response
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import BodyStyle, render_body
from sandbox.sites.by_gov_cn import (
    GZ_COLUMN_PATH,
    GZ_DOMAIN,
    GZ_ONLY,
    GZ_REPOSTS,
    aliases,
    catalogue,
    district_spec,
    report_entry,
)
from sandbox.sites.channels import Channel
from sandbox.sites.cms import CST, utc
from sandbox.sites.nfcms import Column, Post, list_json, meta_tags
from sandbox.textgen import generate
from sandbox.units import DEPT, DISTRICTS, District, Unit
from sandbox.variants import corpus_seed

DOMAIN = GZ_DOMAIN
SITE_NAME = "广州市人民政府门户网站"
SITE_ID_CODE = "4401000001"
PAGE_SIZE = 10
_CRUMBS = (
    ("首页", "/"),
    ("政府机构", "/zfjgzy/"),
    ("广州市人民政府办公厅", "/zfjgzy/gzsrmzfbgt/"),
    ("政府信息公开年报", "/zfjgzy/gzsrmzfbgt/zfxxgknb/"),
    ("各区", GZ_COLUMN_PATH),
)
GQ = Column(GZ_COLUMN_PATH, "各区", 5842, _CRUMBS)

# Other districts' re-posted reports: (district, report year, gz post id, year folder).
# Haizhu 2020 at gq/2020n/content/post_7094298.html is a real URL (portals.md §0.2).
OTHERS = (
    ("海珠区", 2020, 7094298, "2020n/"),
    ("花都区", 2021, 8019877, "2021n/"),
    ("越秀区", 2022, 8763321, ""),
    ("海珠区", 2023, 9457213, ""),
    ("增城区", 2023, 9462050, ""),
    ("黄埔区", 2023, 9466702, ""),
    ("天河区", 2024, 10118876, ""),
    ("荔湾区", 2024, 10120011, ""),
    ("番禺区", 2024, 10125540, ""),
)
_DOMAINS = {
    "天河区": "www.thnet.gov.cn",
    "越秀区": "www.yuexiu.gov.cn",
    "番禺区": "www.panyu.gov.cn",
    "花都区": "www.huadu.gov.cn",
    "荔湾区": "www.lw.gov.cn",
    "黄埔区": "www.hp.gov.cn",
}


def _district(name: str) -> District:
    known = next((d for d in DISTRICTS.values() if d.name == name), None)
    if known:
        return known
    site = f"广州市{name}人民政府门户网站"
    return District("", "广东省", "广州市", name, site, _DOMAINS[name], "020", ())


def _folder(year_folder: str) -> Column:
    if not year_folder:
        return GQ
    label = year_folder.removesuffix("n/") + "年"
    return Column(GZ_COLUMN_PATH + year_folder, label, GQ.cat_id, (*_CRUMBS, (label, "")))


class GzSite(Site):
    portal = "gz_gov_cn"  # no spider of that name yet; the name makes faults addressable
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        self.baiyun = self._baiyun_posts()
        rows = self.baiyun + self._other_posts()
        self.rows = sorted(rows, key=lambda p: (p.published, p.id), reverse=True)
        self.posts = {p.id: p for p in self.rows}
        self.pages = max(1, -(-len(self.rows) // PAGE_SIZE))
        self.updated = max(p.modified for p in self.rows)

    def _baiyun_posts(self) -> list[Post]:
        by_posts = catalogue(self.world).district_posts
        posts = [_repost(by_posts[year], gz_id) for year, gz_id in GZ_REPOSTS.items()]
        for year, gz_id in GZ_ONLY.items():
            spec = district_spec(corpus_seed(self.world), year)
            published = datetime(year + 1, 3, 25, 10, 4, 51, tzinfo=CST)
            rng = random.Random(f"{self.world.seed}:gz:{year}")
            post = Post(
                gz_id,
                spec.title,
                published,
                published,
                GQ,
                spec.document,
                "report",
                "广州市白云区人民政府",
                "广州市白云区人民政府",
                BodyStyle.pick(rng),
            )
            post.extra["mobile_link"] = True  # listed as mpost_5632792.html (portals.md §0.2)
            post.extra["spec"] = spec
            posts.append(post)
        return posts

    def _other_posts(self) -> list[Post]:
        posts = []
        for name, year, gz_id, folder in OTHERS:
            rng = random.Random(f"{self.world.seed}:gz:{name}:{year}")
            district = _district(name)
            unit = Unit(f"{name}人民政府", DEPT, f"{name}人民政府")
            document = generate(district, unit, year, rng)
            clock = (rng.randint(9, 17), rng.randint(0, 59), rng.randint(0, 59))
            published = datetime(
                year + 1, rng.randint(1, 3), rng.randint(1, 28), *clock, tzinfo=CST
            )
            source = f"广州市{name}人民政府"
            posts.append(
                Post(
                    gz_id,
                    document.title,
                    published,
                    published + timedelta(hours=1),
                    _folder(folder),
                    document,
                    "report",
                    source,
                    source,
                    BodyStyle.pick(rng),
                )
            )
        return posts

    # -- routing ---------------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path in CHANNELS:
            return Resource(channel_page(CHANNELS[path]).encode(), HTML_UTF8)
        if path == f"/postmeta/i/{GQ.cat_id}.json" or path.startswith(f"/postmeta/i/{GQ.cat_id}_"):
            name = path.rsplit("/", 1)[-1].removesuffix(".json")
            page = 1 if name == str(GQ.cat_id) else _number(name.split("_", 1)[1])
            return self._list(page, as_json=True) if page else None
        if not path.startswith(GQ.path):
            return None
        rest = path.removeprefix(GQ.path)
        if "content/" in rest:
            return self._detail(path)
        if rest in ("", "index.html"):
            return self._list(1)
        if rest.startswith("index_") and rest.endswith(".html"):
            page = _number(rest.removeprefix("index_").removesuffix(".html"))
            return self._list(page) if page and page > 1 else None
        return None

    def is_list(self, request: Request) -> bool:
        path = request.path
        return path.startswith(f"/postmeta/i/{GQ.cat_id}") or (
            path.startswith(GQ.path) and "content/" not in path
        )

    def _list(self, page: int, as_json: bool = False) -> Resource | None:
        if not 1 <= page <= self.pages:
            return None
        rows = [(p, list_url(p)) for p in self.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
        if as_json:
            total, updated = len(self.rows), self.updated
            body = list_json(GQ, rows, page, self.pages, total, PAGE_SIZE, DOMAIN, updated)
            return Resource(body, JSON_UTF8, utc(self.updated))
        html = list_page(rows, page, self.pages)
        return Resource(html.encode(), HTML_UTF8, utc(self.updated))

    def _detail(self, path: str) -> Resource | None:
        name = path.rsplit("/", 1)[-1]
        mobile = name.startswith("mpost_")
        post = self.posts.get(
            _number(name.removeprefix("m").removeprefix("post_").removesuffix(".html")) or -1
        )
        if post is None or path != post.path(mobile):
            return None
        body = render_body(post.document, post.style)
        html = mobile_page(post, body) if mobile else detail_page(post, body)
        return Resource(html.encode(), HTML_UTF8, utc(post.modified))

    def manifest(self) -> ManifestPart:
        part = ManifestPart()
        for post in self.baiyun:
            spec = post.extra.get("spec")
            if spec is None:  # a re-post: an alias of the by.gov.cn report (by_gov_cn.py)
                continue
            url = f"https://{DOMAIN}{post.path()}"
            places = [(DOMAIN, post.path()), (DOMAIN, post.path(mobile=True))]
            part.reports.append(
                report_entry(
                    post,
                    spec,
                    url,
                    [u for u in aliases(places) if u != url],
                    None,
                    f"https://{DOMAIN}{GQ.path}",
                )
            )
        return part


def _repost(original: Post, gz_id: int) -> Post:
    """The by.gov.cn post as the city portal shows it: same title, body and PubDate."""
    source = "广州市白云区人民政府"
    return Post(
        gz_id,
        original.title,
        original.published,
        original.modified + timedelta(days=1),
        GQ,
        original.document,
        "report",
        source,
        source,
        original.style,
        pubdate_seconds=original.pubdate_seconds,
    )


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and not text.startswith("0") else None


def list_url(post: Post) -> str:
    return f"https://{DOMAIN}{post.path(mobile=bool(post.extra.get('mobile_link')))}"


# -- the theme (class names from the gz.gov.cn 2021 spider, portals.md §1; the rest invented) -----


def _head(title: str, metas: str) -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{metas}\n</head>\n<body>\n"
        '<div class="topbar"><a href="javascript:void(0)" id="cniil_zzzs">长者助手</a> '
        '<a href="javascript:void(0)" id="cniil_wza">无障碍</a></div>\n'
        '<div class="gz-header"><a href="/"><img src="/img/logo.png" alt="广州市人民政府"></a></div>\n'
    )


def _crumbs(column: Column) -> str:
    links = " &gt; ".join(f'<a href="{path}">{label}</a>' for label, path in _CRUMBS)
    return f'<div class="position">当前位置：{links}</div>\n'


# The channels above the 各区 column (its breadcrumb targets) and the home page leading to them.
CHANNELS = {
    c.path: c
    for c in (
        Channel("/", SITE_NAME, (("首页", "/"),), (("政府机构", "/zfjgzy/"),)),
        Channel(
            "/zfjgzy/",
            "政府机构",
            _CRUMBS[:2],
            (("广州市人民政府办公厅", "/zfjgzy/gzsrmzfbgt/"),),
        ),
        Channel(
            "/zfjgzy/gzsrmzfbgt/",
            "广州市人民政府办公厅",
            _CRUMBS[:3],
            (("政府信息公开年报", "/zfjgzy/gzsrmzfbgt/zfxxgknb/"),),
        ),
        Channel(
            "/zfjgzy/gzsrmzfbgt/zfxxgknb/",
            "政府信息公开年报",
            _CRUMBS[:4],
            (("各区", GZ_COLUMN_PATH),),
        ),
    )
}


def channel_page(channel: Channel) -> str:
    links = "".join(f'<li><a href="{href}">{escape(name)}</a></li>' for name, href in channel.links)
    crumbs = " &gt; ".join(f'<a href="{path}">{label}</a>' for label, path in channel.crumbs)
    metas = (
        f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="{DOMAIN}">\n'
        f'<meta name="SiteIDCode" content="{SITE_ID_CODE}">'
    )
    return (
        _head(f"{channel.name} - {SITE_NAME}", metas)
        + f'<div class="position">当前位置：{crumbs}</div>\n'
        + f'<div class="channel"><h2>{escape(channel.name)}</h2><ul>{links}</ul></div>\n'
        + _footer()
    )


def _footer() -> str:
    return (
        '<div class="footer"><p>主办：广州市人民政府办公厅 承办：广州市政务服务和数据管理局</p>'
        f"<p>网站标识码：{SITE_ID_CODE} 粤ICP备12081977号 粤公网安备 44010402001188号</p></div>\n"
        "</body>\n</html>\n"
    )


def list_page(rows: list[tuple[Post, str]], page: int, pages: int) -> str:
    items = "".join(
        f'<li><a href="{url}" title="{escape(p.title)}" target="_blank">{escape(p.title)}</a>'
        f"<span>{p.date}</span></li>\n"
        for p, url in rows
    )
    nxt = f'<a class="next" href="index_{page + 1}.html">下一页</a>' if page < pages else ""
    prev = ""
    if page > 1:
        prev = f'<a class="prev" href="{"index.html" if page == 2 else f"index_{page - 1}.html"}">上一页</a>'
    metas = (
        f'<meta name="ColumnName" content="{GQ.name}">\n<meta name="catId" content="{GQ.cat_id}">'
    )
    return (
        _head(f"{GQ.name} - {SITE_NAME}", metas)
        + _crumbs(GQ)
        + f'<div class="list"><ul class="wjbh_list">\n{items}</ul>\n'
        + f'<div id="page_div"><span>{prev}<em>{page}/{pages}</em>{nxt}</span></div></div>\n'
        + _footer()
    )


def detail_page(post: Post, body: str) -> str:
    metas = meta_tags(post, SITE_NAME, DOMAIN, SITE_ID_CODE)
    return (
        _head(f"{post.title} - {SITE_NAME}", metas)
        + _crumbs(post.column)
        + '<div class="content">\n'
        + f'<h1 class="content_title content_title_h1">{escape(post.title)}</h1>\n'
        + f'<div class="content_info"><span id="laiyuan">来源：<b>{escape(post.source_text)}</b></span> '
        + f'<span class="time">发布日期：{post.pubdate[:16]}</span> '
        + '<span class="font">字号：<a href="javascript:doZoom(18)">大</a> '
        + '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></span></div>\n'
        + f'<div class="zoomcon" id="zoomcon">\n{body}\n</div>\n'
        + '<div class="share">分享到：</div>\n<div class="ewm">扫一扫在手机打开当前页</div>\n</div>\n'
        + _footer()
    )


def mobile_page(post: Post, body: str) -> str:
    metas = meta_tags(post, SITE_NAME, DOMAIN, SITE_ID_CODE)
    return (
        _head(f"{post.title} - {SITE_NAME}", metas)
        + f'<div class="m-article"><h1 class="m-title">{escape(post.title)}</h1>\n'
        + f'<p class="m-info">{post.date} 来源：{escape(post.source_text)}</p>\n'
        + f'<div class="m-content" id="zoomcon">\n{body}\n</div></div>\n'
        + _footer()
    )


def build(world: World) -> list[Site]:
    return [GzSite(world)]
