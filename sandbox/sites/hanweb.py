"""Hanweb jcms (大汉) pieces a Shandong portal reuses with its own chrome: the `<datastore>` block a
column page embeds, the jpage paging script, `dataproxy.jsp` answers and article paths.

Facts (portals.md §6, H; portal-html/hanweb_dataproxy_dingxi_col12377.xml is a real answer): a
column `/col/col{C}/index.html` embeds `<script type="text/xml"><datastore><nextgroup><![CDATA[<a
href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=W&path=/&columnid=C&unitid=U&webname=
…&permissiontype=0">]]></nextgroup><recordset><record><![CDATA[<li>…</li>]]></record>…` with the
first group of records (3 pages of 15) and a jpage script with `totalRecord:N`; further groups
come from `POST /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15` with the
form `col=1&appid=1&webid=W&path=/&columnid=C&sourceContentType=1&unitid=U&webname=…&
permissiontype=0`, answered with the same XML. Articles are `/art/{Y}/{M}/{D}/art_{C}_{id}.html`
(month and day without zero padding).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import parse_qs, quote

from sandbox.http import Request

PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
PER_PAGE = 15
GROUP_PAGES = 3  # jpage asks for 3 pages (45 records) at a time
TITLE_CHARS = 30  # list titles are cut to this many characters plus "..."


@dataclass(frozen=True)
class JpageColumn:
    column_id: int
    unit_id: int
    web_id: int
    web_name: str

    @property
    def path(self) -> str:
        return f"/col/col{self.column_id}/index.html"

    def nextgroup_href(self) -> str:
        # webname is URL-encoded twice in real answers (%25E5...), as the saved one shows.
        name = quote(quote(self.web_name, safe=""), safe="")
        return (
            f"{PROXY_PATH}?page=1&appid=1&webid={self.web_id}&path=/&columnid={self.column_id}"
            f"&unitid={self.unit_id}&webname={name}&permissiontype=0"
        )

    def accepts(self, form: dict[str, str]) -> bool:
        """Does a dataproxy form name this column (as the jpage script would send it)?"""
        wanted = {"columnid": self.column_id, "unitid": self.unit_id, "webid": self.web_id}
        return all(form.get(key) == str(value) for key, value in wanted.items())


def art_path(column_id: int, article_id: int, published: datetime) -> str:
    p = published
    return f"/art/{p.year}/{p.month}/{p.day}/art_{column_id}_{article_id}.html"


def record_li(href: str, title: str, date: str) -> str:
    short = title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS] + "..."
    return (
        f'<li class="clearfix">    <a target="_blank" href="{href}" title="{escape(title)}">'
        f"{escape(short)}</a>    <b>{date}</b></li>"
    )


def datastore(column: JpageColumn, records: list[str]) -> str:
    rows = "".join(f"        <record><![CDATA[\n        {r}]]></record>\n" for r in records)
    return (
        "<datastore>\n"
        f'        <nextgroup><![CDATA[<a href="{column.nextgroup_href()}"></a>]]></nextgroup>\n'
        f"        <recordset>\n{rows}        </recordset>\n        </datastore>\n"
    )


def column_block(
    column: JpageColumn, records: list[str], total: int, per_page: int = PER_PAGE
) -> str:
    """What a column page embeds: the first group in a text/xml script, then jpage's setup."""
    first = records[: per_page * GROUP_PAGES]
    params = (
        f"col:1,appid:1,webid:{column.web_id},path:'/',columnid:{column.column_id},"
        f"sourceContentType:1,unitid:'{column.unit_id}',webname:'{column.web_name}',"
        "permissiontype:0"
    )
    return (
        f'<div id="{column.unit_id}"><script type="text/xml">{datastore(column, first)}</script>'
        "</div>\n"
        '<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js">'
        "</script>\n"
        "<script>$(function(){$('#"
        f"{column.unit_id}').jpage({{proxyUrl:'{PROXY_PATH}',perPage:{per_page},"
        f"totalRecord:{total},groupSize:{GROUP_PAGES},dataStore:dataStore,"
        f"ajaxParam:{{{params}}},barPosition:'bottom',showMode:'full'}});}});</script>\n"
    )


def proxy_form(request: Request) -> dict[str, str]:
    """The dataproxy parameters: query string and urlencoded body together (both are sent)."""
    merged = {k: v[-1] for k, v in request.query.items()}
    body = request.body.decode("utf-8", "replace")
    merged.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
    return merged


def record_range(form: dict[str, str], total: int) -> range | None:
    """Records startrecord..endrecord (1-based, inclusive) as list indices; None if malformed."""
    try:
        start, end = int(form["startrecord"]), int(form["endrecord"])
    except (KeyError, ValueError):
        return None
    if start < 1 or end < start:
        return None
    return range(start - 1, min(end, total))
