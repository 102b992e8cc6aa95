"""Injected faults, written `PORTAL:KIND` (e.g. `zc_gov_cn:list500`) on the command line.

Generic kinds every site honours through sandbox/sites/base.py:
- `list500`: list pages and list JSON of that portal answer 500.
- `slow` or `slow=SECONDS`: every answer of that portal waits (default 2 s) before it is sent.
- the hostile kinds of sandbox/hostile.py (`links`, `redirect=TARGET`, `endless`, `bigtotal`,
  `deepjson`, `pagesize0`, `ctrlchars`, `badencoding`, `jslinks`, `bomb`, `huge`, `drip`, …),
  which turn any portal against the crawler; their values are checked here.
Site-specific kinds are read by the site itself (e.g. `markup`: the theme's class names and
structure change so that nothing a spider knows parses any more).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sandbox import hostile

DEFAULT_SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class Fault:
    portal: str
    kind: str
    value: str | None = None

    @classmethod
    def parse(cls, spec: str) -> Fault:
        portal, sep, rest = spec.partition(":")
        if not sep or not portal or not rest:
            raise ValueError(f"fault must look like PORTAL:KIND, got {spec!r}")
        kind, _, value = rest.partition("=")
        fault = cls(portal.strip(), kind.strip(), value.strip() or None)
        if fault.kind in hostile.KINDS:
            hostile.check_value(fault.kind, fault.value)
        return fault


@dataclass(frozen=True)
class Faults:
    items: frozenset[Fault] = frozenset()

    @classmethod
    def of(cls, specs: Iterable[str | Fault]) -> Faults:
        return cls(frozenset(s if isinstance(s, Fault) else Fault.parse(s) for s in specs))

    def has(self, portal: str, kind: str) -> bool:
        return any(f.portal == portal and f.kind == kind for f in self.items)

    def slow_seconds(self, portal: str) -> float:
        for fault in self.items:
            if fault.portal == portal and fault.kind == "slow":
                return float(fault.value) if fault.value else DEFAULT_SLOW_SECONDS
        return 0.0
