"""Near-duplicate reports: linked in `related` with their similarity, never merged.

The measure is the Jaccard index of character 5-gram shingles over the report's text reduced to
letters and digits.  Chinese has no spaces between words, so whitespace "tokens" are whole
sentences or paragraphs: one corrected figure turns a paragraph into a different token, and two
unrelated reports share none.  Character shingles need no word segmentation; a one-character
edit changes at most five shingles, so similarity falls in proportion to the size of the edit.

Cost does not grow with the archive.  Each report's text is sketched once, when it is stored, as
a MinHash signature of 128 32-bit values (512 bytes, `report_sketches`); the signature is cut
into 21 bands of 6 values and each band, hashed with the report's portal and year, is a key in
`report_bands` (a WITHOUT ROWID primary key).  A new text is compared only with the reports that
share a band key with it (LSH candidates), first by their stored signatures and then, for those
whose estimate comes near the threshold, by the exact Jaccard index, which alone decides.  No
sketch is held in memory between reports.

Why these numbers: two texts at Jaccard s share a given band with probability s^6, so they
become candidates with probability 1 - (1 - s^6)^21: above 1 - 2e-7 at s = 0.9 (a link is
practically never missed), 0.28 at s = 0.5 and 0.015 at s = 0.3 (unrelated reports of the same
template rarely cost a signature comparison).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
from sqlite_utils import Database

from crawler.archive.identity import body_of, reduce_text

MEASURE = "jaccard_char5"
SHINGLE_CHARS = 5
DEFAULT_THRESHOLD = 0.9

PERMUTATIONS = 128  # 128 x uint32: a 512-byte signature
BANDS, ROWS = 21, 6  # 126 of the 128 values are banded
# A signature estimate this far below the threshold still gets the exact check (the estimator's
# standard deviation at 128 permutations is about 0.027 around 0.9: the margin is 3.7 of them).
SKETCH_MARGIN = 0.1
_MASK64 = (1 << 64) - 1
_BASE = 0x100000001B3  # the shingle hash is a polynomial in the code points, modulo 2^64
_PERMUTE_BLOCK = 16  # permutations per numpy pass: memory stays at 16 x 8 bytes per shingle


def _constants(label: str) -> np.ndarray:
    """Fixed 64-bit constants, the same in every process and version (signatures persist)."""
    values = [
        int.from_bytes(hashlib.blake2b(f"{label}{i}".encode(), digest_size=8).digest(), "little")
        for i in range(PERMUTATIONS)
    ]
    return np.array(values, dtype=np.uint64)


_A = _constants("govreports-minhash-a") | np.uint64(1)  # odd multipliers
_B = _constants("govreports-minhash-b")


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


# --- MinHash signatures --------------------------------------------------------------------------
def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: spreads the polynomial's bits over all 64."""
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def text_hashes(comparable: str) -> np.ndarray:
    """The distinct 64-bit hashes of the text's shingles (vectorised: no Python per shingle)."""
    codes = np.frombuffer(comparable.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if codes.size == 0:
        return codes
    width = min(SHINGLE_CHARS, codes.size)
    count = codes.size - width + 1
    h = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(width):
            h = h * np.uint64(_BASE) + codes[k : k + count]
        return np.unique(_mix(h))


def _string_hash(shingle: str) -> int:
    h = 0
    for char in shingle:
        h = (h * _BASE + ord(char)) & _MASK64
    return h


def signature_of_hashes(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature: per permutation x -> (a*x + b) mod 2^64 >> 32, its minimum."""
    signature = np.empty(PERMUTATIONS, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for start in range(0, PERMUTATIONS, _PERMUTE_BLOCK):
            a = _A[start : start + _PERMUTE_BLOCK, None]
            b = _B[start : start + _PERMUTE_BLOCK, None]
            permuted = (a * hashes[None, :] + b) >> np.uint64(32)
            signature[start : start + _PERMUTE_BLOCK] = permuted.min(axis=1)
    return signature


def text_sketch(comparable: str) -> bytes | None:
    """The 512-byte signature of a comparable text, None for an empty one."""
    hashes = text_hashes(comparable)
    if hashes.size == 0:
        return None
    return signature_of_hashes(hashes).astype("<u4").tobytes()


def sketch(shingle_set: Iterable[str]) -> bytes | None:
    """The signature of a set of shingles: equal to `text_sketch` of the text they came from."""
    values = [_string_hash(s) for s in shingle_set]
    if not values:
        return None
    hashes = np.unique(_mix(np.array(values, dtype=np.uint64)))
    return signature_of_hashes(hashes).astype("<u4").tobytes()


def estimate(a: bytes | None, b: bytes | None) -> float:
    """MinHash estimate of the Jaccard index of the two shingle sets the signatures came from."""
    if not a or not b:
        return 0.0
    return float(np.count_nonzero(_values(a) == _values(b))) / PERMUTATIONS


def _values(signature: bytes) -> np.ndarray:
    return np.frombuffer(signature, dtype="<u4")


def band_keys(portal: str | None, year: int | None, signature: bytes) -> list[int]:
    """The signature's LSH keys, scoped to one portal and report year (compared only there).

    A key's top 24 bits hash the scope and its low 40 bits the band, so a portal-year's keys sit
    together in the index: storing or looking up a report touches a few index pages, not one
    per band, however large the archive grows.  (A scope collision only adds candidates that
    the stored portal and year then rule out.)"""
    scope = hashlib.blake2b(f"{portal}\x1f{year}".encode(), digest_size=3).digest()
    high = int.from_bytes(scope, "big") << 40
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS * 4 : (band + 1) * ROWS * 4]
        low = int.from_bytes(hashlib.blake2b(bytes([band]) + rows, digest_size=5).digest(), "big")
        key = high | low
        keys.append(key - (1 << 64) if key >= 1 << 63 else key)  # a signed SQLite INTEGER
    return keys


# --- the archive side ---------------------------------------------------------------------------
def index_report(db: Database, report_id: int) -> tuple[str, bytes | None]:
    """(comparable text, signature) of the report's current text, with its sketch and band keys
    replacing those of its previous text."""
    portal, year, text, attachment_text = db.execute(
        "SELECT portal, report_year, text, attachment_text FROM reports WHERE id = ?",
        [report_id],
    ).fetchone()
    _unindex(db, report_id)
    comparable = comparable_text(text, attachment_text)
    signature = text_sketch(comparable)
    if signature is None:
        return comparable, None
    db.execute(
        "INSERT INTO report_sketches (report_id, portal, report_year, sketch) VALUES (?, ?, ?, ?)",
        [report_id, portal, year, signature],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO report_bands (band, report_id) VALUES (?, ?)",
        [(key, report_id) for key in band_keys(portal, year, signature)],
    )
    return comparable, signature


def _unindex(db: Database, report_id: int) -> None:
    row = db.execute(
        "SELECT portal, report_year, sketch FROM report_sketches WHERE report_id = ?", [report_id]
    ).fetchone()
    if row is None:
        return
    db.conn.executemany(
        "DELETE FROM report_bands WHERE band = ? AND report_id = ?",
        [(key, report_id) for key in band_keys(*row)],
    )
    db.execute("DELETE FROM report_sketches WHERE report_id = ?", [report_id])


def candidates(db: Database, report_id: int, signature: bytes) -> list[tuple[int, bytes]]:
    """(id, signature) of the reports sharing a band key with `report_id`'s signature, within
    its portal and year (the key says so; the stored scope confirms it)."""
    portal, year = db.execute(
        "SELECT portal, report_year FROM report_sketches WHERE report_id = ?", [report_id]
    ).fetchone()
    keys = band_keys(portal, year, signature)
    marks = ",".join("?" * len(keys))
    return [
        (other, other_signature)
        for other, other_signature in db.execute(
            f"""SELECT s.report_id, s.sketch FROM report_sketches s
                WHERE s.report_id IN (SELECT DISTINCT report_id FROM report_bands
                                      WHERE band IN ({marks}) AND report_id != ?)
                  AND s.portal IS ? AND s.report_year IS ?""",
            [*keys, report_id, portal, year],
        )
    ]


def similar_reports(
    db: Database, report_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, float]]:
    """(other report id, similarity) for the same portal's reports of the same year at or above
    `threshold`, most similar first; indexes the report's current text on the way."""
    comparable, signature = index_report(db, report_id)
    if signature is None:
        return []
    mine: frozenset[str] | None = None
    found = []
    for other_id, other_signature in candidates(db, report_id, signature):
        if estimate(signature, other_signature) < threshold - SKETCH_MARGIN:
            continue
        mine = mine if mine is not None else shingles(comparable)
        score = jaccard(mine, shingles(_comparable(db, other_id)))
        if score >= threshold:
            found.append((other_id, round(score, 4)))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def _comparable(db: Database, report_id: int) -> str:
    text, attachment_text = db.execute(
        "SELECT text, attachment_text FROM reports WHERE id = ?", [report_id]
    ).fetchone()
    return comparable_text(text, attachment_text)


def link_related(db: Database, report_id: int, threshold: float = DEFAULT_THRESHOLD) -> int:
    """Record every near-duplicate of `report_id` in `related`, in both directions (a symmetric
    relation that a query reads from either side), replacing the links of its previous text
    (report_versions keeps that text).  Returns how many reports were linked."""
    pairs = similar_reports(db, report_id, threshold)
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


def index_all(db: Database, batch: int = 500) -> int:
    """Sketch every report's current text (an archive from before sketches); links are left as
    they are.  Returns how many reports got a sketch."""
    last, sketched = 0, 0
    while True:
        sql = "SELECT id FROM reports WHERE id > ? ORDER BY id LIMIT ?"
        ids = [row[0] for row in db.execute(sql, [last, batch])]
        if not ids:
            return sketched
        for report_id in ids:
            sketched += index_report(db, report_id)[1] is not None
        last = ids[-1]
