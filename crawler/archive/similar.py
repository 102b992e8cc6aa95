"""Near-duplicate reports: linked in `related` with their similarity, never merged.

The measure is the Jaccard index of character 5-gram shingles over the report's text reduced to
letters and digits.  Chinese has no spaces between words, so whitespace "tokens" are whole
sentences or paragraphs: one corrected figure turns a paragraph into a different token, and two
unrelated reports share none.  Character shingles need no word segmentation; a one-character
edit changes at most five shingles, so similarity falls in proportion to the size of the edit.

Cost is bounded: a report is compared only with the same portal's reports of the same year, and
first through a bottom-k MinHash sketch of each text (kept per process, so each text is shingled
once, not once per comparison); only candidates whose estimate comes near the threshold get the
exact Jaccard index.
"""

from __future__ import annotations

import zlib

from sqlite_utils import Database

from crawler.archive.identity import body_of, reduce_text

MEASURE = "jaccard_char5"
SHINGLE_CHARS = 5
DEFAULT_THRESHOLD = 0.9


def comparable_text(text: str | None, attachment_text: str | None = None) -> str:
    """The body (title line dropped: a re-post renames it freely) and the attachment text,
    reduced to letters and digits (whitespace, punctuation and full/half width ignored)."""
    return reduce_text(body_of(text) + (attachment_text or ""))


def shingles(text: str, size: int = SHINGLE_CHARS) -> frozenset[str]:
    """Every run of `size` characters; a text shorter than that is its own single shingle."""
    if len(text) <= size:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + size] for i in range(len(text) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


SKETCH_SIZE = 128
# A sketch estimate this far below the threshold still gets the exact check (estimator noise at
# k=128 is about 0.03 around 0.9).
SKETCH_MARGIN = 0.1


def sketch(shingle_set: frozenset[str], size: int = SKETCH_SIZE) -> frozenset[int]:
    """The `size` smallest shingle hashes: a bottom-k MinHash sketch of the set."""
    hashes = sorted({zlib.crc32(s.encode("utf-8")) for s in shingle_set})
    return frozenset(hashes[:size])


def estimate(a: frozenset[int], b: frozenset[int], size: int = SKETCH_SIZE) -> float:
    """Bottom-k estimate of the Jaccard index of the two sets the sketches were made from."""
    union = sorted(a | b)[:size]
    if not union:
        return 0.0
    both = a & b
    return sum(h in both for h in union) / len(union)


class SketchCache:
    """Sketches of reports' texts, keyed by (report id, text hash): a text is shingled once per
    process however many reports it is compared with."""

    def __init__(self) -> None:
        self._sketches: dict[tuple[int, str | None], frozenset[int]] = {}

    def get(self, report_id: int, text_sha256: str | None, comparable: str) -> frozenset[int]:
        key = (report_id, text_sha256)
        if key not in self._sketches:
            self._sketches[key] = sketch(shingles(comparable))
        return self._sketches[key]


def similar_reports(
    db: Database,
    report_id: int,
    threshold: float = DEFAULT_THRESHOLD,
    cache: SketchCache | None = None,
) -> list[tuple[int, float]]:
    """(other report id, similarity) for the same portal's reports of the same year at or above
    `threshold`, most similar first."""
    cache = cache or SketchCache()
    row = db.execute(
        """SELECT portal, report_year, text, attachment_text, text_sha256 FROM reports
           WHERE id = ?""",
        [report_id],
    ).fetchone()
    if row is None:
        return []
    portal, year, text, attachment_text, text_sha256 = row
    comparable = comparable_text(text, attachment_text)
    mine = shingles(comparable)
    if not mine:
        return []
    my_sketch = cache.get(report_id, text_sha256, comparable)
    others = db.execute(
        """SELECT id, text, attachment_text, text_sha256 FROM reports
           WHERE portal = ? AND report_year IS ? AND id != ?""",
        [portal, year, report_id],
    )
    found = []
    for other_id, other_text, other_attachment, other_sha in others:
        other_comparable = comparable_text(other_text, other_attachment)
        their_sketch = cache.get(other_id, other_sha, other_comparable)
        if estimate(my_sketch, their_sketch) < threshold - SKETCH_MARGIN:
            continue
        score = jaccard(mine, shingles(other_comparable))
        if score >= threshold:
            found.append((other_id, round(score, 4)))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def link_related(
    db: Database,
    report_id: int,
    threshold: float = DEFAULT_THRESHOLD,
    cache: SketchCache | None = None,
) -> int:
    """Record every near-duplicate of `report_id` in `related`, in both directions (a symmetric
    relation that a query reads from either side), replacing the links of its previous text
    (report_versions keeps that text).  Returns how many reports were linked."""
    pairs = similar_reports(db, report_id, threshold, cache)
    db.execute("DELETE FROM related WHERE report_id = ?", [report_id])
    db.execute("DELETE FROM related WHERE other_id = ?", [report_id])
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
