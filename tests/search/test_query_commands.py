"""govreports search / show / export on the fixture archive, through the real click commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crawler.commands.query import COMMANDS
from tests.search.archive_fixture import REPORT1_PDF, REPORT6_PDF, TITLES, sha

cli = click.Group("govreports", commands={c.name: c for c in COMMANDS})


@pytest.fixture
def run(archive_path: Path):
    def invoke(*args: str):
        return CliRunner().invoke(cli, [*args, "--archive", str(archive_path)])

    return invoke


def test_commands_are_registered_on_the_real_cli():
    import click

    from crawler.cli import main

    assert {"search", "show", "export", "serve"} <= set(main.list_commands(click.Context(main)))


def test_importing_the_cli_loads_no_command_until_one_is_asked_for():
    # A page-work pool worker re-runs crawler.cli as its parent's __main__ ("spawn"): importing
    # it must not load the archive, Scrapy and every command module into each worker.
    import subprocess
    import sys

    probe = (
        "import sys, crawler.cli; print(sorted(m for m in ('scrapy', 'sqlite_utils', "
        "'crawler.commands.crawl', 'crawler.archive') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_search_prints_ranked_hits_with_snippets_and_ids(run):
    result = run("search", "年报", "--portal", "zc_gov_cn")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"  1. #2  {TITLES[2]}",
        "     zc_gov_cn · 荔城街道办事处 · 2020",
        "     一、总体情况 荔城街道2020年度政府信息公开[年报]按照统一格式编制。全年主动公开政府信息203条。"
        " 三、收到和处理政府信息公开申请情况 本年新收依申请公开5件，其…",
    ]
    assert result.stderr == "1 result\n"


def test_search_flags_gone_reports_and_joins_arguments_as_terms(run):
    result = run("search", "依申请公开", "条例", "--year", "2019", "--limit", "1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"  1. #4  {TITLES[4]}  [gone 2024-05-02T03:00:00Z]"
    assert result.stderr == "1 of 2 results (more with --limit)\n"


def test_search_json(run):
    result = run("search", "诉", "--json")
    hits = json.loads(result.stdout)
    assert [(h["id"], h["title"], h["gone"], h["adcode"]) for h in hits] == [
        (1, TITLES[1], False, "440118"),
        (6, TITLES[6], False, None),
        (3, TITLES[3], False, "440111"),
    ]
    assert hits[2]["snippet"] == "…受理依申请公开0宗。 五、申请行政复议和提起行政[诉]讼情况 无。"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["search", '"依申请公开'],
            2,
            "govreports: error: unbalanced quote: the phrase starting at '\"依申请公开' never closes\n",
        ),
        (
            ["search", '""'],
            2,
            "govreports: error: empty query: type at least one term, e.g. 依申请公开\n",
        ),
        (["show", "99"], 1, "govreports: error: no report with id 99\n"),
        (
            ["export", "--raw", "1", "out", "--portal", "zc_gov_cn"],
            2,
            "govreports: error: --raw takes no --format, --query or filters\n",
        ),
    ],
)
def test_errors_are_one_line_with_an_exit_code(run, args, code, message):
    result = run(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (code, message, "")


def test_missing_or_foreign_archive_exits_4(tmp_path: Path):
    missing = CliRunner().invoke(cli, ["search", "年报", "--archive", str(tmp_path / "no.db")])
    assert (missing.exit_code, missing.stderr) == (
        4,
        f"govreports: error: no archive at {tmp_path / 'no.db'}\n",
    )
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database, just notes about 年报\n" * 200)
    result = CliRunner().invoke(cli, ["show", "1", "--archive", str(foreign)])
    assert (result.exit_code, result.stderr) == (
        4,
        "govreports: error: archive unavailable: file is not a database\n",
    )


def test_archive_defaults_to_the_environment(archive_path: Path):
    result = CliRunner().invoke(
        cli, ["search", "受理依申请公开"], env={"GOVREPORTS_ARCHIVE": str(archive_path)}
    )
    assert result.stdout.splitlines()[0] == f"  1. #3  {TITLES[3]}"


def test_show_gives_text_and_provenance_of_every_capture(run):
    out = run("show", "1").stdout
    assert out.startswith(
        f"#1  {TITLES[1]}\nportal zc_gov_cn  unit 朱村街道办事处  year 2019\n"
        "place 广东省 广州市 增城区 440118  unit name 朱村街道办事处\n"
    )
    assert "Captures (3)\n  #1 page 200 2024-03-01T02:10:00Z run run-20240301\n" in out
    assert (
        "     redirects http://www.zc.gov.cn/zcjd/zfxxgk/zfxxgknb/content/post_5713452.html"
        " -> https://www.zc.gov.cn/zcjd/zfxxgk/zfxxgknb/content/post_5713452.html\n"
    ) in out
    assert "  #2 fetch_failed (http_404) -  附表.xls\n" in out
    assert (
        "  2024-03-01T03:00:00Z same_text  "
        "https://www.zengcheng.gov.cn/zwgk/xxgk/nb/content/post_5713999.html\n"
    ) in out
    assert (
        "\nText\n一、总体情况\n2019年，朱村街道办事处按照新修订的《中华人民共和国政府信息公开条例》"
        in out
    )
    assert out.endswith(
        "四、政府信息公开行政复议、行政诉讼情况\n本年未发生行政复议、行政诉讼。\n"
        "\nAttachment #1 2019年朱村街道政府信息公开工作年度报告.pdf (ok)\n(no text extracted)\n"
        "\nAttachment #2 附表.xls (fetch_failed)\n(no text extracted)\n"
    )


def test_show_prints_attachment_texts_under_the_page_text(run):
    out = run("show", "6").stdout
    text, attachment = out.split("\nAttachment #3 ../附件:2023年报*.pdf (ok)\n")
    assert text.endswith("\nText\n泉州市鲤城区科学技术局2023年政府信息公开工作年度报告详见附件。\n")
    assert attachment == (
        "一、总体情况\n2023年，我局依申请公开政府信息0件。本年报所列数据统计期限为"
        "2023年1月1日至12月31日。\n四、政府信息公开行政复议、行政诉讼情况\n无。\n"
    )


def test_show_json_lists_versions(run):
    report = json.loads(run("show", "5", "--json").stdout)
    assert [(v["id"], v["valid_from"], v["valid_to"]) for v in report["versions"]] == [
        (1, "2018-03-02T00:00:00Z", "2019-06-01T01:00:00Z"),
        (2, "2019-06-01T01:00:00Z", None),
    ]
    assert [c["url"] for c in report["captures"]] == [
        "http://www.qufu.gov.cn/art/2018/3/1/art_4251_2187406.html"
    ]


def test_export_jsonl_with_filters(run):
    result = run("export", "--portal", "zc_gov_cn", "--year", "2021")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["title"], r["unit"]) for r in rows] == [(7, TITLES[7], "朱村街道办事处")]
    assert rows[0]["text"].startswith("一、总体情况\n2021年，朱村街道坚持以公开为常态")
    assert result.stderr == "exported 1 reports\n"


def test_export_csv_with_query(run, tmp_path: Path):
    out = tmp_path / "nianbao.csv"
    assert run("export", "--format", "csv", "--query", "年报", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,portal,province,city,county,adcode,")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["id"], r["report_year"], r["gone_at"], r["county"]) for r in rows] == [
        ("5", "2017", "", "曲阜市"),
        ("2", "2020", "", "增城区"),
        ("6", "2023", "", ""),
    ]
    assert rows[2]["attachment_text"].startswith(
        "一、总体情况\n2023年，我局依申请公开政府信息0件。"
    )
    # provenance: the capture report 5's text came from; report 2 has none recorded
    assert (rows[0]["fetched_url"], rows[0]["fetched_at"], rows[0]["http_status"]) == (
        "http://www.qufu.gov.cn/art/2018/3/1/art_4251_2187406.html",
        "2019-06-01T01:00:00Z",
        "200",
    )
    assert rows[0]["raw_sha256"] == sha("<html>鲁城街道 2017</html>")
    assert (rows[1]["fetched_url"], rows[1]["raw_sha256"], rows[1]["attachments"]) == ("", "", "[]")


def test_export_raw_writes_original_names_and_manifest(run, tmp_path: Path):
    dest = tmp_path / "r1"
    result = run("export", "--raw", "1", str(dest))
    assert result.stderr == f"wrote 3 files and manifest.json to {dest}\n"
    assert sorted(p.name for p in dest.iterdir()) == [
        "2019年朱村街道政府信息公开工作年度报告.pdf",
        "manifest.json",
        "post_5713452.html",
        "post_5713999.html",
    ]
    assert (dest / "2019年朱村街道政府信息公开工作年度报告.pdf").read_bytes() == REPORT1_PDF
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert [(m["file"], m["role"], m.get("sha256_verified")) for m in manifest] == [
        ("post_5713452.html", "page", True),
        ("2019年朱村街道政府信息公开工作年度报告.pdf", "attachment", True),
        ("post_5713999.html", "page", True),
        (None, "attachment", None),
    ]
    assert manifest[3]["url"] == "https://www.zc.gov.cn/attachment/0/12/12345/5713453.xls"
    assert manifest[1]["sha256"] == sha(REPORT1_PDF)


def test_export_raw_sanitizes_hostile_names(run, tmp_path: Path):
    dest = tmp_path / "r6"
    assert run("export", "--raw", "6", str(dest)).exit_code == 0
    assert sorted(p.name for p in dest.iterdir()) == ["_附件_2023年报_.pdf", "manifest.json"]
    assert (dest / "_附件_2023年报_.pdf").read_bytes() == REPORT6_PDF
    assert not (tmp_path / "附件_2023年报_.pdf").exists()
