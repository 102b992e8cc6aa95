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

Every report is reachable from the home page: 信息公开 / 政务公开 channels, the directories, each
unit's folder; 鲤城要闻 (`/xwzx/lcyw/`) is an ordinary column beside them. Other variants move the
units and their columns (qzlc_layout.py), change rows a page, phrase titles otherwise, add
non-reports and pages whose charset header lies, and may give one column (区政府年度报告) the
newer template of the cluster (the real 平潭 page, portals.md §10.1): 10 entries in its HTML, the
rest loaded by script from an endpoint whose answer is unknown, no pager. The manifest marks the
reports behind that script unreachable by documented means and expects the crawl to say
`list incomplete: shows 10 of N`.

Where a spider finds the facts: title = meta ArticleTitle / `h1.article-title` (pre-2019
template: `div.xl_title`, no Article* meta tags); unit = 发布机构 of the metadata list (公开目录
columns, 2019 on), else 来源 (full name, or 本站: then the title); date = meta PubDate / `时间:`
(seed 004: 时间 2018-01-02 12:03 while its URL says t20180103); year = the title's `YYYY年` (one
title has none: the year before publication).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sandbox.corpus import ReportSpec
from sandbox.files import render, truth_for
from sandbox.http import HTML_UTF8, Request, Resource, Response
from sandbox.sites import charset
from sandbox.sites import qzlc_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import render_body
from sandbox.sites.cms import CST, html_type, listed_manifest, report_truth
from sandbox.sites.qzlc_catalogue import NEWS, PORTAL, Catalogue
from sandbox.sites.trs import Column, Doc, page_name

DOMAIN = theme.DOMAIN
PREPAGE = 10  # entries the newer template's static HTML shows (平潭: prepage 10)


class QzlcSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        catalogue = Catalogue(world)
        self.plan = catalogue.plan
        self.columns: dict[str, Column] = catalogue.columns
        self.listed: dict[str, list[Doc]] = catalogue.listed
        self.directories = catalogue.directories
        self.news = catalogue.news
        self.docs = {d.path(): d for ds in self.listed.values() for d in ds if not d.missing}
        self.docs.update((d.path(), d) for d in self.news)
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
        if folder == NEWS.path:
            return self._list(NEWS, name)
        if folder in self.directories and name in ("", "index.htm"):
            return Resource(self.directories[folder].encode(), HTML_UTF8)
        return None

    def is_list(self, request: Request) -> bool:
        folder = request.path.rpartition("/")[0] + "/"
        return folder in self.columns or folder in self.directories or folder == NEWS.path

    def _detail(self, doc: Doc) -> Resource:
        body = render_body(doc.document, doc.extra["style"])
        page = theme.detail_page if doc.new_template else theme.old_detail_page
        data, content_type = charset.page_bytes(
            page(doc, body), doc.extra.get("lie"), html_type(doc.no_charset)
        )
        return Resource(data, content_type, doc.published.astimezone(UTC))

    def _file(self, path: str) -> Resource:
        doc, file = self.files[path]
        if path not in self._rendered:  # rendering a PDF takes a moment: once per process
            self._rendered[path] = render(file.document, file.fmt)
        return Resource(self._rendered[path], file.content_type, doc.published.astimezone(UTC))

    def _list(self, column: Column, name: str) -> Resource | None:
        docs = self.news if column is NEWS else self.listed[column.path]
        updated = max((d.published for d in docs), default=datetime(2016, 1, 1, tzinfo=CST))
        if column.path == self.plan.script_list:
            if name not in ("", "index.htm"):
                return None
            html = theme.script_list_page(column, docs[:PREPAGE], len(docs), _chnl(column), PREPAGE)
            return Resource(html.encode(), HTML_UTF8, updated.astimezone(UTC))
        size = self.plan.page_size
        pages = max(1, -(-len(docs) // size))
        names = [page_name(k) for k in range(pages)]
        if name not in ("", *names):
            return None
        k = names.index(name) if name else 0
        html = theme.list_page(column, docs[k * size : (k + 1) * size], k, pages)
        return Resource(html.encode(), HTML_UTF8, updated.astimezone(UTC))

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        docs = [doc for docs in self.listed.values() for doc in docs]  # each in its own column
        hidden = self._hidden()
        part = listed_manifest(docs, _url, lambda d: _truth(d, d.id not in hidden))
        for path, column in self.columns.items():
            if not any(d.kind == "report" for d in self.listed[path]):
                continue
            how = f"trs, {self.plan.page_size} a page"
            if path == self.plan.script_list:
                how = f"script (list2.trsapi), {PREPAGE} static entries"
            part.columns.append(
                {
                    "portal": PORTAL,
                    "url": f"https://{DOMAIN}{path}",
                    "name": column.name,
                    "how": how,
                }
            )
        if self.plan.script_list:
            shown, total = PREPAGE, len(self.listed[self.plan.script_list])
            url = f"https://{DOMAIN}{self.plan.script_list}"
            part.warnings.append(
                {
                    "portal": PORTAL,
                    "kind": "list incomplete",
                    "url": url,
                    "shows": min(shown, total),
                    "declares": total,
                    "message": f"list incomplete: shows {min(shown, total)} of {total}",
                }
            )
        return part

    def _hidden(self) -> set[int]:
        """Documents only the script-continued list would show (none in other variants)."""
        if not self.plan.script_list:
            return set()
        return {d.id for d in self.listed[self.plan.script_list][PREPAGE:]}


def _chnl(column: Column) -> int:
    """A TRS channel id for a column (the newer template names it in ChnlId and classsql)."""
    return 1000 + int(hashlib.sha256(column.path.encode()).hexdigest(), 16) % 9000


def _url(doc: Doc) -> str:
    return f"https://{DOMAIN}{doc.path()}"


def _truth(doc: Doc, reachable: bool = True) -> dict | None:
    if doc.kind != "report":
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
    entry = report_truth(
        PORTAL,
        _url(doc),
        aliases,
        doc.title,
        spec,
        doc.date,
        doc.document,
        files,
        column=f"https://{DOMAIN}{doc.column.path}",
        reachable=reachable,
    )
    if doc.extra.get("lie"):
        entry["charset_lie"] = charset.truth(doc.extra["lie"])
    return entry


def build(world: World) -> list[Site]:
    return [QzlcSite(world)]
