"""Reports in the unified formats (2019 条例 Art. 50): the 2019 trial format and the 2021+ format.
Same six sections; the tables differ (see tables.py)."""

from __future__ import annotations

import random

from sandbox.document import Block, Heading, Para
from sandbox.textgen import quirks, tables
from sandbox.textgen.common import Ctx
from sandbox.textgen.keyed import KeyedTable

OPENERS = [
    "{year}年，{unit}在{district}委、区政府的正确领导下，认真贯彻落实《中华人民共和国政府信息公开条例》"
    "和上级关于政务公开工作的部署，坚持以公开为常态、不公开为例外，及时准确地向社会公开政府信息，"
    "更好地满足人民群众的信息需求。",
    "{year}年，{me}以习近平新时代中国特色社会主义思想为指导，全面贯彻落实新修订的《中华人民共和国"
    "政府信息公开条例》，围绕中心工作，持续深化决策、执行、管理、服务、结果公开，政府信息公开工作"
    "取得新成效。",
    "{year}年，{unit}深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，按照{province}、"
    "{city}和{district}的工作要求，不断提升政务公开质量和实效，现将本年度工作情况报告如下。",
]

PARTS = [
    (
        "主动公开",
        "{year}年，{me}通过{district}政府门户网站主动公开各类政府信息{total}条，其中工作动态{news}条，"
        "通知公告{notices}条，财政预决算信息{budget}条，及时更新机构职能、领导分工等基础信息。",
    ),
    (
        "依申请公开",
        "{me}严格按照法定时限和程序办理政府信息公开申请，{year}年共收到政府信息公开申请{apps}件，"
        "均在法定期限内予以答复。",
    ),
    (
        "政府信息管理",
        "{me}严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，{year}年共"
        "审查拟公开信息{reviewed}条，未发生泄密情况。",
    ),
    (
        "平台建设",
        "{me}进一步加强政府网站和政务新媒体建设管理，{year}年通过政务微信公众号发布信息{wechat}条，"
        "公开栏更新{boards}期，信息发布渠道不断拓宽。",
    ),
    (
        "监督保障",
        "{me}将政务公开工作纳入年度绩效考核，全年组织政务公开业务培训{train}次，参训人员{people}人次，"
        "未发生政府信息公开工作责任追究情况。",
    ),
]

PROBLEMS = [
    "{year}年，{me}政府信息公开工作取得了一定成效，但仍存在一些不足：一是信息公开的及时性有待提高；"
    "二是政策解读形式较为单一；三是工作人员业务能力仍需加强。",
    "{me}政府信息公开工作仍存在公开内容不够丰富、主动公开意识有待增强等问题。下一步，{me}将进一步"
    "加强组织领导，完善工作机制，加大业务培训力度，不断提升政府信息公开工作水平。",
    "当前，{me}在政务公开标准化规范化建设、政策解读回应等方面还存在差距。{next}年，{me}将对照上级"
    "要求补齐短板，进一步拓宽公开渠道，提高公开质量。",
]

OTHER_2019 = [
    "{me}暂无需要报告的其他事项。",
    "本单位暂无需要报告的其他事项，以及其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项。",
]
OTHER_2021 = [
    "依据《政府信息公开信息处理费管理办法》，{year}年{me}未收取政府信息公开信息处理费。",
    "{year}年，{me}未发出收费通知，未收取信息处理费。本单位无其他需要报告的事项。",
]


def build(ctx: Ctx, version: str) -> list[Block]:
    proactive_tables = tables.proactive(ctx, version)
    request_table, apps = tables.requests(ctx, version)
    blocks: list[Block | KeyedTable] = [Heading("一、总体情况"), Para(ctx.pick(OPENERS))]
    blocks += _overview_parts(ctx, apps)
    blocks += [Heading("二、主动公开政府信息情况"), *proactive_tables]
    blocks += [Heading("三、收到和处理政府信息公开申请情况"), request_table]
    blocks += [Heading("四、政府信息公开行政复议、行政诉讼情况"), tables.reviews(ctx, version)]
    blocks += [Heading("五、存在的主要问题及改进情况"), Para(ctx.pick(PROBLEMS))]
    others = OTHER_2019 if version == "2019" else OTHER_2021
    blocks += [Heading("六、其他需要报告的事项"), Para(ctx.pick(others))]
    # Drawn last, from a generator of their own: the report's text before them stays as it was.
    keyed = [b for b in blocks if isinstance(b, KeyedTable)]
    quirks.apply(keyed, random.Random(ctx.rng.getrandbits(64)))
    return [b.table(quirks.expected_checks(b)) if isinstance(b, KeyedTable) else b for b in blocks]


def _overview_parts(ctx: Ctx, apps: int) -> list[Block]:
    rng = ctx.rng
    total = rng.randint(60, 600) * ctx.scale()
    figures = {
        "total": total,
        "news": total // 3 + rng.randint(0, total // 4),
        "notices": rng.randint(1, total // 5),
        "budget": rng.randint(2, 12),
        "apps": apps,
        "reviewed": total + rng.randint(0, 40),
        "wechat": rng.randint(20, 400),
        "boards": rng.randint(4, 24),
        "train": rng.randint(1, 6),
        "people": rng.randint(10, 120),
    }
    count = rng.randint(3, len(PARTS))
    chosen = [PARTS[0], *sorted(rng.sample(PARTS[1:], count - 1), key=PARTS.index)]
    numerals = "一二三四五"
    return [
        Para(f"（{numerals[i]}）{title}。" + ctx.fill(text, **figures))
        for i, (title, text) in enumerate(chosen)
    ]
