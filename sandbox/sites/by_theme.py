"""The www.by.gov.cn theme (白云区 portal): chrome around the home page, channels, column lists
and posts (desktop and mobile). Its gkmlpt sub-sites have the platform's own pages (gkmlpt.py).

Text and order follow portals.md §2 (H): `智能问答` / `当前位置: 首页 > 政务公开 > 区政府信息公开年报 >
镇街` / title / `发布时间:YYYY-MM-DD 来源:X 字体大小:` / body in `#zoomcon`.  Class names and ids are
invented (L), kept in line with tests/fixtures/cleaning/by_gov_cn.html, and live only here.
"""

from __future__ import annotations

from html import escape

from sandbox.sites import nfcms_theme
from sandbox.sites.channels import Channel
from sandbox.sites.nfcms import Column, Post
from sandbox.sites.nfcms_theme import Footer, Theme, index_pager, list_rows, nav_items

SITE_NAME = "广州市白云区人民政府门户网站"
DOMAIN = "www.by.gov.cn"
NAV = (
    ("首页", "/"),
    ("政务公开", "/zwgk/"),
    ("政务服务", "/zwfw/"),
    ("互动交流", "/hdjl/"),
    ("走进白云", "/zjby/"),
)
THEME = Theme(
    site_name=SITE_NAME,
    domain=DOMAIN,
    id_code="4401110001",
    nfcms_site_id=755035,
    stylesheet="/css/article.css",
    footer=Footer(
        sponsor="广州市白云区人民政府办公室",
        operator="广州市白云区人民政府政务服务数据管理局",
        icp="粤ICP备05080238号",
        police="粤公网安备 44011102000111号",
        sep=" &nbsp; ",
        links=True,
        notes=("建议使用IE9以上浏览器或谷歌浏览器，1366×768分辨率浏览",),
    ),
)
# The top bar (智能问答, 无障碍) and the header above every desktop page.
TOP = (
    '<div class="top"><div class="w1200"><a class="znwd" href="/znwd/">智能问答</a>'
    '<a href="javascript:void(0)" id="cniil_wza">无障碍</a></div></div>\n'
    '<div class="header"><div class="logo"><img src="/images/logo.png" alt="logo"></div>'
    f'<ul class="nav-list">{nav_items(NAV)}</ul></div>\n'
)


def attachment_block(files: list[tuple[str, str]]) -> str:
    """`附件：` links under the body: (href, link text) pairs."""
    if not files:
        return ""
    links = "".join(
        f'<p><a href="{href}" target="_blank">{escape(name)}</a></p>' for href, name in files
    )
    return f'<div class="fujian"><p>附件：</p>{links}</div>\n'


def detail_page(post: Post, body_html: str, files: list[tuple[str, str]]) -> str:
    info = (
        f'<div class="laiyuan">发布时间:{post.date} 来源:<b>{escape(post.source_text)}</b> '
        '字体大小:<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> '
        '<a href="javascript:doZoom(12)">小</a></div>\n'
    )
    content = (
        TOP
        + '<div class="main w1200">\n'
        + THEME.crumbs_html(post.column)
        + '<div class="detail">\n'
        + f'<h1 class="content_title content_title_h1">{escape(post.title)}</h1>\n{info}'
        + f'<div class="zoomcon" id="zoomcon">\n{body_html}\n</div>\n'
        + attachment_block(files)
        + '<div class="content_btn"><a href="javascript:window.print()">【打印本页】</a> '
        + '<a href="javascript:window.close()">【关闭窗口】</a></div>\n</div>\n</div>\n'
        + THEME.footer_html()
    )
    return THEME.post_page(post, THEME.post_metas(post), content)


def mobile_page(post: Post, body_html: str, files: list[tuple[str, str]]) -> str:
    content = (
        '<div class="m-header"><a href="/" class="m-logo">白云区政府网</a></div>\n'
        + f'<div class="m-article"><h1 class="m-title">{escape(post.title)}</h1>\n'
        + f'<p class="m-info">发布时间:{post.date} 来源:{escape(post.source_text)}</p>\n'
        + f'<div class="m-content" id="zoomcon">\n{body_html}\n</div>\n'
        + attachment_block(files)
        + "</div>\n"
        + '<div class="m-footer">广州市白云区人民政府 版权所有</div>\n'
    )
    return THEME.post_page(post, THEME.post_metas(post), content, mobile=True)


def list_page(
    column: Column,
    rows: list[tuple[Post, str]],
    page: int,
    pages: int,
    children: list[Column],
    has_json: bool = True,
) -> str:
    """A column page: (post, listed URL) rows newest first, sub-column links, the pager. A
    column without list JSON carries no category id in its scripts."""
    subs = "".join(f'<a href="{c.path}">{c.name}</a>' for c in children)
    tabs = f'<div class="sub-columns">{subs}</div>\n' if subs else ""
    content = (
        TOP
        + '<div class="main w1200">\n'
        + THEME.crumbs_html(column)
        + f'<div class="list-box"><h2 class="list-title">{column.name}</h2>\n{tabs}'
        + f'<ul class="list-ul">\n{list_rows(rows, "date")}</ul>\n'
        + f"{index_pager(page, pages)}\n</div>\n</div>\n"
        + THEME.footer_html()
    )
    if not has_json:
        scripts = THEME.scripts("cat", None, None)
        return THEME.page(
            f"{column.name} - {SITE_NAME}", THEME.column_metas(column), content, scripts
        )
    return THEME.column_page(column, THEME.column_metas(column), content)


def home_page(central: Column) -> str:
    """The home page: the navigation, then blocks leading to the 信息公开 channels and news."""
    sections = (
        (
            "信息公开",
            (
                (central.name, central.path),
                ("工作机构", "/gzjg/"),
                ("通知公告", "/zwgk/tzgg/"),
            ),
        ),
        ("新闻中心", (("白云要闻", "/xwzx/byyw/"),)),
    )
    return nfcms_theme.home_page(THEME, TOP, sections)


def channel_page(channel: Channel) -> str:
    return nfcms_theme.channel_page(THEME, TOP, channel)
