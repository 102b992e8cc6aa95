"""The portal registry: rows read and checked from TOML, a generic spider per CMS family built
from a row with exactly the declarations the former spider files had, names resolved by host,
key, alias or URL, `scrapy crawl portal -a host=`, per-host politeness, and bad rows refused
with a message naming the row."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.cms.hanweb import HanwebMixin
from crawler.cms.nfcms import NfcmsMixin
from crawler.cms.trs import TrsMixin
from crawler.registry import RegistryError, find_row, load_rows, registry_rows, spider_class
from crawler.registry.loader import RegistryPortal, RegistrySpiderLoader
from crawler.registry.rows import row_from_dict
from crawler.registry.spiders import download_slots
from crawler.runner import project_settings
from tests.helpers import project_crawler

GOOD = {
    "host": "www.example-county.gov.cn",
    "name": "某市某区",
    "division": "440199",
    "cms": "trs",
    "entry": ["https://www.example-county.gov.cn/"],
}


def test_the_repository_registry_holds_the_five_real_portals() -> None:
    rows = {row.key: row for row in registry_rows()}
    assert sorted(rows) == ["by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn"]
    assert {k: (r.division, r.cms) for k, r in rows.items()} == {
        "zc_gov_cn": ("440118", "nfcms"),
        "by_gov_cn": ("440111", "nfcms"),
        "haizhu_gov_cn": ("440105", "nfcms"),
        "qzlc_gov_cn": ("350502", "trs"),
        "qufu_gov_cn": ("370881", "hanweb"),
    }
    # only haizhu keeps a file (README's genportal walkthrough), and its row says why
    assert [(k, r.spider) for k, r in rows.items() if r.spider] == [
        ("haizhu_gov_cn", "haizhu_gov_cn")
    ]
    assert "walkthrough" in rows["haizhu_gov_cn"].why


def test_a_row_builds_the_declarations_the_spider_file_had() -> None:
    by = spider_class(find_row(registry_rows(), "www.by.gov.cn"))
    gz = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
    assert issubclass(by, NfcmsMixin)
    assert (by.name, by.portal_name, by.city, by.district) == (
        "by_gov_cn",
        "广州市白云区",
        "广州市",
        "白云区",
    )
    assert by.allowed_domains == ["by.gov.cn", "gz.gov.cn"]
    assert by.start_urls == ["https://www.by.gov.cn/"]
    assert by.hints == [
        "https://www.by.gov.cn/zwgk/qzfxxgknb/",
        "https://www.by.gov.cn/gzbyjy/gkmlpt/index",
        gz,
    ]
    assert by.column_title_filters == {gz: "白云区"}
    assert (by.content_selector, by.title_selector) == ("#zoomcon", "h1")
    qzlc = spider_class(find_row(registry_rows(), "qzlc_gov_cn"))
    assert issubclass(qzlc, TrsMixin) and qzlc.content_selector == ".TRS_Editor"
    assert qzlc.list_columns == "/lcqzfxxgkml/[^/]+/$"
    assert qzlc.title_selector == ":is(h1.article-title, div.xl_title)"
    qufu = spider_class(find_row(registry_rows(), "http://www.qufu.gov.cn/col/col1/index.html"))
    assert issubclass(qufu, HanwebMixin) and (qufu.content_selector, qufu.city) == (
        "#zoom",
        "济宁市",
    )
    zc = spider_class(find_row(registry_rows(), "www.zengcheng.gov.cn"))  # the old host finds it
    assert zc.host_aliases == {
        "www.zengcheng.gov.cn": "www.zc.gov.cn",
        "zc.gov.cn": "www.zc.gov.cn",
    }
    assert zc.repost_domains == ["gz.gov.cn"]
    assert zc().canonical_url("http://www.zengcheng.gov.cn/a/content/post_1.html") == (
        "https://www.zc.gov.cn/a/content/post_1.html"
    )


def test_the_loader_offers_every_registered_portal_and_the_portal_spider() -> None:
    loader = RegistrySpiderLoader(project_settings())
    assert sorted(loader.list()) == [
        "by_gov_cn",
        "haizhu_gov_cn",
        "qufu_gov_cn",
        "qzlc_gov_cn",
        "zc_gov_cn",
    ]
    assert loader.load("by_gov_cn").__module__ == "crawler.registry.generated"
    assert loader.load("haizhu_gov_cn").__module__ == "spiders.haizhu_gov_cn"
    assert loader.load("portal") is RegistryPortal
    assert [loader.resolve(n) for n in ("www.by.gov.cn", "by.gov.cn", "zc_gov_cn", "x.gov.cn")] == [
        "by_gov_cn",
        "by_gov_cn",
        "zc_gov_cn",
        None,
    ]


def test_scrapy_crawl_portal_builds_the_rows_spider() -> None:
    crawler = project_crawler(RegistryPortal, {"host": "www.qzlc.gov.cn"})
    spider = crawler.spider
    assert (spider.name, type(spider).__mro__[1]) == ("qzlc_gov_cn", TrsMixin)
    with pytest.raises(RegistryError, match=r"no registered portal 'www\.nowhere\.gov\.cn'"):
        RegistryPortal.from_crawler(crawler, host="www.nowhere.gov.cn")
    with pytest.raises(RegistryError, match="needs -a host="):
        RegistryPortal.from_crawler(crawler)


def test_a_rate_paces_the_portals_own_hosts_only() -> None:
    row = row_from_dict({**GOOD, "rate": {"delay": 3, "concurrency": 1}}, "test")
    assert download_slots(row) == {"www.example-county.gov.cn": {"delay": 3.0, "concurrency": 1}}
    assert spider_class(row).custom_settings == {"DOWNLOAD_SLOTS": download_slots(row)}
    assert spider_class(row_from_dict(GOOD, "test")).custom_settings is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cms": "wordpress"}, "cms 'wordpress' is not one of"),
        ({"division": "4401"}, "division '4401' is not a 6-digit code"),
        ({"entry": "https://www.example-county.gov.cn/"}, "'entry' must be a list of strings"),
        ({"entry": ["ftp://www.example-county.gov.cn/"]}, "is not an http(s) URL"),
        ({"hints": ["https://elsewhere.gov.cn/nb/"], "cms": "trs"}, ""),  # domains follow hints
        ({"cms": "generic"}, "a generic portal needs 'content'"),
        ({"colour": "red"}, "unknown key(s) ['colour']"),
        ({"spider": "x_gov_cn"}, "needs 'why'"),
        ({"rate": {"delay": -1}}, "rate.delay must be a number >= 0"),
        ({"title": "h1, h2"}, "is a selector group"),
        ({"reposts": {"https://www.gz.gov.cn/gq/": "某区"}}, "'reposts' is an NFCMS cluster habit"),
    ],
)
def test_a_bad_row_is_refused_naming_the_row(change: dict, message: str) -> None:
    item = {**GOOD, **change}
    if not message:
        assert spider_class(row_from_dict(item, "row #1")).allowed_domains == [
            "example-county.gov.cn",
            "elsewhere.gov.cn",
        ]
        return
    with pytest.raises(RegistryError) as raised:
        spider_class(row_from_dict(item, "portals.toml portal #1"))
    assert str(raised.value).startswith("portals.toml portal #1")
    assert message in str(raised.value)


def test_a_portal_registered_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.toml"
    path.write_text(
        '[[portal]]\nhost = "www.zc.gov.cn"\nname = "x"\ndivision = "440118"\ncms = "nfcms"\n'
        'entry = ["https://www.zc.gov.cn/"]\n',
        "utf-8",
    )
    assert [r.key for r in load_rows(path)] == ["zc_gov_cn"]
    with pytest.raises(RegistryError, match=r"www\.zc\.gov\.cn is registered twice"):
        registry_rows((str(path),))
    path.write_text("[[portal]\n", "utf-8")
    with pytest.raises(RegistryError, match="cannot read the registry"):
        load_rows(path)


@given(
    st.dictionaries(
        st.sampled_from([*GOOD, "rate", "aliases", "x"]),
        st.none() | st.text() | st.integers() | st.lists(st.text()),
    )
)
def test_any_row_is_a_spider_or_a_registry_error(item: dict) -> None:
    with contextlib.suppress(RegistryError):
        spider_class(row_from_dict({**GOOD, **item}, "row"))


def test_the_rate_reaches_the_crawlers_settings_and_nothing_else_changes() -> None:
    # Scrapy's downloader keys a slot by host and reads DOWNLOAD_SLOTS[host] for it
    row = row_from_dict({**GOOD, "rate": {"delay": 3, "concurrency": 1}}, "test")
    settings = project_crawler(spider_class(row)).settings
    assert settings.getdict("DOWNLOAD_SLOTS") == {
        "www.example-county.gov.cn": {"delay": 3.0, "concurrency": 1}
    }
    assert (
        settings.getfloat("DOWNLOAD_DELAY"),
        settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
    ) == (
        0.5,
        2,
    )
    plain = project_crawler(spider_class(row_from_dict(GOOD, "test"))).settings
    assert plain.getdict("DOWNLOAD_SLOTS") == {}
