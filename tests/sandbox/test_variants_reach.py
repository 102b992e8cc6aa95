"""Every variant of the sandbox is a faithful world: every report it lists is reachable from the
home pages by documented means (links, TRS pagers, Hanweb jpage, the gkmlpt API), except the
ones a list hides behind a script, which the manifest marks; the H facts of docs/portals.md hold
in every variant (URL grammars, the pinned real URLs, chrome order, meta tag names, site codes);
and what each page shows is what the manifest says."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.sandbox.walk import decode, report_urls
from tests.sandbox.worlds import DRAWN, VARIANTS, metas, page_text, squeezed, variant

PORTALS = ("by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn")
T = r"/\d{6}/t\d{8}_\d+\.htm"
GRAMMAR = {
    "by_gov_cn": re.compile(
        r"^https://www\.by\.gov\.cn/(zwgk/qzfxxgknb/([a-z]+/)?|gzjg/[a-z]+/zfxxgkgzndbg/)"
        r"content/post_\d+\.html$"
        r"|^https://www\.by\.gov\.cn/gzby[a-z]+/gkmlpt/content/\d+/\d+/post_\d+\.html$"
        r"|^https://www\.gz\.gov\.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/(\d{4}n/)?content/post_\d+\.html$"
    ),
    "zc_gov_cn": re.compile(
        r"^https://www\.zc\.gov\.cn/gk/zfxxgk/zfxxgkgznb/content/post_\d+\.html$"
    ),
    "haizhu_gov_cn": re.compile(
        r"^https://www\.haizhu\.gov\.cn/zwgk/zfxxgknb/[a-z]+/content/post_\d+\.html$"
        r"|^https://www\.haizhu\.gov\.cn/(gzhzjy|gzhzfg|gzhzkgsx)/gkmlpt/content/\d+/\d+/post_\d+\.html$"
    ),
    "qzlc_gov_cn": re.compile(
        r"^https://www\.qzlc\.gov\.cn/(xxgk/zfxxgk/(qzfxxgknb/(qzfndbg|qzfbndbg)"
        r"|lcqzfxxgkml/30yzdgkdqtzfxx)|zwgk/(bm|zj|qzbm)/[a-z]+/(nb|ghzj"
        rf"|lcqzfxxgkml/(30gxzd|25gzdtt|30yzdgkdqtzfxx))){T}$"
    ),
    "qufu_gov_cn": re.compile(
        r"^https://www\.qufu\.gov\.cn/(art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"
        r"|module/xxgk/xxgkAnnualReport\.jsp\?area=\d{8}-\d&fbtime=\d{4})$"
    ),
}
# Real URLs (portals.md §2, §5, §6): the same in every variant.
PINNED = {
    "https://www.by.gov.cn/zwgk/qzfxxgknb/zj/content/post_8041063.html",
    "https://www.by.gov.cn/zwgk/qzfxxgknb/bm/content/post_7043430.html",
    "https://www.by.gov.cn/gzjg/qwbgs/zfxxgkgzndbg/content/post_9472985.html",
    "https://www.qzlc.gov.cn/xxgk/zfxxgk/qzfxxgknb/qzfndbg/202601/t20260128_3262168.htm",
    "https://www.qzlc.gov.cn/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/202201/t20220114_2684136.htm",
    "https://www.qzlc.gov.cn/zwgk/bm/swj/nb/202201/t20220107_2681142.htm",
    "https://www.qzlc.gov.cn/zwgk/zj/jljd/nb/201801/t20180103_1277517.htm",
    "https://www.qzlc.gov.cn/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/202401/t20240122_2996819.htm",
    "https://www.qufu.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=49417463-2&fbtime=2017",
}
SEED_TITLES = {
    "by_gov_cn": "广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告",
    "qufu_gov_cn": "曲阜市鲁城街道办事处2017年度政府信息公开工作年度报告",
}
SITE_CODES = {
    "www.by.gov.cn": "440111",
    "www.zc.gov.cn": "440118",
    "www.haizhu.gov.cn": "440105",
    "www.qzlc.gov.cn": "350502",
    "www.qufu.gov.cn": "370881",
}


@pytest.fixture(scope="module", params=VARIANTS, ids=lambda n: f"variant{n}")
def world(request):
    return variant(request.param)


def test_every_report_is_reached_from_the_home_pages_unless_marked_unreachable(world) -> None:
    reports = world.manifest["reports"]
    wrong = [
        r["url"]
        for r in reports
        if any(world.walk.reached(u) for u in report_urls(r)) != r["reachable"]
    ]
    assert wrong == []
    assert Counter(r["portal"] for r in reports if r["reachable"]).keys() == set(PORTALS)
    # The walk met no page that errs, beyond the listed posts the manifest says answer 404.
    failing = {u.replace("http://", "https://") for u, s in world.walk.visited.items() if s >= 400}
    assert failing <= set(world.manifest["missing"])


def test_only_a_list_continued_by_script_hides_reports(world) -> None:
    hidden = [r for r in world.manifest["reports"] if not r["reachable"]]
    warned = {w["url"]: w for w in world.manifest["warnings"]}
    assert {r["column"] for r in hidden} == set(warned)
    for url, warning in warned.items():
        page = world.get(url).body.decode("utf-8")
        assert warning["kind"] == "list incomplete"
        assert (
            warning["message"]
            == f"list incomplete: shows {warning['shows']} of {warning['declares']}"
        )
        assert page.count("<dl>") == warning["shows"] < warning["declares"]
        assert f"recordCount: '{warning['declares']}'" in page and "list2.trsapi" in page
        assert "createPageHTML" not in page and "下一页" not in page
        assert world.get(url + "index_1.htm").status == 404
        listed = set(re.findall(r'<a href="\./(\d{6}/t\d{8}_\d+\.htm)"', page))
        assert not {r["url"].removeprefix(url) for r in hidden} & listed


def test_report_urls_follow_each_portals_grammar_and_the_real_ones_stay(world) -> None:
    for report in world.manifest["reports"]:
        assert GRAMMAR[report["portal"]].match(report["url"]), report["url"]
        if report["portal"] == "qzlc_gov_cn":  # the month folder is the t-date's month
            folder, day = re.search(r"/(\d{6})/t(\d{8})_", report["url"]).groups()
            assert day.startswith(folder)
    urls = {r["url"] for r in world.manifest["reports"]}
    assert urls >= PINNED
    titles = {r["portal"]: set() for r in world.manifest["reports"]}
    for r in world.manifest["reports"]:
        titles[r["portal"]].add(r["title"])
    assert all(title in titles[portal] for portal, title in SEED_TITLES.items())


def test_home_pages_lead_to_channels_with_the_mandated_tags(world) -> None:
    for host, code in SITE_CODES.items():
        body = world.get(f"https://{host}/").body
        tags = metas(body)
        assert tags["SiteDomain"] == host and tags["SiteName"]
        assert tags["SiteIDCode"][:6] == code and len(tags["SiteIDCode"]) == 10
        assert f"网站标识码：{tags['SiteIDCode']}" in page_text(body)
    for column in world.manifest["columns"]:
        if "gkmlpt" in column["how"]:
            continue
        tags = metas(world.get(column["url"]).body)
        assert {"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType"} <= tags.keys()
        assert tags["SiteIDCode"][:6] == SITE_CODES[column["url"].split("/")[2]]


CHROME = {
    "www.by.gov.cn": (
        "智能问答",
        "当前位置: 首页 >",
        "{title}",
        "发布时间:{date} 来源:",
        "字体大小:",
    ),
    "www.zc.gov.cn": ("长者助手", "无障碍", "{title}", "{date} 来源:", "【字号：", "分享"),
    "www.haizhu.gov.cn": (
        "您当前所在的位置: 首页 >",
        "{title}",
        "发布日期:{date}",
        "来源:",
        "分享到:",
        "浏览量:",
    ),
    "www.qzlc.gov.cn": (
        "索 引 号:",
        "备注/文号:",
        "发布机构:",
        "公文生成日期:",
        "{title}",
        "来源:",
        "时间:{date}",
    ),
    "www.qufu.gov.cn": ("{title}", "发布日期：{date}", "信息来源："),
    "gkmlpt": (
        "索引号：",
        "分类：",
        "发布机构：",
        "成文日期：",
        "名称：",
        "文号：",
        "发布日期：",
        "主题词：",
        "{title}",
    ),
}
FOOTER = {host: f"网站标识码：{code}0001" for host, code in SITE_CODES.items()}


def _chrome(report: dict) -> tuple[str, ...] | None:
    host = report["url"].split("/")[2]
    if "/gkmlpt/" in report["url"]:
        return CHROME["gkmlpt"]
    if "xxgkAnnualReport" in report["url"]:
        return ("发布机构：", "年度：", "发布日期：{date}", "{title}")
    return CHROME.get(host)


def _in_order(text: str, markers: list[str], where: str) -> int:
    """Where the last marker ends, each found after the one before it; fails if one is not."""
    at = 0
    for marker in markers:
        found = text.find(marker, at)
        assert found >= 0, f"{marker!r} not after position {at} on {where}"
        at = found + len(marker)
    return at


def test_every_report_page_shows_its_chrome_title_date_and_text_in_order(world) -> None:
    seen = Counter()
    for report in world.manifest["reports"]:
        order = _chrome(report)
        response = world.get(report["url"])
        if order is None or response.status != 200:
            continue
        text = page_text(response.body)
        if report["portal"] == "qzlc_gov_cn" and "索 引 号:" not in text:
            order = order[4:]  # columns outside the 公开目录 have no metadata list (§5)
        markers = [m.format(title=report["title"], date=report["published_at"]) for m in order]
        lines = [line for line in report["text"].split("\n")[1:] if line.strip()][:1]
        end = _in_order(text, markers, report["url"])
        for line in lines:  # the report's first line comes after the chrome
            assert squeezed(line) in squeezed(text[end:]), report["url"]
        host = report["url"].split("/")[2]
        if host in FOOTER:
            assert text.rindex(FOOTER[host]) > end
        seen[host] += 1
    assert set(seen) >= {f"www.{p.split('_')[0]}.gov.cn" for p in PORTALS}


def test_article_pages_carry_the_mandated_article_tags(world) -> None:
    for report in world.manifest["reports"][::7]:
        response = world.get(report["url"])
        tags = metas(response.body)
        if "xxgkAnnualReport" in report["url"] or "ArticleTitle" not in tags:
            assert "qufu" in report["url"] or "qzlc" in report["url"]  # module / pre-2019 pages
            continue
        assert tags["ArticleTitle"] in (report["title"], "")  # Haizhu leaves some empty (§8)
        assert tags["PubDate"][:10] == report["published_at"]
        assert "ContentSource" in tags and tags["SiteIDCode"]


def test_hanweb_article_bodies_sit_between_the_zjeg_markers(world) -> None:
    articles = [r for r in world.reports("qufu_gov_cn") if "/art/" in r["url"]]
    for report in articles:
        html = decode(world.get(report["url"]).body)
        begin = html.index("<!--ZJEG_RSS.content.begin-->")
        end = html.index("<!--ZJEG_RSS.content.end-->")
        inside = squeezed(page_text(html[begin:end].encode()))
        first = next(x for x in report["text"].split("\n")[1:] if x.strip())
        assert squeezed(first) in inside and squeezed(report["title"]) not in inside
    assert articles


@pytest.mark.parametrize("number", DRAWN)
def test_charset_lies_tell_the_header_one_thing_and_the_bytes_another(number) -> None:
    world = variant(number)
    lying = [r for r in world.manifest["reports"] if "charset_lie" in r]
    assert lying, "every drawn variant has pages whose charset header lies"
    for report in lying:
        response = world.get(report["url"])
        lie = report["charset_lie"]
        content_type = response.header("Content-Type") or ""
        assert content_type.endswith(f"charset={lie['header']}")
        if lie["kind"] == "header_gbk":
            html = response.body.decode("utf-8")
            assert 'charset="utf-8"' in html or "charset=utf-8" in html
            assert report["title"] not in response.body.decode("gbk", "replace")
        else:
            with pytest.raises(UnicodeDecodeError):
                response.body.decode("utf-8")
            html = response.body.decode("gb18030")
            assert "gb2312" in html[:600] and report["title"] in page_text(response.body)


def test_the_reference_world_tells_no_charset_lie_and_hides_nothing() -> None:
    world = variant(0)
    assert not any("charset_lie" in r for r in world.manifest["reports"])
    assert all(r["reachable"] for r in world.manifest["reports"])
    assert world.manifest["warnings"] == [] and world.manifest["variant"] == 0
