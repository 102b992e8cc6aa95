"""Canonical keys of the unified templates, from their official labels (reports.md §1, §3), and
the matching of the many real spellings onto them.

Keys follow the template's own numbering: section 三's rows are "一", "二", "三（一）" ...
"三（六）3", "三（七）", "四"; its columns are the applicant labels. Real labels differ in
全角/半角 numbering, spaces, quotes, line wraps and truncation ("3．危及“三安全一稳定”",
"3.危及三安全一稳定", "2. 其他法律行政 法规禁止公开"), so a label is matched by a distinctive
core phrase after folding, not by equality."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- section 三: applications received and handled ---------------------------------------

NATURAL, TOTAL = "自然人", "总计"
LEGAL = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANTS = (NATURAL, *LEGAL, TOTAL)
LEGAL_SUBTOTAL = "法人或其他组织小计"  # a column some reports add: derived, not template

REFUSED = ("国家秘密", "法律行政法规禁止公开", "三安全一稳定", "第三方合法权益",
           "三类内部事务", "四类过程性", "行政执法案卷", "行政查询事项")  # fmt: skip
UNAVAILABLE = ("不掌握", "没有现成信息", "补正后")
NOT_HANDLED = ("信访举报投诉", "重复申请", "公开出版物", "大量反复申请", "确认或重新出具")
OTHER_2021 = ("逾期不补正", "收费通知")  # the third, "3.其他", is matched exactly

# (row key, official label)
REQUEST_LABELS: dict[str, str] = {
    "一": "一、本年新收政府信息公开申请数量",
    "二": "二、上年结转政府信息公开申请数量",
    "三（一）": "（一）予以公开",
    "三（二）": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "三（三）1": "1.属于国家秘密",
    "三（三）2": "2.其他法律行政法规禁止公开",
    "三（三）3": "3.危及“三安全一稳定”",
    "三（三）4": "4.保护第三方合法权益",
    "三（三）5": "5.属于三类内部事务信息",
    "三（三）6": "6.属于四类过程性信息",
    "三（三）7": "7.属于行政执法案卷",
    "三（三）8": "8.属于行政查询事项",
    "三（四）1": "1.本机关不掌握相关政府信息",
    "三（四）2": "2.没有现成信息需要另行制作",
    "三（四）3": "3.补正后申请内容仍不明确",
    "三（五）1": "1.信访举报投诉类申请",
    "三（五）2": "2.重复申请",
    "三（五）3": "3.要求提供公开出版物",
    "三（五）4": "4.无正当理由大量反复申请",
    "三（五）5": "5.要求行政机关确认或重新出具已获取信息",
    "三（六）": "（六）其他处理",
    "三（六）1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "三（六）2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "三（六）3": "3.其他",
    "三（七）": "（七）总计",
    "四": "四、结转下年度继续办理",
    "三（三）": "（三）不予公开",
    "三（四）": "（四）无法提供",
    "三（五）": "（五）不予处理",
}
GROUPS = {
    "三（三）": "不予公开",
    "三（四）": "无法提供",
    "三（五）": "不予处理",
    "三（六）": "其他处理",
}
_ITEM_CORES: list[tuple[str, str]] = [
    *((f"三（三）{i}", core) for i, core in enumerate(REFUSED, 1)),
    *((f"三（四）{i}", core) for i, core in enumerate(UNAVAILABLE, 1)),
    ("三（四）2", "另行制作"),
    *((f"三（五）{i}", core) for i, core in enumerate(NOT_HANDLED, 1)),
    *((f"三（六）{i}", core) for i, core in enumerate(OTHER_2021, 1)),
    ("三（六）2", "缴纳费用"),
    ("一", "本年新收"),
    ("二", "上年结转"),
    ("四", "结转下年度"),
]


def outcome_rows(template: str) -> list[str]:
    """The rows that add up to （七）总计 (check T3-a): 2019 has one （六）其他处理 row."""
    rows = ["三（一）", "三（二）"]
    rows += [f"三（三）{i}" for i in range(1, 9)]
    rows += [f"三（四）{i}" for i in range(1, 4)]
    rows += [f"三（五）{i}" for i in range(1, 6)]
    rows += ["三（六）"] if template == "2019" else [f"三（六）{i}" for i in range(1, 4)]
    return rows


def request_rows(template: str) -> list[str]:
    """Section 三's template rows in order: 25 in 2021, 23 in the 2019 trial format."""
    return ["一", "二", *outcome_rows(template), "三（七）", "四"]


# --- section 四: administrative review and litigation -------------------------------------

REVIEW_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
REVIEW_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# --- section 二: information published on the unit's own initiative -----------------------

# template -> {row key: ((column key, unit), ...)}
PROACTIVE: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "2021": {
        "规章": (("本年制发件数", "件"), ("本年废止件数", "件"), ("现行有效件数", "件")),
        "行政规范性文件": (("本年制发件数", "件"), ("本年废止件数", "件"), ("现行有效件数", "件")),
        "行政许可": (("本年处理决定数量", "件"),),
        "行政处罚": (("本年处理决定数量", "件"),),
        "行政强制": (("本年处理决定数量", "件"),),
        "行政事业性收费": (("本年收费金额", "万元"),),
    },
    "2019": {
        "规章": (("本年新制作数量", "件"), ("本年新公开数量", "件"), ("对外公开总数量", "件")),
        "规范性文件": (("本年新制作数量", "件"), ("本年新公开数量", "件"), ("对外公开总数量", "件")),
        "行政许可": (("上一年项目数量", "项"), ("本年增/减", "项"), ("处理决定数量", "件")),
        "其他对外管理服务事项": (("上一年项目数量", "项"), ("本年增/减", "项"), ("处理决定数量", "件")),
        "行政处罚": (("上一年项目数量", "项"), ("本年增/减", "项"), ("处理决定数量", "件")),
        "行政强制": (("上一年项目数量", "项"), ("本年增/减", "项"), ("处理决定数量", "件")),
        "行政事业性收费": (("上一年项目数量", "项"), ("本年增/减", "项")),
        "政府集中采购": (("采购项目数量", "项"), ("采购总金额", "万元")),
    },
}  # fmt: skip
_PROACTIVE_NAMES = {
    "规章": "规章",
    "行政规范性文件": "规范性文件",
    "规范性文件": "规范性文件",
    "行政许可": "行政许可",
    "其他对外管理服务事项": "其他对外管理服务事项",
    "行政处罚": "行政处罚",
    "行政强制": "行政强制",
    "行政事业性收费": "行政事业性收费",
    "政府集中采购": "政府集中采购",
}

# Words that only one template generation prints (crawler/cleaning/template.py reads the same).
MARKS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
              "逾期不补正", "收费通知")  # fmt: skip
MARKS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量",
              "其他对外管理服务事项", "政府集中采购")  # fmt: skip

# --- folding and matching -----------------------------------------------------------------

_PUNCT = re.compile(r"[\s\"'“”‘’「」『』、,，.。．:：;；()（）《》〈〉【】\[\]<>·•*_~…-]+")
_NUMBERING = re.compile(r"^(?:\(?[一二三四五六七八九十]{1,3}\)?|\d{1,2})(?=\D|$)")
# Where a run of label text starts a new numbered label: "（六）其他处理3.其他" is two labels.
_SEGMENT = re.compile(
    r"(?=[（(][一二三四五六七八九十]{1,2}[)）])|(?<![\d.．])(?=\d{1,2}\s*[.．、](?!\d))"
    r"|(?=(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*、)"
)


@lru_cache(maxsize=8192)  # every row of every table asks again for the same labels
def fold(label: str) -> str:
    """A label reduced to its words: NFKC, no whitespace, quotes or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", label))


@lru_cache(maxsize=8192)
def bare(label: str) -> str:
    """fold() without the leading numbering: "3．其他" -> "其他", "（七）总计" -> "总计"."""
    return _NUMBERING.sub("", fold(label), count=1)


def segments(label: str) -> list[str]:
    """A label run split where a new numbered label starts (PDF and OCR join wrapped cells)."""
    return [part for part in _SEGMENT.split(label) if part.strip()]


@lru_cache(maxsize=8192)
def request_row(label: str) -> str | None:
    """The section 三 row key a label names (items before groups), or None. Groups
    ("（三）不予公开") and "小计" come back as their group key / "小计" for the caller."""
    folded = fold(label)
    for key, core in _ITEM_CORES:
        if core in folded:
            return key
    if "不予" not in folded:  # "不予以公开" is the group （三）, not the row （一）
        if "予以公开" in folded:
            return "三（一）"
        if "部分公开" in folded:
            return "三（二）"
    name = bare(label)
    if name in ("其他", "其它"):
        return "三（六）3"
    if name in ("总计", "合计总计"):
        return "三（七）"
    if name.endswith(("小计", "合计")):
        group = request_group(name)
        return group + "小计" if group else "小计"
    return request_group(folded)


def request_group(label: str) -> str | None:
    folded = fold(label).replace("不予以", "不予")
    for key, word in GROUPS.items():
        if word in folded:
            return key
    return None


def proactive_row(label: str) -> str | None:
    """The section 二 item a label names (template-neutral: "规范性文件" for both spellings)."""
    return _PROACTIVE_NAMES.get(bare(label))


def proactive_key(name: str, template: str) -> str:
    """The item's key in `template`: 2021 says 行政规范性文件 where the trial said 规范性文件."""
    if name == "规范性文件" and template == "2021":
        return "行政规范性文件"
    return name


def applicant(label: str) -> str | None:
    """A column header of section 三: one of APPLICANTS, LEGAL_SUBTOTAL, or None."""
    name = bare(label)
    if name in APPLICANTS:
        return name
    if name == "其它":
        return "其他"
    if name in ("小计", "合计", LEGAL_SUBTOTAL, "法人或其他组织合计"):
        return LEGAL_SUBTOTAL
    return None


def review_group(label: str) -> str | None:
    name = bare(label)
    return name if name in REVIEW_GROUPS else None


def review_col(label: str) -> str | None:
    name = bare(label)
    return name if name in REVIEW_COLS else None
