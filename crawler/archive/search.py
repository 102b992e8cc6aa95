"""Full-text search over the archive that is complete for Chinese terms of any length.

Query syntax (what users type):

- whitespace-separated terms are ANDed: ``依申请公开 2019`` finds reports containing both;
- ``"quoted phrases"`` (ASCII quotes or Chinese “…”) stay one term, spaces included;
  inside a quoted phrase ``""`` is a literal quote; a quote inside a bare word is literal too;
- there is no OR and no NOT: ``OR`` is an ordinary (two-character) term;
- matching is substring matching, case-insensitive for ASCII letters.

Why two engines: the FTS5 trigram index cannot match terms of 1-2 characters (公开, 年报) and
silently drops short quoted phrases from an AND (stack-notes §3). Terms of 3+ characters go to
``reports_fts MATCH`` (each quoted, so user input is never FTS syntax); shorter terms are answered
with LIKE on the base table ``reports`` (never on the FTS table: LIKE there returns 0 rows on
SQLite 3.40.1). Both are combined as an intersection in one SQL statement.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from sqlite_utils import Database

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet hit markers; rendered by format_snippet()
MIN_FTS_CHARS = 3  # the trigram tokenizer indexes 3-character windows
SEARCHED_COLUMNS = ("title", "text", "attachment_text")
_QUOTES = {'"': '"', "“": "”"}
_SNIPPET_TOKENS = 40  # FTS snippet size, in tokens (trigram: about characters)
_WINDOW_BEFORE, _WINDOW_AFTER = 20, 40  # Python snippet window around the first LIKE hit
_SPACES = re.compile(r"\s+")


class QueryError(ValueError):
    """The user's query cannot be searched; the message says why, in one line."""


@dataclass(frozen=True)
class Filters:
    """Row filters: exact portal, exact report year, unit name containing ``unit``."""

    portal: str | None = None
    year: int | None = None
    unit: str | None = None


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

    def as_dict(self) -> dict:
        data = asdict(self)
        data["snippet"] = format_snippet(self.snippet)
        data["gone"] = self.gone_at is not None
        return data


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


def fts_match_expression(terms: list[str]) -> str | None:
    """The MATCH string for the indexable terms: each one a quoted FTS5 string, ANDed."""
    long_terms = [t for t in terms if len(t) >= MIN_FTS_CHARS]
    if not long_terms:
        return None
    return " ".join('"' + t.replace('"', '""') + '"' for t in long_terms)


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` literally anywhere (``\\`` is the escape character)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _short_term_sql(term: str) -> tuple[str, list[str]]:
    # One LIKE per column rather than on title||text: no copy of the text per row, and a phrase
    # cannot match across two columns (FTS phrases cannot either).
    pattern = like_pattern(term)
    sql = " OR ".join(f"r.{col} LIKE ? ESCAPE '\\'" for col in SEARCHED_COLUMNS)
    return f"({sql})", [pattern] * len(SEARCHED_COLUMNS)


def _where(terms: list[str], filters: Filters) -> tuple[list[str], list]:
    clauses: list[str] = []
    params: list = []
    for term in terms:
        if len(term) < MIN_FTS_CHARS:
            sql, term_params = _short_term_sql(term)
            clauses.append(sql)
            params += term_params
    if filters.portal is not None:
        clauses.append("r.portal = ?")
        params.append(filters.portal)
    if filters.year is not None:
        clauses.append("r.report_year = ?")
        params.append(filters.year)
    if filters.unit is not None:
        clauses.append("instr(r.unit, ?) > 0")
        params.append(filters.unit)
    return clauses, params


_COLUMNS = "r.id, r.title, r.portal, r.unit, r.report_year, r.canonical_url, r.gone_at"
# Title hits weigh more than body hits: a term in the title usually names the report's subject.
_BM25 = "bm25(reports_fts, 5.0, 1.0, 1.0)"


def build_sql(
    terms: list[str], filters: Filters, columns: str = _COLUMNS, with_snippet: bool = False
) -> tuple[str, list]:
    """SELECT ``columns`` (aliased ``r.``) of reports matching all ``terms`` and ``filters``,
    best first. With no terms every report passing the filters matches (used by exports)."""
    clauses, params = _where(terms, filters)
    match = fts_match_expression(terms)
    if match is None:
        where = " AND ".join(clauses) or "1"
        extra = ", r.text, r.attachment_text" if with_snippet else ""
        sql = f"SELECT {columns}{extra} FROM reports AS r WHERE {where}"
        return sql + " ORDER BY r.report_year DESC, r.id DESC", params
    snippet = (
        f", snippet(reports_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {_SNIPPET_TOKENS})"
        if with_snippet
        else ""
    )
    where = " AND ".join(["reports_fts MATCH ?", *clauses])
    sql = (
        f"SELECT {columns}{snippet} FROM reports_fts JOIN reports AS r ON r.id = reports_fts.rowid"
        f" WHERE {where} ORDER BY {_BM25}, r.report_year DESC, r.id DESC"
    )
    return sql, [match, *params]


def search(
    db: Database, query: str, filters: Filters | None = None, limit: int | None = 20
) -> list[Hit]:
    """Ranked reports matching every term of ``query`` (bm25 if a term is indexable, else newest
    report year first), each with a snippet. Raises QueryError for unusable input."""
    terms = parse_query(query)
    sql, params = build_sql(terms, filters or Filters(), _COLUMNS, with_snippet=True)
    if limit is not None:
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        sql, params = sql + " LIMIT ?", [*params, limit]
    return [_hit(row, terms) for row in db.execute(sql, params)]


def matching_ids(db: Database, query: str, filters: Filters | None = None) -> set[int]:
    """Ids of all reports ``search`` would return without a limit (same SQL, no snippets)."""
    sql, params = build_sql(parse_query(query), filters or Filters(), "r.id", with_snippet=False)
    return {row[0] for row in db.execute(sql, params)}


def scan_ids(db: Database, term: str) -> set[int]:
    """Ids of the reports containing ``term``, by the LIKE scan the FTS index saves (for
    benchmarks that measure what the index is worth)."""
    sql, params = _short_term_sql(term)
    return {row[0] for row in db.execute(f"SELECT r.id FROM reports AS r WHERE {sql}", params)}


def _hit(row: tuple, terms: list[str]) -> Hit:
    id_, title, portal, unit, year, url, gone_at, *rest = row
    if len(rest) == 1:  # FTS snippet
        snippet = _SPACES.sub(" ", rest[0] or "").strip()
    else:
        snippet = window_snippet([title, *rest], [t for t in terms if len(t) < MIN_FTS_CHARS])
    return Hit(id_, title, portal, unit, year, url, gone_at, snippet)


def window_snippet(texts: list[str | None], terms: list[str]) -> str:
    """A window around the first hit of ``terms`` in the body (then attachments, then title)."""
    for text in [*texts[1:], texts[0]]:
        if not text:
            continue
        for term in terms:
            at = _find(text, term)
            if at >= 0:
                return _window(text, at, len(term))
    return ""


def _find(text: str, term: str) -> int:
    at = text.find(term)
    if at < 0 and term.isascii():  # LIKE matched it case-insensitively (ASCII only)
        at = text.lower().find(term.lower())
    return at


def _window(text: str, at: int, length: int) -> str:
    start, end = max(0, at - _WINDOW_BEFORE), min(len(text), at + length + _WINDOW_AFTER)
    marked = text[start:at] + MARK_OPEN + text[at : at + length] + MARK_CLOSE
    marked += text[at + length : end]
    marked = _SPACES.sub(" ", marked).strip()
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


def format_snippet(snippet: str, color: bool = False) -> str:
    """Plain text marks hits as ``[hit]``; a terminal gets them bold and coloured."""
    if not color:
        return snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")
    import click  # only the CLI asks for colour

    parts = re.split(f"{MARK_OPEN}(.*?){MARK_CLOSE}", snippet)
    return "".join(
        click.style(part, fg="red", bold=True) if i % 2 else part for i, part in enumerate(parts)
    )
