"""What every report generation shares: the writing context and small number helpers."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from sandbox.units import District, Unit


@dataclass
class Ctx:
    district: District
    unit: Unit
    year: int
    rng: random.Random

    @property
    def long(self) -> str:
        return self.district.long_name(self.unit)

    def fill(self, template: str, **extra: object) -> str:
        values = {
            "unit": self.unit.name,
            "full": self.unit.full,
            "long": self.long,
            "me": self.unit.self_ref,
            "year": self.year,
            "next": self.year + 1,
            "district": self.district.name,
            "city": self.district.city,
            "province": self.district.province,
            "site": self.district.site_name,
            "domain": self.district.domain,
        }
        return template.format(**values, **extra)

    def pick(self, options: list[str] | tuple[str, ...], **extra: object) -> str:
        return self.fill(self.rng.choice(options), **extra)

    def phone(self) -> str:
        eight = self.district.phone_prefix in ("020", "0595")  # 8-digit local numbers there
        digits = (
            self.rng.randint(22000000, 89999999) if eight else self.rng.randint(4400000, 4499999)
        )
        return f"{self.district.phone_prefix}-{digits}"

    def scale(self) -> int:
        """Departments publish more than streets, and towns less."""
        return {"dept": 3, "street": 2}.get(self.unit.kind, 1)


def split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` non-negative integers that add up to it."""
    if parts == 1:
        return [total]
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    edges = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(edges)]


def sparse(rng: random.Random, high: int, zero_share: float = 0.6) -> int:
    """A count that is often zero, as most cells of these tables are."""
    return 0 if rng.random() < zero_share else rng.randint(1, high)
