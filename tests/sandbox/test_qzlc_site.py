"""www.qzlc.gov.cn through the proxy: TRS lists paged by createPageHTML, unit directories, both
detail templates with their fields, seed 004 on its real URL, the notice that forwards the 2023
report, the attachment-only report, mislabelled attachments, the listed 404, and the manifest."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from parsel import Selector

SITE = "https://www.qzlc.gov.cn"
NOTICES = SITE + "/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/"
QZFNDBG = SITE + "/xxgk/zfxxgk/qzfxxgknb/qzfndbg/"
SEED_URL = SITE + "/zwgk/zj/jljd/nb/201801/t20180103_1277517.htm"
SEED_TITLE = "金龙街道办事处2017年政府信息公开工作年度报告"
KJJ_URL = SITE + "/zwgk/bm/kjj/lcqzfxxgkml/30yzdgkdqtzfxx/202301/t20230110_2840494.htm"
FORWARD_URL = NOTICES + "202401/t20240122_2996819.htm"
FORWARD_TITLE = (
    "泉州市鲤城区人民政府办公室关于转发《泉州市鲤城区人民政府2023年政府信息公开工作年度报告》的通知"
)
ONLY_URL = SITE + "/zwgk/bm/scjgj/lcqzfxxgkml/30yzdgkdqtzfxx/202203/t20220309_2708291.htm"
ONLY_TITLE = "2021年泉州市鲤城区市场监督管理局政府信息公开工作年度报告"
PAGER = re.compile(r'createPageHTML\((\d+), (\d+), "index", "htm"\);')


def _page(client, url: str) -> Selector:
    fetched = client.get(url)
    assert fetched.status == 200, url
    return Selector(text=fetched.text)


def _rows(page: Selector) -> list[tuple[str, str, str]]:
    return [
        (li.css("a::attr(href)").get(), li.css("a::attr(title)").get(), li.css("span::text").get())
        for li in page.css("ul.list > li")
    ]


def _texts(page: Selector, css: str) -> list[str]:
    return [t.strip() for t in page.css(css).getall() if t.strip()]


def _pager(page: Selector) -> tuple[int, int]:
    (match,) = PAGER.findall(page.css("div.page script::text").get())
    return int(match[0]), int(match[1])


@pytest.fixture(scope="module")
def qzlc(truth) -> list[dict]:
    return [r for r in truth["reports"] if r["portal"] == "qzlc_gov_cn"]


def _entry(qzlc: list[dict], url: str) -> dict:
    (entry,) = [r for r in qzlc if r["url"] == url]
    return entry


def test_notice_list_has_three_pages_named_by_create_page_html(client):
    pages = [_page(client, NOTICES + n) for n in ("", "index_1.htm", "index_2.htm")]
    assert [len(_rows(p)) for p in pages] == [10, 10, 2]
    assert [_pager(p) for p in pages] == [(3, 0), (3, 1), (3, 2)]
    # The pager exists only once the script runs: no static 下一页 link to follow.
    assert [p.xpath('//a[contains(., "下一页")]') for p in pages] == [[], [], []]
    assert _rows(pages[0])[3] == (
        "./202401/t20240122_2996819.htm",
        FORWARD_TITLE,
        "2024-01-22",
    )
    assert _rows(pages[2])[-1] == (
        "./201605/t20160512_982801.htm",
        "泉州市鲤城区人民政府关于公布区级行政许可事项清单的通知",
        "2016-05-12",
    )
    assert client.get(NOTICES + "index.htm").body == client.get(NOTICES).body
    assert [client.get(NOTICES + n).status for n in ("index_0.htm", "index_3.htm")] == [404, 404]


def test_lists_are_newest_first_and_a_short_column_is_one_page(client):
    first, second = _page(client, QZFNDBG), _page(client, QZFNDBG + "index_1.htm")
    rows = _rows(first) + _rows(second)
    assert [len(_rows(first)), len(_rows(second))] == [10, 3]
    assert [_pager(first), _pager(second)] == [(2, 0), (2, 1)]
    dates = [d for _h, _t, d in rows]
    assert dates == sorted(dates, reverse=True)
    assert rows[0] == (
        "./202601/t20260128_3262168.htm",
        "泉州市鲤城区人民政府2025年政府信息公开工作年度报告",
        "2026-01-28",
    )
    seed_column = _page(client, SITE + "/zwgk/zj/jljd/nb/")
    assert _pager(seed_column) == (1, 0)
    assert _rows(seed_column)[-1] == ("./201801/t20180103_1277517.htm", SEED_TITLE, "2018-01-02")


def test_unit_directories_link_each_unit_folder(client):
    bm, zj = _page(client, SITE + "/zwgk/bm/"), _page(client, SITE + "/zwgk/zj/")
    assert bm.css("ul.dir a::attr(href)").getall() == [
        "./fgj/", "./jyj/", "./kjj/", "./mzj/", "./sfj/", "./czj/",
        "./swj/", "./nlsj/", "./wjj/", "./scjgj/", "./tjj/",
    ]  # fmt: skip
    assert zj.css("ul.dir a::text").getall()[:2] == ["鲤城区海滨街道办事处", "鲤城区临江街道办事处"]
    assert len(zj.css("ul.dir a")) == 8
    kjj = _page(client, SITE + "/zwgk/bm/kjj/")
    assert kjj.css("ul.dir a::attr(href)").getall() == ["./nb/", "./lcqzfxxgkml/30yzdgkdqtzfxx/"]
    empty = _page(client, SITE + "/zwgk/bm/scjgj/nb/")
    assert (_rows(empty), empty.css("p.empty::text").get()) == ([], "暂无信息")


def test_catalogue_page_has_the_metadata_list_then_title_then_source_and_time(client):
    fetched = client.get(KJJ_URL)
    page = Selector(text=fetched.text)
    cells = page.css("div.xxgk-info td::text").getall()
    assert cells == [
        "索 引 号:", "QZ01304-3000-2023-00001", "备注/文号:", "泉鲤政科〔2023〕1号",
        "发布机构:", "泉州市鲤城区科学技术局", "公文生成日期:", "2023-01-10",
    ]  # fmt: skip
    assert (
        page.css("h1.article-title::text").get()
        == "泉州市鲤城区科学技术局2022年政府信息公开年度报告"
    )
    assert page.css("div.article-info span::text").getall()[:2] == [
        "来源:鲤城区科技局",
        "时间:2023-01-10 09:04",
    ]
    meta = dict(
        zip(
            page.css("meta::attr(name)").getall(),
            page.css("meta[name]::attr(content)").getall(),
            strict=True,
        )
    )
    assert (meta["ArticleTitle"], meta["PubDate"], meta["ContentSource"]) == (
        "泉州市鲤城区科学技术局2022年政府信息公开年度报告",
        "2023-01-10 09:04:00",
        "鲤城区科技局",
    )
    assert _texts(page, ".TRS_Editor p ::text")[:2] == ["泉鲤政科〔2023〕1号", "签发人：许家辉"]
    order = [fetched.text.index(s) for s in ("索 引 号", "article-title", "来源:", "TRS_Editor")]
    assert order == sorted(order)


def test_seed_004_on_its_real_url_in_the_old_template(client, qzlc):
    page = _page(client, SEED_URL)
    assert page.css('meta[name="ArticleTitle"]') == []
    assert page.css("div.xxgk-info") == []
    assert page.css("div.xl_title::text").get() == SEED_TITLE
    assert page.css("div.xl_time::text").get() == "来源:鲤城区金龙街道办事处 时间:2018-01-02 12:03"
    assert _texts(page, ".TRS_Editor p ::text")[:2] == ["泉鲤金办〔2018〕1号", "签发人：孙刚涌"]
    entry = _entry(qzlc, SEED_URL)
    assert (entry["title"], entry["unit"], entry["year"], entry["published_at"]) == (
        SEED_TITLE,
        "金龙街道办事处",
        2017,
        "2018-01-02",  # the page's 时间; the URL's t20180103 is the day TRS generated it
    )
    lines = entry["text"].splitlines()
    assert lines[:3] == [SEED_TITLE, "泉鲤金办〔2018〕1号", "签发人：孙刚涌"]
    assert "**" not in entry["text"]  # the seed's DOCX-converter bold marks are not page text


def test_the_2023_report_exists_only_inside_the_forwarding_notice(client, qzlc):
    page = _page(client, FORWARD_URL)
    assert page.css("h1.article-title::text").get() == FORWARD_TITLE
    assert page.css("div.xxgk-info td::text").getall()[3] == "泉鲤政办〔2024〕3号"
    (link,) = page.css("div.xl-fj a")
    assert link.css("::text").get() == "泉州市鲤城区人民政府2023年政府信息公开工作年度报告.pdf"
    pdf = client.get(NOTICES + "202401/" + link.attrib["href"].removeprefix("./"))
    assert (pdf.status, pdf.headers["content-type"], pdf.body[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    entry = _entry(qzlc, FORWARD_URL)
    assert (entry["title"], entry["unit"], entry["year"], entry["published_at"]) == (
        FORWARD_TITLE,
        "鲤城区人民政府",
        2023,
        "2024-01-22",
    )
    lines = entry["text"].splitlines()
    assert lines[1:3] == ["泉鲤政办〔2024〕3号", "各街道办事处，区直各单位："]
    assert lines[7] == "泉州市鲤城区人民政府2023年政府信息公开工作年度报告"
    assert lines[8] == "一、总体情况"
    report_titles = {r["title"] for r in qzlc}
    assert "泉州市鲤城区人民政府2023年政府信息公开工作年度报告" not in report_titles
    assert entry["attachments"][0]["text"].startswith(lines[7] + "\n一、总体情况\n")


def test_attachment_only_report_and_mislabelled_files(client, qzlc):
    page = _page(client, ONLY_URL)
    assert _texts(page, ".TRS_Editor p ::text") == [f"现将《{ONLY_TITLE}》予以公开，详见附件。"]
    entry = _entry(qzlc, ONLY_URL)
    (attachment,) = entry["attachments"]
    assert attachment["filename"] == ONLY_TITLE + ".docx"
    fetched = client.get(attachment["url"])
    assert (fetched.headers["content-type"], fetched.body[:2]) == (
        "application/octet-stream",
        b"PK",
    )
    assert attachment["text"].splitlines()[:2] == [ONLY_TITLE, "一、总体情况"]
    files = Counter((a["format"], a["content_type"]) for r in qzlc for a in r["attachments"])
    assert files == {
        ("pdf", "application/pdf"): 3,
        ("pdf", "application/octet-stream"): 1,
        ("docx", "application/octet-stream"): 1,
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): 2,
    }
    assert all(
        re.search(r"/\d{6}/P0\d{20}\.(pdf|docx)$", a["url"]) for r in qzlc for a in r["attachments"]
    )


def test_manifest_of_qzlc(truth, qzlc, client):
    assert len(qzlc) == 58
    assert len([u for u in truth["nonreports"] if "qzlc" in u]) == 147
    missing = [u for u in truth["missing"] if "qzlc" in u]
    assert missing == [SITE + "/zwgk/zj/ljjd/nb/202301/t20230115_2841976.htm"]
    assert client.get(missing[0]).status == 404
    assert Counter(r["template"] for r in qzlc) == {"2021": 25, "pre2019": 25, "2019": 8}
    assert Counter(r["unit"] for r in qzlc)["鲤城区人民政府"] == 12
    assert len({r["text"] for r in qzlc}) == 58
    # the real URLs of portals.md §5
    urls = {r["url"] for r in qzlc}
    assert {
        QZFNDBG + "202601/t20260128_3262168.htm",
        SITE + "/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/202201/t20220114_2684136.htm",
        SITE + "/zwgk/bm/swj/nb/202201/t20220107_2681142.htm",
        SEED_URL,
        FORWARD_URL,
    } <= urls
    no_year = [r for r in qzlc if not re.search(r"\d{4}年", r["title"])]
    assert [(r["title"], r["year"], r["published_at"]) for r in no_year] == [
        ("江南街道办事处政府信息公开工作年度报告", 2020, "2021-03-21")
    ]


def test_compiling_notices_are_listed_as_non_reports(truth):
    nonreports = set(truth["nonreports"])
    assert NOTICES + "201712/t20171220_1271655.htm" in nonreports  # 泉鲤政办〔2017〕168号
    assert NOTICES + "202112/t20211223_2671669.htm" in nonreports  # 关于报送…年度报告的通知


def test_http_serves_the_same_page_and_no_charset_header_on_some(client, qzlc):
    assert client.get(SEED_URL.replace("https:", "http:")).body == client.get(SEED_URL).body
    types = Counter(client.get(r["url"]).headers["content-type"] for r in qzlc[:20])
    assert types == {"text/html; charset=utf-8": 17, "text/html": 3}
