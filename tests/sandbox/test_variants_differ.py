"""The variants are really different worlds (column ids and slugs, units with columns, page
sizes, titles, list JSON, gkmlpt paging), each is the same bytes whenever it is built, and every
knob of the sandbox (--revision, --fault, --scale, the CLI, the proxy) works in each."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import sandbox
from sandbox.faults import Faults
from sandbox.sites import Router, World, gkmlpt, nfcms
from sandbox.titles import REPORT_FORMS
from tests.sandbox.worlds import DRAWN, VARIANTS, ask, metas, variant

ROOT = Path(__file__).resolve().parents[2]
FORMS = {
    name: re.compile(
        "^" + re.escape(form).replace(r"\{long\}", ".+").replace(r"\{year\}", r"20\d\d") + "$"
    )
    for name, form in REPORT_FORMS.items()
}
FORWARD = re.compile(r"^.+关于转发《.+》的通知$")
NEGATIVES = (
    "工作要点",
    "年度工作报表",
    "法治政府建设年度报告",
    "公开指南",
    "工作总结",
    "落实情况的函",
)
ROW = re.compile(r'<li><a href="([^"]+)" title="([^"]*)" target="_blank">')


def _title_form(title: str) -> str:
    if FORWARD.match(title):
        return "forward"
    return next((name for name, pattern in FORMS.items() if pattern.match(title)), "other")


def _columns(number: int, portal: str) -> tuple:
    return tuple(
        sorted((c["url"], c.get("id") or 0, c["how"]) for c in variant(number).columns(portal))
    )


@pytest.mark.parametrize(
    "portal", ["by_gov_cn", "haizhu_gov_cn", "qzlc_gov_cn", "qufu_gov_cn", "zc_gov_cn"]
)
def test_each_portal_has_other_columns_in_every_variant(portal) -> None:
    layouts = [_columns(n, portal) for n in VARIANTS]
    assert len(set(layouts)) == len(VARIANTS)
    if portal != "qzlc_gov_cn":  # TRS columns are folders, with no id of their own
        ids = [frozenset(c["id"] for c in variant(n).columns(portal)) for n in VARIANTS]
        assert len(set(ids)) == len(VARIANTS)


def test_units_with_report_columns_and_their_slugs_vary() -> None:
    def by_units(n: int) -> frozenset[str]:
        return frozenset(
            re.findall(r"/gzjg/(\w+)/", " ".join(c["url"] for c in variant(n).columns("by_gov_cn")))
        )

    def qzlc_units(n: int) -> frozenset[str]:
        urls = " ".join(c["url"] for c in variant(n).columns("qzlc_gov_cn"))
        return frozenset(re.findall(r"/zwgk/(?:bm|zj|qzbm)/(\w+)/", urls))

    assert by_units(0) == {"qwbgs", "qczj", "qsfj"}
    assert len({by_units(n) for n in VARIANTS}) == len(VARIANTS)
    assert all("qwbgs" in by_units(n) for n in VARIANTS)  # 区委办公室's column is real (§2)
    assert len({qzlc_units(n) for n in VARIANTS}) == len(VARIANTS)
    assert all({"swj", "kyjd", "jljd", "hbjd", "ctjd"} <= qzlc_units(n) for n in VARIANTS)
    stat_columns = [n for n in DRAWN if any("tjj" in u for u in by_units(n))]
    gkmlpt_stats = [
        n for n in DRAWN if any("/gzbytjj/" in c["url"] for c in variant(n).columns("by_gov_cn"))
    ]
    assert stat_columns or gkmlpt_stats  # a 统计局 with reports of its own, somewhere


def test_page_sizes_vary() -> None:
    sizes = Counter()
    for n in VARIANTS:
        for column in variant(n).manifest["columns"]:
            found = re.search(r"(\d+) a page", column["how"])
            if found:
                sizes[int(found.group(1))] += 1
    assert {5, 10, 15, 20, 25} <= set(sizes)


def test_titles_use_every_real_phrasing_and_differ_between_variants() -> None:
    used = {(n, r["portal"]): Counter() for n in VARIANTS for r in variant(n).manifest["reports"]}
    for n in VARIANTS:
        for r in variant(n).manifest["reports"]:
            used[n, r["portal"]][_title_form(r["title"])] += 1
    drawn = set().union(*(used[key] for key in used if key[0] in DRAWN))
    assert drawn >= {*REPORT_FORMS, "forward"}
    for portal in {p for _n, p in used}:
        forms = {frozenset(used[n, portal]) for n in VARIANTS}
        assert len(forms) >= 4, portal
    reference = set().union(*(used[key] for key in used if key[0] == 0))
    assert not reference & {"annual_work", "work_nianbao", "no_government"}


def test_non_reports_beside_the_reports_use_every_real_negative() -> None:
    titles = []
    for n in DRAWN:
        world = variant(n)
        for url in world.manifest["nonreports"]:
            tags = metas(world.get(url).body)
            titles.append(
                tags.get("ArticleTitle")
                or re.search(
                    r"<title>(.*?)</title>", world.get(url).body.decode("utf-8", "replace")
                ).group(1)
            )
    for negative in NEGATIVES:
        assert any(negative in t for t in titles), negative


def test_list_json_carries_the_documented_fields_always_and_the_others_sometimes() -> None:
    modes, keys = Counter(), Counter()
    for n in VARIANTS:
        world = variant(n)
        for column in world.manifest["columns"]:
            if not column["how"].startswith("html"):
                continue
            host, cat = column["url"].split("/")[2], column["id"]
            mode = column["how"].rsplit("json ", 1)[1]
            modes[mode] += 1
            pages = _html_pages(world, column["url"])
            first = world.get(f"https://{host}/postmeta/i/{cat}.json")
            second = world.get(f"https://{host}/postmeta/i/{cat}_2.json")
            if mode == nfcms.NO_JSON:
                assert first.status == 404
                assert f"NFCMS_CAT_ID = '{cat}'" not in world.get(column["url"]).body.decode()
                continue
            data = json.loads(first.body)
            assert (
                {"articles", "children", "updated"}
                <= data.keys()
                <= {
                    "articles",
                    "children",
                    "updated",
                    *nfcms.UNDOCUMENTED,
                }
            )
            keys.update(data.keys())
            rows = [(a["url"], a["title"]) for a in data["articles"]]
            if mode == nfcms.WHOLE:
                assert rows == [r for page in pages for r in page] and second.status == 404
            else:
                assert rows == pages[0]
                if len(pages) > 1:
                    assert [
                        (a["url"], a["title"]) for a in json.loads(second.body)["articles"]
                    ] == pages[1]
    assert set(modes) == {nfcms.PAGED, nfcms.WHOLE, nfcms.NO_JSON}
    assert 0 < keys["total"] < keys["articles"] and 0 < keys["pagesize"] < keys["articles"]


def _html_pages(world, url: str) -> list[list[tuple[str, str]]]:
    pages, n = [], 1
    while True:
        response = world.get(url if n == 1 else f"{url}index_{n}.html")
        if response.status != 200:
            return pages
        html = response.body.decode("utf-8")
        pages.append([(href, title) for href, title in ROW.findall(html)])
        n += 1


def test_gkmlpt_columns_answer_their_documented_api() -> None:
    paging = Counter()
    for n in VARIANTS:
        world = variant(n)
        for column in world.manifest["columns"]:
            if not column["how"].startswith("gkmlpt"):
                continue
            index = column["url"].split("#")[0]
            shell = world.get(index).body.decode("utf-8")
            sid = re.search(r"SID:'(\d+)'", shell).group(1)
            cat = column["id"]
            assert "/content/" not in shell and f'"id": {cat}' in shell and "TREE: [" in shell
            host = index.split("/")[2]
            api = f"https://{host}/gkmlpt/api/all/{cat}?sid={sid}&page="
            one = world.get(api + "1")
            data = json.loads(one.body)
            listed = {a["url"] for a in data["articles"]}
            reports = {r["url"] for r in world.manifest["reports"] if r["column"] == column["url"]}
            assert data["classify"]["post_count"] == len(data["articles"]) and reports <= listed
            assert world.get(api.replace(f"sid={sid}", "sid=1") + "1").status == 404
            mode = "paged" if "(paged" in column["how"] else "whole"
            paging[mode] += 1
            if mode == "paged":
                assert world.get(api + "0").body == one.body
                assert json.loads(world.get(api + "2").body)["articles"] == []
            else:
                assert world.get(api + "2").status == 404
            prefixed = index.removesuffix("index") + f"api/all/{cat}?sid={sid}&page=1"
            assert world.get(prefixed).body == one.body
    assert set(paging) == {"paged", "whole"}


def test_gkmlpt_pages_hold_100_rows() -> None:
    by = next(s for s in variant(0).router.sites if s.portal == "by_gov_cn")
    posts = [p for p in by.cat.posts if p.kind == "report"]
    rows = [(posts[i % len(posts)], f"https://www.by.gov.cn/x/{i}") for i in range(230)]
    plan = gkmlpt.Plan(
        "/gzbyjy/", "广州市白云区教育局", "白云区教育局", "200711", 2851, paging=gkmlpt.PAGED
    )
    pages = [json.loads(gkmlpt.api_body(plan, 2851, "年报", rows, k)) for k in range(5)]
    assert [len(p["articles"]) for p in pages] == [100, 100, 100, 30, 0]
    assert pages[0] == pages[1] and pages[2]["articles"][0]["url"] == "https://www.by.gov.cn/x/100"
    whole = gkmlpt.Plan("/gzbyjy/", "广州市白云区教育局", "白云区教育局", "200711", 2851)
    assert len(json.loads(gkmlpt.api_body(whole, 2851, "年报", rows, 1))["articles"]) == 230
    assert gkmlpt.api_body(whole, 2851, "年报", rows, 2) is None


def test_each_variant_is_the_same_bytes_in_another_process() -> None:
    script = (
        "import hashlib, json, sys\n"
        "from sandbox.sites import Router, World\n"
        "from tests.sandbox.walk import Walker, home_pages\n"
        "out = {}\n"
        "for n in (2, 5):\n"
        "    router = Router(World(variant=n))\n"
        "    walk = Walker(router).walk(home_pages(router), keep_bodies=True)\n"
        "    h = hashlib.sha256(json.dumps(router.manifest(), ensure_ascii=False).encode())\n"
        "    for url in sorted(walk.bodies):\n"
        "        h.update(url.encode() + walk.bodies[url])\n"
        "    out[n] = (len(walk.bodies), h.hexdigest())\n"
        "print(json.dumps(out))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    pages = json.loads(runs[0])
    assert all(count > 700 for count, _digest in pages.values())
    assert pages["2"][1] != pages["5"][1]


def test_faults_apply_in_a_drawn_variant() -> None:
    faults = Faults.of(["qzlc_gov_cn:list500", "by_gov_cn:list500"])
    broken = Router(World(variant=3, faults=faults))
    world = variant(3)

    def status(url: str) -> int:
        return ask(broken, url).status

    for column in world.manifest["columns"]:
        if column["portal"] in ("qzlc_gov_cn", "by_gov_cn"):
            assert status(column["url"].split("#")[0]) == 500
        else:
            assert status(column["url"].split("#")[0]) == 200
    report = next(r for r in world.reports("qzlc_gov_cn") if r["reachable"])
    assert status(report["url"]) == 200 and status("https://www.by.gov.cn/gzjg/") == 200


def test_markup_and_slow_faults_on_zc_in_a_drawn_variant() -> None:
    world = variant(2)
    [column] = world.columns("zc_gov_cn")
    report = world.reports("zc_gov_cn")[5]
    broken = Router(World(variant=2, faults=Faults.of(["zc_gov_cn:markup", "zc_gov_cn:slow=0.5"])))
    page, detail = ask(broken, column["url"]), ask(broken, report["url"])
    assert b"<li>" not in page.body and b"zoomcon" not in detail.body and page.delay == 0.5
    assert ask(broken, "https://www.by.gov.cn/").delay == 0.0


def test_revision_1_adds_edits_and_deletes_one_zc_report_in_a_drawn_variant() -> None:
    before = {
        r["url"]: r for r in sandbox.manifest(variant=4)["reports"] if r["portal"] == "zc_gov_cn"
    }
    after_manifest = sandbox.manifest(revision=1, variant=4)
    after = {r["url"]: r for r in after_manifest["reports"] if r["portal"] == "zc_gov_cn"}
    [gone] = after_manifest["gone"]
    assert gone in before and gone not in after
    assert len(set(after) - set(before)) == 1
    edited = [u for u in set(before) & set(after) if before[u]["text"] != after[u]["text"]]
    assert len(edited) == 1
    assert ask(Router(World(revision=1, variant=4)), gone).status == 404


def test_scale_multiplies_the_reports_of_a_drawn_variant() -> None:
    one = Counter(r["portal"] for r in sandbox.manifest(variant=1)["reports"])
    two = Counter(r["portal"] for r in sandbox.manifest(scale=2, variant=1)["reports"])
    assert all(two[p] > one[p] + 25 for p in one if p != "qzlc_gov_cn")
    assert two["qzlc_gov_cn"] > one["qzlc_gov_cn"]


def test_manifest_command_takes_the_variant(tmp_path) -> None:
    out = tmp_path / "m.json"
    command = [sys.executable, "-m", "sandbox", "manifest", "--variant", "2", "--out", str(out)]
    subprocess.run(command, check=True, cwd=ROOT)
    assert json.loads(out.read_text("utf-8")) == sandbox.manifest(variant=2)
    bad = subprocess.run([*command[:5], "-1"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "must be >= 0" in bad.stderr


def test_the_crawler_passes_the_variant_to_the_sandbox_process() -> None:
    from crawler.sandbox_process import sandbox_args

    assert sandbox_args(1, 2, ("zc_gov_cn:list500",), 3) == [
        "--revision",
        "1",
        "--scale",
        "2",
        "--variant",
        "3",
        "--fault",
        "zc_gov_cn:list500",
    ]


def test_a_drawn_variant_is_served_through_the_proxy(client_for) -> None:
    world = variant(5)
    report = next(r for r in world.reports("qufu_gov_cn") if "charset_lie" not in r)
    with sandbox.running(variant=5) as served:
        client = client_for(served.proxy_url)
        assert served.manifest == world.manifest
        fetched = client.get(report["url"])
        assert fetched.status == 200 and fetched.body == world.get(report["url"]).body
        assert (
            hashlib.sha256(client.get("https://www.by.gov.cn/").body).digest()
            == hashlib.sha256(world.get("https://www.by.gov.cn/").body).digest()
        )
