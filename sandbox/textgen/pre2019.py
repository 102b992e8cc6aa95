"""Reports before 2019 (2008 条例): free-form, six sections, figures inside sentences (seeds
000/001/003/004 are of this kind)."""

from __future__ import annotations

from sandbox.document import Block, Fact, Heading, Para
from sandbox.textgen.common import Ctx, split

# The numbers a pre-2019 sentence states, keyed as crawler/figures/prose.py documents them:
# table "prose", row = what is counted, col = the item as the sentence names it.
NO_REVIEW = (
    Fact("prose", "复议诉讼", "行政复议", 0, "件"),
    Fact("prose", "复议诉讼", "行政诉讼", 0, "件"),
)
NO_FEE = (Fact("prose", "收费", "金额", 0, "元"),)

INTRO = (
    "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，由{long}编制的"
    "{year}年度政府信息公开年度报告。全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、"
    "政府信息公开收费及减免情况、因政府信息公开申请行政复议和提起行政诉讼的情况，以及存在的主要问题"
    "和改进措施。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。{where}"
    "如对本报告有任何疑问，请联系：{unit}政务公开工作领导小组办公室，联系电话：{phone}。"
)
WHERE = {
    "zc_gov_cn": "增城区政府门户网站（http://www.zengcheng.gov.cn/）可查阅本报告。",
    "by_gov_cn": "本报告的电子版可在白云信息网（http://www.by.gov.cn/）下载。",
}
WHERE_DEFAULT = "本报告电子版可在{site}（http://{domain}/）上查阅和下载。"

OVERVIEW_OPENERS = [
    "{year}年，{unit}认真贯彻落实国务院、{province}、{city}和{district}关于政府信息公开工作的部署"
    "要求，紧紧围绕中心工作，坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。现将有关"
    "工作情况总结如下：",
    "{year}年，{unit}在{district}委、区政府的正确领导下，按照《条例》和上级关于政务公开工作的要求，"
    "进一步完善工作机制，拓宽公开渠道，政府信息公开工作取得了新的进展。",
    "{year}年，{me}以保障人民群众的知情权、参与权和监督权为目标，把政府信息公开作为转变作风、"
    "提高效能的重要抓手，全年政府信息公开工作总体运行平稳。",
]

OVERVIEW_TOPICS = [
    (
        "进一步建立健全组织机构",
        "{unit}根据领导班子调整情况，及时调整政务公开工作领导小组成员，由主要负责同志任组长，分管领导"
        "任副组长，领导小组办公室设在党政办，由{staff}名工作人员负责政府信息公开的日常工作。",
    ),
    (
        "进一步推进重点领域信息公开",
        "围绕财政预决算和“三公”经费、征地拆迁、保障性住房、食品药品安全、环境保护、安全生产等群众"
        "关注的重点领域，{me}及时、准确地发布相关信息，全年在重点领域公开信息{key}条。",
    ),
    (
        "进一步规范政府信息公开机制",
        "按照“谁公开、谁审查、谁负责”的原则，{me}健全了主动公开、依申请公开和保密审查等工作制度，"
        "对拟公开的政府信息严格进行保密审查，全年未发生泄密事件。",
    ),
    (
        "进一步加强载体平台建设",
        "依托{district}政府门户网站、政务微博、微信公众号和政务公开栏等载体，{me}不断拓宽公开渠道，"
        "全年更新公开栏{boards}期，方便群众及时了解政府信息。",
    ),
    (
        "进一步加强业务培训和监督考评",
        "{me}组织相关工作人员参加全区政府信息公开业务培训{train}次，并将政务公开工作纳入各部门年终"
        "考核范畴，由领导小组定期检查、不定期抽查，对发现的问题及时督促整改。",
    ),
    (
        "进一步做好政策解读和回应关切",
        "对涉及群众切身利益的重要政策，{me}坚持政策文件与解读材料同步组织、同步审签、同步部署，"
        "全年发布政策解读{interp}篇，及时回应社会关切。",
    ),
]

FEE_SENTENCES = [
    "{year}年度，{unit}依申请公开政府信息未收取任何费用，也未发生减免收费的情况。",
    "{year}年，{me}在政府信息公开工作中没有收取检索费、复制费、邮寄费等任何费用。",
]

REVIEW_SENTENCES = [
    "{year}年度，{unit}没有发生针对本单位有关政府信息公开事务的行政复议和行政诉讼案件。",
    "{year}年，{me}未发生因政府信息公开申请提起行政复议、行政诉讼的情况，也未收到有关投诉举报。",
]

PROBLEMS = [
    "一年来，{me}政府信息公开工作虽取得一定成绩，但仍存在一些不足：一是公开内容不够全面，部分信息"
    "更新不够及时；二是工作人员业务水平有待进一步提高；三是政民互动的深度和广度仍需加强。",
    "{me}政府信息公开工作还存在一些问题，主要是信息公开的主动性、及时性有待加强，公开形式较为单一，"
    "对政策的解读和宣传力度不够。",
]

IMPROVEMENTS = [
    "一是加强组织领导，进一步落实政府信息公开工作责任制，确保各项工作落到实处。",
    "二是加强业务培训，不断提高工作人员的业务素质和依法公开意识。",
    "三是拓宽公开渠道，充分发挥政府网站、政务新媒体和公开栏的作用，提升公开实效。",
    "四是完善监督机制，定期检查政府信息公开情况，及时发现和纠正存在的问题。",
]


def build(ctx: Ctx) -> list[Block]:
    where = WHERE.get(ctx.district.portal, WHERE_DEFAULT)
    blocks: list[Block] = [Para(ctx.fill(INTRO, where=ctx.fill(where), phone=ctx.phone()))]
    blocks += _overview(ctx)
    blocks += _proactive(ctx)
    blocks += _requests(ctx)
    blocks += [Heading("四、政府信息公开收费及减免情况"), Para(ctx.pick(FEE_SENTENCES), NO_FEE)]
    blocks += [Heading("五、因政府信息公开申请行政复议、提起行政诉讼的情况")]
    blocks += [Para(ctx.pick(REVIEW_SENTENCES), NO_REVIEW)]
    blocks += [Heading("六、存在的主要问题及改进措施"), Para(ctx.pick(PROBLEMS))]
    blocks += [Para(ctx.fill(s)) for s in IMPROVEMENTS[: ctx.rng.randint(2, 4)]]
    return blocks


def _overview(ctx: Ctx) -> list[Block]:
    rng = ctx.rng
    blocks: list[Block] = [Heading("一、概述"), Para(ctx.pick(OVERVIEW_OPENERS))]
    numerals = "一二三四五"
    topics = rng.sample(OVERVIEW_TOPICS, rng.randint(2, 4))
    for numeral, (title, text) in zip(numerals, topics, strict=False):
        figures = {
            "staff": rng.randint(1, 3),
            "key": rng.randint(5, 90),
            "boards": rng.randint(4, 24),
            "train": rng.randint(1, 6),
            "interp": rng.randint(1, 12),
        }
        blocks += [Heading(f"（{numeral}）{title}"), Para(ctx.fill(text, **figures))]
    return blocks


def _proactive(ctx: Ctx) -> list[Block]:
    rng = ctx.rng
    total = rng.randint(40, 400) * ctx.scale()
    org, docs, news, budget, other = split(rng, total, 5)
    web = rng.randint(total // 3, total)
    kinds = ("组织机构类信息", "部门文件类信息", "工作动态类信息", "财政预决算类信息", "其他信息")
    stated = [Fact("prose", "主动公开", "总数", total, "条")]
    stated += [
        Fact("prose", "主动公开", k, n, "条")
        for k, n in zip(kinds, (org, docs, news, budget, other), strict=True)
    ]
    channels = (
        Fact("prose", "主动公开渠道", "政府网站", web, "条"),
        Fact("prose", "主动公开渠道", "政务微博、微信、公开栏等其他渠道", total - web, "条"),
    )
    return [
        Heading("二、主动公开政府信息情况"),
        Para(
            ctx.fill(
                "{year}年，{unit}全年主动公开政府信息{total}条，其中：组织机构类信息{org}条，部门文件类"
                "信息{docs}条，工作动态类信息{news}条，财政预决算类信息{budget}条，其他信息{other}条。",
                total=total,
                org=org,
                docs=docs,
                news=news,
                budget=budget,
                other=other,
            ),
            tuple(stated),
        ),
        Para(
            ctx.fill(
                "在主动公开信息工作中，通过政府网站公开信息{web}条，通过政务微博、微信、公开栏等其他渠道"
                "公开信息{rest}条。",
                web=web,
                rest=total - web,
            ),
            channels,
        ),
    ]


def _requests(ctx: Ctx) -> list[Block]:
    rng = ctx.rng
    count = rng.choice([0, 0, 1, 2, 3, rng.randint(4, 30)])
    heading = Heading("三、依申请公开政府信息情况")
    if count == 0:
        none = (Fact("prose", "依申请公开", "收到申请", 0, "件"),)
        return [heading, Para(ctx.fill("{year}年，{unit}未收到政府信息公开申请。"), none)]
    desk, web, mail = split(rng, count, 3)
    agree, partial, other = split(rng, count, 3)
    text = ctx.fill(
        "{year}年，{unit}共受理政府信息公开申请{count}件，其中当面申请{desk}件，网上申请{web}件，"
        "信函申请{mail}件。已全部按时答复，其中同意公开{agree}件，同意部分公开{partial}件，"
        "非本机关政府信息或信息不存在{other}件。",
        count=count,
        desk=desk,
        web=web,
        mail=mail,
        agree=agree,
        partial=partial,
        other=other,
    )
    stated = [Fact("prose", "依申请公开", "收到申请", count, "件")]
    stated += [
        Fact("prose", "依申请公开方式", k, n, "件")
        for k, n in (("当面申请", desk), ("网上申请", web), ("信函申请", mail))
    ]
    stated += [Fact("prose", "依申请公开结果", k, n, "件")
               for k, n in (("同意公开", agree), ("同意部分公开", partial),
                            ("非本机关政府信息或信息不存在", other))]  # fmt: skip
    return [heading, Para(text, tuple(stated))]
