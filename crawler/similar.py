"""Near-duplicate reports: linked in `related` with their similarity, never merged.

The measure is the Jaccard index of character 5-gram shingles over the report's text reduced to
letters and digits.  Chinese has no spaces between words, so whitespace "tokens" are whole
sentences or paragraphs: one corrected figure turns a paragraph into a different token, and two
unrelated reports share none.  Character shingles need no word segmentation; a one-character
edit changes at most five shingles, so similarity falls in proportion to the size of the edit.

Cost is bounded: a report is compared only with the same portal's reports of the same year.
"""

from __future__ import annotations

import re
import unicodedata

from sqlite_utils import Database

MEASURE = "jaccard_char5"
SHINGLE_CHARS = 5
DEFAULT_THRESHOLD = 0.9
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)


def comparable_text(text: str | None, attachment_text: str | None = None) -> str:
    """The body (title line dropped: a re-post renames it freely) and the attachment text,
    reduced to letters and digits (whitespace, punctuation and full/half width ignored)."""
    body = (text or "").split("\n", 1)[1] if "\n" in (text or "") else ""
    joined = body + (attachment_text or "")
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", joined))


def shingles(text: str, size: int = SHINGLE_CHARS) -> frozenset[str]:
    """Every run of `size` characters; a text shorter than that is its own single shingle."""
    if len(text) <= size:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + size] for i in range(len(text) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_reports(
    db: Database, report_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, float]]:
    """(other report id, similarity) for the same portal's reports of the same year at or above
    `threshold`, most similar first."""
    row = db.execute(
        "SELECT portal, report_year, text, attachment_text FROM reports WHERE id = ?", [report_id]
    ).fetchone()
    if row is None:
        return []
    portal, year, text, attachment_text = row
    mine = shingles(comparable_text(text, attachment_text))
    if not mine:
        return []
    others = db.execute(
        """SELECT id, text, attachment_text FROM reports
           WHERE portal = ? AND report_year IS ? AND id != ?""",
        [portal, year, report_id],
    )
    found = []
    for other_id, other_text, other_attachment in others:
        theirs = shingles(comparable_text(other_text, other_attachment))
        # Jaccard can never exceed the ratio of the two set sizes: skip the intersection.
        if min(len(mine), len(theirs)) < threshold * max(len(mine), len(theirs)):
            continue
        score = jaccard(mine, theirs)
        if score >= threshold:
            found.append((other_id, round(score, 4)))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def link_related(db: Database, report_id: int, threshold: float = DEFAULT_THRESHOLD) -> int:
    """Record every near-duplicate of `report_id` in `related`, in both directions (a symmetric
    relation that a query reads from either side), replacing the links of its previous text
    (report_versions keeps that text).  Returns how many reports were linked."""
    pairs = similar_reports(db, report_id, threshold)
    db.execute("DELETE FROM related WHERE ? IN (report_id, other_id)", [report_id])
    rows = []
    for other_id, score in pairs:
        rows.append(
            {"report_id": report_id, "other_id": other_id, "similarity": score, "measure": MEASURE}
        )
        rows.append(
            {"report_id": other_id, "other_id": report_id, "similarity": score, "measure": MEASURE}
        )
    if rows:
        db["related"].upsert_all(rows, pk=("report_id", "other_id"))
    return len(pairs)
