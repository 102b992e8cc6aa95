"""A unit's identity across years: the many ways one 发布机构 is printed are one key on its
portal; different units stay apart; the county-level government itself is told from its office."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.figures.units import COUNTY, DEPARTMENT, STREET, TOWN, UNKNOWN, unit_identity

BAIYUN = {"city": "广州市", "district": "白云区"}
QUFU = {"city": "济宁市", "district": "曲阜市"}  # a county-level city


@pytest.mark.parametrize(
    ("names", "key", "level"),
    [
        (("区民政局", "白云区民政局", "广州市白云区民政局", "广东省广州市白云区民政局"), "民政局",
         DEPARTMENT),
        (("鹤龙街道办事处", "鹤龙街道", "鹤龙街", "广州市白云区人民政府鹤龙街道办事处",
          "白云区鹤龙街道办事处"), "鹤龙街道", STREET),
        (("人和镇人民政府", "人和镇", "广州市白云区人和镇人民政府", "人和镇政府"), "人和镇", TOWN),
        (("白云区人民政府", "广州市白云区人民政府", "区人民政府", "区政府", "白云区政府"), "人民政府",
         COUNTY),
        (("白云区人民政府办公室", "区政府办公室", "区人民政府办公室"), "人民政府办公室", DEPARTMENT),
        (("白云区市场监督管理局", "区市场监督管理局", "市场监督管理局"), "市场监督管理局", DEPARTMENT),
        (("白云区区委办公室", "区委办公室"), "区委办公室", DEPARTMENT),
        (("区政务服务数据管理局", "白云区政务服务数据管理局"), "政务服务数据管理局", DEPARTMENT),
        (("  白云区 财政局 ", "白云区财政局"), "财政局", DEPARTMENT),
    ],
)  # fmt: skip
def test_every_spelling_of_a_unit_is_one_key(names, key, level):
    assert {unit_identity(name, **BAIYUN).key for name in names} == {key}
    assert {unit_identity(name, **BAIYUN).level for name in names} == {level}


def test_units_that_differ_stay_apart():
    keys = [
        unit_identity(name, **BAIYUN).key
        for name in ("白云区民政局", "市民政局", "白云区人民政府", "白云区人民政府办公室",
                     "三元里街道办事处", "鹤龙街道办事处", "人和镇人民政府", "太和镇人民政府")
    ]  # fmt: skip
    assert keys == ["民政局", "市民政局", "人民政府", "人民政府办公室", "三元里街道", "鹤龙街道",
                    "人和镇", "太和镇"]  # fmt: skip


def test_a_county_level_city_names_its_own_departments_with_shi():
    assert unit_identity("市民政局", **QUFU).key == "民政局"
    assert unit_identity("曲阜市民政局", **QUFU).key == "民政局"
    assert unit_identity("曲阜市人民政府", **QUFU).level == COUNTY
    assert unit_identity("市场监督管理局", **QUFU).key == "市场监督管理局"
    assert unit_identity("书院街道办事处", **QUFU).key == "书院街道"


def test_the_county_name_of_districts_and_county_level_cities():
    assert unit_identity("民政局", **BAIYUN).county_name == "广州市白云区"
    assert unit_identity("民政局", **QUFU).county_name == "曲阜市"
    assert unit_identity("民政局").county_name is None


def test_no_name_is_no_unit():
    for name in (None, "", "  "):
        identity = unit_identity(name, **BAIYUN)
        assert (identity.key, identity.level) == (None, UNKNOWN)


_NAME = st.text(alphabet="民政局财税务教育卫生健康交通运输司法统计档案", min_size=2, max_size=8)


@given(_NAME)
def test_prefixing_the_portals_own_names_never_changes_a_departments_key(name):
    department = name + "局"
    plain = unit_identity(department, **BAIYUN).key
    assert plain
    for prefix in ("白云区", "广州市白云区", "区", "广东省广州市白云区"):
        assert unit_identity(prefix + department, **BAIYUN).key == plain


@given(st.text(max_size=30))
def test_any_text_gives_a_key_or_none_never_an_error(name):
    identity = unit_identity(name, **BAIYUN)
    assert identity.level in (COUNTY, DEPARTMENT, STREET, TOWN, UNKNOWN)
    assert (identity.key is None) == (identity.level == UNKNOWN)


def test_a_banner_names_its_departments_with_qi():
    banner = {"city": "锡林郭勒盟", "district": "正蓝旗"}
    assert unit_identity("旗民政局", **banner).key == "民政局"
    assert unit_identity("正蓝旗人民政府", **banner).level == COUNTY
