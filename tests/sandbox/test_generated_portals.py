"""The sandbox's generated portals (`--portals N`): served by the proxy's router like the real
ones, every report reached from the home page by documented means only (tests/sandbox/walk.py),
themes that differ across portals, the same world byte for byte, and registry rows that say what
the pages say (host, division code in the 网站标识码)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from sandbox.runner import manifest as sandbox_manifest
from sandbox.sites import Router
from sandbox.sites.base import World
from sandbox.sites.generated import generated_portals, registry_rows, rows_toml
from tests.sandbox.walk import Walker, decode, report_urls

N = 30


@pytest.fixture(scope="module")
def world() -> World:
    return World(portals=N)


@pytest.fixture(scope="module")
def router(world: World) -> Router:
    return Router(world)


@pytest.fixture(scope="module")
def truth(router: Router) -> dict:
    return router.manifest()


def generated_reports(truth: dict, world: World) -> list[dict]:
    keys = {p.key for p in generated_portals(world)}
    return [r for r in truth["reports"] if r["portal"] in keys]


def test_the_router_serves_every_generated_host_beside_the_real_ones(router, world) -> None:
    hosts = [p.host for p in generated_portals(world)]
    assert len(set(hosts)) == N and all(router.serves(h) for h in hosts)
    assert router.serves("www.zc.gov.cn") and router.serves("www.qufu.gov.cn")
    assert not Router(World()).serves(hosts[0])  # only with --portals


def test_every_report_is_reached_from_the_home_page_by_documented_means(router, truth, world):
    homes = [f"https://{p.host}/" for p in generated_portals(world)]
    walk = Walker(router).walk(homes)
    reports = generated_reports(truth, world)
    assert len(reports) >= 6 * N
    assert [r["url"] for r in reports if not any(walk.reached(u) for u in report_urls(r))] == []
    assert {u: s for u, s in walk.visited.items() if s >= 400} == {}


def test_each_portal_has_its_own_truth_and_columns(truth, world) -> None:
    portals = generated_portals(world)
    by_portal = Counter(r["portal"] for r in generated_reports(truth, world))
    assert set(by_portal) == {p.key for p in portals}
    assert all(6 <= n <= 22 for n in by_portal.values())
    columns = [c for c in truth["columns"] if c["portal"] in by_portal]
    assert {c["portal"] for c in columns} == set(by_portal)
    for report in generated_reports(truth, world):
        assert report["unit"] in report["title"] or "《" in report["title"]
        assert report["column"] in {c["url"] for c in columns if c["portal"] == report["portal"]}


def test_the_themes_vary_across_portals(world) -> None:
    portals = generated_portals(world)
    assert Counter(p.family for p in portals) == {"nfcms": 10, "trs": 10, "hanweb": 10}
    assert len({c.name for p in portals for c in p.columns}) >= 4
    assert {p.parent is None for p in portals} == {True, False}  # flat and parent + children
    assert {p.per_page for p in portals} == {10, 15, 20}
    assert len({p.channel[0] for p in portals}) >= 2
    phrasings = Counter(
        re.sub(r".*\d{4}(年度?)", r"\1", post.title)
        for p in portals
        for c in p.columns
        for post in c.posts
        if post.spec is not None
    )
    assert len(phrasings) >= 4


def test_the_registry_rows_say_what_the_pages_say(router, world) -> None:
    rows = registry_rows(world)
    assert [r["host"] for r in rows] == [p.host for p in generated_portals(world)]
    walker = Walker(router)
    for row in rows:
        home = decode(walker.ask(row["entry"][0]).body)
        code = re.search(r'<meta name="SiteIDCode" content="(\d{10})">', home).group(1)
        assert code[:6] == row["division"] and f"网站标识码：{code}" in home
        assert row["name"] in home
    text = rows_toml(rows)
    assert text.count("[[portal]]") == N and '"www.' in text


def test_the_same_world_is_the_same_portals_byte_for_byte(world) -> None:
    again = Router(World(portals=N))
    first = Router(world)
    for portal in generated_portals(world)[:3]:
        for path in ("/", portal.channel[1], portal.columns[0].path):
            url = f"https://{portal.host}{path}"
            assert Walker(first).ask(url).body == Walker(again).ask(url).body
    other = sandbox_manifest(seed=1, portals=3)
    assert {r["portal"] for r in other["reports"]} != {
        r["portal"] for r in sandbox_manifest(portals=3)["reports"]
    }
