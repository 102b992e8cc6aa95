"""Where www.by.gov.cn keeps its reports in one variant (docs/portals.md §2).

Never varies (H): the central column `/zwgk/qzfxxgknb/` with its sub-columns `bm/` (部门) and
`zj/` (镇街); per-unit columns at `/gzjg/{unit}/zfxxgkgzndbg/`, among them `qwbgs` (区委办公室,
holding 档案局's reports); 教育局's gkmlpt sub-site `/gzbyjy/gkmlpt/`; the pinned real posts.
Varies with the variant (M/L): every category id; a `qzf/` sub-column for the district
government's own reports (L) or none; which other units have a report column under `/gzjg/` (a
统计局, a 民政局 ...), their slugs and the years they hold; units with a `/gzjg/` channel and no
report column; a second gkmlpt sub-site; gkmlpt SIDs, category ids and paging; page sizes; the
list JSON of each column; title phrasings, non-reports, charset lies, one 转发 notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sandbox.sites import gkmlpt
from sandbox.sites.base import World
from sandbox.sites.charset import LIES
from sandbox.sites.nfcms import Column, JsonPlan
from sandbox.titles import TitlePlan
from sandbox.variants import draw, new_ids, pick, some, varied

PORTAL = "by_gov_cn"
CENTRAL = "/zwgk/qzfxxgknb/"
_ZWGK = (("首页", "/"), ("政务公开", "/zwgk/"), ("区政府信息公开年报", CENTRAL))
DISTRICT_YEARS = (2020, 2022, 2023, 2024)  # the district government's reports on this portal
UNIT_COLUMN_NAME = "政府信息公开工作年度报告"  # zfxxgkgzndbg


def central_column(name: str, cat_id: int, sub: str = "") -> Column:
    crumbs = _ZWGK + (((name, CENTRAL + sub),) if sub else ())
    return Column(CENTRAL + sub, name, cat_id, crumbs)


def unit_column(slug: str, label: str, cat_id: int) -> Column:
    path = f"/gzjg/{slug}/zfxxgkgzndbg/"
    crumbs = (("首页", "/"), ("工作机构", "/gzjg/"), (label, f"/gzjg/{slug}/"))
    return Column(path, UNIT_COLUMN_NAME, cat_id, (*crumbs, (UNIT_COLUMN_NAME, path)))


def gkmlpt_column(plan: gkmlpt.Plan, label: str) -> Column:
    """The column object a gkmlpt sub-site's posts belong to."""
    crumbs = (("首页", "/"), (label, plan.prefix), (plan.report_name, plan.index_path))
    return Column(plan.base, plan.report_name, plan.report_cat, crumbs)


@dataclass(frozen=True)
class UnitHome:
    """A unit under 工作机构 (`/gzjg/{slug}/`) and where its reports are, if anywhere."""

    slug: str
    label: str  # the channel's name: 区委办公室
    units: tuple[str, ...] = ()  # Unit.full of the units whose reports it holds
    years: tuple[int, ...] = ()  # years it holds at least
    column: Column | None = None  # /gzjg/{slug}/zfxxgkgzndbg/
    plan: gkmlpt.Plan | None = None  # or a gkmlpt sub-site

    def __post_init__(self) -> None:
        # One Column object per gkmlpt sub-site: posts are matched to columns by identity.
        gk = gkmlpt_column(self.plan, self.label) if self.plan else None
        object.__setattr__(self, "_gkmlpt_column", gk)

    @property
    def path(self) -> str:
        return f"/gzjg/{self.slug}/"

    @property
    def report_column(self) -> Column | None:
        return self.column or self._gkmlpt_column  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Layout:
    root: Column
    bm: Column
    zj: Column
    qzf: Column | None  # the district government's own sub-column, or None (its reports in root)
    homes: tuple[UnitHome, ...]
    page_size: dict[int, int] = field(default_factory=dict)  # cat id -> rows a page
    json: dict[int, JsonPlan] = field(default_factory=dict)  # cat id -> its list JSON
    titles: TitlePlan | None = None  # None: the corpus's own titles
    negatives: int = 0  # extra non-report posts drawn into the report columns
    lies: tuple[str, ...] = ()  # charset lies told by report pages
    forward_year: int | None = None  # the district report published as a 转发 notice
    crossed: str = ""  # slug of the unit column two of whose reports bm/ also lists (mpost_)
    filed: str = ""  # slug of the unit column whose first two reports from 2019 carry PDFs

    @property
    def central(self) -> tuple[Column, ...]:
        return (self.root, self.bm, self.zj) + ((self.qzf,) if self.qzf else ())

    @property
    def nfcms_columns(self) -> tuple[Column, ...]:
        units = tuple(h.column for h in self.homes if h.column)
        return self.central + units

    @property
    def plans(self) -> tuple[gkmlpt.Plan, ...]:
        return tuple(h.plan for h in self.homes if h.plan)

    @property
    def gkmlpt_columns(self) -> tuple[Column, ...]:
        return tuple(h.report_column for h in self.homes if h.plan)  # type: ignore[misc]

    def plan_of(self, column: Column) -> gkmlpt.Plan | None:
        return next((h.plan for h in self.homes if h.plan and h.plan.base == column.path), None)

    def home_of(self, unit_full: str) -> UnitHome | None:
        return next((h for h in self.homes if unit_full in h.units), None)

    @property
    def district_column(self) -> Column:
        return self.qzf or self.root

    def children(self, column: Column) -> tuple[Column, ...]:
        if column is not self.root:
            return ()
        return (self.bm, self.zj) + ((self.qzf,) if self.qzf else ())

    def size(self, column: Column) -> int:
        return self.page_size.get(column.cat_id, 5)


# -- the reference world (variant 0) -------------------------------------------------------------

QWBGS_SLUG, QWBGS_LABEL = "qwbgs", "区委办公室"
EDUCATION = "白云区教育局"
EDUCATION_PREFIX = "/gzbyjy/"


def _reference() -> Layout:
    root = central_column("区政府信息公开年报", 25190)
    bm = central_column("部门", 25191, "bm/")
    zj = central_column("镇街", 25192, "zj/")
    plan = gkmlpt.Plan(EDUCATION_PREFIX, "广州市白云区教育局", EDUCATION, "200711", 2851)
    homes = (
        UnitHome(
            QWBGS_SLUG,
            QWBGS_LABEL,
            ("白云区档案局",),
            (2021, 2022, 2023),
            unit_column(QWBGS_SLUG, QWBGS_LABEL, 25320),
        ),
        UnitHome(
            "qczj",
            "区财政局",
            ("白云区财政局",),
            (2019, 2020, 2021, 2022, 2023, 2024),
            unit_column("qczj", "区财政局", 25334),
        ),
        UnitHome(
            "qsfj",
            "区司法局",
            ("白云区司法局",),
            (2021, 2022, 2023),
            unit_column("qsfj", "区司法局", 25341),
        ),
        UnitHome("qjyj", "区教育局", (EDUCATION,), (2019, 2020, 2021, 2022, 2023, 2024), plan=plan),
        UnitHome("qfgj", "区发展和改革局"),
        UnitHome("qmzj", "区民政局"),
    )
    sizes = {root.cat_id: 10, bm.cat_id: 10, zj.cat_id: 10}
    return Layout(root, bm, zj, None, homes, sizes, {}, crossed="qsfj", filed="qczj")


# -- a drawn world -------------------------------------------------------------------------------

# Departments that may have a /gzjg/ channel, with the abbreviation their slugs are made of.
DEPARTMENTS = (
    ("统计局", "tjj"),
    ("财政局", "czj"),
    ("司法局", "sfj"),
    ("民政局", "mzj"),
    ("卫生健康局", "wjj"),
    ("人力资源和社会保障局", "rsj"),
    ("住房和城乡建设局", "zjj"),
    ("应急管理局", "yjglj"),
    ("市场监督管理局", "scjgj"),
    ("发展和改革局", "fgj"),
    ("交通运输局", "jtj"),
)
SLUG_FORMS = ("q{a}", "{a}", "by{a}")


def _drawn(world: World) -> Layout:
    rng = draw(world, PORTAL, "layout")
    taken: set[int] = set()
    root_id, bm_id, zj_id, qzf_id = new_ids(rng, 20_000, 29_999, 4, taken)
    qzf = central_column("区政府", qzf_id, "qzf/") if rng.random() < 0.5 else None
    slug_form = pick(rng, SLUG_FORMS)
    pool = list(DEPARTMENTS)
    rng.shuffle(pool)
    with_column, pool = pool[: rng.randint(1, 3)], pool[3:]
    homes = [_archive_home(rng, taken)]
    for name, abbr in with_column:
        slug, label = slug_form.format(a=abbr), f"区{name}"
        years = _years(rng)
        column = unit_column(slug, label, new_ids(rng, 20_000, 29_999, 1, taken)[0])
        homes.append(UnitHome(slug, label, (f"白云区{name}",), years, column))
    homes.append(_gkmlpt_home(rng, "jyj", "区教育局", EDUCATION, EDUCATION_PREFIX, slug_form))
    if rng.random() < 0.5:
        name, abbr = pool.pop()
        prefix = f"/gzby{abbr}/"
        homes.append(_gkmlpt_home(rng, abbr, f"区{name}", f"白云区{name}", prefix, slug_form))
    for name, abbr in pool[: rng.randint(2, 3)]:
        homes.append(UnitHome(slug_form.format(a=abbr), f"区{name}"))
    sizes = {root_id: pick(rng, (10, 15, 20)), bm_id: pick(rng, (10, 15, 20))}
    sizes[zj_id] = pick(rng, (10, 15, 20))
    if qzf:
        sizes[qzf_id] = pick(rng, (5, 10))
    for home in homes:
        if home.column:
            sizes[home.column.cat_id] = pick(rng, (5, 10, 15))
    cats = [root_id, bm_id, zj_id, *(h.column.cat_id for h in homes if h.column)]
    if qzf:
        cats.append(qzf_id)
    json_plans = {cat: JsonPlan.drawn(rng) for cat in cats}
    return Layout(
        central_column("区政府信息公开年报", root_id),
        central_column("部门", bm_id, "bm/"),
        central_column("镇街", zj_id, "zj/"),
        qzf,
        tuple(homes),
        sizes,
        json_plans,
        TitlePlan.drawn(draw(world, PORTAL, "titles")),
        rng.randint(3, 6),
        tuple(some(rng, LIES, 1, 2)),
        pick(rng, (None, 2020, 2022)),
        crossed=pick(rng, [h.slug for h in homes if h.column]),
        filed=pick(rng, [h.slug for h in homes if h.column and h.slug != QWBGS_SLUG]),
    )


def _years(rng) -> tuple[int, ...]:
    end = pick(rng, (2022, 2023, 2024))
    return tuple(range(end - rng.randint(2, 5), end + 1))


def _archive_home(rng, taken: set[int]) -> UnitHome:
    """区委办公室's column, holding 档案局's reports (H: post_9472985 is 档案局 2023 there)."""
    years = tuple(sorted({*_years(rng), 2023}))
    column = unit_column(QWBGS_SLUG, QWBGS_LABEL, new_ids(rng, 20_000, 29_999, 1, taken)[0])
    return UnitHome(QWBGS_SLUG, QWBGS_LABEL, ("白云区档案局",), years, column)


def _gkmlpt_home(rng, abbr: str, label: str, unit: str, prefix: str, slug_form: str) -> UnitHome:
    cat = rng.randint(2_000, 9_999)
    others = ((cat + 11, "机构信息"), (cat + 12, "政策文件"), (cat + 13, "规划计划"))
    plan = gkmlpt.Plan(
        prefix,
        f"广州市{unit}",
        unit,
        str(rng.randint(200_700, 200_799)),
        cat,
        pick(rng, ("政府信息公开年报", "政府信息公开工作年度报告", "年度报告")),
        pick(rng, (gkmlpt.PAGED, gkmlpt.WHOLE)),
        other_cats=others,
    )
    return UnitHome(slug_form.format(a=abbr), label, (unit,), _years(rng), plan=plan)


@cache
def layout(world: World) -> Layout:
    return _drawn(world) if varied(world) else _reference()
