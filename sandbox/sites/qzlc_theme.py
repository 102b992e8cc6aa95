"""The www.qzlc.gov.cn theme: chrome around lists, unit directories and documents, in two template
generations. Text and order follow portals.md §5 (H): the 索引号 / 备注/文号 / 发布机构 / 公文生成日期
list first, then the title, then `来源:… 时间:YYYY-MM-DD HH:MM`, then the body; pre-2019 pages
start at the title and `来源:… 时间:…`. Class names and ids are invented (L) and live only here."""

from __future__ import annotations

from html import escape

from sandbox.sites.trs import (
    PAGER_FUNCTION,
    Column,
    Doc,
    column_meta_tags,
    meta_tags,
    pager_script,
)

SITE_NAME = "泉州市鲤城区人民政府"
DOMAIN = "www.qzlc.gov.cn"
SITE_ID_CODE = "3505020001"  # 350502 = 鲤城区; the serial is invented (portals.md §0.1)
NAV = (
    ("首页", "/"),
    ("走进鲤城", "/zjlc/"),
    ("政务公开", "/zwgk/"),
    ("信息公开", "/xxgk/"),
    ("办事服务", "/bsfw/"),
    ("互动交流", "/hdjl/"),
)
EDITOR_STYLE = (
    '<style type="text/css">.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:1.8;'
    "font-family:宋体;font-size:12pt;}.TRS_Editor TD{font-size:12pt;}</style>"
)


def _head(title: str, metas: str) -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8" />\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge" />\n'
        f"<title>{escape(title)}</title>\n{metas}\n"
        '<link rel="stylesheet" type="text/css" href="/images/lc_style.css" />\n</head>\n'
    )


def _header() -> str:
    items = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in NAV)
    return (
        '<div class="topbar"><div class="w1200"><span>欢迎访问泉州鲤城政府门户网站</span>'
        '<a href="javascript:void(0)" id="jft">繁體</a> <a href="javascript:void(0)" '
        'id="wza">无障碍</a> <a href="javascript:void(0)" id="zzms">长者模式</a></div></div>\n'
        '<div class="header"><div class="logo"><a href="/"><img src="/images/lc_logo.png" '
        f'alt="{SITE_NAME}" /></a></div><ul class="nav">{items}</ul></div>\n'
    )


def _crumbs(crumbs: tuple[tuple[str, str], ...]) -> str:
    links = " &gt; ".join(f'<a href="{path}">{escape(label)}</a>' for label, path in crumbs)
    return f'<div class="dqwz">当前位置：{links}</div>\n'


def _footer() -> str:
    return (
        '<div class="footer"><p>主办：泉州市鲤城区人民政府办公室 承办：泉州市鲤城区数字鲤城建设中心</p>'
        f"<p>网站标识码：{SITE_ID_CODE} 闽ICP备05026032号 闽公网安备 35050202000101号</p>"
        "<p>地址：泉州市鲤城区庄府巷26号 联系电话：0595-22389870</p></div>\n"
    )


def _info_list(doc: Doc) -> str:
    """The 公开目录 metadata list (portals.md §5: 索引号 = QZ + unit + category + year + serial)."""
    made = doc.made.strftime("%Y-%m-%d") if doc.made else ""
    return (
        '<div class="xxgk-info"><table><tr>'
        f'<td class="t">索 引 号:</td><td>{doc.index_no}</td>'
        f'<td class="t">备注/文号:</td><td>{escape(doc.doc_no)}</td></tr><tr>'
        f'<td class="t">发布机构:</td><td>{escape(doc.publisher)}</td>'
        f'<td class="t">公文生成日期:</td><td>{made}</td></tr></table></div>\n'
    )


def _files(doc: Doc) -> str:
    if not doc.files:
        return ""
    items = "".join(
        f'<li><a href="./{f.name}" target="_blank" title="{escape(f.label)}">{escape(f.label)}</a></li>'
        for f in doc.files
    )
    return f'<div class="xl-fj"><span>附件：</span><ul>{items}</ul></div>\n'


def _editor(doc: Doc, body_html: str) -> str:
    style = EDITOR_STYLE if doc.style_block else ""
    return (
        f'<div class="TRS_Editor">{style}<div class="Custom_UnionStyle">\n{body_html}\n</div></div>'
    )


def detail_page(doc: Doc, body_html: str) -> str:
    """The post-2019 template: meta tags, (公开目录 columns) the metadata list, h1, 来源 时间."""
    info = _info_list(doc) if doc.publisher else ""
    return (
        _head(
            f"{doc.title}_{doc.column.name}_{SITE_NAME}",
            meta_tags(doc, SITE_NAME, DOMAIN, SITE_ID_CODE),
        )
        + "<body>\n"
        + _header()
        + _crumbs(doc.column.crumbs)
        + f'<div class="xl-main">\n{info}'
        + f'<h1 class="article-title">{escape(doc.title)}</h1>\n'
        + f'<div class="article-info"><span>来源:{escape(doc.source)}</span> '
        + f"<span>时间:{doc.time}</span> "
        + '<span class="zh">【字号：<a href="javascript:doZoom(18)">大</a> '
        + '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span></div>\n'
        + f'<div class="article-con" id="Zoom">{_editor(doc, body_html)}</div>\n'
        + _files(doc)
        + '<div class="xl-tools"><a href="javascript:window.print()">【打印本页】</a> '
        + '<a href="javascript:window.close()">【关闭窗口】</a></div>\n</div>\n'
        + _footer()
        + "</body>\n</html>\n"
    )


def old_detail_page(doc: Doc, body_html: str) -> str:
    """The pre-2019 template: a layout table, no Article* meta tags, no metadata list."""
    crumbs = " &gt; ".join(f'<a href="{p}">{escape(label)}</a>' for label, p in doc.column.crumbs)
    return (
        _head(f"{doc.title}_{SITE_NAME}", meta_tags(doc, SITE_NAME, DOMAIN, SITE_ID_CODE))
        + "<body>\n"
        + _header()
        + '<table width="1000" align="center" class="xl_table"><tr><td>\n'
        + f'<div class="dqwz">您现在的位置：{crumbs}</div>\n'
        + f'<div class="xl_title">{escape(doc.title)}</div>\n'
        + f'<div class="xl_time">来源:{escape(doc.source)} 时间:{doc.time}</div>\n'
        + f'<div id="Zoom">{_editor(doc, body_html)}</div>\n'
        + _files(doc)
        + "</td></tr></table>\n"
        + _footer()
        + "</body>\n</html>\n"
    )


def list_page(column: Column, docs: list[Doc], page: int, pages: int) -> str:
    """One list page: newest first, relative links, the pager written by createPageHTML."""
    rows = "".join(
        f'<li><a href="{d.href()}" target="_blank" title="{escape(d.title)}">{escape(d.title)}'
        f"</a><span>{d.date}</span></li>\n"
        for d in docs
    )
    empty = "" if docs else '<p class="empty">暂无信息</p>\n'
    return (
        _head(
            f"{column.name}_{SITE_NAME}", column_meta_tags(column, SITE_NAME, DOMAIN, SITE_ID_CODE)
        ).replace("</head>", PAGER_FUNCTION + "\n</head>")
        + "<body>\n"
        + _header()
        + _crumbs(column.crumbs)
        + f'<div class="list-main"><div class="list-tit">{escape(column.name)}</div>\n'
        + f'<ul class="list">\n{rows}</ul>\n{empty}'
        + f'<div class="page">{pager_script(pages, page)}</div>\n</div>\n'
        + _footer()
        + "</body>\n</html>\n"
    )


def directory_page(
    title: str, crumbs: tuple[tuple[str, str], ...], links: list[tuple[str, str]]
) -> str:
    """A directory: the units of a kind (部门, 镇街) or the columns of one unit."""
    items = "".join(
        f'<li><a href="{href}" target="_blank">{escape(label)}</a></li>\n' for label, href in links
    )
    metas = (
        f'<meta name="SiteName" content="{SITE_NAME}" />\n<meta name="SiteDomain" content="{DOMAIN}" />\n'
        f'<meta name="SiteIDCode" content="{SITE_ID_CODE}" />\n<meta name="ColumnName" content="{title}" />'
    )
    return (
        _head(f"{title}_{SITE_NAME}", metas)
        + "<body>\n"
        + _header()
        + _crumbs(crumbs)
        + f'<div class="dir-main"><div class="list-tit">{escape(title)}</div>\n'
        + f'<ul class="dir">\n{items}</ul></div>\n'
        + _footer()
        + "</body>\n</html>\n"
    )


# -- the newer template of the Fujian provincial cluster (portals.md §10.1, the real 平潭 page) ---
# Its static HTML holds the first `prepage` entries only (each a <dl> with the date in a <dd>
# beside the link); the rest come from the cluster's search endpoint through `list2.trsapi`,
# whose answer is unknown and is not simulated. There is no createPageHTML and no 下一页: the only
# trace of the rest is the declared `recordCount`.

SCRIPT_LIST = """<script>
    require(["list2.trsapi", "tools"], function(listModel, tools) {{
        listModel({{
            quickMode: "动静结合",
            maxStaticIndex: 1,
            listArgs: {{
                channelid: SiteInfo.searchId,
                classsql: "" || "chnlid={chnl}",
                sortfield: "-docorderpri,-docreltime"
            }},
            pagebar: {{
                prepage: {prepage},
                recordCount: '{total}',
                pgTemp: "pgBar_xxgk.html",
                pgCountMode: "recordCount",
                displayNum: 2
            }}
        }});
    }});
</script>"""


def script_list_page(column: Column, docs: list[Doc], total: int, chnl: int, prepage: int) -> str:
    """A column in the newer template: `docs` are the static entries of `total` records."""
    rows = "".join(
        '<dl>\n<dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
        f'<a href="{d.href()}" target="_blank" title="{escape(d.title)}">{escape(d.title)}</a>\n'
        '</dd>\n<dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
        f"{d.date}\n</dd>\n</dl>\n"
        for d in docs
    )
    metas = column_meta_tags(column, SITE_NAME, DOMAIN, SITE_ID_CODE)
    metas += f'\n<meta name="ChnlId" content="{chnl}">\n<meta name="SiteId" content="4"/>'
    site_info = (
        '<script>var SiteInfo = {searchId: 200210, defaultPgTemp: "pgBar_pt.html"};</script>'
    )
    return (
        _head(f"{column.name}_{SITE_NAME}", metas)
        + "<body>\n"
        + _header()
        + _crumbs(column.crumbs)
        + '<div class="tabs info_tabs" ms-controller="list">\n'
        + '<div class="tabs_header"><ul><li class="on"><a class="cur_def" href="javascript:;">'
        + f"{escape(column.name)}</a></li></ul></div>\n"
        + f'<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">\n{rows}</div>\n'
        + '<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic" style="display: none">'
        + '<dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10"><dd>'
        + '<a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" ms-text="el.doctitle|html" '
        + 'target="_blank"></a></dd><dd ms-text="el.docreltime|date(\'yyyy-MM-dd\')"></dd></dl></div>\n'
        + '<div class="page_base mar_t_base" ms-controller="list_pagebar" ms-include-src="pgTemp" '
        + 'ms-if="pageCount>0"></div>\n</div>\n'
        + _footer()
        + site_info
        + "\n"
        + SCRIPT_LIST.format(chnl=chnl, prepage=prepage, total=total)
        + "\n</body>\n</html>\n"
    )
