"""`govreports clean FILE [--url]` and `govreports reclean` on a temporary archive."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.archive import fingerprint, open_archive
from crawler.commands import clean as commands

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cleaning"
PAGE = FIXTURES / "zc_gov_cn.html"
URL = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
EXPECTED = (FIXTURES / "zc_gov_cn.expected.txt").read_text(encoding="utf-8")


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The portal registry, replaced: records the URLs asked about (by `clean --url`)."""
    asked: list[str] = []

    def lookup(url: str) -> dict | None:
        asked.append(url)
        return (
            {"portal": "zc_gov_cn", "content_selector": "#zoomcon"} if "zc.gov.cn" in url else None
        )

    def by_portal(portal: str) -> dict | None:  # reclean: the rules of the archiving portal
        return {"portal": portal, "content_selector": "#zoomcon"} if portal == "zc_gov_cn" else None

    monkeypatch.setattr(commands, "rules_for_url", lookup)
    monkeypatch.setattr(commands, "rules_for_portal", by_portal)
    return asked


def test_clean_with_url_uses_the_portal_rules(rules: list[str]) -> None:
    result = CliRunner().invoke(commands.clean, [str(PAGE), "--url", URL])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED
    assert rules == [URL]
    assert "长者助手" not in result.output and "相关新闻" not in result.output
    assert "一 概 述\n" in result.output


def test_clean_without_url_runs_the_fallback(rules: list[str]) -> None:
    result = CliRunner().invoke(commands.clean, [str(PAGE)])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED
    assert rules == []


def test_clean_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(commands.clean, [str(tmp_path / "nope.html")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def _store(db, report_id: int, body: bytes, text: str, kind: str = "page") -> None:
    sha = hashlib.sha256(body).hexdigest()
    db["blobs"].insert({"sha256": sha, "size": len(body), "body": body}, ignore=True)
    db["captures"].insert(
        {
            "id": report_id,
            "kind": kind,
            "url": f"{URL}?r={report_id}",
            "final_url": f"{URL}?r={report_id}",
            "status": 200,
            "headers": json.dumps({"Content-Type": ["text/html; charset=utf-8"]}),
            "fetched_at": "2026-11-20T01:00:00+00:00",
            "sha256": sha,
            "size": len(body),
        }
    )
    db["reports"].insert(
        {
            "id": report_id,
            "portal": "zc_gov_cn",
            "title": TITLE,
            "canonical_url": f"{URL}?r={report_id}",
            "text": text,
            "text_sha256": "old",
            "template_version": None,
            "sections": "[]",
            "capture_id": report_id,
            "first_seen": "2026-11-20T01:00:00+00:00",
        }
    )
    db["report_versions"].insert(
        {
            "report_id": report_id,
            "title": TITLE,
            "text": text,
            "text_sha256": "old",
            "capture_id": report_id,
            "valid_from": "2026-11-20T01:00:00+00:00",
            "valid_to": None,
        }
    )


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    page = PAGE.read_bytes()
    stale = "长者助手\n无障碍\n" + EXPECTED.rstrip("\n") + "\n相关附件\n相关新闻"
    _store(db, 1, page, stale)  # cleaned by older rules: chrome left
    _store(db, 2, page, EXPECTED.rstrip("\n"))  # already clean
    _store(db, 3, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "详见附件", kind="attachment")
    db.conn.close()
    return path


def test_reclean_updates_changed_texts_only_and_keeps_the_old_text(
    archive: Path, rules: list[str]
) -> None:
    blobs_before = _blobs(archive)
    result = CliRunner().invoke(commands.reclean, ["--archive", str(archive)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "2 reports re-cleaned, 1 changed"
    db = open_archive(archive, readonly=True)
    row = db.execute(
        "SELECT text, text_sha256, template_version, sections FROM reports WHERE id = 1"
    ).fetchone()
    assert row[0] == EXPECTED.rstrip("\n")
    assert row[1] == fingerprint(EXPECTED.rstrip("\n"))
    assert row[2] == "pre2019"
    assert json.loads(row[3])[0] == "一 概 述" and len(json.loads(row[3])) == 6
    versions = db.execute(
        "SELECT text, valid_to IS NULL FROM report_versions WHERE report_id = 1 ORDER BY id"
    ).fetchall()
    assert [(text.split("\n")[0], is_open) for text, is_open in versions] == [
        ("长者助手", 0),
        (TITLE, 1),
    ]
    assert db.execute("SELECT text_sha256 FROM reports WHERE id = 2").fetchone()[0] == "old"
    assert db.execute("SELECT count(*) FROM report_versions WHERE report_id = 2").fetchone()[0] == 1
    assert _blobs(archive) == blobs_before  # raw bytes never touched


def test_reclean_twice_changes_nothing_the_second_time(archive: Path, rules: list[str]) -> None:
    runner = CliRunner()
    runner.invoke(commands.reclean, ["--archive", str(archive)])
    result = runner.invoke(commands.reclean, ["--archive", str(archive), "--portal", "zc_gov_cn"])
    assert result.output.splitlines()[0] == "2 reports re-cleaned, 0 changed"


def test_reclean_without_archive_exits_4(tmp_path: Path) -> None:
    result = CliRunner().invoke(commands.reclean, ["--archive", str(tmp_path / "none.db")])
    assert result.exit_code == 4
    assert f"no archive at {tmp_path / 'none.db'}" in result.output
    assert not (tmp_path / "none.db").exists()


def _blobs(path: Path) -> list[tuple[str, bytes]]:
    db = open_archive(path, readonly=True)
    return db.execute("SELECT sha256, body FROM blobs ORDER BY sha256").fetchall()
