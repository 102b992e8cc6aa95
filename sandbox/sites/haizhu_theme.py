"""The www.haizhu.gov.cn theme: page chrome around lists and posts (desktop and mobile).

Text and order follow portals.md §4 (H): `您当前所在的位置: 首页 > 政务公开 > 政府信息公开年报 > 街道`
/ title / `发布日期:2019-02-01 08:53:08 来源:本网` / `分享到:` / `浏览量:-` / body. Class names are
invented (L; the same ones tests/fixtures/cleaning uses for its Haizhu page) and live only here.
"""

from __future__ import annotations

from html import escape

from sandbox.sites import nfcms_theme
from sandbox.sites.channels import Channel
from sandbox.sites.nfcms import Column, Post
from sandbox.sites.nfcms_theme import Footer, Theme, index_pager, list_rows, nav_items

SITE_NAME = "广州市海珠区人民政府门户网站"
DOMAIN = "www.haizhu.gov.cn"
NAV = (
    ("首页", "/"),
    ("走进海珠", "/zjhz/"),
    ("政务公开", "/zwgk/"),
    ("政务服务", "/zwfw/"),
    ("互动交流", "/hdjl/"),
)
THEME = Theme(
    site_name=SITE_NAME,
    domain=DOMAIN,
    id_code="4401050001",
    nfcms_site_id=755102,
    stylesheet="/css/hz_style.css",
    footer=Footer(
        sponsor="广州市海珠区人民政府办公室",
        operator="广州市海珠区政务服务数据管理局",
        icp="粤ICP备05080299号",
        police="粤公网安备 44010502000101号",
        sep=" &nbsp; ",
        links=True,
    ),
    charset='<meta charset="utf-8">',
    crumbs='<div class="hz-loc">您当前所在的位置: {links}</div>\n',
)
# The top bar (IPv6, 无障碍浏览, 长者助手) and the header above every desktop page.
TOP = (
    '<div class="hz-top"><span class="hz-ipv6">网站支持IPv6</span> '
    '<a href="javascript:void(0);" id="cniil_wza">无障碍浏览</a> | '
    '<a href="javascript:void(0);" id="cniil_zzzs">长者助手</a></div>\n'
    f'<div class="hz-header"><a class="hz-logo" href="/">{SITE_NAME}</a>'
    f'<ul class="hz-nav">{nav_items(NAV)}</ul></div>\n'
)


def article_metas(post: Post) -> str:
    metas = THEME.post_metas(post)
    if post.extra.get("empty_title_meta"):
        # Seen in the wild: the tag is there, its value is not (the title is only in the page).
        metas = metas.replace(
            f'name="ArticleTitle" content="{escape(post.title)}"', 'name="ArticleTitle" content=""'
        )
    return metas


def detail_page(post: Post, body_html: str) -> str:
    source = escape(post.source_text)
    when = post.published.strftime("%Y-%m-%d %H:%M:%S")
    content = (
        TOP
        + '<div class="hz-wrap">'
        + THEME.crumbs_html(post.column)
        + f'<div class="hz-article"><div class="hz-title">{escape(post.title)}</div>\n'
        + f'<div class="hz-meta"><span>发布日期:{when}</span> <span>来源:{source}</span></div>\n'
        + '<div class="hz-tools"><span>分享到:</span><a class="wx" href="javascript:;"></a>'
        + '<a class="wb" href="javascript:;"></a></div>\n'
        + '<div class="hz-views">浏览量:<span id="views">-</span></div>\n'
        + f'<div class="hz-body" id="zoomcon">\n{body_html}\n</div>\n</div></div>\n'
        + THEME.footer_html()
    )
    return THEME.post_page(post, article_metas(post), content)


def mobile_page(post: Post, body_html: str) -> str:
    when = post.published.strftime("%Y-%m-%d %H:%M:%S")
    content = (
        '<div class="m-head"><a href="/">海珠区政府网</a></div>\n'
        + f'<div class="m-article"><div class="hz-title">{escape(post.title)}</div>\n'
        + f'<p class="m-meta">发布日期:{when} 来源:{escape(post.source_text)}</p>\n'
        + f'<div class="m-body" id="zoomcon">\n{body_html}\n</div></div>\n'
        + '<div class="m-foot">广州市海珠区人民政府 版权所有</div>\n'
    )
    return THEME.post_page(post, article_metas(post), content, mobile=True)


def list_page(
    column: Column, posts: list[Post], urls: list[str], page: int, pages: int, has_json: bool = True
) -> str:
    """A column page; a column without list JSON carries no category id in its scripts."""
    content = (
        TOP
        + '<div class="hz-wrap">'
        + THEME.crumbs_html(column)
        + f'<div class="hz-list-box"><div class="hz-list-title">{column.name}</div>\n'
        + f'<ul class="hz-list">\n{list_rows(zip(posts, urls, strict=True), "date")}</ul>\n'
        + f"{index_pager(page, pages)}\n</div></div>\n"
        + THEME.footer_html()
    )
    if not has_json:
        scripts = THEME.scripts("cat", None, None)
        return THEME.page(
            f"{column.name} - {SITE_NAME}", THEME.column_metas(column), content, scripts
        )
    return THEME.column_page(column, THEME.column_metas(column), content)


def home_page(columns: tuple[Column, ...]) -> str:
    """The home page: the navigation, then the 政务公开 block down to the 年报 columns."""
    links = (("政府信息公开年报", "/zwgk/zfxxgknb/"), *((c.name, c.path) for c in columns))
    return nfcms_theme.home_page(THEME, TOP, (("政务公开", links),))


def channel_page(channel: Channel) -> str:
    return nfcms_theme.channel_page(THEME, TOP, channel)
