"""kill -9 at random moments, 20 times: 14 crawls and 6 reclean runs of one archive, against one
sandbox. After every kill: `PRAGMA integrity_check` is ok and every report is whole (its capture,
bytes, sighting, one open version and its search row, or none of them); a reclean caught
mid-batch leaves each report's text either as it was or re-cleaned, never a mix within a report.
Then the next crawl completes (exit 0, every report of the manifest) and the next reclean too.

The moments are drawn from a seeded generator (printed on failure): a kill lands at start-up
(migrations, lock, quick_check), between reports, or inside a write; a slowed portal spreads the
crawl's writes out so that most kills find a crawl mid-way."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.archive import Archive
from crawler.archive.store import CleanedText
from tests.cron.helpers import query, truth
from tests.cron.test_kill import assert_whole
from tests.hostile.harness import ROOT, SANDBOX_SETTINGS

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]  # ~3.5 min on the busy 2-core machine
PORTAL = "zc_gov_cn"
SEED = 20261203
CRAWL_KILLS, RECLEAN_KILLS = 14, 6
STALE = "\n（旧规则清洗的残留）"  # what an older cleaning rule left at the end of each text


def _command(archive: Path, *args: str) -> list[str]:
    command = [sys.executable, "-m", "crawler.cli", *args, "--archive", str(archive)]
    if args[0] == "crawl":
        command.append(PORTAL)
        for name, value in SANDBOX_SETTINGS.items():
            command += ["-s", f"{name}={value}"]
    return command


def _start(archive: Path, proxy: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""}
    return subprocess.Popen(
        _command(archive, *args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _reports(archive: Path) -> int:
    try:
        return query(archive, "SELECT count(*) FROM reports")[0][0]
    except Exception:  # no file or no tables yet: start-up
        return 0


def _kill_when(proc: subprocess.Popen, archive: Path, target: int, extra_s: float) -> str:
    """Wait until `target` reports are stored (or the run ended), then `extra_s`; kill -9."""
    deadline = time.monotonic() + 300
    while proc.poll() is None and _reports(archive) < target and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(extra_s)
    ended = proc.poll() is not None
    if not ended:
        os.killpg(proc.pid, signal.SIGKILL)
    _, err = proc.communicate()
    return f"ended by itself (exit {proc.returncode}): {err[-300:]!r}" if ended else "killed"


def _texts(archive: Path) -> dict[int, str]:
    return dict(query(archive, "SELECT id, text FROM reports"))


def _stale(archive: Path, texts: dict[int, str]) -> None:
    """Give every report an older cleaning's text, through the archive's own versioning path,
    so that the next reclean has every report to rewrite."""
    archive_ = Archive.open(archive)
    try:
        with archive_.transaction():
            for report_id, text in texts.items():
                cleaned = CleanedText(text + STALE, None, None, [])
                archive_.revise_text(report_id, cleaned, "2026-12-03T00:00:00+00:00")
    finally:
        archive_.close()


@pytest.fixture(scope="module")
def box():
    import sandbox

    with sandbox.running(faults=[f"{PORTAL}:slow=0.3"]) as running:
        yield running


def test_twenty_kills_at_random_moments_leave_a_whole_archive(box, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    archive = tmp_path / "archive.db"
    proxy = box.proxy_url
    moments = []
    for round_ in range(CRAWL_KILLS):
        before = _reports(archive)
        target, extra = before + rng.randint(0, 4), rng.uniform(0, 0.5)
        how = _kill_when(_start(archive, proxy, "crawl"), archive, target, extra)
        moments.append((round_, before, target, round(extra, 2), how, _reports(archive)))
        if archive.exists():
            assert_whole(archive)
    print(f"seed {SEED}; crawl kills (round, reports before, target, extra s, how, after):")
    print("\n".join(map(str, moments)))

    done = subprocess.run(
        _command(archive, "crawl"),
        cwd=ROOT,
        env={**os.environ, "http_proxy": proxy, "https_proxy": proxy, "no_proxy": ""},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    archived = {url for (url,) in query(archive, "SELECT canonical_url FROM reports")}
    assert archived == truth(box.manifest, PORTAL)
    statuses = [status for (status,) in query(archive, "SELECT status FROM runs")]
    assert statuses.count("finished") >= 1 and "running" not in statuses
    assert_whole(archive)

    clean = _texts(archive)
    _stale(archive, clean)
    began = time.monotonic()
    whole = subprocess.run(_command(archive, "reclean"), cwd=ROOT, capture_output=True, timeout=600)
    span = time.monotonic() - began  # only to spread the kills over a reclean's life
    assert (whole.returncode, _texts(archive)) == (0, clean), whole.stderr[-2000:]
    for round_ in range(RECLEAN_KILLS):
        _stale(archive, clean)
        proc = _start(archive, proxy, "reclean")
        how = _kill_when(proc, archive, 0, rng.uniform(0.3, 1.1) * span)
        assert_whole(archive)
        now = _texts(archive)
        mixed = {i: t for i, t in now.items() if t not in (clean[i], clean[i] + STALE)}
        assert mixed == {}, f"round {round_} ({how})"
        recleaned = sum(now[i] == clean[i] for i in now)
        assert recleaned in (0, len(now)), f"one batch of 100 holds all {len(now)}: {how}"
        moments.append((round_, how, recleaned))
    print("reclean kills (round, how, reports re-cleaned):", *moments[CRAWL_KILLS:], sep="\n")

    after = subprocess.run(
        _command(archive, "reclean"), cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert after.returncode == 0, after.stderr[-2000:]
    assert _texts(archive) == clean
    assert_whole(archive)
