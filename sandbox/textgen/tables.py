"""The statistical tables of the unified formats: 国办公开办函〔2019〕60号 (trial, "2019") and
〔2021〕30号 ("2021"). Row and column labels follow reports.md §1 and seed 002; cells merged in
the original appear once, in their first position (empty strings after them)."""

from __future__ import annotations

from sandbox.document import Table
from sandbox.textgen.common import Ctx, sparse

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
REVIEW_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def proactive(ctx: Ctx, version: str) -> list[Table]:
    """Section 二: one table in the trial format, two in the 2021 format."""
    rng = ctx.rng
    rules = [("规章", 0, 0, 0)]
    made = sparse(rng, 6 * ctx.scale(), 0.5)
    rules.append(("规范性文件" if version == "2019" else "行政规范性文件", made, *_two(ctx, made)))
    if version == "2019":
        return [Table(tuple(_trial_proactive_rows(ctx, rules)))]
    first = [("第二十条第（一）项",), ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")]
    first += [(name, str(a), str(b), str(c)) for name, a, b, c in rules]
    second = [("第二十条第（五）项",), ("信息内容", "本年处理决定数量")]
    second += [("行政许可", str(sparse(rng, 900, 0.4)))]
    second += [("第二十条第（六）项",), ("信息内容", "本年处理决定数量")]
    second += [("行政处罚", str(sparse(rng, 600, 0.3))), ("行政强制", str(sparse(rng, 40)))]
    second += [("第二十条第（八）项",), ("信息内容", "本年收费金额（单位：万元）")]
    second += [("行政事业性收费", f"{sparse(rng, 500, 0.7) / 10:.1f}")]
    return [Table(tuple(first)), Table(tuple(second))]


def _two(ctx: Ctx, made: int) -> tuple[int, int]:
    repealed = ctx.rng.randint(0, made)
    return repealed, made - repealed + ctx.rng.randint(0, 30)


def _trial_proactive_rows(ctx: Ctx, rules) -> list[tuple[str, ...]]:
    rng = ctx.rng
    rows: list[tuple[str, ...]] = [("第二十条第（一）项",)]
    rows += [("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")]
    rows += [(name, str(a), str(a), str(c)) for name, a, _b, c in rules]
    counts = ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量")
    rows += [("第二十条第（五）项",), counts]
    rows += [("行政许可", str(rng.randint(0, 60)), str(rng.randint(-3, 5)), str(sparse(rng, 900)))]
    rows += [("其他对外管理服务事项", str(rng.randint(0, 120)), "0", str(sparse(rng, 6000)))]
    rows += [("第二十条第（六）项",), counts]
    rows += [("行政处罚", str(rng.randint(0, 20)), "0", str(sparse(rng, 600, 0.3)))]
    rows += [("行政强制", str(rng.randint(0, 5)), "0", str(sparse(rng, 40)))]
    rows += [("第二十条第（八）项",), ("信息内容", "上一年项目数量", "本年增/减")]
    rows += [("行政事业性收费", str(rng.randint(0, 4)), "0")]
    rows += [("第二十条第（九）项",), ("信息内容", "采购项目数量", "采购总金额")]
    amount = rng.randint(0, 300000) / 100
    rows += [("政府集中采购", str(rng.randint(0, 40)), f"{amount:.2f}万元")]
    return rows


def requests(ctx: Ctx, version: str) -> tuple[Table, int]:
    """Section 三: the applications table; also returns the number of new applications.

    Every column keeps the table's own check: 本年新收 + 上年结转 = 总计 + 结转下年度."""
    rng = ctx.rng
    outcome_labels = _outcome_labels(version)
    new = [sparse(rng, 25 * ctx.scale(), 0.3), sparse(rng, 4, 0.7)] + [
        sparse(rng, 2, 0.9) for _ in range(4)
    ]
    carried = [sparse(rng, 3, 0.8) if n else 0 for n in new]
    forward = [rng.randint(0, min(2, n + c)) for n, c in zip(new, carried, strict=True)]
    handled = [n + c - f for n, c, f in zip(new, carried, forward, strict=True)]
    per_column = [_spread(ctx, h, len(outcome_labels)) for h in handled]
    rows = _request_header()
    rows.append(("一、本年新收政府信息公开申请数量", *_with_total(new)))
    rows.append(("二、上年结转政府信息公开申请数量", *_with_total(carried)))
    for i, label in enumerate(outcome_labels):
        rows.append((*label, *_with_total([col[i] for col in per_column])))
    rows.append(("", "（七）总计", *_with_total(handled)))
    rows.append(("四、结转下年度继续办理", *_with_total(forward)))
    return Table(tuple(rows)), sum(new)


def _request_header() -> list[tuple[str, ...]]:
    check = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    return [
        (check, "申请人情况"),
        ("", "自然人", "法人或其他组织", "", "", "", "", "总计"),
        ("", "", *APPLICANTS[1:6]),
    ]


def _outcome_labels(version: str) -> list[tuple[str, ...]]:
    labels: list[tuple[str, ...]] = [
        ("三、本年度办理结果", "（一）予以公开"),
        ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ]
    labels += [("", "（三）不予公开" if i == 0 else "", r) for i, r in enumerate(REFUSED)]
    labels += [("", "（四）无法提供" if i == 0 else "", r) for i, r in enumerate(UNAVAILABLE)]
    labels += [("", "（五）不予处理" if i == 0 else "", r) for i, r in enumerate(NOT_HANDLED)]
    if version == "2019":
        labels.append(("", "（六）其他处理"))
    else:
        labels += [("", "（六）其他处理" if i == 0 else "", r) for i, r in enumerate(OTHER_2021)]
    return labels


def _spread(ctx: Ctx, handled: int, slots: int) -> list[int]:
    """Distribute handled applications over outcomes, most of them disclosed or not held."""
    weights = [6, 2] + [1] * (slots - 2)
    weights[10] = 4  # 本机关不掌握相关政府信息: the usual answer after 予以公开
    out = [0] * slots
    for slot in ctx.rng.choices(range(slots), weights=weights, k=handled):
        out[slot] += 1
    return out


def _with_total(values: list[int]) -> tuple[str, ...]:
    return (*(str(v) for v in values), str(sum(values)))


def reviews(ctx: Ctx) -> Table:
    """Section 四: 15 numbers, 行政复议 / 未经复议直接起诉 / 复议后起诉, five columns each."""
    numbers: list[int] = []
    for _group in range(3):
        parts = [sparse(ctx.rng, 2, 0.85) for _ in range(4)]
        numbers += [*parts, sum(parts)]
    rows = (
        ("行政复议", "", "", "", "", "行政诉讼"),
        ("", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉"),
        REVIEW_COLS * 3,
        tuple(str(n) for n in numbers),
    )
    return Table(rows)


def review_total(table: Table) -> int:
    return sum(int(table.rows[3][i]) for i in (4, 9, 14))
