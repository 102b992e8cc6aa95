"""The SQL of the README's "Incremental crawls, versions and deletions", run verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.archive import Archive, open_archive
from tests.core.factories import ZHUCUN_TEXT, report

README = Path(__file__).resolve().parents[2] / "README.md"
CORRECTED = ZHUCUN_TEXT.replace("诉讼案件。", "诉讼案件。（本报告已更正）")
GZ_REPOST = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/content/post_5632792.html"


def readme_queries() -> list[str]:
    text = README.read_text("utf-8")
    section = text.split("## Incremental crawls, versions and deletions", 1)[1].split("\n## ")[0]
    (block,) = re.findall(r"```sql\n(.*?)```", section, re.DOTALL)
    sql = "\n".join(line for line in block.splitlines() if not line.startswith("--"))
    return [q.strip() for q in sql.split(";") if q.strip()]


@pytest.fixture
def archive(tmp_path):
    archive = Archive(open_archive(tmp_path / "archive.db"))
    archive.store(report(run_id="run-1"))  # report 1, seen in run 1
    body = ZHUCUN_TEXT.split("\n", 1)[1].replace("2017年度没有发生", "2017年度发生1起")
    archive.store(report(GZ_REPOST, text="增城区朱村街道2017年年报\n" + body, run_id="run-1"))
    archive.store(report(text=CORRECTED, run_id="run-2"))  # report 1 edited at its URL
    archive.mark_gone("zc_gov_cn", "run-2", "2026-11-24T02:30:00Z")  # the re-post not seen
    yield archive
    archive.close()


def test_the_readme_queries_answer_what_they_say(archive: Archive) -> None:
    versions, gone, related = (list(archive.db.execute(q)) for q in readme_queries())
    assert versions == [
        ("2026-11-23T08:00:00Z", "2026-11-23T08:00:00Z", ZHUCUN_TEXT[:60]),
        ("2026-11-23T08:00:00Z", None, CORRECTED[:60]),
    ]
    title = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
    assert gone == [("zc_gov_cn", title, "2026-11-24T02:30:00Z")]
    assert related == [(title, 0.9018)]  # the re-post, against report 1's current text
