import pytest

from crawler import fields


@pytest.mark.parametrize(
    ("title", "unit", "year"),
    [
        (
            "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",
            "朱村街道办事处",
            2017,
        ),
        ("广州市增城区发展和改革局2023年政府信息公开工作年度报告", "增城区发展和改革局", 2023),
        ("增城区新塘镇2019年度政府信息公开工作年度报告", "新塘镇", 2019),
        ("广州市增城区小楼镇人民政府2025年政府信息公开年度报告", "小楼镇人民政府", 2025),
        (
            "2023年广州市增城区住房和城乡建设局政府信息公开工作年度报告",
            "增城区住房和城乡建设局",
            2023,
        ),
        ("广州市增城区人民政府办公室2018年政府信息公开工作年度报告", "增城区人民政府办公室", 2018),
        ("二〇一八年增城区石滩镇政府信息公开年度报告", "石滩镇", 2018),
    ],
)
def test_unit_and_year_from_title(title: str, unit: str, year: int) -> None:
    assert fields.unit_from_title(title, "广州市", "增城区") == unit
    assert fields.year_in(title) == year
    assert fields.is_report_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "增城区政府信息公开指南",
        "2023年增城区政务公开工作要点",
        "2023年政府信息公开工作年度报表",
        "朱村街道政务公开工作动态",
    ],
)
def test_non_reports_are_rejected(title: str) -> None:
    assert not fields.is_report_title(title)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2019-02-01 08:53:08", "2019-02-01T08:53:08"),
        ("发布时间:2022-01-24 来源:棠景街", "2022-01-24"),
        ("2018-03-15 10:20", "2018-03-15T10:20"),
        ("2018年3月5日", "2018-03-05"),
        ("时间:2018-01-02 12:03", "2018-01-02T12:03"),
        ("2018-13-45", None),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert fields.parse_date(text) == iso


def test_labelled_values_survive_spaced_labels_and_full_width_colons() -> None:
    text = "索 引 号:QZ01304-3000-2023-00001 发布机构：泉州市鲤城区科学技术局 来源:鲤城区科技局 时间:2023-01-10 09:04"
    assert fields.labelled(text, "索引号") == "QZ01304-3000-2023-00001"
    assert fields.labelled(text, "发布机构") == "泉州市鲤城区科学技术局"
    assert fields.labelled(text, "来源") == "鲤城区科技局"
    assert fields.labelled(text, "文号") is None
    assert fields.labelled("发布时间:2022-01-24 来源: 字体大小:", "来源") is None
