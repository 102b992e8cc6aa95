"""TRS WCM static publishing (Fujian cluster: qzlc.gov.cn, quanzhou.gov.cn, qzfz.gov.cn) pieces a
site can reuse with its own chrome: document ids, the URL grammar, attachment file names, the
`createPageHTML` pager and the §0.1 meta tags.

URL grammar (portals.md §5, H): a column is a folder; its list is `index.htm`, then
`index_1.htm`, `index_2.htm`, ... (page k, counted from 0, is `index_k.htm`), written by a
`createPageHTML(pages, current, "index", "htm")` script (M: standard TRS semantics); a document
is `{column}{YYYYMM}/t{YYYYMMDD}_{docid}.htm`; its files sit in the same month folder as
`P0{YYYYMMDD}{12 digits}.{ext}` and are linked relatively (`./P0....pdf`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

from sandbox.document import Document
from sandbox.sites.cms import id_on_curve, new_year_anchors

# (publish moment, docid) anchors read off real qzlc URLs (portals.md §5): t20180103_1277517,
# t20220107_2681142, t20220114_2684136, t20240122_2996819, t20260128_3262168.
ID_ANCHORS = new_year_anchors(
    {
        2014: 560_000,
        2018: 1_276_000,
        2022: 2_678_000,
        2024: 2_993_000,
        2026: 3_255_000,
        2027: 3_420_000,
    }
)

# Served on some Fujian portals instead of the file's own type (portals.md §8: mislabelled).
OCTET = "application/octet-stream"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}

# TRS's own pager, defined on every list page: the links exist only after it runs in a browser,
# so the static HTML holds no 下一页 link at all.
PAGER_FUNCTION = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var i = _nCurrIndex || 0, first = _sPageName + "." + _sPageExt;
  function page(n){ return n == 0 ? first : _sPageName + "_" + n + "." + _sPageExt; }
  if(i == 0){ document.write("<span>首页</span> <span>上一页</span> "); }
  else { document.write("<a href=\\"" + first + "\\">首页</a> <a href=\\"" + page(i - 1) + "\\">上一页</a> "); }
  if(i + 1 >= _nPageCount){ document.write("<span>下一页</span> <span>尾页</span>"); }
  else { document.write("<a href=\\"" + page(i + 1) + "\\">下一页</a> <a href=\\"" + page(_nPageCount - 1) + "\\">尾页</a>"); }
  document.write(" 共" + _nPageCount + "页");
}
</script>"""


def new_id(moment: datetime, rng: random.Random, used: set[int]) -> int:
    """A docid near the curve that no other document has."""
    candidate = id_on_curve(ID_ANCHORS, moment) + rng.randint(0, 2_000)
    while candidate in used:
        candidate += 1
    used.add(candidate)
    return candidate


def page_name(k: int) -> str:
    """List page k (from 0): index.htm, index_1.htm, ..."""
    return "index.htm" if k == 0 else f"index_{k}.htm"


def pager_script(pages: int, current: int) -> str:
    return (
        '<script type="text/javascript">'
        f'createPageHTML({pages}, {current}, "index", "htm");</script>'
    )


def file_name(day: date, ext: str, rng: random.Random) -> str:
    """P020240722394947013233.pdf: P0 + date + 12 digits."""
    return f"P0{day:%Y%m%d}{rng.randint(10**11, 10**12 - 1)}.{ext}"


@dataclass(frozen=True)
class Column:
    path: str  # "/zwgk/zj/jljd/nb/"
    name: str  # 政府信息公开年度报告
    crumbs: tuple[tuple[str, str], ...]  # (label, path) from 首页 down to this column

    @property
    def catalogue(self) -> bool:
        """政府信息公开目录 columns: their documents carry the 索引号 metadata list."""
        return self.path.startswith("/xxgk/") or "/lcqzfxxgkml/" in self.path


@dataclass(frozen=True)
class File:
    name: str  # P0....pdf, in the document's month folder
    label: str  # the link text: "<title>.pdf"
    fmt: str  # a sandbox.files format: "pdf", "docx", ...
    content_type: str  # what the server says (sometimes application/octet-stream)
    document: Document  # what the file holds


@dataclass
class Doc:
    """One TRS document as its detail page shows it."""

    id: int
    column: Column
    title: str
    published: datetime  # 时间 / PubDate (CST)
    created: date  # the t{YYYYMMDD} of the URL: usually the day of `published`
    document: Document  # the body (title + blocks)
    kind: str  # "report" | "nonreport"
    source: str  # the 来源 label (and ContentSource meta)
    publisher: str = ""  # 发布机构 of the metadata list ("" = the page has no such list)
    index_no: str = ""  # 索引号
    doc_no: str = ""  # 备注/文号
    made: date | None = None  # 公文生成日期
    files: list[File] = field(default_factory=list)
    new_template: bool = True  # False: the pre-2019 template (no Article* meta tags)
    pubdate_seconds: bool = True
    wrong_column_name: bool = False  # ColumnName "头部", as seen in the wild
    no_charset: bool = False  # Content-Type without charset (only <meta> says utf-8)
    style_block: bool = False  # TRS_Editor opens with its own <style> element
    missing: bool = False  # listed, but answers 404
    extra: dict = field(default_factory=dict)

    def path(self) -> str:
        return f"{self.folder()}t{self.created:%Y%m%d}_{self.id}.htm"

    def folder(self) -> str:
        return f"{self.column.path}{self.created:%Y%m}/"

    def href(self) -> str:
        """The link a list page of its own column carries."""
        return f"./{self.created:%Y%m}/t{self.created:%Y%m%d}_{self.id}.htm"

    @property
    def date(self) -> str:
        return self.published.strftime("%Y-%m-%d")

    @property
    def time(self) -> str:
        return self.published.strftime("%Y-%m-%d %H:%M")

    @property
    def pubdate(self) -> str:
        return self.published.strftime(
            "%Y-%m-%d %H:%M:%S" if self.pubdate_seconds else "%Y-%m-%d %H:%M"
        )


def meta_tags(doc: Doc, site_name: str, domain: str, id_code: str) -> str:
    """Site tags on every page; the Column/Article tags only on the post-2019 template."""
    tags = [("SiteName", site_name), ("SiteDomain", domain), ("SiteIDCode", id_code)]
    if doc.new_template:
        column = "头部" if doc.wrong_column_name else doc.column.name
        tags += [
            ("ColumnName", column),
            ("ColumnType", doc.column.name),
            ("ArticleTitle", doc.title),
            ("PubDate", doc.pubdate),
            ("ContentSource", doc.source),
            ("Keywords", ""),
            ("Author", ""),
            ("Description", ""),
            ("Url", f"http://{domain}{doc.path()}"),
        ]
    return "\n".join(f'<meta name="{k}" content="{escape(v)}" />' for k, v in tags)


def column_meta_tags(column: Column, site_name: str, domain: str, id_code: str) -> str:
    tags = [
        ("SiteName", site_name),
        ("SiteDomain", domain),
        ("SiteIDCode", id_code),
        ("ColumnName", column.name),
        ("ColumnDescription", ""),
        ("ColumnKeywords", ""),
        ("ColumnType", column.name),
    ]
    return "\n".join(f'<meta name="{k}" content="{escape(v)}" />' for k, v in tags)
