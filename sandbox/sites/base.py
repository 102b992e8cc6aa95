"""The site framework: how one portal is simulated, in one file.

Adding a portal (e.g. `sandbox/sites/by_gov_cn.py`)
---------------------------------------------------
1. Write a `Site` subclass: set `portal` (the spider name, e.g. "by_gov_cn") and `hosts` (every
   hostname it answers, e.g. ("www.by.gov.cn",)); build its catalogue in `__init__` from
   `self.world` (seed, revision, scale, faults, variant) and `sandbox.corpus` (`reports_for(portal,
   corpus_seed(world), scale)`, `seeds_for(portal)`); keep it cheap: render pages lazily in
   `resource()`. What portals.md knows only as M/L (column ids, slugs, which units have columns,
   page sizes, titles ...) goes in a layout drawn per variant (`sandbox/variants.py`; see
   `by_layout.py`): variant 0 keeps the reference layout, H facts never vary.
2. Implement `resource(request) -> Resource | Response | None`: a `Resource` (body bytes, content
   type, `last_modified`) gets the shared HTTP semantics (strong ETag from the body hash,
   Last-Modified, If-None-Match / If-Modified-Since -> 304, HEAD); return a `Response` for
   redirects or odd answers; `None` means 404 (rendered by `not_found()`).
3. Implement `is_list(request)` (list pages and list JSON: the `list500` fault hits these) and
   `manifest()` (a `ManifestPart`: reports with canonical URL + aliases + truth text + the column
   that lists them + whether documented means reach them, listed non-report URLs,
   listed-but-404 URLs, URLs gone since revision 0, the report columns, and the warnings a
   faithful crawl must give). Serve a home page and the channel pages above the columns
   (`channels.py`): every report must be reachable from the home page by links or a documented
   API (tests/sandbox/walk.py checks it).
4. End the module with `def build(world: World) -> list[Site]: return [BySite(world)]`. The
   registry (`sandbox/sites/__init__.py`) imports every module of this package that defines
   `build`, so nothing else needs editing; the certificate picks up the new hosts by itself.
Every site can reuse `sandbox/sites/cms.py` (CST, ids along a time curve, publish moments,
notices, a report's manifest entry, `listed_manifest`) and `bodyhtml.py` (Document -> body HTML).
NFCMS portals (by, zc, haizhu, gz) also reuse `nfcms.py` (post ids, URL grammar, list and detail
JSON, drafted posts and their quirks, pager, meta tags) and `nfcms_theme.py` (the page skeleton:
a `Theme` holds what a portal's chrome says, its own `*_theme.py` the layout only it has).

Faults: `list500` and `slow` are applied here for every site, and so are the hostile kinds of
sandbox/hostile.py (generic transformers of what the site answers); other kinds (e.g. `markup`)
are the site's own business: test `self.world.faults.has(self.portal, "markup")` where you render.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox import hostile
from sandbox.corpus import DEFAULT_SEED
from sandbox.faults import Faults
from sandbox.http import HTML_UTF8, Request, Resource, Response, respond


@dataclass(frozen=True)
class World:
    """Everything a site is built from. Same World -> byte-identical site.

    `variant` picks one world of the distribution (sandbox/variants.py): 0 is the reference
    layout; every other N draws the portals' uncertain facts (portals.md M/L) from (seed, N)."""

    seed: int = DEFAULT_SEED
    revision: int = 0
    scale: int = 1
    faults: Faults = field(default_factory=Faults)
    variant: int = 0
    portals: int = 0  # generated portals beside the real ones (sandbox/sites/generated.py)


@dataclass
class ManifestPart:
    reports: list[dict] = field(default_factory=list)
    nonreports: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    # Every list of the portal that holds reports: {"portal", "url", "name", "how"}; "how" is
    # what lists it (html, json, trs, hanweb, gkmlpt, script).
    columns: list[dict] = field(default_factory=list)
    # What a faithful crawl must say it could not do, e.g. {"portal", "kind": "list incomplete",
    # "url", "shows", "declares", "message"}.
    warnings: list[dict] = field(default_factory=list)


class Site:
    portal: str = ""  # spider name; "" for helper sites (e.g. an old host that only redirects)
    hosts: tuple[str, ...] = ()

    def __init__(self, world: World):
        self.world = world

    def handle(self, request: Request) -> Response:
        response = hostile.answer(self, self.world.faults, request, self._answer)  # --fault kinds
        response.delay = self.world.faults.slow_seconds(self.portal)
        return response

    def _answer(self, request: Request) -> Response:
        if self.world.faults.has(self.portal, "list500") and self.is_list(request):
            return Response(500, [("Content-Type", HTML_UTF8)], ERROR_500.encode())
        found = self.resource(request)
        if found is None:
            return respond(request, self.not_found(request))
        if isinstance(found, Response):
            return found
        return respond(request, found)

    def resource(self, request: Request) -> Resource | Response | None:
        raise NotImplementedError

    def is_list(self, request: Request) -> bool:
        return False

    def not_found(self, request: Request) -> Resource:
        return Resource(NOT_FOUND.encode(), HTML_UTF8, status=404)

    def manifest(self) -> ManifestPart:
        return ManifestPart()


NOT_FOUND = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
    "<body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p></body></html>"
)
ERROR_500 = (
    "<html><head><title>500 Internal Server Error</title></head><body>"
    "<center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>"
)
