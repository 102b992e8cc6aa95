"""`govreports status`: portals, their health as of their latest run, the last runs with their
exit codes; text for people, --json for machines; exit 4 when there is no archive."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.archive import Archive, ArchiveView
from crawler.cli import main
from crawler.health import PortalHealth

ZC_OK = PortalHealth(
    "zc_gov_cn", True, [], reports_found=48, new=48, requests=59,
    detail_failed={"http_404": 1}, errors={"http_404": 1},
)  # fmt: skip
ZC_BROKEN = PortalHealth(
    "zc_gov_cn", False, ["every request failed (http_500 x2)", "0 reports found (the archive holds 48)"],
    requests=3, errors={"http_500": 2},
)  # fmt: skip
QUFU_OK = PortalHealth(
    "qufu_gov_cn", True, [], reports_found=40, unchanged=39, new=1, requests=45,
    attachments={"ok": 1},
)  # fmt: skip


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "archive.db"
    archive = Archive.open(path)
    db = archive.db
    runs = [
        ("20261101T020000Z-aaaaaa", "2026-11-01T02:00:00Z", "2026-11-01T02:03:10Z",
         {"zc_gov_cn": ZC_OK}, 0, "finished"),
        ("20261102T020000Z-bbbbbb", "2026-11-02T02:00:00Z", "2026-11-02T02:00:41Z",
         {"zc_gov_cn": ZC_BROKEN, "qufu_gov_cn": QUFU_OK}, 1, "finished"),
        ("20261103T020000Z-cccccc", "2026-11-03T02:00:00Z", "2026-11-03T02:01:00Z",
         {}, None, "aborted"),
    ]  # fmt: skip
    for run_id, started, finished, portals, exit_status, status in runs:
        archive.start_run(run_id, sorted(portals) or ["zc_gov_cn"], 1)
        stats = {p: h.as_dict() for p, h in portals.items()}
        archive.finish_run(run_id, stats, exit_status, status)
        db["runs"].update(run_id, {"started_at": started, "finished_at": finished})
    for n in range(48):
        gone = "2026-11-02T02:00:30Z" if n < 2 else None
        db["reports"].insert({"portal": "zc_gov_cn", "canonical_url": f"u{n}", "gone_at": gone})
    for n in range(40):
        db["reports"].insert({"portal": "qufu_gov_cn", "canonical_url": f"q{n}"})
    archive.close()
    return path


def test_status_text(archive_path) -> None:
    result = CliRunner().invoke(main, ["status", "--archive", str(archive_path), "--runs", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"archive {archive_path}",
        "  qufu_gov_cn       40 reports     0 gone",
        "  zc_gov_cn         48 reports     2 gone",
        "portal health as of each portal's latest run:",
        "  qufu_gov_cn    ok        found   40  new    1  changed   0  unchanged   39  gone   0"
        "  dup   0  requests    45  (run 20261102T020000Z-bbbbbb)",
        "      attachments: ok 1",
        "  zc_gov_cn      UNHEALTHY found    0  new    0  changed   0  unchanged    0  gone   0"
        "  dup   0  requests     3  (run 20261102T020000Z-bbbbbb)",
        "      errors: http_500 2",
        "      zc_gov_cn: every request failed (http_500 x2)",
        "      zc_gov_cn: 0 reports found (the archive holds 48)",
        "last 2 runs:",
        "  20261103T020000Z-cccccc  2026-11-03T02:00:00Z   0:01:00  aborted  exit   -  zc_gov_cn",
        "  20261102T020000Z-bbbbbb  2026-11-02T02:00:00Z   0:00:41  finished exit   1"
        "  qufu_gov_cn,zc_gov_cn  unhealthy: zc_gov_cn",
    ]


def test_status_json(archive_path) -> None:
    result = CliRunner().invoke(main, ["status", "--archive", str(archive_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["id"] for r in data["runs"]] == [
        "20261103T020000Z-cccccc",
        "20261102T020000Z-bbbbbb",
        "20261101T020000Z-aaaaaa",
    ]
    assert [(r["state"], r["exit_status"], r["unhealthy"]) for r in data["runs"]] == [
        ("aborted", None, []),
        ("finished", 1, ["zc_gov_cn"]),
        ("finished", 0, []),
    ]
    zc = data["portals"]["zc_gov_cn"]
    assert (zc["reports"], zc["gone"], zc["latest"]["run_id"]) == (48, 2, "20261102T020000Z-bbbbbb")
    assert zc["latest"]["reasons"] == ZC_BROKEN.reasons


def test_a_running_row_whose_process_is_gone_shows_as_died(archive_path) -> None:
    archive = Archive.open(archive_path)
    archive.start_run("20261104T020000Z-dddddd", ["zc_gov_cn"], 999_999_999)  # no such pid
    archive.close()
    result = CliRunner().invoke(main, ["status", "--archive", str(archive_path), "--runs", "1"])
    assert result.output.splitlines()[-1].split()[2:6] == ["-", "died", "exit", "-"]


def test_status_without_an_archive_exits_4(tmp_path) -> None:
    result = CliRunner().invoke(main, ["status", "--archive", str(tmp_path / "none.db")])
    assert result.exit_code == 4
    assert result.output == f"govreports: no archive at {tmp_path / 'none.db'}\n"


# --- status --max-age: the alerting crontab line ------------------------------------------------
def stale_at(archive_path, now: str, max_age: str = "3d") -> list[dict]:
    from crawler.commands.status import MaxAge, _parse_time, stale_portals

    with ArchiveView.open(archive_path) as view:
        return stale_portals(view, MaxAge().convert(max_age, None, None), _parse_time(now))


def test_max_age_counts_from_each_portals_last_healthy_run(archive_path) -> None:
    # zc_gov_cn: last healthy run finished 2026-11-01T02:03:10Z (its next one was unhealthy)
    assert stale_at(archive_path, "2026-11-04T02:03:09Z") == []
    assert stale_at(archive_path, "2026-11-04T02:03:11Z") == [
        {
            "portal": "zc_gov_cn",
            "last_healthy": "2026-11-01T02:03:10Z",
            "message": "zc_gov_cn: no healthy run for more than 3d 0h: "
            "last healthy run finished 2026-11-01T02:03:10Z (3d 0h ago)",
        }
    ]
    # qufu_gov_cn: healthy in the later run, stale a day later than zc_gov_cn
    assert [s["portal"] for s in stale_at(archive_path, "2026-11-05T02:00:42Z")] == [
        "qufu_gov_cn",
        "zc_gov_cn",
    ]
    assert [s["portal"] for s in stale_at(archive_path, "2026-11-02T03:00:00Z", "90m")] == [
        "zc_gov_cn"
    ]


def test_a_portal_with_reports_but_no_healthy_run_is_stale(archive_path) -> None:
    archive = Archive.open(archive_path)
    archive.db["reports"].insert({"portal": "qzlc_gov_cn", "canonical_url": "z0"})
    archive.close()
    stale = stale_at(archive_path, "2026-11-02T03:00:00Z")
    assert stale == [
        {
            "portal": "qzlc_gov_cn",
            "last_healthy": None,
            "message": "qzlc_gov_cn: no healthy run for more than 3d 0h: never",
        }
    ]


def test_status_max_age_exits_1_on_a_stale_archive_naming_the_portals(archive_path) -> None:
    args = ["status", "--archive", str(archive_path), "--runs", "1", "--max-age", "3d"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"archive {archive_path}"  # the status as usual
    lines = result.stderr.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "govreports: stale: qufu_gov_cn: no healthy run for more than 3d 0h: "
        "last healthy run finished 2026-11-02T02:00:41Z",
        "govreports: stale: zc_gov_cn: no healthy run for more than 3d 0h: "
        "last healthy run finished 2026-11-01T02:03:10Z",
    ]
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert [(s["portal"], s["last_healthy"]) for s in data["stale"]] == [
        ("qufu_gov_cn", "2026-11-02T02:00:41Z"),
        ("zc_gov_cn", "2026-11-01T02:03:10Z"),
    ]


def test_status_max_age_exits_0_after_a_healthy_run_of_every_portal(archive_path) -> None:
    from datetime import UTC, datetime

    archive = Archive.open(archive_path)
    run_id = "20991231T020000Z-eeeeee"
    archive.start_run(run_id, ["qufu_gov_cn", "zc_gov_cn"], 1)
    stats = {"zc_gov_cn": ZC_OK.as_dict(), "qufu_gov_cn": QUFU_OK.as_dict()}
    archive.finish_run(run_id, stats, 0, "finished")
    just_now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    archive.db["runs"].update(run_id, {"started_at": just_now, "finished_at": just_now})
    archive.close()
    args = ["status", "--archive", str(archive_path), "--max-age", "1h"]
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (0, "")
    # and the same archive is stale for a portal that never ran healthy
    archive = Archive.open(archive_path)
    archive.db["reports"].insert({"portal": "qzlc_gov_cn", "canonical_url": "z0"})
    archive.close()
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (
        1,
        "govreports: stale: qzlc_gov_cn: no healthy run for more than 1h 0m: never\n",
    )


@pytest.mark.parametrize("value", ["3x", "0d", "d", "-3d", "3 days"])
def test_max_age_refuses_what_is_not_a_duration(archive_path, value: str) -> None:
    result = CliRunner().invoke(
        main, ["status", "--archive", str(archive_path), "--max-age", value]
    )
    assert result.exit_code == 2
    assert f"{value!r} is not a duration like 90m, 36h, 3d or 2w" in result.stderr
