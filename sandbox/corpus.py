"""The report corpus: per portal, the real seeds plus generated reports, deterministic from a seed.

`reports_for(portal, seed, scale)` gives the generated reports of one portal (BASE_COUNT x scale),
spread evenly over the portal's report years; each report draws from its own
`random.Random(f"{seed}:{portal}:{index}")`, so report N is the same whatever the scale, and a
revision can add report N+1 without disturbing the others. `seeds_for(portal)` gives the real ones.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from functools import cache

from sandbox import DEFAULT_SEED
from sandbox.document import Document, Para
from sandbox.seeds import load_seeds
from sandbox.textgen import generate, template_for
from sandbox.units import DISTRICTS, Unit

BASE_COUNT = {"zc_gov_cn": 48}
DEFAULT_BASE_COUNT = 40
YEARS = {"zc_gov_cn": range(2017, 2026)}  # the zc column mixes reports from 2017 on
DEFAULT_YEARS = range(2014, 2026)


@dataclass(frozen=True)
class ReportSpec:
    portal: str
    unit: Unit
    year: int
    document: Document
    index: int  # position in the portal's generated sequence; -1 for a seed
    seed_key: str | None = None  # "001" for a real seed report

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def template(self) -> str:
        return template_for(self.year)


@cache
def reports_for(portal: str, seed: int = DEFAULT_SEED, scale: int = 1) -> tuple[ReportSpec, ...]:
    if scale < 1:
        raise ValueError("scale must be >= 1")
    count = BASE_COUNT.get(portal, DEFAULT_BASE_COUNT) * scale
    return tuple(generated_report(portal, seed, i) for i in range(count))


@cache
def _slots(portal: str, seed: int) -> list[tuple[Unit, int]]:
    """(unit, year) pairs in the order reports take them: years round-robin, units shuffled per
    year, the seeds' own (unit, year) left out. Past the end the order repeats."""
    district = DISTRICTS[portal]
    years = list(YEARS.get(portal, DEFAULT_YEARS))
    taken = {(s.unit, s.year) for s in load_seeds().values() if s.portal == portal}
    rng = random.Random(f"{seed}:{portal}:slots")
    per_year = {}
    for year in years:
        units = [u for u in district.units if (u.full, year) not in taken]
        rng.shuffle(units)
        per_year[year] = units
    depth = max(len(u) for u in per_year.values())
    return [(per_year[y][d], y) for d in range(depth) for y in years if d < len(per_year[y])]


def generated_report(portal: str, seed: int, index: int) -> ReportSpec:
    slots = _slots(portal, seed)
    unit, year = slots[index % len(slots)]
    rng = random.Random(f"{seed}:{portal}:{index}")
    document = generate(DISTRICTS[portal], unit, year, rng)
    return ReportSpec(portal, unit, year, document, index)


def seeds_for(portal: str) -> tuple[ReportSpec, ...]:
    out = []
    for seed in load_seeds().values():
        if seed.portal == portal:
            unit = next((u for u in DISTRICTS[portal].units if u.full == seed.unit), None)
            unit = unit or Unit(seed.unit.removesuffix("办事处"), "street", seed.unit)
            out.append(ReportSpec(portal, unit, seed.year, seed.document, -1, seed.key))
    return tuple(out)


def edited(spec: ReportSpec) -> ReportSpec:
    """The same report after its publisher corrected it: one figure in the first paragraph that
    has a figure changes, and the last paragraph gets a different closing sentence."""
    blocks = list(spec.document.blocks)
    paras = [i for i, b in enumerate(blocks) if isinstance(b, Para)]
    with_figure = next(i for i in paras if re.search(r"\d{2,}条", blocks[i].text))
    text = blocks[with_figure].text
    match = re.search(r"(\d{2,})条", text)
    assert match is not None
    figure = str(int(match.group(1)) + 13)
    blocks[with_figure] = Para(text[: match.start(1)] + figure + text[match.end(1) :])
    blocks[paras[-1]] = Para("（本报告部分数据已于发布后更正，以本版本为准。）")
    return replace(spec, document=Document(spec.document.title, blocks))
