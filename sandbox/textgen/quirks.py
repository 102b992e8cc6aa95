"""Real-world irregularities of the unified templates' tables, injected deterministically into
some generated reports and recorded in the truth (Table.quirks, Table.expect):

- ``soup``: the HTML is Word-exported soup: label cells merged with rowspan/colspan, cell text
  in ``<p><span>`` (long labels split over two paragraphs), ``&nbsp;`` in empty cells, an empty
  spacer cell at row ends and Word's column-width row; DOCX merges cells vertically too.
- ``subtotal_rows``: a 小计 row closing each of the groups （三）-（六） of section 三 (derived).
- ``subtotal_column``: a 法人或其他组织小计 column after 其他 (derived).
- ``missing``: cells printed as "/", "—", "-", "无" or left blank; never 0 in the truth.
- ``bad_total``: a 总计 that does not add up (an outcome row of 三 or a group of 四).
- ``spelling``: labels as real reports spell them: "1．"/"1、"/"1. " numbering, "(三)" for
  "（三）", "三安全一稳定" without quotes or with ASCII ones, a space inside a long label,
  "规范性文件" for "行政规范性文件" in a 2021 table, "其它" for "其他".

The table's own check rows (一, 二, （七）总计, 四 of section 三) are left whole: their identity is
what tests/sandbox/test_corpus.py holds every generated table to. Which checks must not PASS is
computed here from the keyed cells (expected_checks), independently of any parser.
"""

from __future__ import annotations

import random

from sandbox.textgen.keyed import Key, KeyedTable, value_of

SOUP, SUBTOTAL_ROWS, SUBTOTAL_COLUMN = "soup", "subtotal_rows", "subtotal_column"
MISSING, BAD_TOTAL, SPELLING = "missing", "bad_total", "spelling"
RATES = {SOUP: 0.5, SUBTOTAL_ROWS: 0.15, SUBTOTAL_COLUMN: 0.1, MISSING: 0.15, BAD_TOTAL: 0.12,
         SPELLING: 0.3}  # fmt: skip
MARKS = ("/", "/", "—", "-", "无", "")
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
LEGAL = APPLICANTS[1:6]
SUBTOTAL_COL = "法人或其他组织小计"


def apply(tables: list[KeyedTable], rng: random.Random) -> None:
    """Draw this report's irregularities and apply them (in place) to its tables."""
    drawn = {name: rng.random() < rate for name, rate in RATES.items()}
    by_section = {t.section: t for t in tables if t.section in ("三", "四")}
    requests, reviews = by_section.get("三"), by_section.get("四")
    if drawn[SOUP]:
        for table in tables:
            table.soup = True
            table.quirks.append(SOUP)
    if requests is not None and drawn[SUBTOTAL_ROWS]:
        _subtotal_rows(requests)
    if requests is not None and drawn[SUBTOTAL_COLUMN]:
        _subtotal_column(requests)
    if requests is not None and reviews is not None and drawn[MISSING]:
        _missing(requests, reviews, rng)
    if requests is not None and reviews is not None and drawn[BAD_TOTAL]:
        _bad_total(requests, reviews, rng)
    if drawn[SPELLING]:
        for table in tables:
            _respell(table, rng)


# Spelled as printed: the rows of the table's own check and its header (see the docstring).
KEPT = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（七）总计",
        "四、结转下年度继续办理")  # fmt: skip


def _respell(table: KeyedTable, rng: random.Random) -> None:
    numbering = rng.choice(("．", "、", ". "))
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if text and (r, c) not in table.keys and text not in KEPT and "勾稽" not in text:
                row[c] = _variant(text, numbering, rng)
    table.quirks.append(SPELLING)


def _variant(label: str, numbering: str, rng: random.Random) -> str:
    if label[:1].isdigit() and label[1:2] == ".":
        label = label[0] + numbering + label[2:]
    if label.startswith("（") and label[2:3] == "）":
        label = f"({label[1]})" + label[3:]
    label = label.replace("“三安全一稳定”", rng.choice(("三安全一稳定", '"三安全一稳定"')))
    if label == "行政规范性文件":
        label = "规范性文件"
    if label in ("其他", "3.其他") or (label.endswith("其他") and len(label) <= 4):
        label = label.replace("其他", "其它")
    if len(label) > 10 and rng.random() < 0.5:
        cut = next((i for i in range(len(label) // 2, len(label) - 1)
                    if "\u4e00" <= label[i - 1] <= "\u9fff" and "\u4e00" <= label[i] <= "\u9fff"),
                   None)  # fmt: skip
        if cut:
            label = label[:cut] + " " + label[cut:]
    return label


def _outcome_positions(table: KeyedTable, col: str) -> list[tuple[int, int]]:
    return sorted(
        p
        for p, k in table.keys.items()
        if k.col == col and not k.derived and k.row.startswith("三（") and k.row != "三（七）"
    )


def _subtotal_rows(table: KeyedTable) -> None:
    groups = sorted({k.row[:4] for k in table.keys.values() if len(k.row) > 4})
    for group in groups:  # "三（三）" ... : rows "三（三）1" ...
        rows = sorted(
            {r for (r, _c), k in table.keys.items() if k.row[:4] == group and len(k.row) > 4}
        )
        last = rows[-1]
        sums: dict[int, int] = {}
        for r, c in table.keys:
            if r in rows:
                sums[c] = sums.get(c, 0) + value_of(table.rows[r][c])
        cols = {c: table.keys[(last, c)].col for c in sums}
        cells = ["", "", "小计"] + [str(sums[c]) for c in sorted(sums)]
        keys = {c: Key("三", group, cols[c], "件", derived=True) for c in sums}
        table.insert_row(last + 1, cells, keys)
    table.quirks.append(SUBTOTAL_ROWS)


def _subtotal_column(table: KeyedTable) -> None:
    for r, row in enumerate(list(table.rows)):
        if r == 1:  # 法人或其他组织 spans one more column
            table.insert_column(r, len(row) - 1, "", None)
        elif r == 2:
            table.insert_column(r, len(row), "小计", None)
        elif r > 2:
            legal = [c for (rr, c), k in table.keys.items() if rr == r and k.col in LEGAL]
            total = sum(value_of(table.rows[r][c]) or 0 for c in legal)
            key = table.keys[(r, legal[0])]
            column = Key("三", key.row, SUBTOTAL_COL, "件", derived=True)
            table.insert_column(r, max(legal) + 1, str(total), column)
    table.quirks.append(SUBTOTAL_COLUMN)


def _missing(requests: KeyedTable, reviews: KeyedTable, rng: random.Random) -> None:
    """1-3 outcome cells and perhaps one review cell printed as a missing mark. A blank ""
    never ends a row (cleaned text drops a trailing empty cell, so it would not be text)."""
    cells = [p for col in APPLICANTS for p in _outcome_positions(requests, col)]
    for r, c in rng.sample(cells, rng.randint(1, 3)):
        _mark(requests, r, c, rng)
    if rng.random() < 0.5:
        r, c = rng.choice(sorted(reviews.keys))
        _mark(reviews, r, c, rng)
    requests.quirks.append(MISSING)


def _mark(table: KeyedTable, r: int, c: int, rng: random.Random) -> None:
    mark = rng.choice(MARKS)
    last = c == len(table.rows[r]) - 1
    first = (r, c - 1) not in table.keys
    table.rows[r][c] = "/" if mark == "" and (last or first) else mark


def _bad_total(requests: KeyedTable, reviews: KeyedTable, rng: random.Random) -> None:
    """One 总计 off by 1-3: an outcome row's (T3-c and T3-a fail) or a review group's (T4)."""
    if rng.random() < 0.7:
        r, c = rng.choice(_outcome_positions(requests, "总计"))
        table = requests
    else:
        table = reviews
        r, c = rng.choice(sorted(p for p, k in reviews.keys.items() if k.col == "总计"))
    if value_of(table.rows[r][c]) is None:
        return
    table.rows[r][c] = str(value_of(table.rows[r][c]) + rng.randint(1, 3))
    table.quirks.append(BAD_TOTAL)


# --- the checks a table must not PASS --------------------------------------------------------


def expected_checks(table: KeyedTable) -> tuple[tuple[str, str, str], ...]:
    """(check, scope, status) for every identity of reports.md §3 this table's cells do not
    satisfy: FAIL when they disagree, UNCERTAIN when a needed cell is missing."""
    cells = {
        (k.row, k.col): value_of(table.rows[r][c])
        for (r, c), k in table.keys.items()
        if not k.derived
    }
    out = []
    for check, scope, left, right in _identities(table):
        if any(cells.get(k) is None for k in (*left, *right)):
            out.append((check, scope, "UNCERTAIN"))
        elif sum(cells[k] for k in left) != sum(cells[k] for k in right):
            out.append((check, scope, "FAIL"))
    return tuple(out)


def _identities(table: KeyedTable):
    if table.section == "四":
        for group in ("行政复议", "未经复议直接起诉", "复议后起诉"):
            parts = [(group, col) for col in ("结果维持", "结果纠正", "其他结果", "尚未审结")]
            yield "T4", group, [(group, "总计")], parts
        return
    if table.section != "三":
        return
    rows = list(dict.fromkeys(k.row for k in table.keys.values() if not k.derived))
    outcomes = [r for r in rows if r.startswith("三（") and r != "三（七）"]
    for col in APPLICANTS:
        yield "T3-a", col, [("三（七）", col)], [(r, col) for r in outcomes]
        yield "T3-b", col, [("一", col), ("二", col)], [("三（七）", col), ("四", col)]
    for row in rows:
        yield "T3-c", row, [(row, "总计")], [(row, col) for col in APPLICANTS[:-1]]
