"""Generated report text: one Document per (district, unit, year), in the template generation of
that year. Deterministic given the `random.Random` passed in."""

from __future__ import annotations

import random

from sandbox.document import Document
from sandbox.textgen import pre2019, unified
from sandbox.textgen.common import Ctx
from sandbox.units import District, Unit

TITLE_FORMS = (
    "{year}年{long}政府信息公开工作年度报告",
    "{long}{year}年政府信息公开工作年度报告",
    "{long}{year}年度政府信息公开工作年度报告",
    "{long}{year}年政府信息公开年度报告",
)


def template_for(year: int) -> str:
    """pre2019: 2008 条例 free-form; 2019: 60号 trial format; 2021: 30号 format."""
    if year <= 2018:
        return "pre2019"
    return "2019" if year <= 2020 else "2021"


def generate(district: District, unit: Unit, year: int, rng: random.Random) -> Document:
    ctx = Ctx(district, unit, year, rng)
    title = ctx.pick(TITLE_FORMS)
    template = template_for(year)
    blocks = pre2019.build(ctx) if template == "pre2019" else unified.build(ctx, template)
    return Document(title, blocks)
