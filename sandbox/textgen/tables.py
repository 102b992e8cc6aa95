"""The statistical tables of the unified formats: 国办公开办函〔2019〕60号 (trial, "2019") and
〔2021〕30号 ("2021"). Row and column labels follow reports.md §1 and seed 002; cells merged in
the original appear once, in their first position (empty strings after them). Every number is
keyed (keyed.py) under the template's canonical keys, for the manifest's truth figures."""

from __future__ import annotations

from sandbox.textgen.common import Ctx, sparse
from sandbox.textgen.keyed import Key, KeyedTable

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
REFUSED = (
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
)
UNAVAILABLE = (
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
)
NOT_HANDLED = (
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
)
OTHER_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)
REVIEW_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
REVIEW_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
RULE_COLS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
}
COUNT_COLS = (("上一年项目数量", "项"), ("本年增/减", "项"), ("处理决定数量", "件"))


def proactive(ctx: Ctx, version: str) -> list[KeyedTable]:
    """Section 二: one table in the trial format, two in the 2021 format."""
    rng = ctx.rng
    rules = [("规章", 0, 0, 0)]
    made = sparse(rng, 6 * ctx.scale(), 0.5)
    rules.append(("规范性文件" if version == "2019" else "行政规范性文件", made, *_two(ctx, made)))
    if version == "2019":
        return [_trial_proactive(ctx, rules)]
    first = KeyedTable("二", version, [])
    first.header("第二十条第（一）项")
    first.header("信息内容", *RULE_COLS["2021"])
    for name, *values in rules:
        first.add((name,), _cells(name, RULE_COLS["2021"], values, "件"))
    second = KeyedTable("二", version, [])
    decision = ("本年处理决定数量",)
    second.header("第二十条第（五）项")
    second.header("信息内容", *decision)
    second.add(("行政许可",), _cells("行政许可", decision, [sparse(rng, 900, 0.4)], "件"))
    second.header("第二十条第（六）项")
    second.header("信息内容", *decision)
    second.add(("行政处罚",), _cells("行政处罚", decision, [sparse(rng, 600, 0.3)], "件"))
    second.add(("行政强制",), _cells("行政强制", decision, [sparse(rng, 40)], "件"))
    second.header("第二十条第（八）项")
    second.header("信息内容", "本年收费金额（单位：万元）")
    fee = f"{sparse(rng, 500, 0.7) / 10:.1f}"
    second.add(("行政事业性收费",), [(fee, Key("二", "行政事业性收费", "本年收费金额", "万元"))])
    return [first, second]


def _cells(row: str, cols: tuple[str, ...], values: list, unit: str) -> list[tuple[str, Key]]:
    return [(str(v), Key("二", row, col, unit)) for col, v in zip(cols, values, strict=True)]


def _two(ctx: Ctx, made: int) -> tuple[int, int]:
    repealed = ctx.rng.randint(0, made)
    return repealed, made - repealed + ctx.rng.randint(0, 30)


def _trial_proactive(ctx: Ctx, rules) -> KeyedTable:
    rng = ctx.rng
    table = KeyedTable("二", "2019", [])
    table.header("第二十条第（一）项")
    table.header("信息内容", *RULE_COLS["2019"])
    for name, a, _b, c in rules:
        table.add((name,), _cells(name, RULE_COLS["2019"], [a, a, c], "件"))
    counts = ("信息内容", *(col for col, _ in COUNT_COLS))
    table.header("第二十条第（五）项")
    table.header(*counts)
    table.add(
        ("行政许可",),
        _counted("行政许可", rng.randint(0, 60), rng.randint(-3, 5), sparse(rng, 900)),
    )
    table.add(
        ("其他对外管理服务事项",),
        _counted("其他对外管理服务事项", rng.randint(0, 120), 0, sparse(rng, 6000)),
    )
    table.header("第二十条第（六）项")
    table.header(*counts)
    table.add(("行政处罚",), _counted("行政处罚", rng.randint(0, 20), 0, sparse(rng, 600, 0.3)))
    table.add(("行政强制",), _counted("行政强制", rng.randint(0, 5), 0, sparse(rng, 40)))
    table.header("第二十条第（八）项")
    table.header("信息内容", "上一年项目数量", "本年增/减")
    table.add(("行政事业性收费",), _counted("行政事业性收费", rng.randint(0, 4), 0))
    table.header("第二十条第（九）项")
    table.header("信息内容", "采购项目数量", "采购总金额")
    amount = rng.randint(0, 300000) / 100
    purchases = [
        (str(rng.randint(0, 40)), Key("二", "政府集中采购", "采购项目数量", "项")),
        (f"{amount:.2f}万元", Key("二", "政府集中采购", "采购总金额", "万元")),
    ]
    table.add(("政府集中采购",), purchases)
    return table  # fmt: skip


def _counted(row: str, *values: int) -> list[tuple[str, Key]]:
    return [
        (str(v), Key("二", row, col, unit))
        for (col, unit), v in zip(COUNT_COLS, values, strict=False)
    ]


def requests(ctx: Ctx, version: str) -> tuple[KeyedTable, int]:
    """Section 三: the applications table; also returns the number of new applications.

    Every column keeps the table's own check: 本年新收 + 上年结转 = 总计 + 结转下年度."""
    rng = ctx.rng
    outcomes = _outcomes(version)
    new = [sparse(rng, 25 * ctx.scale(), 0.3), sparse(rng, 4, 0.7)] + [
        sparse(rng, 2, 0.9) for _ in range(4)
    ]
    carried = [sparse(rng, 3, 0.8) if n else 0 for n in new]
    forward = [rng.randint(0, min(2, n + c)) for n, c in zip(new, carried, strict=True)]
    handled = [n + c - f for n, c, f in zip(new, carried, forward, strict=True)]
    per_column = [_spread(ctx, h, len(outcomes)) for h in handled]
    table = KeyedTable("三", version, [])
    _request_header(table)
    table.add(("一、本年新收政府信息公开申请数量",), _applicant_cells("一", new))
    table.add(("二、上年结转政府信息公开申请数量",), _applicant_cells("二", carried))
    for i, (labels, key) in enumerate(outcomes):
        table.add(labels, _applicant_cells(key, [col[i] for col in per_column]))
    table.add(("", "（七）总计"), _applicant_cells("三（七）", handled))
    table.add(("四、结转下年度继续办理",), _applicant_cells("四", forward))
    return table, sum(new)


def _request_header(table: KeyedTable) -> None:
    check = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    table.header(check, "申请人情况")
    table.header("", "自然人", "法人或其他组织", "", "", "", "", "总计")
    table.header("", "", *APPLICANTS[1:6])


def _applicant_cells(row: str, values: list[int]) -> list[tuple[str, Key]]:
    return [
        (str(v), Key("三", row, col, "件"))
        for col, v in zip(APPLICANTS, [*values, sum(values)], strict=True)
    ]


def _outcomes(version: str) -> list[tuple[tuple[str, ...], str]]:
    """(label cells, row key) of the 办理结果 rows."""
    labels: list[tuple[tuple[str, ...], str]] = [
        (("三、本年度办理结果", "（一）予以公开"), "三（一）"),
        (("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), "三（二）"),
    ]
    groups = [("三", "（三）不予公开", REFUSED), ("四", "（四）无法提供", UNAVAILABLE),
              ("五", "（五）不予处理", NOT_HANDLED)]  # fmt: skip
    if version == "2021":
        groups.append(("六", "（六）其他处理", OTHER_2021))
    for numeral, group, items in groups:
        labels += [
            (("", group if i == 0 else "", item), f"三（{numeral}）{i + 1}")
            for i, item in enumerate(items)
        ]
    if version == "2019":
        labels.append((("", "（六）其他处理"), "三（六）"))
    return labels


def _spread(ctx: Ctx, handled: int, slots: int) -> list[int]:
    """Distribute handled applications over outcomes, most of them disclosed or not held."""
    weights = [6, 2] + [1] * (slots - 2)
    weights[10] = 4  # 本机关不掌握相关政府信息: the usual answer after 予以公开
    out = [0] * slots
    for slot in ctx.rng.choices(range(slots), weights=weights, k=handled):
        out[slot] += 1
    return out


def reviews(ctx: Ctx, version: str) -> KeyedTable:
    """Section 四: 15 numbers, 行政复议 / 未经复议直接起诉 / 复议后起诉, five columns each."""
    numbers: list[int] = []
    for _group in range(3):
        parts = [sparse(ctx.rng, 2, 0.85) for _ in range(4)]
        numbers += [*parts, sum(parts)]
    table = KeyedTable("四", version, [])
    table.header("行政复议", "", "", "", "", "行政诉讼")
    table.header("", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉")
    table.header(*REVIEW_COLS * 3)
    keys = [Key("四", group, col, "件") for group in REVIEW_GROUPS for col in REVIEW_COLS]
    table.add((), [(str(n), key) for n, key in zip(numbers, keys, strict=True)])
    return table
