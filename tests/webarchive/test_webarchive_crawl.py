"""One sandbox crawl of www.zc.gov.cn with WARC writing on, shared by every check of its web
archive: the records the captures point at, warcio's check, a WACZ export that validates,
`govreports verify` clean and after tampering, and replay in Chromium."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.warc import sha256_label
from crawler.webarchive.records import payload_sha256, record_group
from tests.integration.conftest import CrawlRun, govreports_crawl

pytestmark = pytest.mark.sandbox
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REPORT_URL = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_8795418.html"
REPORT_TITLE = "广州市增城区民政局2022年度政府信息公开工作年度报告"
ATTACHMENT = "https://www.zc.gov.cn/attachment/8/8795/8795140/8795418.doc"
LIST = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> CrawlRun:
    archive = tmp_path_factory.mktemp("webarchive") / "archive.db"
    run = govreports_crawl(archive, "zc_gov_cn", "-s", "OCR_ENABLED=False")
    assert run.returncode == 0, run.stdout[-2000:]
    return run


def govreports(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "crawler.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def report_row(crawl: CrawlRun) -> tuple:
    ((report_id, sha256, warc_file, offset),) = crawl.query(
        """SELECT r.id, c.sha256, c.warc_file, c.warc_offset FROM reports r
           JOIN captures c ON c.id = r.capture_id WHERE c.final_url = ?""",
        (REPORT_URL,),
    )
    return report_id, sha256, warc_file, offset


def test_every_capture_points_at_its_own_record_holding_its_bytes(crawl) -> None:
    rows = crawl.query("SELECT final_url, sha256, warc_file, warc_offset FROM captures")
    assert rows and all(r[2] for r in rows)
    base = crawl.archive.parent
    kinds = Counter()
    for final_url, sha256, warc_file, offset in rows:
        main, request, metadata = record_group(base / warc_file, offset)
        assert (request.type, metadata.type) == ("request", "metadata")
        assert main.target == request.target == final_url
        kind, payload, label = payload_sha256(base / warc_file, offset)
        kinds[kind] += 1
        # a response holds the blob's bytes; a revisit (the same bytes again) names them
        assert payload == sha256 if kind == "response" else label == sha256_label(sha256)
    assert kinds["response"] > 40 and set(kinds) <= {"response", "revisit"}
    # the report page's metadata names the list page that linked it
    _, sha256, warc_file, offset = report_row(crawl)
    meta = gzip_payload(record_group(base / warc_file, offset)[2].raw())
    assert f"via: {LIST}\r\n" in meta and "kind: detail\r\n" in meta
    assert "payload: exact\r\n" in meta
    ((body,),) = crawl.query("SELECT body FROM blobs WHERE sha256 = ?", (sha256,))
    assert REPORT_TITLE.encode() in body


def gzip_payload(raw: bytes) -> str:
    return gzip.decompress(raw).split(b"\r\n\r\n", 1)[1].decode("utf-8")


def test_warcio_check_passes_on_the_runs_files(crawl) -> None:
    files = sorted((crawl.archive.parent / "warc").glob("*/*.warc.gz"))
    assert len(files) == 1 and files[0].name.endswith("-zc_gov_cn-00000.warc.gz")
    check = subprocess.run([str(BIN / "warcio"), "check", str(files[0])], capture_output=True)
    assert (check.returncode, check.stdout) == (0, b"")


def test_a_report_exports_as_a_wacz_that_validates(crawl, tmp_path) -> None:
    report_id, *_ = report_row(crawl)
    wacz = tmp_path / "report.wacz"
    done = govreports(
        "export",
        "--format",
        "wacz",
        "--report",
        str(report_id),
        "-o",
        str(wacz),
        "--archive",
        str(crawl.archive),
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"wrote {wacz}: 1 reports, 10 WARC records"
    valid = subprocess.run(
        [str(BIN / "wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True
    )
    assert valid.returncode == 0 and "Validation succeeded" in valid.stdout
    with zipfile.ZipFile(wacz) as z:
        header, page = (json.loads(line) for line in z.read("pages/pages.jsonl").splitlines())
        package = json.loads(z.read("datapackage.json"))
        warc = z.read("archive/govreports.warc.gz")
    assert header["hasText"] is True
    assert (page["url"], page["title"]) == (REPORT_URL, REPORT_TITLE)
    assert "民政局" in page["text"] and "<div" not in page["text"]
    resources = {r["path"]: r["hash"] for r in package["resources"]}
    assert resources["archive/govreports.warc.gz"] == "sha256:" + hashlib.sha256(warc).hexdigest()


def test_a_selection_without_reports_is_refused(crawl, tmp_path) -> None:
    done = govreports(
        "export",
        "--format",
        "wacz",
        "--portal",
        "qufu_gov_cn",
        "-o",
        str(tmp_path / "none.wacz"),
        "--archive",
        str(crawl.archive),
    )
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "govreports: error: no report in this selection has WARC records",
    )


def test_verify_passes_then_names_a_tampered_blob_and_a_tampered_warc_byte(crawl, tmp_path):
    clean = govreports("verify", "--archive", str(crawl.archive))
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.strip().endswith("captures checked: ok")
    copy = tmp_path / "copy"
    # The WARC files as files; the archive through SQLite's backup, since its -wal and -shm
    # may vanish mid-copy when another reader of the module's archive closes.
    shutil.copytree(crawl.archive.parent, copy, ignore=shutil.ignore_patterns("*.lock", "*.db*"))
    archive = copy / "archive.db"
    with sqlite3.connect(crawl.archive) as source, sqlite3.connect(archive) as target:
        source.backup(target)
    _, sha256, warc_file, offset = report_row(crawl)
    with sqlite3.connect(archive) as db:
        ((body,),) = db.execute("SELECT body FROM blobs WHERE sha256 = ?", (sha256,)).fetchall()
        tampered = body.replace("民政局".encode(), "财政局".encode(), 1)
        db.execute("UPDATE blobs SET body = ? WHERE sha256 = ?", (tampered, sha256))
    warc = copy / warc_file
    data = bytearray(warc.read_bytes())
    data[offset + 200] ^= 0x01  # one bit inside the report page's response record
    warc.write_bytes(bytes(data))
    done = govreports("verify", "--archive", str(archive))
    problems = [line for line in done.stdout.splitlines() if line.startswith("MISMATCH")]
    assert done.returncode == 1
    assert problems[0] == (
        f"MISMATCH blob {sha256}: its bytes hash to {hashlib.sha256(tampered).hexdigest()}"
    )
    assert problems[1].startswith(f"MISMATCH {warc} @{offset}: gzip member at {offset}:")
    assert problems[2].startswith("MISMATCH capture ") and REPORT_URL in problems[2]
    assert len(problems) == 3
    assert done.stdout.strip().endswith("captures checked: 3 mismatches")


@pytest.mark.browser
def test_chromium_replays_the_report_and_downloads_its_attachment(crawl, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
    from crawler.webarchive.replay import PREFIX, serve

    report_id, *_ = report_row(crawl)
    wacz = tmp_path / "report.wacz"
    export = ("export", "--format", "wacz", "--report", str(report_id), "-o", str(wacz))
    assert govreports(*export, "--archive", str(crawl.archive)).returncode == 0
    ((attachment_sha,),) = crawl.query(
        "SELECT sha256 FROM attachments WHERE url = ?", (ATTACHMENT,)
    )
    server = serve(wacz)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    left: list[str] = []  # requests that would have left the replay

    def only_replay(route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"],
                args=PLAYWRIGHT_LAUNCH_OPTIONS["args"],
            )
            page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
            page.route("**/*", only_replay)
            page.goto(f"{base}{PREFIX}{REPORT_URL}")
            assert REPORT_TITLE in page.locator("body").inner_text()
            shot = ROOT / "output" / "replay-report.png"
            shot.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(shot), full_page=False)
            with page.expect_download() as download:
                page.locator('a[href$="8795418.doc"]').first.click()
            saved = tmp_path / "attachment.doc"
            download.value.save_as(saved)
            browser.close()
    finally:
        server.shutdown()
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == attachment_sha
    assert shot.stat().st_size > 10_000
    assert not [url for url in left if "zc.gov.cn" in url]  # page links all rewritten


def test_each_hop_of_a_redirect_has_its_own_response_record(crawl) -> None:
    from warcio.archiveiterator import ArchiveIterator

    rows = crawl.query(
        "SELECT redirects, final_url, warc_offset, warc_file FROM captures WHERE redirects != '[]'"
    )
    assert rows  # the old host www.zengcheng.gov.cn answers with a redirect (docs/portals.md)
    path = crawl.archive.parent / rows[0][3]
    responses = {}
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            if record.rec_type == "response":
                target = record.rec_headers.get_header("WARC-Target-URI")
                status = record.http_headers.get_statuscode()
                location = record.http_headers.get_header("Location")
                record.content_stream().read()
                responses.setdefault(target, []).append(
                    (status, location, iterator.get_record_offset())
                )
    for redirects, final_url, offset, _ in rows:
        first, *_, last = json.loads(redirects)
        assert last == final_url
        ((status, location, _),) = responses[first]
        assert status in ("301", "302") and location.endswith(urlsplit(final_url).path)
        assert offset in [o for _, _, o in responses[final_url]]  # the final answer's record
