"""The sandbox's truth carries every generated report's numbers and the checks that must not
PASS; on every page the sandbox serves, our reading gives back exactly those cells and those
check results (each injected total that does not add up caught by a FAIL, each missing cell
an UNCERTAIN, never a PASS)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from crawler.figures import FAIL, PASS, UNCERTAIN, figures_from_html
from sandbox.http import Request
from sandbox.runner import router_for
from sandbox.sites import World

TABLE_IMAGES_POST = "/post_9472985.html"  # by_gov_cn: its four tables only as images


@pytest.fixture(scope="module")
def router():
    return router_for(World())


@pytest.fixture(scope="module")
def reports(router):
    return router.manifest()["reports"]


def page(router, url: str) -> bytes:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = router.handle(Request("GET", parts.scheme, parts.hostname, target))
    assert response.status == 200
    return response.body


def shows_every_table(entry: dict) -> bool:
    return all(sig in entry["text"] for sig in entry["figures"]["tables"])


def test_generated_reports_carry_their_figures_and_seeds_do_not(reports):
    seeds = [r for r in reports if r["figures"] is None]
    assert {r["unit"] for r in seeds} >= {"鹤龙街道办事处", "朱村街道办事处", "官洲街道办事处"}
    keyed = [r for r in reports if r["figures"]]
    assert {r["figures"]["template"] for r in keyed} == {"pre2019", "2019", "2021"}
    assert all(r["figures"]["template"] == r["template"] for r in keyed)
    counts = {r["figures"]["template"]: len(r["figures"]["cells"]) for r in keyed}
    assert counts["pre2019"] >= 10


def test_the_table_images_post_holds_its_numbers_in_the_truth(reports):
    [entry] = [r for r in reports if r["url"].endswith(TABLE_IMAGES_POST)]
    cells = {(c["table"], c["row"], c["col"]): c for c in entry["figures"]["cells"]}
    rules = [cells[("二", "行政规范性文件", col)]["value"] for col in
             ("本年制发件数", "本年废止件数", "现行有效件数")]  # fmt: skip
    assert rules == [10, 5, 33]  # the numbers the image shows (tests/integration)
    assert cells[("二", "行政处罚", "本年处理决定数量")]["value"] == 44
    assert {c["t"] for c in cells.values()} == {0, 1, 2, 3}  # four tables, all as images
    assert not shows_every_table(entry)


def test_irregularities_are_injected_and_recorded(reports):
    keyed = [
        r["figures"] for r in reports if r["figures"] and r["figures"]["template"] != "pre2019"
    ]
    quirks = {q for f in keyed for q in f["quirks"]}
    assert quirks == {
        "soup",
        "subtotal_rows",
        "subtotal_column",
        "missing",
        "bad_total",
        "spelling",
    }
    fails = [e for f in keyed for e in f["expect"] if e["status"] == FAIL]
    assert fails and all(e["check"] in ("T3-a", "T3-c", "T4") for e in fails)
    missing = [c for f in keyed for c in f["cells"] if c["value"] is None]
    assert missing and all(not c["derived"] for c in missing)


def test_served_pages_give_back_the_truth_cells_and_checks(router, reports):
    served = [r for r in reports if r["figures"] and shows_every_table(r)]
    assert len(served) > 200
    fails = uncertain = 0
    for entry in served:
        got = figures_from_html(page(router, entry["url"]), hint=entry["template"])
        truth = {
            (c["table"], c["row"], c["col"]): None
            if c["value"] is None
            else Decimal(str(c["value"]))
            for c in entry["figures"]["cells"]
        }
        ours = {f.key: None if f.value is None else Decimal(str(f.value)) for f in got.figures}
        assert ours == truth, entry["url"]
        expect = {(e["check"], e["scope"]): e["status"] for e in entry["figures"]["expect"]}
        checks = {(c.check, c.scope): c.status for c in got.checks}
        assert {k: v for k, v in checks.items() if v != PASS} == expect, entry["url"]
        fails += sum(v == FAIL for v in expect.values())
        uncertain += sum(v == UNCERTAIN for v in expect.values())
    assert fails >= 5 and uncertain >= 20
