"""The www.qufu.gov.cn theme (Hanweb jcms): column, article and 信息公开 annual-report pages.

Article pages carry the Hanweb markers (portals.md §6, H for Hanweb generally, M for Qufu):
meta ArticleTitle / PubDate / Maketime / ContentSource, the body between
`<!--ZJEG_RSS.content.begin-->` and `<!--ZJEG_RSS.content.end-->` inside `#zoom` (with
`<meta name="ContentStart">`/`ContentEnd`), the source between `<!--<$[信息来源]>begin-->` and
`end-->`, `i_columnid`/`i_articleid`. The `/module/xxgk/xxgkAnnualReport.jsp` pages are the 信息公开
module's own template (L): no article meta tags, a 发布机构/年度/发布日期 table, body in `#zoom` too.
Class names are invented (L) and live only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

SITE_NAME = "曲阜市人民政府"
DOMAIN = "www.qufu.gov.cn"
SITE_ID_CODE = "3708810001"
NAV = (
    ("首页", "/"),
    ("走进曲阜", "/col/col15250/index.html"),
    ("政务公开", "/col/col15257/index.html"),
    ("政务服务", "/col/col15270/index.html"),
    ("互动交流", "/col/col15280/index.html"),
)


@dataclass(frozen=True)
class Article:
    """What an article or annual-report page shows."""

    title: str
    published: str  # "YYYY-MM-DD HH:MM"
    maketime: str  # "YYYY-MM-DD HH:MM:SS"
    source_meta: str  # <meta name="ContentSource"> ("" on some pages)
    source_text: str  # between the 信息来源 markers / the 发布机构 cell
    body_html: str
    attachments: tuple[tuple[str, str], ...] = ()  # (href, link text)


def _head(title: str, metas: dict[str, str]) -> str:
    tags = "".join(f'<meta name="{k}" content="{escape(v)}">\n' for k, v in metas.items())
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f"<title>{escape(title)}</title>\n{tags}"
        '<link href="/images/qufu2019/css/style.css" rel="stylesheet" type="text/css" />\n'
        "</head>\n"
    )


def _site_metas() -> dict[str, str]:
    return {"SiteName": SITE_NAME, "SiteDomain": DOMAIN, "SiteIDCode": SITE_ID_CODE}


def _top() -> str:
    items = "".join(f'<a href="{href}">{label}</a> ' for label, href in NAV)
    return (
        '<body>\n<table width="1100" align="center" cellpadding="0" cellspacing="0"><tr><td>\n'
        f'<div class="head"><a class="logo" href="/">{SITE_NAME}</a> <span class="nav">{items}'
        "</span></div>\n"
    )


def _crumbs(trail: tuple[str, ...]) -> str:
    rest = " &gt; ".join(trail)
    return (
        '<table width="100%"><tr><td class="bt_link">当前位置：<a href="/">首页</a> &gt; '
        f"{rest}</td></tr></table>\n"
    )


def _foot() -> str:
    return (
        "</td></tr></table>\n"
        f'<div class="foot">版权所有：{SITE_NAME} &nbsp; 主办：曲阜市人民政府办公室 &nbsp; '
        f"网站标识码：{SITE_ID_CODE} &nbsp; 鲁ICP备05003377号 &nbsp; "
        "鲁公网安备 37088102000141号</div>\n"
    )


def _attachment_list(article: Article) -> str:
    if not article.attachments:
        return ""
    links = "".join(
        f'<p><a href="{href}" target="_blank">{escape(text)}</a></p>'
        for href, text in article.attachments
    )
    return f'<div class="fj">附件：{links}</div>\n'


Trail = tuple[tuple[str, str], ...]  # (name, path) of the columns between 政务公开 and a page's


def _trail_links(trail: Trail) -> tuple[str, ...]:
    return tuple(f'<a href="{path}">{escape(name)}</a>' for name, path in trail)


def column_page(name: str, column_id: int, block: str, trail: Trail = ()) -> str:
    metas = {
        **_site_metas(),
        "ColumnName": name,
        "ColumnDescription": "",
        "ColumnKeywords": "",
        "ColumnType": name,
    }
    return (
        _head(f"{name} {SITE_NAME}", metas)
        + _top()
        + _crumbs(('<a href="/col/col15257/index.html">政务公开</a>', *_trail_links(trail), name))
        + f'<div class="list_box"><div class="list_title">{name}</div>\n<div class="list">\n'
        + block
        + "</div></div>\n"
        + _foot()
        + f"<script>var i_columnid = {column_id};</script>\n</body>\n</html>\n"
    )


def article_page(
    article: Article, column_name: str, column_id: int, article_id: int, trail: Trail = ()
) -> str:
    metas = {
        **_site_metas(),
        "ColumnName": column_name,
        "ColumnType": column_name,
        "ArticleTitle": article.title,
        "PubDate": article.published,
        "Maketime": article.maketime,
        "ContentSource": article.source_meta,
        "Keywords": "",
        "Author": "",
    }
    date = article.published[:10]
    return (
        _head(f"{article.title} {SITE_NAME}", metas)
        + _top()
        + _crumbs(
            (
                '<a href="/col/col15257/index.html">政务公开</a>',
                *_trail_links(trail),
                f'<a href="/col/col{column_id}/index.html">{column_name}</a>',
            )
        )
        + '<table width="100%" class="article"><tr><td>\n'
        + f'<div class="title">{escape(article.title)}</div>\n'
        + f'<div class="fbsj">发布日期：{date} &nbsp; 信息来源：<!--<$[信息来源]>begin-->'
        + f"{escape(article.source_text)}<!--<$[信息来源]>end--> &nbsp; "
        + '浏览次数：<span id="c">-</span></div>\n'
        + '<meta name="ContentStart"><div id="zoom"><!--ZJEG_RSS.content.begin-->\n'
        + f'{article.body_html}\n<!--ZJEG_RSS.content.end--></div><meta name="ContentEnd">\n'
        + _attachment_list(article)
        + '<div class="dy">【<a href="javascript:window.print()">打印本页</a>】 '
        + '【<a href="javascript:window.close()">关闭窗口</a>】</div>\n'
        + "</td></tr></table>\n"
        + _foot()
        + f"<script>var i_columnid = {column_id}; var i_articleid = {article_id};</script>\n"
        + "</body>\n</html>\n"
    )


def annual_report_page(article: Article, unit_name: str, year: int) -> str:
    date = article.published[:10]
    return (
        _head(f"政府信息公开年报 {SITE_NAME}", _site_metas())
        + _top()
        + _crumbs(("信息公开", escape(unit_name), "政府信息公开年报"))
        + '<div class="xxgk_nb">\n<table class="nb_info" width="100%">'
        + f"<tr><td>发布机构：</td><td>{escape(article.source_text)}</td>"
        + f"<td>年度：</td><td>{year}</td></tr>"
        + f"<tr><td>发布日期：</td><td>{date}</td><td>公开方式：</td><td>主动公开</td></tr></table>\n"
        + f'<div class="title">{escape(article.title)}</div>\n'
        + f'<div class="nb_con" id="zoom">\n{article.body_html}\n</div>\n'
        + _attachment_list(article)
        + "</div>\n"
        + _foot()
        + "</body>\n</html>\n"
    )


def no_annual_report_page(year: str) -> str:
    """What the module answers for a unit/year it has no report for: 200 and an empty notice."""
    return (
        _head(f"政府信息公开年报 {SITE_NAME}", _site_metas())
        + _top()
        + _crumbs(("信息公开", "政府信息公开年报"))
        + f'<div class="xxgk_nb"><div class="nodata">暂无{escape(year)}年度报告信息</div></div>\n'
        + _foot()
        + "</body>\n</html>\n"
    )


def home_page(links: list[tuple[str, str]]) -> str:
    items = " ".join(f'<a href="{path}">{escape(name)}</a>' for name, path in links)
    return (
        _head(SITE_NAME, _site_metas())
        + _top()
        + f'<div class="home">{items}</div>\n'
        + _foot()
        + "</body>\n</html>\n"
    )


def channel_page(name: str, column_id: int, links: list[tuple[str, str]], trail: Trail = ()) -> str:
    """A parent column: no records of its own, its child columns listed by name (§10.4)."""
    metas = {
        **_site_metas(),
        "ColumnName": name,
        "ColumnDescription": "",
        "ColumnKeywords": "",
        "ColumnType": name,
    }
    items = "".join(
        f'<li><a href="{path}" target="_blank">{escape(label)}</a></li>' for label, path in links
    )
    crumbs = (*_trail_links(trail), name) if trail or column_id != 15257 else (name,)
    return (
        _head(f"{name} {SITE_NAME}", metas)
        + _top()
        + _crumbs(crumbs)
        + f'<div class="list_box"><div class="list_title">{escape(name)}</div>\n'
        + f'<ul class="sub_columns">{items}</ul></div>\n'
        + _foot()
        + f"<script>var i_columnid = {column_id};</script>\n</body>\n</html>\n"
    )
