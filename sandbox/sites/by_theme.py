"""The www.by.gov.cn theme (白云区 portal): chrome around column lists, posts (desktop and mobile),
and the gkmlpt sub-site (`/gzbyjy/gkmlpt/`) whose list is built in the browser.

Text and order follow portals.md §2 (H): `智能问答` / `当前位置: 首页 > 政务公开 > 区政府信息公开年报 >
镇街` / title / `发布时间:YYYY-MM-DD 来源:X 字体大小:` / body in `#zoomcon`.  Class names and ids are
invented (L), kept in line with tests/fixtures/cleaning/by_gov_cn.html, and live only here.
"""

from __future__ import annotations

import json
from html import escape

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
    column: Column, rows: list[tuple[Post, str]], page: int, pages: int, children: list[Column]
) -> str:
    """A column page: (post, listed URL) rows newest first, sub-column links, the pager."""
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
    return THEME.column_page(column, THEME.column_metas(column), content)


def home_page(columns: list[Column]) -> str:
    links = "".join(f'<li><a href="{c.path}">{c.name}</a></li>' for c in columns)
    content = (
        TOP
        + f'<div class="main w1200"><ul class="quick">{links}</ul></div>\n'
        + THEME.footer_html()
    )
    return THEME.page(SITE_NAME, THEME.site_metas(), content)


# -- gkmlpt (广东省政府信息公开目录平台) sub-site: a Vue-style SPA (portals.md §1) ---------------
# The column page is a shell: `window._CONFIG` (SID, TREE) and a script that fetches
# `/{site}/gkmlpt/api/all/{catId}?page=1&sid={SID}` and writes the list into `#app`.  Without
# JavaScript the page holds no link to any post.  The markup of the rendered list is invented (L).

GKMLPT_SCRIPT = """
(function () {
  var cfg = window._CONFIG, cat = (location.hash || '').replace('#', '') || cfg.DEFAULT_CAT;
  var app = document.getElementById('app');
  var api = cfg.BASE + 'api/all/' + cat + '?page=1&sid=' + cfg.SID;
  fetch(api, {headers: {'X-Requested-With': 'XMLHttpRequest'}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var ul = document.createElement('ul');
      ul.className = 'gkmlpt-list';
      data.articles.forEach(function (a) {
        var li = document.createElement('li'), link = document.createElement('a');
        link.href = a.url; link.title = a.title; link.textContent = a.title;
        var num = document.createElement('span'), day = document.createElement('span');
        num.className = 'wh'; num.textContent = a.identifier;
        day.className = 'date'; day.textContent = a.created_at.substring(0, 10);
        li.appendChild(link); li.appendChild(num); li.appendChild(day); ul.appendChild(li);
      });
      var total = document.createElement('div');
      total.className = 'gkmlpt-total';
      total.textContent = '共' + data.classify.post_count + '条';
      app.innerHTML = '';
      app.appendChild(ul); app.appendChild(total);
    });
})();
"""


def gkmlpt_shell(site_title: str, base: str, sid: str, tree: list[dict], default_cat: int) -> str:
    config = {"SID": sid, "BASE": base, "TREE": tree, "DEFAULT_CAT": str(default_cat)}
    content = (
        f'<div class="gkmlpt-header"><h1>{escape(site_title)}政府信息公开</h1></div>\n'
        + '<div id="app"><div class="loading">加载中……</div></div>\n'
        + f"<script>window._CONFIG = {json.dumps(config, ensure_ascii=False)};</script>\n"
        + f"<script>{GKMLPT_SCRIPT}</script>\n"
    )
    return THEME.page(f"{site_title} - 政府信息公开", "", content)


def gkmlpt_detail(post: Post, body_html: str, info: dict[str, str], detail_json: str) -> str:
    """A gkmlpt post: the §0.1 meta tags, the 索引号/分类/发布机构… table, the body."""
    rows = "".join(
        f"<tr><th>{escape(label)}：</th><td>{escape(value)}</td></tr>"
        for label, value in info.items()
    )
    content = (
        '<div class="gkmlpt-header"><h1>广州市白云区教育局政府信息公开</h1></div>\n'
        + f'<div class="gkmlpt-detail"><table class="gkmlpt-info">{rows}</table>\n'
        + f'<h1 class="gkmlpt-title">{escape(post.title)}</h1>\n'
        + f'<div class="article-content" id="zoomcon">\n{body_html}\n</div></div>\n'
        + f"<script>window._CONFIG = window._CONFIG || {{}}; _CONFIG.DETAIL = {detail_json};</script>\n"
    )
    return THEME.page(f"{post.title} - {SITE_NAME}", THEME.post_metas(post), content)
