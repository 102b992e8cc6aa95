"""Real unit names (streets, towns, departments) of each district the sandbox simulates.

`Unit.full` is the 发布机构 as a spider must report it (e.g. `朱村街道办事处`, `新塘镇人民政府`,
`增城区发展和改革局`); every generated report title contains it verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

STREET, TOWN, DEPT = "street", "town", "dept"


@dataclass(frozen=True)
class Unit:
    name: str  # short name as the text says it: 朱村街道, 新塘镇, 发展和改革局
    kind: str  # STREET | TOWN | DEPT
    full: str  # the publishing body: 朱村街道办事处, 新塘镇人民政府, 增城区发展和改革局

    @property
    def self_ref(self) -> str:
        """How the report refers to itself: 我街 / 我镇 / 我局."""
        return {STREET: "我街", TOWN: "我镇"}.get(self.kind) or "我" + self.name[-1]


@dataclass(frozen=True)
class District:
    portal: str  # spider name of its portal
    province: str
    city: str
    name: str  # 增城区
    site_name: str
    domain: str
    phone_prefix: str
    units: tuple[Unit, ...]

    @property
    def name_prefix(self) -> str:
        # A county-level city (曲阜市) is named without its prefecture; a district is not.
        return "" if self.name.endswith("市") else self.city

    @property
    def gov(self) -> str:
        return f"{self.name_prefix}{self.name}人民政府"

    def long_name(self, unit: Unit) -> str:
        """The unit's name as a title spells it: 广州市增城区人民政府朱村街道办事处."""
        if unit.kind == STREET:
            return self.gov + unit.full
        if unit.kind == TOWN:
            return self.name_prefix + self.name + unit.full
        return self.name_prefix + unit.full


def _units(district: str, streets: str, towns: str, depts: str) -> tuple[Unit, ...]:
    out = [Unit(s, STREET, s + "办事处") for s in streets.split()]
    out += [Unit(t, TOWN, t + "人民政府") for t in towns.split()]
    out += [Unit(d, DEPT, district + d) for d in depts.split()]
    return tuple(out)


_GZ_DEPTS = (
    "人民政府办公室 发展和改革局 教育局 科技工业商务和信息化局 民政局 司法局 财政局 "
    "人力资源和社会保障局 住房和城乡建设局 交通运输局 农业农村局 卫生健康局 应急管理局 "
    "市场监督管理局 统计局 文化广电旅游体育局"
)

DISTRICTS: dict[str, District] = {
    "zc_gov_cn": District(
        "zc_gov_cn",
        "广东省",
        "广州市",
        "增城区",
        "广州市增城区人民政府门户网站",
        "www.zc.gov.cn",
        "020",
        _units(
            "增城区",
            "荔城街道 增江街道 朱村街道 永宁街道 荔湖街道 宁西街道",
            "新塘镇 石滩镇 中新镇 派潭镇 小楼镇 正果镇 仙村镇",
            _GZ_DEPTS,
        ),
    ),
    "by_gov_cn": District(
        "by_gov_cn",
        "广东省",
        "广州市",
        "白云区",
        "白云信息网",
        "www.by.gov.cn",
        "020",
        _units(
            "白云区",
            "景泰街道 松洲街道 同德街道 黄石街道 棠景街道 新市街道 三元里街道 永平街道 "
            "京溪街道 嘉禾街道 均禾街道 石井街道 金沙街道 云城街道 鹤龙街道 白云湖街道 "
            "石门街道 龙归街道 大源街道",
            "人和镇 太和镇 钟落潭镇 江高镇",
            _GZ_DEPTS + " 档案局 区委办公室",
        ),
    ),
    "haizhu_gov_cn": District(
        "haizhu_gov_cn",
        "广东省",
        "广州市",
        "海珠区",
        "广州市海珠区人民政府门户网站",
        "www.haizhu.gov.cn",
        "020",
        _units(
            "海珠区",
            "赤岗街道 新港街道 昌岗街道 江南中街道 滨江街道 素社街道 海幢街道 南华西街道 "
            "龙凤街道 沙园街道 南石头街道 凤阳街道 瑞宝街道 江海街道 琶洲街道 南洲街道 "
            "华洲街道 官洲街道",
            "",
            _GZ_DEPTS,
        ),
    ),
    "qzlc_gov_cn": District(
        "qzlc_gov_cn",
        "福建省",
        "泉州市",
        "鲤城区",
        "泉州鲤城",
        "www.qzlc.gov.cn",
        "0595",
        _units(
            "鲤城区",
            "海滨街道 临江街道 鲤中街道 开元街道 浮桥街道 江南街道 金龙街道 常泰街道",
            "",
            "人民政府办公室 发展和改革局 教育局 科学技术局 民政局 司法局 财政局 商务局 "
            "农业农村和水利局 卫生健康局 市场监督管理局 统计局",
        ),
    ),
    "qufu_gov_cn": District(
        "qufu_gov_cn",
        "山东省",
        "济宁市",
        "曲阜市",
        "曲阜市人民政府",
        "www.qufu.gov.cn",
        "0537",
        _units(
            "曲阜市",
            "鲁城街道 书院街道 时庄街道 小雪街道",
            "吴村镇 姚村镇 陵城镇 尼山镇 王庄镇 息陬镇 石门山镇 防山镇",
            "人民政府办公室 发展和改革局 教育局 民政局 司法局 财政局 自然资源和规划局 "
            "住房和城乡建设局 卫生健康局 文化和旅游局",
        ),
    ),
}
