"""Figures stated in sentences: reports before 2019 (2008 条例) have no tables, only prose such
as "全年主动公开政府信息269条，其中：1.组织机构类信息3条；…" and "共受理信息公开申请2件" (seeds
000, 001). Each pattern reads one kind of statement; a sentence none of them knows is left
alone. A statement of none ("未收到信息公开申请") is a stated 0, kept with its words as raw."""

from __future__ import annotations

import re
import unicodedata

from crawler.figures.model import CONFIDENCE, PROSE_CONFIDENCE, Figure

TABLE = "prose"
_N = r"(\d+)\s*(条|件|宗|项)"
_SENTENCE = re.compile(r"[^。\n]+")
_PROACTIVE = re.compile(r"主动公开(?:各类)?(?:政府)?信息(?:共计|共|总计|合计)?\s*" + _N)
_CLAUSE = re.compile(r"[^，,；;：:。]+")
_ITEM = re.compile(r"^(?:\d+\s*[.．、]\s*)?(?:其中)?(.{2,30}?)" + _N + r"$")
_CHANNEL = re.compile(r"^(?:其中)?(?:通过)?(.{2,24}?)(?:发布|公开)(?:政府)?信息\s*" + _N + r"$")
_RECEIVED = re.compile(
    r"(?:共|全年|累计|共计)?(?:受理|收到|接收)(?:了)?(?:依申请公开|(?:政府)?信息公开)申请(?:共计|共)?\s*"
    r"(\d+)\s*(件|宗|条|项)"
)
_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|受理|接到)(?:任何)?(?:政府)?信息公开申请")
_HOW = re.compile(r"(当面申请|网上申请|信函申请|传真申请|电子邮件申请|电话申请)\s*" + _N)
_OUTCOME = re.compile(
    r"[“\"]?(同意部分公开|同意公开|部分公开|不予公开|非本机关(?:政府)?信息(?:或信息不存在)?|"
    r"信息不存在|申请内容不明确)[”\"]?(?:的)?\s*" + _N
)
_NO_REVIEW = re.compile(
    r"(?:没有|未|无)(?:发生)?[^。；]{0,30}?(行政复议|复议)[^。；]{0,6}?(?:和|、|及|或)?"
    r"[^。；]{0,10}?(行政诉讼|诉讼)"
)
_NO_FEE = re.compile(r"(?:未|不|没有)收取[^。；]{0,20}?费用")
_FEE = re.compile(r"收取的?费用[^。；]{0,20}?为\s*(\d+)\s*元")


def prose_figures(text: str, source: str = "text") -> list[Figure]:
    text = unicodedata.normalize("NFKC", text)
    out: dict[tuple[str, str], Figure] = {}
    # a sentence pattern over OCR'd words is no surer than the words
    confidence = min(PROSE_CONFIDENCE, CONFIDENCE.get(source, PROSE_CONFIDENCE))

    def emit(row: str, col: str, value: int, raw: str, unit: str | None) -> None:
        figure = Figure("pre2019", TABLE, row, col, value, raw.strip(), unit, source,
                        confidence)  # fmt: skip
        out.setdefault((row, col), figure)

    for sentence in _SENTENCE.findall(text):
        _proactive(sentence, emit)
        _requests(sentence, emit)
        if match := _NO_REVIEW.search(sentence):
            emit("复议诉讼", "行政复议", 0, match.group(0), "件")
            emit("复议诉讼", "行政诉讼", 0, match.group(0), "件")
        if "依申请" in sentence or "信息公开" in sentence:
            if match := _FEE.search(sentence):
                emit("收费", "金额", int(match.group(1)), match.group(0), "元")
            elif match := _NO_FEE.search(sentence):
                emit("收费", "金额", 0, match.group(0), "元")
    return list(out.values())


def _proactive(sentence: str, emit) -> None:
    if match := _PROACTIVE.search(sentence):
        emit("主动公开", "总数", int(match.group(1)), match.group(0), match.group(2))
        rest = sentence[match.end() :]
        if "其中" in rest[:6]:
            for clause in _CLAUSE.findall(rest):
                item = _ITEM.match(_bare(clause))
                if item and "其中" not in item.group(1):
                    emit("主动公开", _label(item.group(1)), int(item.group(2)), clause,
                         item.group(3))  # fmt: skip
        return
    if "通过" in sentence or "渠道" in sentence:
        for clause in _CLAUSE.findall(sentence):
            channel = _CHANNEL.match(_bare(clause))
            if channel and "渠道和方式" not in channel.group(1):
                emit("主动公开渠道", _label(channel.group(1)), int(channel.group(2)), clause,
                     channel.group(3))  # fmt: skip


def _requests(sentence: str, emit) -> None:
    if match := _RECEIVED.search(sentence):
        emit("依申请公开", "收到申请", int(match.group(1)), match.group(0), match.group(2))
        for how in _HOW.finditer(sentence):
            emit("依申请公开方式", how.group(1), int(how.group(2)), how.group(0), how.group(3))
    elif match := _NONE_RECEIVED.search(sentence):
        emit("依申请公开", "收到申请", 0, match.group(0), "件")
    for outcome in _OUTCOME.finditer(sentence):
        emit("依申请公开结果", outcome.group(1), int(outcome.group(2)), outcome.group(0),
             outcome.group(3))  # fmt: skip


def _bare(clause: str) -> str:
    return re.sub(r"\s+", "", clause)


def _label(words: str) -> str:
    return re.sub(r"^(?:\d+[.．、]|其中)+", "", words)
