"""Hand-written portal pages, each shape from docs/portals.md (the section is named where it
matters), for the discovery tests: other slugs, other column ids and other units than our
sandbox serves, so that a spider finds reports by what the pages say, not by where we put them.
"""

from __future__ import annotations

from html import escape

Crumb = tuple[str, str]  # (text, href)
Row = tuple[str, str, str]  # (href, title, date)


def page(
    title: str,
    body: str,
    *,
    crumbs: list[Crumb] | None = None,
    meta: dict[str, str] | None = None,
    nav: list[Crumb] | None = None,
    charset_meta: str = "utf-8",
) -> str:
    """A portal page: the mandated meta tags (§0.1), a navigation bar, a 当前位置 breadcrumb."""
    tags = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (meta or {}).items())
    navigation = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (nav or []))
    trail = " &gt; ".join(f'<a href="{h}">{t}</a>' for t, h in (crumbs or []))
    position = f'<div class="position">当前位置: {trail}</div>' if crumbs else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset_meta}"><title>{title}</title>{tags}'
        f'</head><body><div class="top"><a href="javascript:void(0)">无障碍</a></div>'
        f'<ul class="nav">{navigation}</ul>{position}<div class="main">{body}</div>'
        '<div class="footer"><a href="/wzdt/">网站地图</a> <a href="https://beian.miit.gov.cn/">备案</a>'
        "</div></body></html>"
    )


def links(items: list[Crumb]) -> str:
    return (
        '<ul class="dir">' + "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in items) + "</ul>"
    )


def list_rows(rows: list[Row]) -> str:
    return (
        '<ul class="list">'
        + "".join(
            f'<li><a href="{h}" title="{t}" target="_blank">{t}</a><span class="date">{d}</span></li>'
            for h, t, d in rows
        )
        + "</ul>"
    )


def nfcms_pager(current: int, pages: int) -> str:
    """An NFCMS pager (§1): numbered index_N.html links and a 下一页 link."""
    names = ["index.html"] + [f"index_{n}.html" for n in range(2, pages + 1)]
    numbers = "".join(f'<a href="{name}">{n}</a>' for n, name in enumerate(names, 1))
    following = f'<a class="next" href="{names[current]}">下一页</a>' if current < pages else ""
    return f'<div id="page_div">{numbers}{following}</div>'


def nfcms_detail(title: str, date: str, source: str, body: str, site: str = "") -> str:
    """An NFCMS post (§1, §2): meta tags, 发布时间/来源 line, the body in #zoomcon."""
    meta = {"ArticleTitle": title, "PubDate": date, "ContentSource": source, "SiteName": site}
    text = f'<h1 class="content_title">{title}</h1><div class="laiyuan">发布时间:{date[:10]} 来源:{source} 字体大小:</div>'
    return page(f"{title} - {site}", text + f'<div id="zoomcon">{body}</div>', meta=meta)


def report_body(unit: str, year: int) -> str:
    return (
        f"<p>根据《中华人民共和国政府信息公开条例》，现公布{unit}{year}年政府信息公开工作年度报告。</p>"
        "<p>一、总体情况</p><p>本年度主动公开政府信息。</p><p>二、主动公开政府信息情况</p>"
    )


def trs_list(rows: list[Row], pages: int = 1, current: int = 0) -> str:
    """A TRS list (§5): rows, then the createPageHTML call that writes the pager."""
    script = f'<script>createPageHTML({pages}, {current}, "index", "htm");</script>'
    return list_rows(rows) + f'<div class="page">{script}</div>'


def trs_detail(title: str, date: str, publisher: str, body: str) -> str:
    """A TRS document (§5): the 公开目录 metadata list, 来源 and 时间, the body in .TRS_Editor."""
    info = (
        f"<ul class='xxgk'><li>索 引 号:QZ01304-3000-{date[:4]}-00001</li>"
        f"<li>发布机构:{publisher}</li><li>公文生成日期:{date[:10]}</li></ul>"
    )
    head = f'<h1 class="article-title">{title}</h1><div>来源:{publisher} 时间:{date}</div>'
    return page(
        title, info + head + f'<div class="TRS_Editor">{body}</div>', meta={"ArticleTitle": title}
    )


def hanweb_column(
    name: str, column: int, rows: list[Row], total: int, extra: str = "", webid: int = 7
) -> str:
    """A Hanweb column page (§6): the <datastore> block, its nextgroup link and jpage's
    totalRecord."""
    records = "".join(
        f'<record><![CDATA[<li><a href="{h}" title="{t}" target="_blank">{t}</a><span>{d}</span></li>]]></record>'
        for h, t, d in rows
    )
    nextgroup = (
        f'<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={webid}&path=/&'
        f'columnid={column}&unitid=1001&webname=%25E6%259B%25B2&permissiontype=0"></a>'
    )
    store = (
        f'<div id="{1001}"><script type="text/xml"><datastore><nextgroup><![CDATA[{nextgroup}]]>'
        f"</nextgroup><recordset>{records}</recordset></datastore></script>"
        f"<script>var pager = new jpage({{totalRecord:{total},perPage:15}});</script></div>"
    )
    return page(name, extra + store, meta={"ColumnName": name})


def hanweb_group(rows: list[Row], total: int) -> str:
    """A dataproxy.jsp answer (§6): the same XML, the next records."""
    records = "".join(
        f'<record><![CDATA[<li><a href="{h}" title="{t}">{t}</a><span>{d}</span></li>]]></record>'
        for h, t, d in rows
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>{total}</totalrecord>'
        f"<recordset>{records}</recordset></datastore>"
    )


def hanweb_detail(title: str, date: str, source: str, body: str) -> str:
    """A Hanweb article (§6): meta tags, the source and body markers."""
    meta = {"ArticleTitle": title, "PubDate": date, "ContentSource": ""}
    marked = (
        f'<div class="title">{title}</div><div>信息来源：<!--<$[信息来源]>begin-->{source}'
        f'<!--<$[信息来源]>end--></div><div id="zoom"><!--ZJEG_RSS.content.begin-->{body}'
        "<!--ZJEG_RSS.content.end--></div>"
    )
    return page(title, marked, meta=meta)
