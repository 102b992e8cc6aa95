"""Full-text search over the archive, complete for Chinese terms of any length, from indexes.

Query syntax (what users type, in the CLI and in the web UI alike):

- whitespace-separated terms are ANDed: ``依申请公开 2019`` finds reports containing both;
- ``"quoted phrases"`` (ASCII quotes or Chinese “…”) stay one term, spaces included;
  inside a quoted phrase ``""`` is a literal quote; a quote inside a bare word is literal too;
- there is no OR and no NOT: ``OR`` is an ordinary (two-character) term;
- matching is substring matching in the title, the text or the attachment text,
  case-insensitive for letters.

Two indexes, and no scan (crawler.archive.charindex; benchmarks/search.py measures them side by
side at 100,000 reports): when every term has TRIGRAM_FROM (3) characters or more, the trigram
index ``reports_fts`` answers (2 ms for a 3- or 5-character term, where the character index
takes 19-60 ms); when any term is shorter, the character index ``reports_chars`` (every
character one token, a term a phrase query) answers every term (15 ms for 2 characters, where
LIKE takes 860 ms; a 2 + 3 character query 25 ms, 126 ms when its 3-character term went to
trigram). Ranking is bm25 of the index that answered (title hits weigh 5x), then the newest
report year. Snippets are cut from the stored texts in Python, around the first hit, with every
term marked.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlite_utils import Database

from crawler.archive import charindex

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet hit markers; rendered by format_snippet()
TRIGRAM_FROM: int | None = 3  # queries whose terms are all this long go to trigram; None: never
SEARCHED_COLUMNS = charindex.COLUMNS
_QUOTES = {'"': '"', "“": "”"}
_WINDOW_BEFORE, _WINDOW_AFTER = 24, 56  # snippet window around the first hit, in characters
_SPACES = re.compile(r"\s+")
# Only columns stored before `text` in a reports row: reading a later one walks the text's
# overflow pages, for every match a ranked query sorts.
_RANKED = (
    "r.id, r.title, r.portal, r.unit, r.report_year, r.canonical_url, "
    "p.province, p.city, p.county, p.adcode, p.unit_name"
)
_FROM_PLACES = "LEFT JOIN report_places AS p ON p.report_id = r.id"


class QueryError(ValueError):
    """The user's query cannot be searched; the message says why, in one line."""


@dataclass(frozen=True)
class Filters:
    """Row filters: exact portal, report year and division code; unit name containing ``unit``."""

    portal: str | None = None
    year: int | None = None
    unit: str | None = None
    adcode: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    portal: str | None
    unit: str | None
    report_year: int | None
    canonical_url: str | None
    gone_at: str | None  # still searchable, flagged: the portal no longer serves it
    snippet: str  # hits wrapped in MARK_OPEN / MARK_CLOSE
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None
    unit_name: str | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["snippet"] = format_snippet(self.snippet)
        data["gone"] = self.gone_at is not None
        return data

    @property
    def place(self) -> str:
        return "".join(p for p in (self.city, self.county) if p)


@dataclass(frozen=True)
class Tally:
    """How many reports match, and how they spread over portals, years and places."""

    total: int
    portals: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    places: list[tuple[str, str, int]] = field(default_factory=list)  # (adcode, name, count)


def parse_query(query: str) -> list[str]:
    """Split user input into terms (see the module docstring); raise QueryError if unusable."""
    # Control characters (NUL above all) would cut the SQL string short and match everything.
    query = "".join(c for c in query if c.isspace() or unicodedata.category(c) != "Cc")
    terms: list[str] = []
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        if query[i] in _QUOTES:
            term, i = _read_phrase(query, i)
        else:
            j = i
            while j < n and not query[j].isspace():
                j += 1
            term, i = query[i:j], j
        if term and term not in terms:
            terms.append(term)
    if not terms:
        raise QueryError("empty query: type at least one term, e.g. 依申请公开")
    return terms


def _read_phrase(query: str, start: int) -> tuple[str, int]:
    close = _QUOTES[query[start]]
    chars: list[str] = []
    i = start + 1
    while i < len(query):
        if query[i] == close:
            if close == '"' and query[i + 1 : i + 2] == '"':  # "" inside a phrase: a literal quote
                chars.append('"')
                i += 2
                continue
            return "".join(chars).strip(), i + 1
        chars.append(query[i])
        i += 1
    raise QueryError(
        f"unbalanced quote: the phrase starting at {query[start : start + 12]!r} never closes"
    )


def _by_trigram(terms: list[str], trigram_from: int | None) -> bool:
    """Trigram answers a query only if every term is long enough for it."""
    return trigram_from is not None and all(len(t) >= trigram_from for t in terms)


def trigram_expression(terms: list[str]) -> str:
    """The MATCH string of the trigram index: each term a quoted FTS5 string, ANDed."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def chars_expression(terms: list[str]) -> str:
    """The MATCH string of the character index: each term a phrase of its characters, ANDed."""
    return " ".join(charindex.phrase(t) for t in terms)


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` literally anywhere (``\\`` is the escape character)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters_sql(filters: Filters) -> tuple[list[str], list]:
    clauses: list[str] = []
    params: list = []
    if filters.portal is not None:
        clauses.append("r.portal = ?")
        params.append(filters.portal)
    if filters.year is not None:
        clauses.append("r.report_year = ?")
        params.append(filters.year)
    if filters.unit is not None:
        clauses.append("instr(r.unit, ?) > 0")
        params.append(filters.unit)
    if filters.adcode is not None:
        clauses.append("p.adcode = ?")
        params.append(filters.adcode)
    return clauses, params


def build_sql(
    terms: list[str],
    filters: Filters,
    columns: str = _RANKED,
    *,
    joins: str = "",
    ranked: bool = True,
) -> tuple[str, list]:
    """SELECT ``columns`` (``r.`` reports, ``p.`` report_places, plus ``joins``) of the reports
    matching all ``terms`` and ``filters``, best first when ``ranked``. With no terms every
    report passing the filters matches, newest report year first (exports)."""
    clauses, params = _filters_sql(filters)
    joins = f"{_FROM_PLACES} {joins}".strip()
    if not terms:
        sql = f"SELECT {columns} FROM reports AS r {joins} WHERE {' AND '.join(clauses) or '1'}"
        return sql + (" ORDER BY r.report_year DESC, r.id DESC" if ranked else ""), params
    index, match = (
        ("reports_fts", trigram_expression(terms))
        if _by_trigram(terms, TRIGRAM_FROM)
        else ("reports_chars", chars_expression(terms))
    )
    where = " AND ".join([f"{index} MATCH ?", *clauses])
    sql = f"SELECT {columns} FROM {index} JOIN reports AS r ON r.id = {index}.rowid {joins}"
    sql += f" WHERE {where}"
    if ranked:
        sql += f" ORDER BY bm25({index}, 5.0, 1.0, 1.0), r.report_year DESC, r.id DESC"
    return sql, [match, *params]


def search(
    db: Database,
    query: str,
    filters: Filters | None = None,
    limit: int | None = 20,
    offset: int = 0,
) -> list[Hit]:
    """Ranked reports matching every term of ``query``, each with a snippet. Raises QueryError
    for unusable input."""
    terms = parse_query(query)
    sql, params = build_sql(terms, filters or Filters())
    if limit is not None:
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        sql, params = sql + " LIMIT ? OFFSET ?", [*params, limit, max(offset, 0)]
    ranked = db.execute(sql, params).fetchall()
    texts = _texts(db, [row[0] for row in ranked])
    return [_hit(row, texts[row[0]], terms) for row in ranked]


def _texts(db: Database, ids: list[int]) -> dict[int, tuple]:
    """gone_at, text and attachment text of a page of hits (never of every match)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, gone_at, text, attachment_text FROM reports WHERE id IN ({marks})"
    return {row[0]: row[1:] for row in db.execute(sql, ids)}


def _hit(row: tuple, texts: tuple, terms: list[str]) -> Hit:
    id_, title, portal, unit, year, url, province, city, county, adcode, unit_name = row
    gone_at, text, attachment_text = texts
    snippet = window_snippet([title, text, attachment_text], terms)
    return Hit(
        id_, title, portal, unit, year, url, gone_at, snippet,
        province, city, county, adcode, unit_name,
    )  # fmt: skip


def tally(db: Database, query: str, filters: Filters | None = None) -> Tally:
    """The total number of matches and their facets (portal, year, place), in one pass."""
    columns = "r.portal, r.report_year, p.adcode, p.city, p.county"
    sql, params = build_sql(parse_query(query), filters or Filters(), columns, ranked=False)
    portals: Counter = Counter()
    years: Counter = Counter()
    places: Counter = Counter()
    total = 0
    for portal, year, adcode, city, county in db.execute(sql, params):
        total += 1
        portals[portal] += 1
        years[year] += 1
        if adcode:
            places[(adcode, f"{city or ''}{county or ''}")] += 1
    return Tally(
        total,
        portals=portals.most_common(),
        years=sorted(years.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0))),
        places=[(code, name, n) for (code, name), n in places.most_common()],
    )


def matching_ids(db: Database, query: str, filters: Filters | None = None) -> set[int]:
    """Ids of all reports ``search`` would return without a limit."""
    sql, params = build_sql(parse_query(query), filters or Filters(), "r.id", ranked=False)
    return {row[0] for row in db.execute(sql, params)}


def ids_by(db: Database, term: str, how: str) -> set[int]:
    """Ids of the reports containing ``term`` by one way alone: ``chars`` (the character index),
    ``trigram`` (3+ characters) or ``like`` (the scan the indexes save); for benchmarks."""
    if how == "like":
        pattern = like_pattern(term)
        sql = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in SEARCHED_COLUMNS)
        cursor = db.execute(
            f"SELECT id FROM reports WHERE {sql}", [pattern] * len(SEARCHED_COLUMNS)
        )
    elif how == "chars":
        cursor = db.execute(
            "SELECT rowid FROM reports_chars WHERE reports_chars MATCH ?",
            [chars_expression([term])],
        )
    elif how == "trigram":
        cursor = db.execute(
            "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?", [trigram_expression([term])]
        )
    else:
        raise ValueError(f"unknown way to search: {how}")
    return {row[0] for row in cursor}


def index_sizes(db: Database) -> dict[str, int]:
    """Bytes on disk of the character index, the trigram index and the reports table (dbstat)."""
    sql = """SELECT CASE WHEN name LIKE 'reports_chars%' THEN 'chars'
                         WHEN name LIKE 'reports_fts%' THEN 'trigram'
                         ELSE name END AS part, sum(pgsize)
             FROM dbstat WHERE name LIKE 'reports%' GROUP BY part"""
    return dict(db.execute(sql).fetchall())


def scan_ids(db: Database, term: str) -> set[int]:
    """Ids of the reports containing ``term``, by a LIKE scan (what the indexes save)."""
    return ids_by(db, term, "like")


def window_snippet(texts: list[str | None], terms: list[str]) -> str:
    """A window around the first hit of ``terms`` in the body (then attachments, then title),
    with every term in it marked."""
    for text in [*texts[1:], texts[0]]:
        if not text:
            continue
        hits = [(at, term) for term in terms if (at := _find(text, term)) >= 0]
        if hits:
            at, term = min(hits)
            return _window(text, at, len(term), terms)
    return ""


def _fold(text: str) -> str:
    """Lower case with offsets kept (both indexes fold letter case)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _find(text: str, term: str) -> int:
    return _fold(text).find(_fold(term))


def _window(text: str, at: int, length: int, terms: list[str]) -> str:
    start, end = max(0, at - _WINDOW_BEFORE), min(len(text), at + length + _WINDOW_AFTER)
    marked = _mark(text[start:end], terms)
    marked = _SPACES.sub(" ", marked).strip()
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


def _mark(text: str, terms: list[str]) -> str:
    """Wrap every occurrence of every term (longest first, never overlapping) in the markers."""
    folded = _fold(text)
    taken = [False] * len(text)
    spans = []
    for needle in sorted({_fold(t) for t in terms}, key=len, reverse=True):
        at = folded.find(needle)
        while at >= 0:
            if not any(taken[at : at + len(needle)]):
                spans.append((at, at + len(needle)))
                taken[at : at + len(needle)] = [True] * len(needle)
            at = folded.find(needle, at + 1)
    out, last = [], 0
    for begin, stop in sorted(spans):
        out += [text[last:begin], MARK_OPEN, text[begin:stop], MARK_CLOSE]
        last = stop
    return "".join([*out, text[last:]])


def format_snippet(snippet: str, color: bool = False) -> str:
    """Plain text marks hits as ``[hit]``; a terminal gets them bold and coloured."""
    if not color:
        return snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")
    import click  # only the CLI asks for colour

    parts = re.split(f"{MARK_OPEN}(.*?){MARK_CLOSE}", snippet)
    return "".join(
        click.style(part, fg="red", bold=True) if i % 2 else part for i, part in enumerate(parts)
    )
