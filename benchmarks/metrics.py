"""Text-quality measures shared by the benchmarks."""

from __future__ import annotations

import resource
from collections import Counter


def ngrams(text: str, n: int = 4) -> Counter[str]:
    """Character n-grams of ``text`` as a multiset (line breaks and TABs count: structure matters)."""
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def prf(pred: str, truth: str, n: int = 4) -> tuple[float, float, float]:
    """Precision, recall and F1 of the character n-grams of ``pred`` against ``truth``.

    Precision: share of the predicted n-grams that are in the truth (chrome lowers it);
    recall: share of the truth's n-grams that were predicted (lost text lowers it).
    """
    got, want = ngrams(pred, n), ngrams(truth, n)
    if not got and not want:
        return 1.0, 1.0, 1.0
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cpu_seconds() -> float:
    """User + system CPU of this process (all its threads) and of its waited-for children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total
