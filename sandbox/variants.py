"""The sandbox as a distribution of worlds, not one world.

Variant 0 is the reference world: the layout the sandbox has always served. Every other variant
N draws, per portal and deterministically from (seed, N), the facts docs/portals.md only knows
as M or L: column ids and slugs, which units have report columns, page sizes, which undocumented
JSON fields a list carries, title phrasings, the non-reports beside the reports, a page whose
charset header lies, a list that continues by script. What portals.md knows as H (URL grammars,
chrome text and order, meta tag names, the pinned real URLs) is the same in every variant.

Each site asks `draw(world, portal, topic)` for a `random.Random` of its own per topic, so adding
a topic never shifts the draws of another, and variant 0 never draws at all (`varied(world)`).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def varied(world: Any) -> bool:
    """True for every world but the reference one (variant 0)."""
    return world.variant != 0


def draw(world: Any, portal: str, topic: str) -> random.Random:
    """The random stream of one topic of one portal in this world's variant."""
    return random.Random(f"{world.seed}:{portal}:variant:{world.variant}:{topic}")


def corpus_seed(world: Any) -> int:
    """The seed the report corpus is generated from: the world's seed in variant 0, a seed of
    its own in every other variant (other units and years, other texts)."""
    if not varied(world):
        return world.seed
    digest = hashlib.sha256(f"{world.seed}:variant:{world.variant}".encode()).hexdigest()
    return int(digest[:12], 16)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[rng.randrange(len(options))]


def some(rng: random.Random, options: Sequence[T], low: int, high: int) -> list[T]:
    """Between low and high of the options (fewer if there are fewer), in their given order."""
    count = min(len(options), rng.randint(low, high))
    chosen = set(rng.sample(range(len(options)), count))
    return [option for i, option in enumerate(options) if i in chosen]


def new_ids(rng: random.Random, low: int, high: int, count: int, taken: set[int]) -> list[int]:
    """`count` distinct ids in [low, high] that are not in `taken` (which grows with them)."""
    out = []
    while len(out) < count:
        candidate = rng.randint(low, high)
        if candidate not in taken:
            taken.add(candidate)
            out.append(candidate)
    return out
