"""Where www.qzlc.gov.cn keeps its reports in one variant (docs/portals.md §5, §10.1).

Never varies (H): the TRS URL grammar; the district's columns `/xxgk/zfxxgk/qzfxxgknb/{qzfndbg,
qzfbndbg}/` and the notices column `/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/` (with the 转发
notice that alone carries the 2023 report); the unit directories `/zwgk/bm/` and `/zwgk/zj/`;
the real unit folders and columns of the pinned reports: `swj/nb/`, `kyjd/nb/`, `jljd/nb/`,
`hbjd/lcqzfxxgkml/30gxzd/`, `ctjd/lcqzfxxgkml/30gxzd/`, 科技局's `lcqzfxxgkml/30yzdgkdqtzfxx/`.
Varies with the variant (L/M): the slugs of the other units; which units have a folder at all,
which have a report column, whether a unit keeps a `nb/` column, whether later reports go to its
公开目录 column (`30gxzd/`, `25gzdtt/` like 江南 jnjd, `30yzdgkdqtzfxx/`); the third directory
`/zwgk/qzbm/` with 农水局's `nlsj/ghzj/` (H URL) and maybe another department; rows a page;
one list that shows its first page only and continues by script (the real 平潭 page, §10.1);
title phrasings, non-reports, charset lies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sandbox.sites.base import World
from sandbox.sites.charset import LIES
from sandbox.titles import TitlePlan
from sandbox.units import DEPT, STREET
from sandbox.variants import draw, pick, some, varied

PORTAL = "qzlc_gov_cn"
BM, ZJ, QZBM = "/zwgk/bm/", "/zwgk/zj/", "/zwgk/qzbm/"
DIRECTORY_NAMES = {BM: "部门信息公开", ZJ: "镇街信息公开", QZBM: "区直部门信息公开"}
NB = ("nb/", "政府信息公开年度报告")
DEPT_CATALOGUE = ("lcqzfxxgkml/30yzdgkdqtzfxx/", "应主动公开的其他政府信息")
GXZD = ("lcqzfxxgkml/30gxzd/", "各项制度")
GZDTT = ("lcqzfxxgkml/25gzdtt/", "工作动态")
GHZJ = ("ghzj/", "规划总结")
QZFNDBG = "/xxgk/zfxxgk/qzfxxgknb/qzfndbg/"

# The reference slugs (L except swj, kyjd, jljd, hbjd, ctjd, jnjd, nlsj: real URLs, §5).
STREET_SLUGS = {
    "海滨街道": "hbjd",
    "临江街道": "ljjd",
    "鲤中街道": "lzjd",
    "开元街道": "kyjd",
    "浮桥街道": "fqjd",
    "江南街道": "jnjd",
    "金龙街道": "jljd",
    "常泰街道": "ctjd",
}
DEPT_SLUGS = {
    "发展和改革局": "fgj",
    "教育局": "jyj",
    "科学技术局": "kjj",
    "民政局": "mzj",
    "司法局": "sfj",
    "财政局": "czj",
    "商务局": "swj",
    "农业农村和水利局": "nlsj",
    "卫生健康局": "wjj",
    "市场监督管理局": "scjgj",
    "统计局": "tjj",
}
REAL_SLUGS = {
    "商务局",
    "开元街道",
    "金龙街道",
    "海滨街道",
    "常泰街道",
    "江南街道",
    "农业农村和水利局",
}
# Other spellings a variant may give the units whose slugs no source shows.
OTHER_SLUGS = {
    "临江街道": ("lj", "ljjdb"),
    "鲤中街道": ("lz", "lzjdb"),
    "浮桥街道": ("fq", "fqjdb"),
    "发展和改革局": ("fgw", "fzggj"),
    "教育局": ("jyt", "jyjb"),
    "科学技术局": ("kxjsj", "kjjb"),
    "民政局": ("mzjb", "minzj"),
    "司法局": ("sfjb", "sifj"),
    "财政局": ("czjb", "caizj"),
    "卫生健康局": ("wsjkj", "wjjb"),
    "市场监督管理局": ("scjg", "scjdglj"),
    "统计局": ("tjjb", "tongjj"),
}
# Units whose real report URLs pin a column: (unit name, the column the pin needs).
PINNED = {
    "商务局": NB,
    "科学技术局": DEPT_CATALOGUE,
    "开元街道": NB,
    "金龙街道": NB,
    "海滨街道": GXZD,
    "常泰街道": GXZD,
    "江南街道": GZDTT,
}


@dataclass(frozen=True)
class UnitPlace:
    """A unit's folder: which directory lists it, its slug, its columns."""

    name: str  # Unit.name: 商务局, 金龙街道
    kind: str  # DEPT | STREET
    directory: str  # BM | ZJ | QZBM
    slug: str
    nb: bool = True  # a nb/ 政府信息公开年度报告 column
    catalogue: tuple[str, str] = DEPT_CATALOGUE  # its 公开目录 (or 规划总结) column
    late_share: float = 0.35  # share of its 2020+ reports in that column (1: all, without nb/)
    reports: bool = True  # False: its folder holds notices only, the unit publishes no report

    @property
    def folder(self) -> str:
        return f"{self.directory}{self.slug}/"

    @property
    def subs(self) -> tuple[tuple[str, str], ...]:
        return ((NB,) if self.nb else ()) + (self.catalogue,)


@dataclass(frozen=True)
class Layout:
    places: tuple[UnitPlace, ...]
    page_size: int = 10
    script_list: str = ""  # a column whose list shows one page and continues by script
    titles: TitlePlan | None = None
    negatives: int = 0
    lies: tuple[str, ...] = ()

    def place(self, unit_name: str) -> UnitPlace | None:
        return next((p for p in self.places if p.name == unit_name), None)

    @property
    def directories(self) -> tuple[str, ...]:
        return tuple(d for d in (BM, ZJ, QZBM) if any(p.directory == d for p in self.places))


def _reference() -> Layout:
    depts = tuple(UnitPlace(name, DEPT, BM, slug) for name, slug in DEPT_SLUGS.items())
    streets = tuple(
        UnitPlace(name, STREET, ZJ, slug, catalogue=GXZD, late_share=0.5)
        for name, slug in STREET_SLUGS.items()
    )
    return Layout(depts + streets)


def _drawn(world: World) -> Layout:
    rng = draw(world, PORTAL, "layout")
    free = [n for n in (*DEPT_SLUGS, *STREET_SLUGS) if n not in PINNED and n != "农业农村和水利局"]
    absent = set(some(rng, free, 1, 2))
    silent = set(some(rng, [n for n in free if n not in absent], 1, 2))
    to_qzbm = set(some(rng, [n for n in DEPT_SLUGS if n not in PINNED and n not in absent], 0, 1))
    places = []
    for name in (*DEPT_SLUGS, *STREET_SLUGS):
        if name in absent:
            continue
        kind = DEPT if name in DEPT_SLUGS else STREET
        slug = (DEPT_SLUGS | STREET_SLUGS)[name]
        if name not in REAL_SLUGS:
            slug = pick(rng, (slug, *OTHER_SLUGS[name]))
        places.append(_place(rng, name, kind, slug, name in silent, name in to_qzbm))
    return Layout(
        tuple(places),
        pick(rng, (10, 15, 20)),
        QZFNDBG if rng.random() < 0.6 else "",
        TitlePlan.drawn(draw(world, PORTAL, "titles")),
        rng.randint(3, 6),
        tuple(some(rng, LIES, 1, 2)),
    )


def _place(rng, name: str, kind: str, slug: str, silent: bool, qzbm: bool) -> UnitPlace:
    if name == "农业农村和水利局" or qzbm:  # 农水局's reports are at /zwgk/qzbm/nlsj/ghzj/ (H)
        return UnitPlace(name, kind, QZBM, slug, nb=False, catalogue=GHZJ, late_share=1.0)
    directory = BM if kind == DEPT else ZJ
    pinned = PINNED.get(name)
    catalogue = DEPT_CATALOGUE if kind == DEPT else pick(rng, (GXZD, GZDTT))
    if pinned and pinned is not NB:
        catalogue = pinned
    if silent:
        return UnitPlace(name, kind, directory, slug, nb=False, catalogue=catalogue, reports=False)
    nb = pinned is NB or rng.random() < 0.75
    share = 1.0 if not nb else pick(rng, (0.0, 0.35, 0.5, 0.8))
    if pinned and pinned is not NB:
        share = max(share, 0.35)
    return UnitPlace(name, kind, directory, slug, nb, catalogue, share)


@cache
def layout(world: World) -> Layout:
    return _drawn(world) if varied(world) else _reference()
