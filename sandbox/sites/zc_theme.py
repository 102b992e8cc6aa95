"""The www.zc.gov.cn theme: page chrome around lists and posts (desktop and mobile), and the
`markup` fault's different theme. Text and order follow seed 001 / portals.md §3 (H); class names
and ids are invented (L) and live only here, so they are easy to change."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sandbox.sites.nfcms import Column, Post, meta_tags, pager_html

SITE_NAME = "广州市增城区人民政府门户网站"
DOMAIN = "www.zc.gov.cn"
SITE_ID_CODE = "4401180001"
NFCMS_SITE_ID = 755047
NAV = (
    ("首页", "/"),
    ("走进增城", "/zjzc/"),
    ("新闻中心", "/xw/"),
    ("政务公开", "/gk/"),
    ("政务服务", "/zwfw/"),
    ("互动交流", "/hdjl/"),
)


def _head(title: str, metas: str, mobile: bool = False) -> str:
    viewport = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">' if mobile else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        f"{viewport}<title>{escape(title)}</title>\n{metas}\n"
        '<link rel="stylesheet" href="/css/zc_common.css">\n</head>\n'
    )


def _aria_bar() -> str:
    return (
        '<div class="topbar"><ul class="aria-links">'
        '<li>• <a href="javascript:void(0);" id="cniil_zzzs">长者助手</a></li>'
        '<li>• <a href="javascript:void(0);" id="cniil_wza">无障碍</a></li></ul></div>'
    )


def _header() -> str:
    items = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in NAV)
    return (
        '<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" '
        f'alt="{SITE_NAME}"></a></div><ul class="nav">{items}</ul></div>'
    )


def _crumbs(column: Column) -> str:
    links = " &gt; ".join(f'<a href="{path}">{label}</a>' for label, path in column.crumbs)
    return f'<div class="crumb">当前位置：{links}</div>'


def _footer() -> str:
    return (
        '<div class="footer"><p>主办单位：广州市增城区人民政府办公室 '
        "承办单位：广州市增城区政务服务数据管理局</p>"
        f"<p>网站标识码：{SITE_ID_CODE} "
        '<a href="https://beian.miit.gov.cn/">粤ICP备05080468号</a> '
        '<a href="http://www.beian.gov.cn/">粤公网安备 44011802000110号</a></p></div>'
    )


def _scripts(kind: str, post_id: int | None, cat_id: int) -> str:
    post = f"var NFCMS_POST_ID = '{post_id}';" if post_id else ""
    target = f"post={post_id}" if post_id else f"cat={cat_id}"
    return (
        f"<script>var NFCMS_SITE_ID = '{NFCMS_SITE_ID}'; var NFCMS_CAT_ID = '{cat_id}'; {post}"
        "</script>\n"
        '<script src="//slhsrv.southcn.com/wza/aria.js"></script><script>aria.start();</script>\n'
        f'<script src="//statistics.gd.gov.cn/visit/{kind}?site={NFCMS_SITE_ID}&{target}" '
        "async></script>\n"
    )


def attachment_items(files: Sequence[tuple[str, str]]) -> str:
    """The `相关附件` list items: (href, link text) pairs; none gives the empty `<ul>` most
    posts have."""
    return "".join(
        f'<li><a href="{href}" target="_blank">{escape(name)}</a></li>' for href, name in files
    )


def detail_page(
    post: Post, body_html: str, related: list[Post], files: Sequence[tuple[str, str]] = ()
) -> str:
    info = (
        f'<div class="article-info"><span class="time">{post.date}</span> '
        f'<span class="source">来源: {escape(post.source_text)}</span> '
        '<span class="font-size">【字号：<a href="javascript:doZoom(18)">大</a> '
        '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span> '
        '<span class="share"><a href="javascript:void(0);" class="share-btn">分享</a></span></div>'
    )
    news = "".join(
        f'<li><a href="{r.path()}" target="_blank">{escape(r.title)}</a></li>' for r in related
    )
    metas = meta_tags(post, SITE_NAME, DOMAIN, SITE_ID_CODE)
    metas += f'\n<link rel="alternate" media="only screen and (max-width: 640px)" href="{post.path(True)}">'
    return (
        _head(f"{post.title} - {SITE_NAME}", metas)
        + "<body>\n"
        + _aria_bar()
        + _header()
        + _crumbs(post.column)
        + '\n<div class="main article">\n'
        + f'<h1 class="article-title">{escape(post.title)}</h1>\n{info}\n'
        + f'<div class="article-content" id="zoomcon">\n{body_html}\n</div>\n'
        + '<div class="article-attachment"><h3>相关附件</h3>'
        + f"<ul>{attachment_items(files)}</ul></div>\n"
        + f'<div class="related-news"><h3>相关新闻</h3><ul>{news}</ul></div>\n</div>\n'
        + _footer()
        + _scripts("post", post.id, post.column.cat_id)
        + "</body>\n</html>\n"
    )


def mobile_page(post: Post, body_html: str, files: Sequence[tuple[str, str]] = ()) -> str:
    metas = meta_tags(post, SITE_NAME, DOMAIN, SITE_ID_CODE)
    attached = (
        f'<div class="m-attachment"><h3>相关附件</h3><ul>{attachment_items(files)}</ul></div>\n'
        if files
        else ""
    )
    return (
        _head(f"{post.title} - {SITE_NAME}", metas, mobile=True)
        + '<body class="m">\n<div class="m-header"><a href="/" class="m-logo">增城区政府网</a>'
        + '<a class="m-menu" href="javascript:void(0);">菜单</a></div>\n'
        + f'<div class="m-article"><h1 class="m-title">{escape(post.title)}</h1>\n'
        + f'<p class="m-info"><span>{post.date}</span> <span>来源: {escape(post.source_text)}</span></p>\n'
        + f'<div class="m-content" id="zoomcon">\n{body_html}\n</div>{attached}</div>\n'
        + '<div class="m-footer">广州市增城区人民政府 版权所有</div>\n'
        + _scripts("post", post.id, post.column.cat_id)
        + "</body>\n</html>\n"
    )


def list_page(column: Column, posts: list[Post], urls: list[str], page: int, pages: int) -> str:
    items = "".join(
        f'<li><a href="{url}" title="{escape(p.title)}" target="_blank">{escape(p.title)}</a>'
        f"<span>{p.date}</span></li>\n"
        for p, url in zip(posts, urls, strict=True)
    )
    metas = (
        f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="{DOMAIN}">\n'
        f'<meta name="SiteIDCode" content="{SITE_ID_CODE}">\n'
        f'<meta name="ColumnName" content="{column.name}">\n'
        '<meta name="ColumnDescription" content="">\n<meta name="ColumnKeywords" content="">\n'
        f'<meta name="ColumnType" content="{column.name}">\n'
        f'<meta name="catId" content="{column.cat_id}">'
    )
    pager = pager_html(page, pages, lambda n: "index.html" if n == 1 else f"index_{n}.html")
    return (
        _head(f"{column.name} - {SITE_NAME}", metas)
        + "<body>\n"
        + _aria_bar()
        + _header()
        + _crumbs(column)
        + f'\n<div class="main list"><div class="list-title"><h2>{column.name}</h2></div>\n'
        + f'<ul class="news_list" data-cat-id="{column.cat_id}">\n{items}</ul>\n{pager}\n</div>\n'
        + _footer()
        + _scripts("cat", None, column.cat_id)
        + "</body>\n</html>\n"
    )


def home_page(column: Column) -> str:
    metas = (
        f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="{DOMAIN}">\n'
        f'<meta name="SiteIDCode" content="{SITE_ID_CODE}">'
    )
    return (
        _head(SITE_NAME, metas)
        + "<body>\n"
        + _aria_bar()
        + _header()
        + f'<div class="main home"><a href="{column.path}">{column.name}</a></div>\n'
        + _footer()
        + "</body>\n</html>\n"
    )


# The `markup` fault: a redesign. Different structure and class names, no meta tags, no
# #zoomcon, no <ul><li> list, no 下一页 text: a spider written for the theme above finds nothing.


def broken_detail_page(post: Post, body_html: str) -> str:
    return (
        _head(post.title, "")
        + '<body><div class="wrap2024"><div class="xl-box">'
        + f'<div class="xl-tit">{escape(post.title)}</div>'
        + f'<div class="xl-sx"><em>{post.date}</em><em>{escape(post.source_text)}</em></div>'
        + f'<section class="xl-nr" data-role="text">{body_html}</section>'
        + "</div></div></body></html>\n"
    )


def broken_list_page(posts: list[Post], urls: list[str], page: int, pages: int) -> str:
    items = "".join(
        f'<div class="card"><h4 data-href="{url}">{escape(p.title)}</h4><i>{p.date}</i></div>'
        for p, url in zip(posts, urls, strict=True)
    )
    nxt = f'<button data-page="{page + 1}">&gt;</button>' if page < pages else ""
    return _head("列表", "") + f'<body><div class="cards">{items}</div>{nxt}</body></html>\n'
