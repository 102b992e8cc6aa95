"""The site registry: every module in this package that defines `build(world) -> list[Site]` is
a portal (see base.py for how to write one). `Router` dispatches requests by hostname."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from sandbox.http import Request, Response
from sandbox.sites.base import ManifestPart, Site, World

__all__ = ["ManifestPart", "Router", "Site", "World", "build_sites", "site_modules"]


@cache
def site_modules() -> tuple[ModuleType, ...]:
    """Portal modules in name order (the order is part of determinism)."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "build", None)):
            modules.append(module)
    return tuple(modules)


def build_sites(world: World) -> list[Site]:
    return [site for module in site_modules() for site in module.build(world)]


class Router:
    """The proxy's application: all sites of one World, found by hostname."""

    def __init__(self, world: World):
        self.world = world
        self.sites = build_sites(world)
        self._by_host: dict[str, Site] = {}
        for site in self.sites:
            for host in site.hosts:
                if host in self._by_host:
                    raise ValueError(f"host {host} served by two sites")
                self._by_host[host] = site

    @property
    def hosts(self) -> list[str]:
        return sorted(self._by_host)

    def serves(self, host: str) -> bool:
        return host in self._by_host

    def handle(self, request: Request) -> Response:
        return self._by_host[request.host].handle(request)

    def manifest(self) -> dict:
        merged = ManifestPart()
        for site in self.sites:
            part = site.manifest()
            merged.reports += part.reports
            merged.nonreports += part.nonreports
            merged.missing += part.missing
            merged.gone += part.gone
            merged.columns += part.columns
            merged.warnings += part.warnings
        return {
            "seed": self.world.seed,
            "variant": self.world.variant,
            "revision": self.world.revision,
            "scale": self.world.scale,
            "reports": merged.reports,
            "nonreports": merged.nonreports,
            "missing": merged.missing,
            "gone": merged.gone,
            "columns": merged.columns,
            "warnings": merged.warnings,
        }
