"""The offline portal sandbox: the real portals' hostnames, URL grammar and markup, served locally.

It stands apart from the crawler: nothing here imports crawler/, spiders/ or pipelines/, and they
import nothing from here, so the truth it knows (its manifest) never comes from the code under test.

Public API (imported lazily, so `import sandbox` stays cheap):
    manifest(revision=0, scale=1, seed=DEFAULT_SEED, variant=0) -> dict
    running(revision=0, scale=1, faults=(), seed=DEFAULT_SEED, variant=0)  # -> Sandbox
    Sandbox(revision, scale, faults, seed, port, variant).start() / .stop(); .proxy_url, .manifest
    main(argv: list[str] | None) -> int   # `python -m sandbox serve|manifest`
"""

from __future__ import annotations

from typing import Any

DEFAULT_SEED = 2017

__all__ = ["DEFAULT_SEED", "Sandbox", "main", "manifest", "running"]


def __getattr__(name: str) -> Any:
    if name in ("Sandbox", "manifest", "running"):
        from sandbox import runner

        return getattr(runner, name)
    if name == "main":
        from sandbox.cli import main

        return main
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
