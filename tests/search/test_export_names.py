"""sanitize_filename: attachment names come from untrusted pages; they must stay one safe path
component and still read as the portal named them."""

from __future__ import annotations

import pytest

from crawler.export import sanitize_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        (
            "2019年朱村街道政府信息公开工作年度报告.pdf",
            "2019年朱村街道政府信息公开工作年度报告.pdf",
        ),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "attachment"),
        (
            "附件1：统计表?.xls",
            "附件1：统计表_.xls",
        ),  # full-width colon is fine on every filesystem
        ('a\\b/c:d*e?f"g<h>i|j\x00k\nl.doc', "a_b_c_d_e_f_g_h_i_j_k_l.doc"),
        ("  .hidden.wps ", "hidden.wps"),
        ("CON.txt", "_CON.txt"),
        ("", "attachment"),
    ],
)
def test_sanitize_filename(name, safe):
    assert sanitize_filename(name, "attachment") == safe


def test_long_chinese_names_are_cut_to_200_bytes_keeping_the_extension():
    name = "广州市增城区人民政府朱村街道办事处" * 10 + ".pdf"  # 514 UTF-8 bytes
    safe = sanitize_filename(name)
    assert len(safe.encode()) == 199  # 65 three-byte characters + ".pdf"
    assert safe == "广州市增城区人民政府朱村街道办事处" * 3 + "广州市增城区人民政府朱村街道.pdf"
