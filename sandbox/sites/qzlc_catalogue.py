"""What www.qzlc.gov.cn holds: its columns, the documents in each (reports placed where the real
portal puts them, non-report posts around them), the directory pages, and every document's
page quirks. Deterministic from the World's seed; see qzlc_gov_cn.py for the site itself.

Pinned facts (portals.md §5, H): the URLs t20260128_3262168 (区政府 2025), t20220114_2684136
(区政府办公室 2021), swj/nb t20220107_2681142 (商务局 2021), seed 004's t20180103_1277517 and the
notice t20240122_2996819 (泉鲤政办〔2024〕3号); the 科技局 2022 page's metadata (QZ01304-3000-2023-
00001, 泉鲤政科〔2023〕1号, 来源:鲤城区科技局 时间:2023-01-10 09:04); 开元 2022 in nb/, 海滨 2023 and
常泰 2024 in lcqzfxxgkml/30gxzd/. Other dates, ids and names are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sandbox.corpus import ReportSpec, reports_for, seeds_for
from sandbox.document import Document, Para
from sandbox.sites import qzlc_theme as theme
from sandbox.sites.base import World
from sandbox.sites.bodyhtml import BodyStyle
from sandbox.sites.cms import CST
from sandbox.sites.qzlc_layout import (
    DIRECTORY_NAMES,
    NB,
    STREET_SLUGS,
    Layout,
    UnitPlace,
    layout,
)
from sandbox.sites.trs import CONTENT_TYPES, OCTET, Column, Doc, File, file_name, new_id
from sandbox.textgen import generate
from sandbox.titles import negative_titles
from sandbox.units import DEPT, DISTRICTS, STREET, Unit
from sandbox.variants import corpus_seed, draw, varied

PORTAL = "qzlc_gov_cn"
DISTRICT = DISTRICTS[PORTAL]
PAGE_SIZE = 10
# The district government itself: not a 部门 of sandbox.units, but it publishes a report a year.
GOV = Unit("鲤城区人民政府", DEPT, "鲤城区人民政府")

# How 来源 abbreviates a department (portals.md §5: 来源:鲤城区科技局 beside 泉州市鲤城区科学技术局).
SHORT = {
    "发展和改革局": "发改局",
    "科学技术局": "科技局",
    "农业农村和水利局": "农水局",
    "卫生健康局": "卫健局",
    "市场监督管理局": "市场监管局",
    "人民政府办公室": "政府办",
}
# 文号 prefixes: 泉鲤金办〔2018〕1号 (seed 004), 泉鲤政科〔2023〕1号 and 泉鲤政办〔2024〕3号 (§5).
DOC_NO_PREFIX = {
    **{street: f"泉鲤{street[0] if street[0] != '鲤' else street[1]}办" for street in STREET_SLUGS},
    "科学技术局": "泉鲤政科",
    "商务局": "泉鲤商务",
    "人民政府办公室": "泉鲤政办",
    "鲤城区人民政府": "泉鲤政",
}
SIGNERS = [
    "孙刚涌",
    "王建华",
    "陈志明",
    "林晓燕",
    "黄文斌",
    "吴少华",
    "蔡振聪",
    "庄惠玲",
    "许家辉",
    "郑丽清",
]

XXGK = (("首页", "/"), ("信息公开", "/xxgk/"), ("政府信息公开", "/xxgk/zfxxgk/"))
NB_ROOT = (*XXGK, ("区政府信息公开年报", "/xxgk/zfxxgk/qzfxxgknb/"))
QZFNDBG = Column(
    "/xxgk/zfxxgk/qzfxxgknb/qzfndbg/",
    "区政府年度报告",
    (*NB_ROOT, ("区政府年度报告", "/xxgk/zfxxgk/qzfxxgknb/qzfndbg/")),
)
QZFBNDBG = Column(
    "/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/",
    "区政府部门年度报告",
    (*NB_ROOT, ("区政府部门年度报告", "/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/")),
)
NOTICES = Column(
    "/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/",
    "应主动公开的其他政府信息",
    (
        *XXGK,
        ("政府信息公开目录", "/xxgk/zfxxgk/lcqzfxxgkml/"),
        ("应主动公开的其他政府信息", "/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/"),
    ),
)
# The notice that carries the district's 2023 report (portals.md §5, H; the time is invented).
FORWARD_YEAR, FORWARD_ID, FORWARD_DOC_NO = 2023, 2996819, "泉鲤政办〔2024〕3号"
FORWARD_PUBLISHED = datetime(2024, 1, 22, 16, 5, tzinfo=CST)
FORWARD_TITLE = "泉州市鲤城区人民政府办公室关于转发《{report}》的通知"

# Notices of the central 公开目录 column: (title, published). The last two are about compiling
# reports: their titles name the 年度报告 but they are not one.
CENTRAL_NOTICES = (
    ("泉州市鲤城区人民政府关于公布区级行政许可事项清单的通知", datetime(2016, 5, 12, 10, 3)),
    ("泉州市鲤城区人民政府关于公布区级权责清单的通知", datetime(2016, 9, 27, 15, 12)),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2017年政务公开工作要点的通知",
        datetime(2017, 5, 9, 9, 20),
    ),
    ("泉州市鲤城区人民政府关于调整部分行政审批事项的通知", datetime(2017, 8, 15, 10, 40)),
    ("泉州市鲤城区人民政府办公室关于加强政务新媒体管理工作的通知", datetime(2019, 8, 22, 16, 5)),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2021年政务公开工作要点的通知",
        datetime(2021, 4, 28, 11, 36),
    ),
    ("泉州市鲤城区人民政府关于公布区级公共服务事项清单的通知", datetime(2022, 6, 9, 15, 50)),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2022年政务公开工作要点的通知",
        datetime(2022, 4, 29, 9, 2),
    ),
    (
        "泉州市鲤城区人民政府办公室关于开展基层政务公开标准化规范化工作的通知",
        datetime(2023, 9, 14, 10, 27),
    ),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2024年政务公开工作要点的通知",
        datetime(2024, 4, 23, 16, 11),
    ),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2018年政务公开工作要点的通知",
        datetime(2018, 4, 20, 9, 41),
    ),
    ("泉州市鲤城区人民政府办公室关于开展政府网站普查工作的通知", datetime(2018, 9, 3, 15, 20)),
    ("泉州市鲤城区人民政府关于调整区政务公开工作领导小组成员的通知", datetime(2019, 3, 8, 11, 2)),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2020年政务公开工作要点的通知",
        datetime(2020, 5, 6, 16, 30),
    ),
    (
        "泉州市鲤城区人民政府办公室关于做好政府信息公开申请办理工作的通知",
        datetime(2021, 6, 17, 9, 15),
    ),
    ("鲤城区2022年政府信息公开工作年度报表", datetime(2023, 1, 30, 10, 44)),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2023年政务公开工作要点的通知",
        datetime(2023, 4, 25, 15, 8),
    ),
    (
        "泉州市鲤城区人民政府关于公布第一批区级重大行政决策事项目录的通知",
        datetime(2024, 3, 12, 9, 30),
    ),
    (
        "泉州市鲤城区人民政府办公室关于印发鲤城区2025年政务公开工作要点的通知",
        datetime(2025, 4, 18, 10, 12),
    ),
    (
        "泉州市鲤城区人民政府办公室关于做好2017年政务公开工作要点落实情况自查及政府信息公开工作"
        "年度报告编制发布有关事项的通知",
        datetime(2017, 12, 20, 17, 36),
    ),
    (
        "泉州市鲤城区人民政府办公室关于报送2021年度政府信息公开工作年度报告的通知",
        datetime(2021, 12, 23, 9, 48),
    ),
)
NEWS = Column(
    "/xwzx/lcyw/", "鲤城要闻", (("首页", "/"), ("新闻中心", "/xwzx/"), ("鲤城要闻", "/xwzx/lcyw/"))
)
NEWS_TITLES = (
    "鲤城区召开2025年区政府第一次全体会议",
    "鲤城区推进古城保护与活化利用",
    "鲤城区开展政务公开日活动",
    "鲤城区举行重点项目集中开工仪式",
    "鲤城区召开优化营商环境推进会",
    "鲤城区开展防汛防台风应急演练",
    "鲤城区举办“政策进社区”宣讲活动",
    "鲤城区召开安全生产工作会议",
)
QZFNDBG_NONREPORTS = (
    ("泉州市鲤城区人民政府政府信息公开指南", datetime(2019, 6, 28, 16, 2)),
    ("鲤城区2019年政府信息公开工作年度报表", datetime(2020, 2, 26, 10, 18)),
)
UNIT_NOTICES = {
    STREET: (
        "{name}关于开展{year}年度城乡居民医疗保险参保缴费工作的通知",
        "{name}{year}年部门预算公开",
        "{name}{year}年部门决算公开",
        "{name}关于{year}年度低保对象动态管理情况的公示",
        "{name}{year}年政务公开工作要点",
        "{name}关于做好{year}年防汛防台风工作的通知",
        "{name}{year}年度“三公”经费预算情况说明",
        "{name}关于公布{year}年度权责清单的通告",
        "{name}{year}年政府信息公开工作年度报表",
        "{name}关于{year}年度城市管理工作的实施方案",
    ),
    DEPT: (
        "{name}{year}年部门预算公开",
        "{name}{year}年部门决算公开",
        "{name}{year}年政务公开工作要点",
        "{name}关于公布{year}年度行政执法事项清单的通知",
        "{name}{year}年度“双随机、一公开”抽查计划",
    ),
}


@dataclass(frozen=True)
class Pin:
    """A report whose place (and sometimes URL and metadata) is known from the real portal."""

    unit: str  # Unit.full
    year: int
    column: str  # column path, or (no leading /) a column of the unit's folder: "nb/"
    published: datetime
    id: int | None = None
    fields: tuple[tuple[str, object], ...] = ()  # Doc fields as the real page shows them


PINS = (
    Pin("鲤城区人民政府", 2025, QZFNDBG.path, datetime(2026, 1, 28, 16, 21, tzinfo=CST), 3262168),
    Pin(
        "鲤城区人民政府办公室",
        2021,
        QZFBNDBG.path,
        datetime(2022, 1, 14, 10, 37, tzinfo=CST),
        2684136,
    ),
    Pin("鲤城区商务局", 2021, "nb/", datetime(2022, 1, 7, 9, 12, tzinfo=CST), 2681142),
    Pin(
        "鲤城区科学技术局",
        2022,
        "lcqzfxxgkml/30yzdgkdqtzfxx/",
        datetime(2023, 1, 10, 9, 4, tzinfo=CST),
        fields=(
            ("index_no", "QZ01304-3000-2023-00001"),
            ("doc_no", "泉鲤政科〔2023〕1号"),
            ("made", date(2023, 1, 10)),
            ("source", "鲤城区科技局"),
        ),
    ),
    Pin("开元街道办事处", 2022, "nb/", datetime(2023, 1, 16, 15, 40, tzinfo=CST)),
    Pin(
        "海滨街道办事处",
        2023,
        "lcqzfxxgkml/30gxzd/",
        datetime(2024, 1, 19, 10, 2, tzinfo=CST),
    ),
    Pin(
        "常泰街道办事处",
        2024,
        "lcqzfxxgkml/30gxzd/",
        datetime(2025, 1, 21, 11, 15, tzinfo=CST),
    ),
)
# 江南街道's 2023 report in its 25gzdtt/ column (a real URL, §5): where a variant gives 江南
# that column (the reference world never did).
VARIANT_PINS = (
    Pin("江南街道办事处", 2023, "lcqzfxxgkml/25gzdtt/", datetime(2024, 1, 25, 9, 48, tzinfo=CST)),
)
SEED_PAGE = {  # seed 004 on its real page (portals.md §0.3, §5)
    "id": 1277517,
    "column": "nb/",  # of 金龙街道 (jljd)
    "created": date(2018, 1, 3),
    "published": datetime(2018, 1, 2, 12, 3, tzinfo=CST),
    "source": "鲤城区金龙街道办事处",
}


class Catalogue:
    """Every column with its documents (newest first), and the directory pages."""

    def __init__(self, world: World):
        self.world = world
        self.plan = layout(world)
        self.seed = corpus_seed(world)
        self.rng = random.Random(f"{world.seed}:{PORTAL}:site")
        self.columns = _all_columns(self.plan)
        self.pins = PINS + (self._variant_pins() if varied(world) else ())
        self.used_ids = {p.id for p in self.pins if p.id} | {SEED_PAGE["id"], FORWARD_ID}
        docs = self._reports() + self._nonreports()
        self._attach_files([d for d in docs if d.kind == "report"])
        self._mark_missing(docs)
        if self.plan.lies:
            self._tell_lies([d for d in docs if d.kind == "report"])
        self.listed = {path: [] for path in self.columns}
        for doc in sorted(docs, key=lambda d: (d.published, d.id), reverse=True):
            self.listed[doc.column.path].append(doc)
        self.directories = _directories(self.plan)
        self.news = self._news()

    def _variant_pins(self) -> tuple[Pin, ...]:
        return tuple(p for p in VARIANT_PINS if self._pin_column(p) is not None)

    def _pin_column(self, pin: Pin) -> Column | None:
        if pin.column.startswith("/"):
            return self.columns[pin.column]
        place = self.plan.place(_unit_named(pin.unit).name)
        return self.columns.get(place.folder + pin.column) if place else None

    # reports
    def _reports(self) -> list[Doc]:
        pinned = {(p.unit, p.year) for p in self.pins} | {(GOV.full, FORWARD_YEAR)}
        docs = [self._seed_doc(), self._forward_doc()]
        docs += [self._pinned_doc(pin) for pin in self.pins]
        gov_years = [y for y in range(2014, 2026) if (GOV.full, y) not in pinned]
        docs += [self._doc(self._gov_spec(y), QZFNDBG) for y in gov_years]
        for spec in reports_for(PORTAL, self.seed, self.world.scale):
            column = self._column_for(spec)
            if (spec.unit.full, spec.year) not in pinned and column is not None:
                docs.append(self._doc(self._retitled(spec), column))
        self._drop_one_title_year(docs)
        return docs

    def _retitled(self, spec: ReportSpec) -> ReportSpec:
        if self.plan.titles is None:
            return spec
        rng = draw(self.world, PORTAL, f"title:{spec.unit.full}:{spec.year}:{spec.index}")
        return self.plan.titles.retitled(spec, DISTRICT.long_name(spec.unit), rng)

    def _gov_spec(self, year: int) -> ReportSpec:
        rng = random.Random(f"{self.seed}:{PORTAL}:gov:{year}")
        document = generate(DISTRICT, GOV, year, rng)
        title = f"泉州市鲤城区人民政府{year}年政府信息公开工作年度报告"
        return self._retitled(ReportSpec(PORTAL, GOV, year, Document(title, document.blocks), -1))

    def _unit_spec(self, unit_full: str, year: int) -> ReportSpec:
        if unit_full == GOV.full:
            return self._gov_spec(year)
        unit = _unit_named(unit_full)
        rng = random.Random(f"{self.seed}:{PORTAL}:pin:{unit_full}:{year}")
        spec = ReportSpec(PORTAL, unit, year, generate(DISTRICT, unit, year, rng), -1)
        return self._retitled(spec)

    def _column_for(self, spec: ReportSpec) -> Column | None:
        """The column a unit's report goes to; None where this world's unit publishes none."""
        rng = random.Random(f"{self.world.seed}:{PORTAL}:place:{spec.index}")
        if spec.unit.name == "人民政府办公室":
            return QZFBNDBG
        place = self.plan.place(spec.unit.name)
        if place is None or not place.reports:
            return None
        late = spec.year >= 2020 and rng.random() < place.late_share
        sub = place.catalogue[0] if late or not place.nb else NB[0]
        return self.columns[place.folder + sub]

    def _seed_doc(self) -> Doc:
        (spec,) = seeds_for(PORTAL)
        # The seed is a DOCX conversion: its **bold** marks are the converter's, not the page's.
        blocks = [
            Para(b.text.replace("**", "")) if isinstance(b, Para) else b
            for b in spec.document.blocks
        ]
        spec = replace(spec, document=Document(spec.title, blocks))
        place = self.plan.place("金龙街道")
        assert place is not None
        column = self.columns[place.folder + SEED_PAGE["column"]]
        doc = self._doc(spec, column, SEED_PAGE["published"], SEED_PAGE["id"], doc_no="")
        doc.created, doc.source = SEED_PAGE["created"], SEED_PAGE["source"]
        return doc

    def _pinned_doc(self, pin: Pin) -> Doc:
        spec = self._unit_spec(pin.unit, pin.year)
        fields = dict(pin.fields)
        column = self._pin_column(pin)
        assert column is not None, pin
        doc = self._doc(spec, column, pin.published, pin.id, fields.pop("doc_no", None))
        for name, value in fields.items():
            setattr(doc, name, value)
        return doc

    def _forward_doc(self) -> Doc:
        """The notice 泉鲤政办〔2024〕3号: the notice's own text, then the report it forwards."""
        report = self._gov_spec(FORWARD_YEAR)
        title = FORWARD_TITLE.format(report=report.title)
        when = FORWARD_PUBLISHED
        notice = [
            Para(FORWARD_DOC_NO),
            Para("各街道办事处，区直各单位："),
            Para(
                f"现将《{report.title}》转发给你们，请结合工作实际，认真抓好政府信息公开工作各项任务的"
                "落实，进一步提升政务公开质量和实效。"
            ),
            Para("泉州市鲤城区人民政府办公室"),
            Para(f"{when.year}年{when.month}月{when.day}日"),
            Para("（此件主动公开）"),
            Para(report.title),
        ]
        spec = replace(report, document=Document(title, notice + list(report.document.blocks)))
        doc = self._doc(spec, NOTICES, when, FORWARD_ID, doc_no="")
        doc.publisher, doc.doc_no = "泉州市鲤城区人民政府办公室", FORWARD_DOC_NO
        doc.source = "鲤城区人民政府办公室"
        doc.files = [_file(report.document, "pdf", when.date(), self.rng, OCTET_NEVER)]
        doc.extra["forwards"] = report.title
        return doc

    def _doc(
        self,
        spec: ReportSpec,
        column: Column,
        published: datetime | None = None,
        doc_id: int | None = None,
        doc_no: str | None = None,
    ) -> Doc:
        """`doc_no`: None = decided here (some bodies start with one), "" = none, else that one."""
        key = f"{self.world.seed}:{PORTAL}:doc:{spec.unit.full}:{spec.year}:{spec.index}"
        rng = random.Random(key)
        published = published or _publish_moment(spec.year, rng)
        new = published >= datetime(2019, 1, 1, tzinfo=CST)
        if doc_no is None and spec.seed_key is None and _wants_doc_no(spec.unit, published, rng):
            doc_no = f"{_doc_no_prefix(spec.unit)}〔{published.year}〕{rng.randint(1, 12)}号"
        document = spec.document
        if doc_no:
            document = _with_doc_no(document, doc_no, rng.choice(SIGNERS), rng.random() < 0.5)
        publisher = _official_name(spec.unit) if new and column.catalogue else ""
        doc = Doc(
            id=doc_id or new_id(published, rng, self.used_ids),
            column=column,
            title=document.title,
            published=published,
            created=published.date(),
            document=document,
            kind="report",
            source=_source(spec.unit, bool(publisher), rng),
            publisher=publisher,
            index_no=_index_no(spec.unit, published, rng) if publisher else "",
            doc_no=doc_no or "",
            made=published.date() - timedelta(days=rng.randint(0, 3)) if publisher else None,
            new_template=new,
            pubdate_seconds=rng.random() < 0.6,
            wrong_column_name=rng.random() < 0.1,
            no_charset=rng.random() < 0.15,
            style_block=rng.random() < 0.5,
        )
        doc.extra.update(spec=spec, style=BodyStyle.pick(rng))
        return doc

    def _drop_one_title_year(self, docs: list[Doc]) -> None:
        """One street titles its report without the year (the year is the one before publication)."""
        candidates = [
            d
            for d in docs
            if d.extra["spec"].index >= 0 and d.extra["spec"].unit.kind == STREET and d.publisher
        ]
        doc = self.rng.choice(candidates)
        title = f"{doc.extra['spec'].unit.full}政府信息公开工作年度报告"
        doc.title, doc.document = title, Document(title, doc.document.blocks)

    def _attach_files(self, reports: list[Doc]) -> None:
        """One report is only a note plus its DOCX; a few others carry a PDF or DOCX copy."""
        plain = [
            d for d in reports if d.extra["spec"].index >= 0 and d.new_template and not d.files
        ]
        only = self.rng.choice([d for d in plain if d.extra["spec"].unit.kind == DEPT])
        only.files = [_file(only.document, "docx", only.created, self.rng, OCTET_ALWAYS)]
        note = f"现将《{only.title}》予以公开，详见附件。"
        only.document = Document(only.title, [Para(note)])
        only.extra["attachment_only"] = True
        for doc in plain:
            if doc is not only and self.rng.random() < 0.2:
                fmt = self.rng.choice(("pdf", "pdf", "docx"))
                doc.files = [_file(doc.document, fmt, doc.created, self.rng, self.rng.random())]

    def _mark_missing(self, docs: list[Doc]) -> None:
        """One listed street report whose page was deleted: the list still links it (404)."""
        streets = [
            d
            for d in docs
            if d.kind == "report"
            and d.extra["spec"].index >= 0
            and d.extra["spec"].unit.kind == STREET
            and not d.files
            and d.column.path.endswith("/nb/")
        ]
        self.rng.choice(streets).missing = True

    # non-reports
    def _nonreports(self) -> list[Doc]:
        docs = [self._nonreport(t, w.replace(tzinfo=CST), NOTICES) for t, w in CENTRAL_NOTICES]
        docs += [self._nonreport(t, w.replace(tzinfo=CST), QZFNDBG) for t, w in QZFNDBG_NONREPORTS]
        for unit in DISTRICT.units:
            place = self.plan.place(unit.name)
            if place is not None:
                docs += self._unit_nonreports(unit, place)
        return docs + self._negatives()

    def _negatives(self) -> list[Doc]:
        """A variant's non-reports (工作要点, 年度工作报表, 法治政府建设年度报告 ...) in report columns."""
        if not self.plan.negatives:
            return []
        rng = draw(self.world, PORTAL, "negatives")
        columns = [QZFNDBG, QZFBNDBG] + [
            self.columns[p.folder + sub] for p in self.plan.places if p.reports for sub, _ in p.subs
        ]
        years = range(2016, 2025)
        docs = []
        for title, year in negative_titles("泉州市鲤城区", years, rng, self.plan.negatives):
            when = datetime(year + 1, rng.randint(1, 11), rng.randint(1, 28), 9, 15, tzinfo=CST)
            docs.append(self._nonreport(title, when, rng.choice(columns)))
        return docs

    def _tell_lies(self, reports: list[Doc]) -> None:
        """Report pages whose charset header lies (charset.py), one lie each."""
        rng = draw(self.world, PORTAL, "lies")
        plain = [
            d
            for d in reports
            if d.extra["spec"].index >= 0 and not d.files and not d.missing and d.new_template
        ]
        for lie, doc in zip(self.plan.lies, rng.sample(plain, len(self.plan.lies)), strict=True):
            doc.extra["lie"] = lie

    def _news(self) -> list[Doc]:
        """An ordinary column beside the reports: 鲤城要闻 (never reports, never in the manifest)."""
        rng = random.Random(f"{self.world.seed}:{PORTAL}:news")
        docs = []
        for i, title in enumerate(NEWS_TITLES):
            when = datetime(2025, 1 + i, 3 + 2 * i, 10, 30, tzinfo=CST)
            doc = self._nonreport(title, when, NEWS, rng)
            doc.kind = "news"
            docs.append(doc)
        return sorted(docs, key=lambda d: (d.published, d.id), reverse=True)

    def _unit_nonreports(self, unit: Unit, place: UnitPlace) -> list[Doc]:
        rng = random.Random(f"{self.world.seed}:{PORTAL}:notices:{unit.full}")
        catalogue = place.folder + place.catalogue[0]
        nb = place.folder + (NB[0] if place.nb else place.catalogue[0])
        count = rng.randint(5, 14) if unit.kind == STREET else rng.randint(2, 6)
        name = f"鲤城区{unit.full}" if unit.kind == STREET else unit.full
        titles: dict[str, datetime] = {}
        while len(titles) < count:
            moment = datetime(2016, 1, 1, tzinfo=CST) + timedelta(minutes=rng.randint(0, 5_250_000))
            title = rng.choice(UNIT_NOTICES[unit.kind]).format(name=name, year=moment.year)
            titles.setdefault(title, moment)
        docs = [self._nonreport(t, w, self.columns[catalogue]) for t, w in titles.items()]
        if rng.random() < 0.4:
            guide = datetime(2019, 7, rng.randint(1, 28), 10, 0, tzinfo=CST)
            docs.append(self._nonreport(f"{name}政府信息公开指南", guide, self.columns[nb]))
        return docs

    def _nonreport(
        self, title: str, published: datetime, column: Column, rng: random.Random | None = None
    ) -> Doc:
        rng = rng or random.Random(f"{self.world.seed}:{PORTAL}:nonreport:{column.path}:{title}")
        new = published >= datetime(2019, 1, 1, tzinfo=CST)
        document = Document(
            title,
            [
                Para(f"为进一步做好相关工作，现将《{title}》予以公开，请各有关单位认真贯彻执行。"),
                Para(f"{published.year}年{published.month}月{published.day}日"),
            ],
        )
        doc = Doc(
            id=new_id(published, rng, self.used_ids),
            column=column,
            title=title,
            published=published,
            created=published.date(),
            document=document,
            kind="nonreport",
            source="本站",
            new_template=new,
        )
        doc.extra.update(style=BodyStyle.pick(rng))
        return doc


OCTET_NEVER, OCTET_ALWAYS = 1.0, 0.0  # the `roll` below: < 0.4 means "served as octet-stream"


def _file(document: Document, fmt: str, day: date, rng: random.Random, roll: float) -> File:
    content_type = OCTET if roll < 0.4 else CONTENT_TYPES[fmt]
    name = file_name(day, fmt, rng)
    return File(name, f"{document.title}.{fmt}", fmt, content_type, document)


def _publish_moment(year: int, rng: random.Random) -> datetime:
    """Reports come out in January-March after their year; a few months later."""
    month = rng.randint(4, 11) if rng.random() < 0.08 else rng.randint(1, 3)
    return datetime(
        year + 1, month, rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59), tzinfo=CST
    )


def _unit_named(full: str) -> Unit:
    return next(u for u in DISTRICT.units if u.full == full)


def _short(unit: Unit) -> str:
    return unit.name if unit.kind == STREET else SHORT.get(unit.name, unit.name)


def _all_columns(plan: Layout) -> dict[str, Column]:
    columns = {c.path: c for c in (QZFNDBG, QZFBNDBG, NOTICES)}
    for unit in DISTRICT.units:
        place = plan.place(unit.name)
        if place is None:
            continue
        folder = place.folder
        home = (("首页", "/"), ("政务公开", "/zwgk/"), (_short(unit), folder))
        for sub, name in place.subs:
            columns[folder + sub] = Column(folder + sub, name, (*home, (name, folder + sub)))
    return columns


def _directories(plan: Layout) -> dict[str, str]:
    """Directory pages: home, 区政府信息公开年报, the unit directories and each unit's folder, and
    the channels above them (信息公开, 政府信息公开, 政府信息公开目录, 政务公开)."""
    directories = [(DIRECTORY_NAMES[path], path) for path in plan.directories]
    pages = {
        "/": theme.directory_page(
            theme.SITE_NAME,
            (("首页", "/"),),
            [(c.name, c.path) for c in (QZFNDBG, QZFBNDBG, NOTICES)] + directories,
        ),
        "/xxgk/zfxxgk/qzfxxgknb/": theme.directory_page(
            "区政府信息公开年报",
            NB_ROOT,
            [(QZFNDBG.name, "./qzfndbg/"), (QZFBNDBG.name, "./qzfbndbg/")],
        ),
        **_channels(directories),
    }
    for path in plan.directories:
        title = DIRECTORY_NAMES[path]
        places = [(u, plan.place(u.name)) for u in DISTRICT.units]
        units = [(u, p) for u, p in places if p is not None and p.directory == path]
        crumbs = (("首页", "/"), ("政务公开", "/zwgk/"), (title, path))
        links = [(_listed_name(u), "./" + p.folder.removeprefix(path)) for u, p in units]
        pages[path] = theme.directory_page(title, crumbs, links)
        for unit, place in units:
            subs = [(name, "./" + sub) for sub, name in place.subs]
            pages[place.folder] = theme.directory_page(
                _listed_name(unit), (*crumbs, (_short(unit), place.folder)), subs
            )
    return pages


def _channels(directories: list[tuple[str, str]]) -> dict[str, str]:
    """The breadcrumb targets above the columns, each listing its sub-channels by name."""
    zfxxgk = (*XXGK[:2], ("政府信息公开", "/xxgk/zfxxgk/"))
    ml = (*zfxxgk, ("政府信息公开目录", "/xxgk/zfxxgk/lcqzfxxgkml/"))
    pages = {
        "/xxgk/": theme.directory_page(
            "信息公开", XXGK[:2], [("政府信息公开", "./zfxxgk/"), ("政务公开", "/zwgk/")]
        ),
        "/xxgk/zfxxgk/": theme.directory_page(
            "政府信息公开",
            zfxxgk,
            [
                ("政府信息公开指南", "./zfxxgkzn/"),
                ("政府信息公开目录", "./lcqzfxxgkml/"),
                ("区政府信息公开年报", "./qzfxxgknb/"),
            ],
        ),
        "/xxgk/zfxxgk/lcqzfxxgkml/": theme.directory_page(
            "政府信息公开目录", ml, [(NOTICES.name, "./30yzdgkdqtzfxx/")]
        ),
        "/zwgk/": theme.directory_page(
            "政务公开",
            (("首页", "/"), ("政务公开", "/zwgk/")),
            [*directories, (NEWS.name, NEWS.path)],
        ),
        "/xxgk/zfxxgk/zfxxgkzn/": theme.directory_page("政府信息公开指南", zfxxgk, []),
        "/xwzx/": theme.directory_page(
            "新闻中心", (("首页", "/"), ("新闻中心", "/xwzx/")), [(NEWS.name, NEWS.path)]
        ),
    }
    for label, path in theme.NAV[1:]:
        pages.setdefault(path, theme.directory_page(label, (("首页", "/"), (label, path)), []))
    return pages


def _listed_name(unit: Unit) -> str:
    return f"鲤城区{unit.full}" if unit.kind == STREET else unit.full


def _official_name(unit: Unit) -> str:
    """发布机构 as the metadata list prints it: 泉州市鲤城区科学技术局, 泉州市鲤城区金龙街道办事处."""
    return f"泉州市鲤城区{unit.full}" if unit.kind == STREET else f"泉州市{unit.full}"


def _source(unit: Unit, has_publisher: bool, rng: random.Random) -> str:
    """来源: abbreviated where the page also has 发布机构; else the full name, or 本站."""
    if unit is GOV or unit.full == GOV.full:
        return "鲤城区人民政府办公室" if has_publisher else "鲤城区人民政府"
    if has_publisher and rng.random() < 0.6:
        return f"鲤城区{_short(unit)}"
    if not has_publisher and rng.random() < 0.2:
        return "本站"
    return f"鲤城区{unit.full}" if unit.kind == STREET else unit.full


def _index_no(unit: Unit, published: datetime, rng: random.Random) -> str:
    """QZ + 5-digit unit code + 3000 (年报类) + year + serial: QZ01304-3000-2023-00001."""
    return f"QZ{_unit_code(unit)}-3000-{published.year}-{rng.randint(1, 40):05d}"


def _unit_code(unit: Unit) -> str:
    if unit.full == GOV.full:
        return "01300"
    position = [u.full for u in DISTRICT.units].index(unit.full)
    streets = sum(1 for u in DISTRICT.units if u.kind == STREET)
    # departments 01301.. (科学技术局 = 01304 as on the real page), streets 01321..
    return f"{1301 + position - streets:05d}" if unit.kind == DEPT else f"{1321 + position:05d}"


def _wants_doc_no(unit: Unit, published: datetime, rng: random.Random) -> bool:
    if published.year < 2018 or (unit.full not in DOC_NO_PREFIX and unit.name not in DOC_NO_PREFIX):
        return False
    return rng.random() < (0.6 if unit.kind == STREET else 0.4)


def _doc_no_prefix(unit: Unit) -> str:
    return DOC_NO_PREFIX.get(unit.name) or DOC_NO_PREFIX[unit.full]


def _with_doc_no(document: Document, doc_no: str, signer: str, one_line: bool) -> Document:
    """The body as pasted from the signed Word file: 文号 and 签发人 first (one line or two)."""
    head = (
        [Para(f"{doc_no} 签发人：{signer}")]
        if one_line
        else [Para(doc_no), Para(f"签发人：{signer}")]
    )
    return Document(document.title, head + list(document.blocks))
