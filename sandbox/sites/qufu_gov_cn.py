"""www.qufu.gov.cn (曲阜市人民政府), Hanweb jcms (portals.md §6).

The 政府信息公开年报 column `/col/col15260/index.html` embeds its first 45 records in a
`<datastore>` block; the rest come from `POST /module/web/jpage/dataproxy.jsp?startrecord=46&
endrecord=90&perpage=15` (form: columnid, unitid, webid, ... as the column's nextgroup link and
jpage script give them). Records link two kinds of page:
- department and city reports: articles `/art/{Y}/{M}/{D}/art_15260_{id}.html` (ZJEG_RSS markers,
  meta ArticleTitle/PubDate/ContentSource; ContentSource is empty on some, the 信息来源 marker
  still names the unit);
- street and town reports: the 信息公开 module's `/module/xxgk/xxgkAnnualReport.jsp?area={unit code}
  &fbtime={year}` pages (no article meta; 发布机构/发布日期 in a table). Seed 003 (鲁城街道 2017,
  a DOCX conversion) is `area=49417463-2&fbtime=2017`, with its DOCX attached through
  `/module/download/downfile.jsp` (served as application/octet-stream).
Quirks: one record links `http://www.qufu.gov.cn/...` absolutely (the others are relative), one
listed article answers 404, list titles are cut to 30 characters + "..." (the full title is in
the link's title attribute), non-report posts share the column, and an unknown area/year answers
200 with 暂无…年度报告信息. The site does not change between revisions.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from urllib.parse import quote

from sandbox import files
from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document
from sandbox.http import Request, Resource, Response
from sandbox.sites import hanweb
from sandbox.sites import qufu_theme as theme
from sandbox.sites.base import ManifestPart, Site, World
from sandbox.sites.bodyhtml import BodyStyle, render_body
from sandbox.sites.cms import CST, listed_manifest, notice, publish_moment, report_truth, utc
from sandbox.units import DEPT, Unit

PORTAL = "qufu_gov_cn"
DOMAIN = theme.DOMAIN
COLUMN = hanweb.JpageColumn(column_id=15260, unit_id=52351, web_id=33, web_name=theme.SITE_NAME)
COLUMN_NAME = "政府信息公开年报"
ANNUAL_REPORT_PATH = "/module/xxgk/xxgkAnnualReport.jsp"
DOWNLOAD_PATH = "/module/download/downfile.jsp"
SEED_AREA = "49417463-2"  # 鲁城街道's code in the module (portals.md §6, H)
SEED_PUBLISHED = datetime(2018, 1, 31, 16, 20, 11, tzinfo=CST)

NONREPORTS = (
    ("曲阜市人民政府信息公开指南", datetime(2019, 5, 14, 9, 30, 5, tzinfo=CST)),
    ("曲阜市2019年政府信息公开工作年度报表", datetime(2020, 2, 26, 15, 2, 41, tzinfo=CST)),
    ("曲阜市2021年政务公开工作要点", datetime(2021, 5, 8, 10, 44, 19, tzinfo=CST)),
    ("关于调整曲阜市政府信息公开工作机构的公告", datetime(2022, 9, 1, 8, 55, 3, tzinfo=CST)),
    ("曲阜市依申请公开政府信息办理流程", datetime(2023, 7, 20, 16, 12, 37, tzinfo=CST)),
    ("曲阜市2024年政务公开工作要点", datetime(2024, 4, 3, 11, 5, 50, tzinfo=CST)),
)


@dataclass
class Entry:
    """One record of the column and the page it links."""

    title: str
    published: datetime
    document: Document
    spec: ReportSpec | None
    path: str  # "/art/..." or "/module/xxgk/xxgkAnnualReport.jsp?area=...&fbtime=..."
    source_meta: str
    source_text: str
    style: BodyStyle
    article_id: int | None = None
    missing: bool = False  # listed, but the page answers 404
    absolute: bool = False  # listed as http://www.qufu.gov.cn/... instead of a relative link
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # href, text, format

    @property
    def date(self) -> str:
        return self.published.strftime("%Y-%m-%d")

    @property
    def href(self) -> str:
        return f"http://{DOMAIN}{self.path}" if self.absolute else self.path


class QufuSite(Site):
    portal = PORTAL
    hosts = (DOMAIN,)

    def __init__(self, world: World):
        super().__init__(world)
        self.entries = build_catalogue(world)
        self.by_path = {e.path: e for e in self.entries if not e.missing}
        self.downloads = {a[0]: (e, a) for e in self.entries for a in e.attachments}

    @cached_property
    def records(self) -> list[str]:
        return [hanweb.record_li(e.href, e.title, e.date) for e in self.entries]

    # -- routing ---------------------------------------------------------------------------
    def resource(self, request: Request) -> Resource | Response | None:
        path = request.path
        if path == "/":
            return Resource(theme.home_page(COLUMN_NAME, COLUMN.path).encode())
        if path in (COLUMN.path, COLUMN.path.removesuffix("index.html")):
            return self._column_page()
        if path == hanweb.PROXY_PATH:
            return self._dataproxy(request)
        if path == ANNUAL_REPORT_PATH:
            return self._annual_report(request)
        if path == DOWNLOAD_PATH:
            return self._download(request)
        entry = self.by_path.get(path)
        return self._article(entry) if entry else None

    def is_list(self, request: Request) -> bool:
        return request.path in (COLUMN.path, hanweb.PROXY_PATH)

    def _column_page(self) -> Resource:
        block = hanweb.column_block(COLUMN, self.records, len(self.records))
        html = theme.column_page(COLUMN_NAME, COLUMN.column_id, block)
        return Resource(html.encode(), last_modified=utc(self.entries[0].published))

    def _dataproxy(self, request: Request) -> Response:
        form = hanweb.proxy_form(request)
        span = hanweb.record_range(form, len(self.records))
        # A form for another column, or no range, gets what Hanweb sends: an empty recordset.
        chosen = [self.records[i] for i in span] if span and COLUMN.accepts(form) else []
        body = hanweb.datastore(COLUMN, chosen).encode()
        return Response(200, [("Content-Type", "text/xml;charset=UTF-8")], body)

    def _article(self, entry: Entry) -> Resource:
        html = theme.article_page(
            self._shown(entry), COLUMN_NAME, COLUMN.column_id, entry.article_id or 0
        )
        return Resource(html.encode(), last_modified=utc(entry.published))

    def _annual_report(self, request: Request) -> Resource:
        query = request.query
        area, year = query.get("area", [""])[-1], query.get("fbtime", [""])[-1]
        entry = self.by_path.get(annual_report_path(area, year))
        if entry is None or entry.spec is None:
            return Resource(theme.no_annual_report_page(year).encode())
        html = theme.annual_report_page(self._shown(entry), entry.spec.unit.full, entry.spec.year)
        return Resource(html.encode(), last_modified=utc(entry.published))

    def _download(self, request: Request) -> Response | None:
        found = self.downloads.get(f"{DOWNLOAD_PATH}?{request.target.partition('?')[2]}")
        if found is None:
            return None
        entry, (_href, text, fmt) = found
        headers = [
            ("Content-Type", "application/octet-stream"),  # as Hanweb's downfile.jsp sends it
            ("Content-Disposition", "attachment;filename=" + quote(text)),
        ]
        return Response(200, headers, _rendered(entry.document, fmt))

    def _shown(self, entry: Entry) -> theme.Article:
        return theme.Article(
            title=entry.title,
            published=entry.published.strftime("%Y-%m-%d %H:%M"),
            maketime=entry.published.strftime("%Y-%m-%d %H:%M:%S"),
            source_meta=entry.source_meta,
            source_text=entry.source_text,
            body_html=render_body(entry.document, entry.style),
            attachments=tuple((href, text) for href, text, _fmt in entry.attachments),
        )

    # -- truth -----------------------------------------------------------------------------
    def manifest(self) -> ManifestPart:
        return listed_manifest(self.entries, _url, _truth)


def build(world: World) -> list[Site]:
    return [QufuSite(world)]


def annual_report_path(area: str, year: int | str) -> str:
    return f"{ANNUAL_REPORT_PATH}?area={area}&fbtime={year}"


def area_code(unit: Unit) -> str:
    """A unit's code in the 信息公开 module: 8 digits, '-', a check digit (组织机构代码 style)."""
    if unit.full == "鲁城街道办事处":
        return SEED_AREA
    digest = int(hashlib.sha256(unit.full.encode()).hexdigest(), 16)
    return f"{10_000_000 + digest % 90_000_000}-{digest % 10}"


def _url(entry: Entry) -> str:
    return f"https://{DOMAIN}{entry.path}"


def _truth(entry: Entry) -> dict | None:
    if entry.spec is None:
        return None
    files = [
        {"url": f"http://{DOMAIN}{href}", "filename": text, "format": fmt}
        for href, text, fmt in entry.attachments
    ]
    aliases = [f"http://{DOMAIN}{entry.path}"]
    column = f"https://{DOMAIN}{COLUMN.path}"
    return report_truth(
        PORTAL,
        _url(entry),
        aliases,
        entry.title,
        entry.spec,
        entry.date,
        entry.document,
        files,
        column=column,
    )


_RENDERED: dict[tuple[str, str], bytes] = {}


def _rendered(document: Document, fmt: str) -> bytes:
    # Rendering a DOCX takes a moment; the bytes are a pure function of the document.
    key = (document.title, fmt)
    if key not in _RENDERED:
        _RENDERED[key] = files.render(document, fmt)
    return _RENDERED[key]


# -- the catalogue: which records exist, when published, what they link ------------------------


def build_catalogue(world: World) -> list[Entry]:
    """Every record of the column, newest first."""
    rng = random.Random(f"{world.seed}:{PORTAL}:site")
    specs = list(seeds_for(PORTAL)) + list(reports_for(PORTAL, world.seed, world.scale))
    entries = [_report_entry(spec, rng) for spec in specs]
    entries += [_nonreport_entry(title, when, rng) for title, when in NONREPORTS]
    _place(entries, rng)
    entries.sort(key=lambda e: e.published, reverse=True)
    return entries


def _report_entry(spec: ReportSpec, rng: random.Random) -> Entry:
    if spec.seed_key == "003":
        published = SEED_PUBLISHED
    else:
        published = publish_moment(spec.year + 1, rng.randint(1, 3), rng)
    meta = spec.unit.full if rng.random() < 0.8 else ""
    return Entry(
        spec.title, published, spec.document, spec, "", meta, spec.unit.full, BodyStyle.pick(rng)
    )


def _nonreport_entry(title: str, when: datetime, rng: random.Random) -> Entry:
    source = "曲阜市人民政府办公室"
    document = notice(
        title, "根据《中华人民共和国政府信息公开条例》，现将《{title}》予以公布。", source
    )
    return Entry(title, when, document, None, "", source, source, BodyStyle.pick(rng))


def _place(entries: list[Entry], rng: random.Random) -> None:
    """Give every entry its page: streets and towns in the 信息公开 module (one page per unit and
    year), the rest as articles with ids that grow with the publish time; then the quirks."""
    taken: set[str] = set()
    last_id = 0
    for entry in sorted(entries, key=lambda e: e.published):
        spec = entry.spec
        if spec is not None and spec.unit.kind != DEPT:
            path = annual_report_path(area_code(spec.unit), spec.year)
            if path not in taken:  # a repeated unit/year (large scales) becomes an article
                entry.path = path
                taken.add(path)
                continue
        entry.article_id = last_id = max(_article_id(entry.published, rng), last_id + 1)
        entry.path = hanweb.art_path(COLUMN.column_id, entry.article_id, entry.published)
    seed = next((e for e in entries if e.spec and e.spec.seed_key == "003"), None)
    if seed is not None:
        token = hashlib.sha256(seed.title.encode()).hexdigest()[:32]
        href = f"{DOWNLOAD_PATH}?classid=0&filename={token}.docx"
        seed.attachments.append((href, f"{seed.title}.docx", "docx"))
    articles = [e for e in entries if e.spec and e.article_id]
    rng.choice(articles).missing = True
    rng.choice([e for e in articles if not e.missing]).absolute = True


def _article_id(published: datetime, rng: random.Random) -> int:
    # Hanweb article ids grow with time: ~2.41M at the start of 2015, ~3.95M at the end of 2026.
    start = datetime(2015, 1, 1, tzinfo=CST)
    share = (published - start) / timedelta(days=365.25 * 12)
    return int(2_410_000 + share * 1_540_000) + rng.randint(0, 999)
