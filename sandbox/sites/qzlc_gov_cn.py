"""www.qzlc.gov.cn (泉州市鲤城区人民政府, TRS static publishing): reports scattered over many columns,
as on the real portal (portals.md §5, §8):

- `/xxgk/zfxxgk/qzfxxgknb/qzfndbg/` 区政府年度报告 (the district government, 2 list pages) and
  `/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/` 区政府部门年度报告 (the 区政府办公室's reports);
- `/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/`: notices (3 list pages); one, 泉鲤政办〔2024〕3号,
  forwards the district's 2023 report (its text embedded, its PDF attached), the only place it
  exists; two others are about compiling reports (泉鲤政办〔2017〕168号 cited by seed 004) and are not reports;
- unit directories `/zwgk/bm/` (部门) and `/zwgk/zj/` (街道) linking each unit's folder; a
  department has `nb/` and `lcqzfxxgkml/30yzdgkdqtzfxx/`, a street `nb/` and
  `lcqzfxxgkml/30gxzd/` (mostly non-report posts, some lists 2 pages long);
- lists `index.htm`, `index_1.htm`, ... paged by `createPageHTML(n, cur, "index", "htm")` (10 a
  page, newest first, relative links `./YYYYMM/tYYYYMMDD_ID.htm`); documents in the month folder,
  attachments `P0YYYYMMDD….pdf|docx` beside them (some served as application/octet-stream).

Where a spider finds the facts: title = meta ArticleTitle / `h1.article-title` (pre-2019
template: `div.xl_title`, no Article* meta tags); unit = 发布机构 of the metadata list (公开目录
columns, 2019 on), else 来源 (full name, or 本站: then the title); date = meta PubDate / `时间:`
(seed 004: 时间 2018-01-02 12:03 while its URL says t20180103); year = the title's `YYYY年` (one
title has none: the year before publication).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.corpus import ReportSpec
from sandbox.files import render, truth_for
from sandbox.http import HTML_UTF8, Request, Resource, Response
from sandbox.sites import qzlc_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import render_body
from sandbox.sites.cms import CST, html_type, listed_manifest, report_truth
from sandbox.sites.qzlc_catalogue import PAGE_SIZE, PORTAL, Catalogue
from sandbox.sites.trs import Column, Doc, page_name

DOMAIN = theme.DOMAIN


class QzlcSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        catalogue = Catalogue(world)
        self.columns: dict[str, Column] = catalogue.columns
        self.listed: dict[str, list[Doc]] = catalogue.listed
        self.directories = catalogue.directories
        self.docs = {d.path(): d for ds in self.listed.values() for d in ds if not d.missing}
        self.files = {d.folder() + f.name: (d, f) for d in self.docs.values() for f in d.files}
        self._rendered: dict[str, bytes] = {}

    # -- routing ---------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path in self.docs:
            return self._detail(self.docs[path])
        if path in self.files:
            return self._file(path)
        folder, _, name = path.rpartition("/")
        folder += "/"
        if folder in self.columns:
            return self._list(self.columns[folder], name)
        if folder in self.directories and name in ("", "index.htm"):
            return Resource(self.directories[folder].encode(), HTML_UTF8)
        return None

    def is_list(self, request: Request) -> bool:
        folder = request.path.rpartition("/")[0] + "/"
        return folder in self.columns or folder in self.directories

    def _detail(self, doc: Doc) -> Resource:
        body = render_body(doc.document, doc.extra["style"])
        page = theme.detail_page if doc.new_template else theme.old_detail_page
        content_type = html_type(doc.no_charset)
        return Resource(page(doc, body).encode(), content_type, doc.published.astimezone(UTC))

    def _file(self, path: str) -> Resource:
        doc, file = self.files[path]
        if path not in self._rendered:  # rendering a PDF takes a moment: once per process
            self._rendered[path] = render(file.document, file.fmt)
        return Resource(self._rendered[path], file.content_type, doc.published.astimezone(UTC))

    def _list(self, column: Column, name: str) -> Resource | None:
        docs = self.listed[column.path]
        pages = max(1, -(-len(docs) // PAGE_SIZE))
        names = [page_name(k) for k in range(pages)]
        if name not in ("", *names):
            return None
        k = names.index(name) if name else 0
        html = theme.list_page(column, docs[k * PAGE_SIZE : (k + 1) * PAGE_SIZE], k, pages)
        updated = max((d.published for d in docs), default=datetime(2016, 1, 1, tzinfo=CST))
        return Resource(html.encode(), HTML_UTF8, updated.astimezone(UTC))

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        docs = [doc for docs in self.listed.values() for doc in docs]  # each in its own column
        return listed_manifest(docs, _url, _truth)


def _url(doc: Doc) -> str:
    return f"https://{DOMAIN}{doc.path()}"


def _truth(doc: Doc) -> dict | None:
    if doc.kind == "nonreport":
        return None
    spec: ReportSpec = doc.extra["spec"]
    folder = f"https://{DOMAIN}{doc.folder()}"
    files = [
        {
            "url": folder + f.name,
            "filename": f.label,
            "format": f.fmt,
            "content_type": f.content_type,
            "text": truth_for(f.document, f.fmt),
        }
        for f in doc.files
    ]
    aliases = [f"http://{DOMAIN}{doc.path()}"]
    return report_truth(
        PORTAL,
        _url(doc),
        aliases,
        doc.title,
        spec,
        doc.date,
        doc.document,
        files,
        column=f"https://{DOMAIN}{doc.column.path}",
    )


def build(world: World) -> list[Site]:
    return [QzlcSite(world)]
