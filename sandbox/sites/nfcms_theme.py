"""The page skeleton the NFCMS themes (by, zc, haizhu) share: `<head>`, the §0.1 site and column
meta tags, the footer, the NFCMS statistics scripts, crumbs, list rows and the pager.

What differs between the portals (chrome text, class names, a stylesheet, a space or a newline
where one template has it and another has not) is data: a `Theme` per portal, defined in its
`*_theme.py`, which also keeps the pieces only it has (top bars, article layout, mobile layout).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from sandbox.sites.channels import Channel
from sandbox.sites.nfcms import Column, Post, meta_tags, pager_html

HTTP_EQUIV_UTF8 = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
FOOTER_LINKS = (
    '<div class="footer-links"><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></div>'
)


@dataclass(frozen=True)
class Footer:
    sponsor: str  # 主办单位
    operator: str  # 承办单位
    icp: str  # 粤ICP备…号
    police: str  # 粤公网安备 …号
    sep: str = " "  # between the items of a line
    links: bool = False  # the 网站地图 | 联系我们 line first
    notes: tuple[str, ...] = ()  # more lines after the record numbers
    end: str = "\n"  # what follows </div>


@dataclass(frozen=True)
class Theme:
    site_name: str
    domain: str
    id_code: str  # 网站标识码
    nfcms_site_id: int
    stylesheet: str
    footer: Footer
    html_tag: str = "<html>"
    charset: str = HTTP_EQUIV_UTF8
    viewport_end: str = "\n"  # "" where the template writes <title> on the viewport's line
    crumbs: str = '<div class="position">当前位置: {links}</div>\n'  # {links}: the crumb links
    post_slot: bool = False  # the scripts leave a space for NFCMS_POST_ID on column pages too

    def head(self, title: str, metas: str, mobile: bool = False) -> str:
        viewport = VIEWPORT + self.viewport_end if mobile else ""
        return (
            f"<!DOCTYPE html>\n{self.html_tag}\n<head>\n{self.charset}\n"
            f"{viewport}<title>{escape(title)}</title>\n{metas}\n"
            f'<link rel="stylesheet" href="{self.stylesheet}">\n</head>\n'
        )

    def page(
        self, title: str, metas: str, content: str, scripts: str = "", mobile: bool = False
    ) -> str:
        body = '<body class="m">\n' if mobile else "<body>\n"
        return self.head(title, metas, mobile) + body + content + scripts + "</body>\n</html>\n"

    def post_page(self, post: Post, metas: str, content: str, mobile: bool = False) -> str:
        scripts = self.scripts("post", post.id, post.column.cat_id)
        return self.page(f"{post.title} - {self.site_name}", metas, content, scripts, mobile)

    def column_page(self, column: Column, metas: str, content: str) -> str:
        scripts = self.scripts("cat", None, column.cat_id)
        return self.page(f"{column.name} - {self.site_name}", metas, content, scripts)

    def post_metas(self, post: Post) -> str:
        return meta_tags(post, self.site_name, self.domain, self.id_code)

    def site_metas(self) -> str:
        return (
            f'<meta name="SiteName" content="{self.site_name}">\n'
            f'<meta name="SiteDomain" content="{self.domain}">\n'
            f'<meta name="SiteIDCode" content="{self.id_code}">'
        )

    def column_metas(self, column: Column) -> str:
        return self.channel_metas(column.name)

    def channel_metas(self, name: str) -> str:
        return (
            f'{self.site_metas()}\n<meta name="ColumnName" content="{name}">\n'
            '<meta name="ColumnDescription" content="">\n<meta name="ColumnKeywords" content="">\n'
            f'<meta name="ColumnType" content="{name}">'
        )

    def crumbs_html(self, column: Column) -> str:
        return self.crumbs.format(links=crumb_links(column.crumbs))

    def footer_html(self) -> str:
        f, sep = self.footer, self.footer.sep
        notes = "".join(f"<p>{note}</p>" for note in f.notes)
        return (
            f'<div class="footer">{FOOTER_LINKS if f.links else ""}'
            f"<p>主办单位：{f.sponsor}{sep}承办单位：{f.operator}</p>"
            f"<p>网站标识码：{self.id_code}{sep}"
            f'<a href="https://beian.miit.gov.cn/">{f.icp}</a>{sep}'
            f'<a href="http://www.beian.gov.cn/">{f.police}</a></p>{notes}</div>{f.end}'
        )

    def scripts(self, kind: str, post_id: int | None, cat_id: int | None) -> str:
        # Columns without a JSON list carry no category id at all (their list is HTML only).
        names = [f"var NFCMS_SITE_ID = '{self.nfcms_site_id}';"]
        names += [f"var NFCMS_CAT_ID = '{cat_id}';"] if cat_id else []
        names += [f"var NFCMS_POST_ID = '{post_id}';"] if post_id else [""] * self.post_slot
        target = f"post={post_id}" if post_id else f"cat={cat_id or 0}"
        return (
            f"<script>{' '.join(names)}</script>\n"
            '<script src="//slhsrv.southcn.com/wza/aria.js"></script><script>aria.start();</script>\n'
            f'<script src="//statistics.gd.gov.cn/visit/{kind}?site={self.nfcms_site_id}&{target}" '
            "async></script>\n"
        )


def nav_items(nav: Iterable[tuple[str, str]]) -> str:
    return "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in nav)


def crumb_links(crumbs: Iterable[tuple[str, str]]) -> str:
    return " &gt; ".join(f'<a href="{path}">{label}</a>' for label, path in crumbs)


def list_rows(rows: Iterable[tuple[Post, str]], date_class: str = "") -> str:
    """(post, listed URL) rows as `<li>` items, the date in a `<span>` of that class (if any)."""
    span = f'<span class="{date_class}">' if date_class else "<span>"
    return "".join(
        f'<li><a href="{url}" title="{escape(p.title)}" target="_blank">{escape(p.title)}</a>'
        f"{span}{p.date}</span></li>\n"
        for p, url in rows
    )


def index_pager(page: int, pages: int) -> str:
    """The pager of a column's HTML pages: index.html, index_2.html, ..."""
    return pager_html(page, pages, lambda n: "index.html" if n == 1 else f"index_{n}.html")


def channel_page(theme: Theme, top: str, channel: Channel) -> str:
    """A channel of the tree: crumbs, its name, its sub-channels and columns by name."""
    links = "".join(
        f'<li><a href="{href}" target="_blank">{escape(name)}</a></li>\n'
        for name, href in channel.links
    )
    content = (
        top
        + theme.crumbs.format(links=crumb_links(channel.crumbs))
        + f'<div class="channel"><h2 class="channel-title">{escape(channel.name)}</h2>\n'
        + f'<ul class="channel-list">\n{links}</ul></div>\n'
        + theme.footer_html()
    )
    title = f"{channel.name} - {theme.site_name}"
    return theme.page(
        title, theme.channel_metas(channel.name), content, theme.scripts("cat", None, None)
    )


def home_page(
    theme: Theme, top: str, sections: Iterable[tuple[str, Iterable[tuple[str, str]]]]
) -> str:
    """The home page: the site's navigation (in `top`), then (heading, links) blocks."""
    blocks = "".join(
        f'<div class="home-block"><h3>{escape(heading)}</h3><ul>'
        + "".join(f'<li><a href="{href}">{escape(name)}</a></li>' for name, href in links)
        + "</ul></div>\n"
        for heading, links in sections
    )
    content = top + f'<div class="main home">\n{blocks}</div>\n' + theme.footer_html()
    return theme.page(theme.site_name, theme.site_metas(), content)
