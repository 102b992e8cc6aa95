"""The www.zc.gov.cn theme: page chrome around lists and posts (desktop and mobile), and the
`markup` fault's different theme. Text and order follow seed 001 / portals.md §3 (H); class names
and ids are invented (L) and live only here, so they are easy to change."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sandbox.sites import nfcms_theme
from sandbox.sites.channels import Channel
from sandbox.sites.nfcms import Column, Post
from sandbox.sites.nfcms_theme import Footer, Theme, index_pager, list_rows, nav_items

SITE_NAME = "广州市增城区人民政府门户网站"
DOMAIN = "www.zc.gov.cn"
NAV = (
    ("首页", "/"),
    ("走进增城", "/zjzc/"),
    ("新闻中心", "/xw/"),
    ("政务公开", "/gk/"),
    ("政务服务", "/zwfw/"),
    ("互动交流", "/hdjl/"),
)
THEME = Theme(
    site_name=SITE_NAME,
    domain=DOMAIN,
    id_code="4401180001",
    nfcms_site_id=755047,
    stylesheet="/css/zc_common.css",
    footer=Footer(
        sponsor="广州市增城区人民政府办公室",
        operator="广州市增城区政务服务数据管理局",
        icp="粤ICP备05080468号",
        police="粤公网安备 44011802000110号",
        end="",
    ),
    html_tag='<html lang="zh-CN">',
    viewport_end="",
    crumbs='<div class="crumb">当前位置：{links}</div>',
    post_slot=True,
)
# The aria bar and the header above every desktop page.
TOP = (
    '<div class="topbar"><ul class="aria-links">'
    '<li>• <a href="javascript:void(0);" id="cniil_zzzs">长者助手</a></li>'
    '<li>• <a href="javascript:void(0);" id="cniil_wza">无障碍</a></li></ul></div>'
    '<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" '
    f'alt="{SITE_NAME}"></a></div><ul class="nav">{nav_items(NAV)}</ul></div>'
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
    metas = THEME.post_metas(post)
    metas += f'\n<link rel="alternate" media="only screen and (max-width: 640px)" href="{post.path(True)}">'
    content = (
        TOP
        + THEME.crumbs_html(post.column)
        + '\n<div class="main article">\n'
        + f'<h1 class="article-title">{escape(post.title)}</h1>\n{info}\n'
        + f'<div class="article-content" id="zoomcon">\n{body_html}\n</div>\n'
        + '<div class="article-attachment"><h3>相关附件</h3>'
        + f"<ul>{attachment_items(files)}</ul></div>\n"
        + f'<div class="related-news"><h3>相关新闻</h3><ul>{news}</ul></div>\n</div>\n'
        + THEME.footer_html()
    )
    return THEME.post_page(post, metas, content)


def mobile_page(post: Post, body_html: str, files: Sequence[tuple[str, str]] = ()) -> str:
    attached = (
        f'<div class="m-attachment"><h3>相关附件</h3><ul>{attachment_items(files)}</ul></div>\n'
        if files
        else ""
    )
    content = (
        '<div class="m-header"><a href="/" class="m-logo">增城区政府网</a>'
        + '<a class="m-menu" href="javascript:void(0);">菜单</a></div>\n'
        + f'<div class="m-article"><h1 class="m-title">{escape(post.title)}</h1>\n'
        + f'<p class="m-info"><span>{post.date}</span> <span>来源: {escape(post.source_text)}</span></p>\n'
        + f'<div class="m-content" id="zoomcon">\n{body_html}\n</div>{attached}</div>\n'
        + '<div class="m-footer">广州市增城区人民政府 版权所有</div>\n'
    )
    return THEME.post_page(post, THEME.post_metas(post), content, mobile=True)


def list_page(
    column: Column, posts: list[Post], urls: list[str], page: int, pages: int, has_json: bool = True
) -> str:
    """A column page; a column without list JSON carries no category id."""
    items = list_rows(zip(posts, urls, strict=True))
    metas = THEME.column_metas(column)
    if has_json:
        metas += f'\n<meta name="catId" content="{column.cat_id}">'
    content = (
        TOP
        + THEME.crumbs_html(column)
        + f'\n<div class="main list"><div class="list-title"><h2>{column.name}</h2></div>\n'
        + (
            f'<ul class="news_list" data-cat-id="{column.cat_id}">'
            if has_json
            else '<ul class="news_list">'
        )
        + f"\n{items}</ul>\n"
        + f"{index_pager(page, pages)}\n</div>\n"
        + THEME.footer_html()
    )
    if not has_json:
        scripts = THEME.scripts("cat", None, None)
        return THEME.page(f"{column.name} - {SITE_NAME}", metas, content, scripts)
    return THEME.column_page(column, metas, content)


def home_page(column: Column, news: Column) -> str:
    """The home page: the navigation, then blocks leading to 政务公开 and the news."""
    sections = (
        ("政务公开", (("政府信息公开", "/gk/zfxxgk/"), (column.name, column.path))),
        ("新闻中心", ((news.name, news.path),)),
    )
    return nfcms_theme.home_page(THEME, TOP, sections)


def channel_page(channel: Channel) -> str:
    return nfcms_theme.channel_page(THEME, TOP, channel)


def news_page(column: Column, rows: list[tuple[Post, str]]) -> str:
    """An ordinary column (no JSON, one page): its rows in the list layout."""
    content = (
        TOP
        + THEME.crumbs_html(column)
        + f'\n<div class="main list"><div class="list-title"><h2>{column.name}</h2></div>\n'
        + f'<ul class="news_list">\n{list_rows(rows)}</ul>\n</div>\n'
        + THEME.footer_html()
    )
    scripts = THEME.scripts("cat", None, None)
    return THEME.page(f"{column.name} - {SITE_NAME}", THEME.column_metas(column), content, scripts)


# The `markup` fault: a redesign. Different structure and class names, no meta tags, no
# #zoomcon, no <ul><li> list, no 下一页 text: a spider written for the theme above finds nothing.


def broken_detail_page(post: Post, body_html: str) -> str:
    return (
        THEME.head(post.title, "")
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
    return THEME.head("列表", "") + f'<body><div class="cards">{items}</div>{nxt}</body></html>\n'
