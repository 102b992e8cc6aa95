"""Places: each spider's declared district resolved to province, city, county and the Ministry of
Civil Affairs' 6-digit code (through cnloc), and units under one spelling."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crawler.places import Place, UnknownPlace, place_of, unit_name

# every spider's (city, district), with the code the Ministry publishes for it
SPIDERS = {
    "by_gov_cn": ("广州市", "白云区", Place("广东省", "广州市", "白云区", "440111")),
    "haizhu_gov_cn": ("广州市", "海珠区", Place("广东省", "广州市", "海珠区", "440105")),
    "qufu_gov_cn": ("济宁市", "曲阜市", Place("山东省", "济宁市", "曲阜市", "370881")),
    "qzlc_gov_cn": ("泉州市", "鲤城区", Place("福建省", "泉州市", "鲤城区", "350502")),
    "zc_gov_cn": ("广州市", "增城区", Place("广东省", "广州市", "增城区", "440118")),
}


def test_every_spider_declares_a_place_that_resolves():
    from scrapy.spiderloader import get_spider_loader

    from crawler.runner import project_settings

    loader = get_spider_loader(project_settings())  # the registry's: rows and spider files
    for name, (city, district, place) in SPIDERS.items():
        spider = loader.load(name)
        assert (spider.city, spider.district) == (city, district)
        assert place_of(city, district) == place


def test_a_city_level_portal_and_a_municipality():
    assert place_of("广州市", None) == Place("广东省", "广州市", None, "440100")
    # a municipality's districts sit directly under it: its name is province and city both
    assert place_of("北京市", "海淀区") == Place("北京市", "北京市", "海淀区", "110108")
    assert place_of("重庆市", "渝中区") == Place("重庆市", "重庆市", "渝中区", "500103")


@pytest.mark.parametrize(
    ("city", "county"), [("广州市", "不存在区"), ("广州市", "鲤城区")]
)  # no such district; a real district in another city: no code rather than a wrong one
def test_a_name_no_division_has_is_refused(city: str, county: str):
    with pytest.raises(UnknownPlace, match=f"no division named '{city}{county}'"):
        place_of(city, county)


@pytest.mark.parametrize(
    ("unit", "city", "county", "expected"),
    [
        ("广州市白云区人民政府鹤龙街道办事处", "广州市", "白云区", "鹤龙街道办事处"),
        ("白云区鹤龙街道", "广州市", "白云区", "鹤龙街道办事处"),
        ("鹤龙街道", "广州市", "白云区", "鹤龙街道办事处"),
        ("小楼镇", "广州市", "增城区", "小楼镇人民政府"),
        ("广州市增城区司法局", "广州市", "增城区", "增城区司法局"),
        ("增城区司法局", "广州市", "增城区", "增城区司法局"),  # a bare 司法局 is any district's
        (" 朱村街道 办事处", "广州市", "增城区", "朱村街道办事处"),
        ("ＡＢＣ （测试）局", "广州市", "增城区", "ABC(测试)局"),
        ("", "广州市", "增城区", None),
        (None, "广州市", "增城区", None),
    ],
)
def test_units_under_one_spelling(unit, city, county, expected):
    assert unit_name(unit, city, county) == expected


@given(st.text(max_size=40), st.sampled_from([(c, d) for c, d, _ in SPIDERS.values()]))
@example(
    "A\u00b4", ("广州市", "白云区")
)  # NFKC makes ´ a space + combining mark: found by hypothesis
def test_unit_name_is_stable_on_its_own_output(unit: str, where: tuple[str, str]):
    once = unit_name(unit, *where)
    assert once is None or (once and not any(ch.isspace() for ch in once))
    assert unit_name(once, *where) == once
