"""The www.haizhu.gov.cn theme: page chrome around lists and posts (desktop and mobile).

Text and order follow portals.md §4 (H): `您当前所在的位置: 首页 > 政务公开 > 政府信息公开年报 > 街道`
/ title / `发布日期:2019-02-01 08:53:08 来源:本网` / `分享到:` / `浏览量:-` / body. Class names are
invented (L; the same ones tests/fixtures/cleaning uses for its Haizhu page) and live only here.
"""

from __future__ import annotations

from html import escape

from sandbox.sites.nfcms import Column, Post, meta_tags, pager_html

SITE_NAME = "广州市海珠区人民政府门户网站"
DOMAIN = "www.haizhu.gov.cn"
SITE_ID_CODE = "4401050001"
NFCMS_SITE_ID = 755102
NAV = (
    ("首页", "/"),
    ("走进海珠", "/zjhz/"),
    ("政务公开", "/zwgk/"),
    ("政务服务", "/zwfw/"),
    ("互动交流", "/hdjl/"),
)


def _head(title: str, metas: str, mobile: bool = False) -> str:
    viewport = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n' if mobile else ""
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"{viewport}<title>{escape(title)}</title>\n{metas}\n"
        '<link rel="stylesheet" href="/css/hz_style.css">\n</head>\n'
    )


def _header() -> str:
    items = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in NAV)
    return (
        '<div class="hz-top"><span class="hz-ipv6">网站支持IPv6</span> '
        '<a href="javascript:void(0);" id="cniil_wza">无障碍浏览</a> | '
        '<a href="javascript:void(0);" id="cniil_zzzs">长者助手</a></div>\n'
        f'<div class="hz-header"><a class="hz-logo" href="/">{SITE_NAME}</a>'
        f'<ul class="hz-nav">{items}</ul></div>\n'
    )


def _location(column: Column) -> str:
    links = " &gt; ".join(f'<a href="{path}">{label}</a>' for label, path in column.crumbs)
    return f'<div class="hz-loc">您当前所在的位置: {links}</div>\n'


def _footer() -> str:
    return (
        '<div class="footer"><div class="footer-links"><a href="/wzdt/">网站地图</a> | '
        '<a href="/lxwm/">联系我们</a></div>'
        "<p>主办单位：广州市海珠区人民政府办公室 &nbsp; "
        "承办单位：广州市海珠区政务服务数据管理局</p>"
        f"<p>网站标识码：{SITE_ID_CODE} &nbsp; "
        '<a href="https://beian.miit.gov.cn/">粤ICP备05080299号</a> &nbsp; '
        '<a href="http://www.beian.gov.cn/">粤公网安备 44010502000101号</a></p></div>\n'
    )


def _scripts(kind: str, post_id: int | None, cat_id: int | None) -> str:
    # Columns without a JSON list carry no category id at all (their list is HTML only).
    cat = f" var NFCMS_CAT_ID = '{cat_id}';" if cat_id else ""
    post = f" var NFCMS_POST_ID = '{post_id}';" if post_id else ""
    target = f"post={post_id}" if post_id else f"cat={cat_id or 0}"
    return (
        f"<script>var NFCMS_SITE_ID = '{NFCMS_SITE_ID}';{cat}{post}</script>\n"
        '<script src="//slhsrv.southcn.com/wza/aria.js"></script><script>aria.start();</script>\n'
        f'<script src="//statistics.gd.gov.cn/visit/{kind}?site={NFCMS_SITE_ID}&{target}" '
        "async></script>\n"
    )


def article_metas(post: Post) -> str:
    metas = meta_tags(post, SITE_NAME, DOMAIN, SITE_ID_CODE)
    if post.extra.get("empty_title_meta"):
        # Seen in the wild: the tag is there, its value is not (the title is only in the page).
        metas = metas.replace(
            f'name="ArticleTitle" content="{escape(post.title)}"', 'name="ArticleTitle" content=""'
        )
    return metas


def detail_page(post: Post, body_html: str) -> str:
    source = escape(post.source_text)
    when = post.published.strftime("%Y-%m-%d %H:%M:%S")
    return (
        _head(f"{post.title} - {SITE_NAME}", article_metas(post))
        + "<body>\n"
        + _header()
        + '<div class="hz-wrap">'
        + _location(post.column)
        + f'<div class="hz-article"><div class="hz-title">{escape(post.title)}</div>\n'
        + f'<div class="hz-meta"><span>发布日期:{when}</span> <span>来源:{source}</span></div>\n'
        + '<div class="hz-tools"><span>分享到:</span><a class="wx" href="javascript:;"></a>'
        + '<a class="wb" href="javascript:;"></a></div>\n'
        + '<div class="hz-views">浏览量:<span id="views">-</span></div>\n'
        + f'<div class="hz-body" id="zoomcon">\n{body_html}\n</div>\n</div></div>\n'
        + _footer()
        + _scripts("post", post.id, post.column.cat_id)
        + "</body>\n</html>\n"
    )


def mobile_page(post: Post, body_html: str) -> str:
    when = post.published.strftime("%Y-%m-%d %H:%M:%S")
    return (
        _head(f"{post.title} - {SITE_NAME}", article_metas(post), mobile=True)
        + '<body class="m">\n<div class="m-head"><a href="/">海珠区政府网</a></div>\n'
        + f'<div class="m-article"><div class="hz-title">{escape(post.title)}</div>\n'
        + f'<p class="m-meta">发布日期:{when} 来源:{escape(post.source_text)}</p>\n'
        + f'<div class="m-body" id="zoomcon">\n{body_html}\n</div></div>\n'
        + '<div class="m-foot">广州市海珠区人民政府 版权所有</div>\n'
        + _scripts("post", post.id, post.column.cat_id)
        + "</body>\n</html>\n"
    )


def list_page(column: Column, posts: list[Post], urls: list[str], page: int, pages: int) -> str:
    items = "".join(
        f'<li><a href="{url}" title="{escape(p.title)}" target="_blank">{escape(p.title)}</a>'
        f'<span class="date">{p.date}</span></li>\n'
        for p, url in zip(posts, urls, strict=True)
    )
    metas = (
        f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="{DOMAIN}">\n'
        f'<meta name="SiteIDCode" content="{SITE_ID_CODE}">\n'
        f'<meta name="ColumnName" content="{column.name}">\n'
        '<meta name="ColumnDescription" content="">\n<meta name="ColumnKeywords" content="">\n'
        f'<meta name="ColumnType" content="{column.name}">'
    )
    pager = pager_html(page, pages, lambda n: "index.html" if n == 1 else f"index_{n}.html")
    return (
        _head(f"{column.name} - {SITE_NAME}", metas)
        + "<body>\n"
        + _header()
        + '<div class="hz-wrap">'
        + _location(column)
        + f'<div class="hz-list-box"><div class="hz-list-title">{column.name}</div>\n'
        + f'<ul class="hz-list">\n{items}</ul>\n{pager}\n</div></div>\n'
        + _footer()
        + _scripts("cat", None, column.cat_id)
        + "</body>\n</html>\n"
    )


def home_page(columns: tuple[Column, ...]) -> str:
    links = "".join(f'<li><a href="{c.path}">{c.name}</a></li>' for c in columns)
    metas = (
        f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="{DOMAIN}">\n'
        f'<meta name="SiteIDCode" content="{SITE_ID_CODE}">'
    )
    return (
        _head(SITE_NAME, metas)
        + "<body>\n"
        + _header()
        + f'<div class="hz-wrap"><ul class="hz-home">{links}</ul></div>\n'
        + _footer()
        + "</body>\n</html>\n"
    )
