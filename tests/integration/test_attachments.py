"""Attachments end to end, on one crawl of every sandbox portal (the session's `all_portals_run`):
each file the manifest lists is archived with the status it should get, its text close to the
truth, its raw bytes kept; hostile files cost one counted failure each and nothing else."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest
from sqlite_utils import Database

from crawler.archive.search import search
from sandbox.files import hostile
from tests.integration.conftest import CrawlRun

pytestmark = pytest.mark.sandbox
PORTALS = ("by_gov_cn", "haizhu_gov_cn", "qufu_gov_cn", "qzlc_gov_cn", "zc_gov_cn")
ZC_POST = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_{}.html"
ZC_FILE = "https://www.zc.gov.cn/attachment/{}"
TABLE_IMAGES_POST = "https://www.by.gov.cn/gzjg/qwbgs/zfxxgkgzndbg/content/post_9472985.html"
OCR_FORMATS = ("scan_pdf", "png_table")
MIME_OF = {
    "application/pdf": ("pdf", "pdf_cid", "scan_pdf", "truncated_pdf", "looping_pdf", "huge"),
    "application/msword": ("doc", "wps"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "docx",
        "zip_bomb_docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.ms-excel": ("xls",),
}


# --- helpers ---------------------------------------------------------------------------------
def char_ngram_f1(got: str, truth: str, n: int = 4) -> float:
    """F1 of character n-grams (multiset) after removing all whitespace: layout-blind."""

    def grams(text: str) -> Counter[str]:
        flat = "".join(text.split())
        return Counter(flat[i : i + n] for i in range(len(flat) - n + 1))

    mine, theirs = grams(got), grams(truth)
    overlap = sum((mine & theirs).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(mine.values()), overlap / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def squash(text: str) -> str:
    return " ".join(text.split())


def expected_status(entry: dict) -> str:
    """The manifest's `expect` (zc), else what a readable file of that format gives."""
    return entry.get("expect") or ("ocr" if entry.get("format") in OCR_FORMATS else "ok")


def listed_files(manifest: dict) -> dict[str, tuple[str, dict]]:
    """{file URL: (portal, manifest entry)} for attachments and body images of every report."""
    files = {}
    for report in manifest["reports"]:
        for entry in report["attachments"]:
            files[entry["url"]] = (report["portal"], entry)
        for image in report.get("images", []):
            files[image["url"]] = (report["portal"], {**image, "format": "png_table"})
    return files


def archived(run: CrawlRun) -> dict[str, dict]:
    """{file URL: its attachments row, plus its report's URL and portal}."""
    rows = run.query(
        """SELECT a.url, a.status, a.method, a.mime, a.text, a.error, a.filename,
                  r.canonical_url, r.portal
           FROM attachments a JOIN reports r ON r.id = a.report_id"""
    )
    keys = ("status", "method", "mime", "text", "error", "filename", "report", "portal")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


def zc_report(manifest: dict, post_id: int) -> dict:
    (report,) = [r for r in manifest["reports"] if r["url"] == ZC_POST.format(post_id)]
    return report


@pytest.fixture(scope="module")
def run(all_portals_run: CrawlRun) -> CrawlRun:
    assert all_portals_run.returncode == 0, all_portals_run.stderr[-3000:]
    return all_portals_run


@pytest.fixture(scope="module")
def files(run: CrawlRun) -> dict[str, dict]:
    return archived(run)


# --- every listed file, its status and its text ---------------------------------------------
def test_every_listed_file_is_archived_under_its_report_with_the_expected_status(
    files, manifest
) -> None:
    listed = listed_files(manifest)
    assert len(listed) == 31
    assert Counter(portal for portal, _ in listed.values()) == {
        "by_gov_cn": 8,  # 4 PDFs, 4 table images
        "qufu_gov_cn": 1,
        "qzlc_gov_cn": 7,
        "zc_gov_cn": 15,
    }
    assert set(files) == set(listed)  # nothing missed, nothing extra
    wrong = {
        url: (files[url]["status"], expected_status(entry))
        for url, (_portal, entry) in listed.items()
        if files[url]["status"] != expected_status(entry)
    }
    assert wrong == {}
    reports = {a["url"]: r["url"] for r in manifest["reports"] for a in r["attachments"]}
    assert all(files[url]["report"] == report for url, report in reports.items())


def test_text_layer_files_match_their_truth(files, manifest) -> None:
    scored = {
        url: char_ngram_f1(files[url]["text"] or "", entry["text"])
        for url, (_portal, entry) in listed_files(manifest).items()
        if entry.get("text") and expected_status(entry) == "ok"
    }
    # by 4, qzlc 7, zc 9 (qufu's manifest gives no text for its one DOCX)
    assert len(scored) == 20
    assert {url: f1 for url, f1 in scored.items() if f1 < 0.98} == {}


def test_zc_formats_are_read_by_their_bytes_not_their_name_or_content_type(
    run, files, manifest
) -> None:
    zc = [entry for portal, entry in listed_files(manifest).values() if portal == "zc_gov_cn"]
    assert Counter(entry["format"] for entry in zc) == {
        "pdf": 2,
        "xlsx": 2,
        "doc": 1,
        "wps": 1,
        "docx": 1,
        "xls": 1,
        "pdf_cid": 1,
        "scan_pdf": 1,
        "truncated_pdf": 1,
        "zip_bomb_docx": 1,
        "looping_pdf": 1,
        "huge": 1,
        "missing": 1,
    }
    sniffed = {fmt: mime for mime, formats in MIME_OF.items() for fmt in formats}
    sent = dict(
        run.query(
            """SELECT a.url, json_extract(c.headers, '$."Content-Type"[0]')
               FROM attachments a JOIN captures c ON c.id = a.capture_id"""
        )
    )
    huge = next(e for e in zc if e["format"] == "huge")
    assert files[huge["url"]]["mime"] is None  # refused at its headers: no bytes to sniff
    served = [e for e in zc if e["format"] not in ("missing", "huge")]
    assert {e["url"]: files[e["url"]]["mime"] for e in served} == {
        e["url"]: sniffed[e["format"]] for e in served
    }
    assert {e["url"]: sent[e["url"]] for e in served} == {
        e["url"]: e["content_type"] for e in served
    }
    # the mislabelled ones: a .wps and a .doc (Word 97 and a DOCX), an .xls that is an XLSX,
    # PDFs sent as application/octet-stream
    wps = ZC_FILE.format("6/6487/6487816/6488204.wps")
    docx_as_doc = ZC_FILE.format("8/8795/8795140/8795418.doc")
    xlsx_as_xls = ZC_FILE.format("7/7059/7059304/7059479.xls")
    assert (sent[wps], files[wps]["mime"], files[wps]["method"]) == (
        "application/octet-stream",
        "application/msword",
        "libreoffice",
    )
    assert (files[docx_as_doc]["method"], files[xlsx_as_xls]["method"]) == ("docx", "openpyxl")
    assert Counter(sent[e["url"]] for e in served)["application/octet-stream"] == 5


def test_the_scanned_pdf_is_read_by_ocr(files, manifest) -> None:
    (entry,) = zc_report(manifest, 9550790)["attachments"]
    got = files[entry["url"]]
    assert entry["url"] == ZC_FILE.format("9/9550/9550348/9550790.pdf")
    assert (entry["format"], got["status"], got["method"], got["mime"]) == (
        "scan_pdf",
        "ocr",
        "ocr",
        "application/pdf",
    )
    fragment = "主动公开各类政府信息986条，其中工作动态393条，通知公告168条"
    assert fragment in entry["text"] and fragment in got["text"]
    assert "2023年通过政务微信公众号发布信息30条" in got["text"]
    assert char_ngram_f1(got["text"], entry["text"]) >= 0.95


def test_table_images_of_post_9472985_yield_their_numbers(files, manifest) -> None:
    (report,) = [r for r in manifest["reports"] if r["url"] == TABLE_IMAGES_POST]
    images = report["images"]
    assert len(images) == 4
    assert all((files[i["url"]]["status"], files[i["url"]]["method"]) == ("ocr", "ocr")
               for i in images)  # fmt: skip
    first, second = (squash(files[i["url"]]["text"]) for i in images[:2])
    truth_first, truth_second = (squash(i["text"]) for i in images[:2])
    for row in ("行政规范性文件 10 5 33", "规章 0 0 0"):
        assert row in truth_first and row in first
    for row in ("行政处罚 44", "行政强制 0", "行政事业性收费 0.0"):
        assert row in truth_second and row in second
    # the report's own page text does not hold the tables: only the images do
    assert "行政处罚" not in report["text"]


# --- hostile files: one counted failure each -------------------------------------------------
HOSTILE = {
    # URL: (manifest format, status, start of the error)
    ZC_FILE.format("8/8144/8144475/8145363.pdf"): ("truncated_pdf", "corrupt", "pdfium: Failed"),
    ZC_FILE.format("6/6496/6496460/6497055.docx"): (
        "zip_bomb_docx",
        "too_large",
        "word/document.xml inflates to 1,100,580,134 bytes",
    ),
    ZC_FILE.format("7/7733/7733582/7734023.pdf"): (
        "looping_pdf",
        "corrupt",
        "no page could be loaded",
    ),
    ZC_FILE.format("7/7071/7071933/7072194.pdf"): (
        "huge",
        "too_large",
        # cut off at its Content-Length while downloading (crawler/budget.py), never fetched
        "ignored: too_large: over 52428800 bytes (file)",
    ),
    ZC_FILE.format("7/7071/7071934/7072194.pdf"): ("missing", "fetch_failed", "http_404"),
}


def test_each_hostile_file_is_one_failure_with_its_own_status(files, manifest) -> None:
    listed = listed_files(manifest)
    assert {url: listed[url][1]["format"] for url in HOSTILE} == {
        url: fmt for url, (fmt, _s, _e) in HOSTILE.items()
    }
    got = {url: (files[url]["status"], files[url]["text"]) for url in HOSTILE}
    assert got == {url: (status, None) for url, (_f, status, _e) in HOSTILE.items()}
    for url, (_fmt, _status, error) in HOSTILE.items():
        assert files[url]["error"].startswith(error), (url, files[url]["error"])
    # a report keeps its page and its good files when one of its files is hostile
    bomb_post = zc_report(manifest, 6497055)
    good_pdf = bomb_post["attachments"][1]["url"]
    assert (files[good_pdf]["status"], files[good_pdf]["mime"]) == ("ok", "application/pdf")


def test_failures_are_counted_per_portal_and_every_portal_stays_healthy(run, manifest) -> None:
    stats = run.last_run_stats()
    attachment_stats = {portal: stats[portal]["attachments"] for portal in PORTALS}
    assert attachment_stats == {
        "by_gov_cn": {"ok": 4, "ocr": 4},
        "haizhu_gov_cn": {},
        "qufu_gov_cn": {"ok": 1},
        "qzlc_gov_cn": {"ok": 7},
        "zc_gov_cn": {"ok": 9, "ocr": 1, "corrupt": 2, "too_large": 2, "fetch_failed": 1},
    }
    expected = {portal: Counter() for portal in PORTALS}
    for portal, entry in listed_files(manifest).values():
        expected[portal][expected_status(entry)] += 1
    assert attachment_stats == {portal: dict(counts) for portal, counts in expected.items()}
    zc = stats["zc_gov_cn"]
    assert (zc["healthy"], zc["reasons"], zc["errors"]) == (True, [], {"http_404": 2})
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  zc_gov_cn "))
    assert lines[at + 1].startswith("      discovery: ")  # then the attachments by status
    assert lines[at + 2] == "      attachments: corrupt 2, fetch_failed 1, ocr 1, ok 9, too_large 2"
    for portal in PORTALS:
        count = sum(r["portal"] == portal for r in manifest["reports"])
        line = next(line for line in lines if line.startswith(f"  {portal} "))
        assert f"{portal:<14} ok" in line
        assert line.endswith(f"recall 100% precision 100% of {count}")
    ((runs,),) = run.query("SELECT json_object('status', status, 'exit', exit_status) FROM runs")
    assert json.loads(runs) == {"status": "finished", "exit": 0}


# --- the attachment-only report, and raw bytes ---------------------------------------------
def test_the_attachment_only_report_is_found_by_a_phrase_only_its_file_holds(
    run, files, manifest
) -> None:
    report = zc_report(manifest, 6488204)
    (entry,) = report["attachments"]
    phrase = "2019年共收到政府信息公开申请71件"
    assert report["text"] == (
        "广州市增城区科技工业商务和信息化局2019年政府信息公开工作年度报告\n"
        "根据《中华人民共和国政府信息公开条例》要求，现将《广州市增城区科技工业商务和信息化局"
        "2019年政府信息公开工作年度报告》予以公开，详见附件。"
    )
    assert phrase in entry["text"]
    assert not [r["url"] for r in manifest["reports"] if phrase in r["text"]]
    ((text, attachment_text),) = run.query(
        "SELECT text, attachment_text FROM reports WHERE canonical_url = ?", (report["url"],)
    )
    assert (text, phrase in attachment_text) == (report["text"], True)
    db = Database(run.archive)
    try:
        hits = search(db, f'"{phrase}"')
    finally:
        db.close()
    assert [(h.canonical_url, h.title) for h in hits] == [(report["url"], report["title"])]


def test_raw_bytes_of_every_file_are_kept_content_addressed(run, files) -> None:
    rows = run.query(
        """SELECT a.url, a.sha256, c.sha256, c.size, c.status, b.sha256, b.size, b.body
           FROM attachments a JOIN captures c ON c.id = a.capture_id
           JOIN blobs b ON b.sha256 = c.sha256"""
    )
    assert len(rows) == len(files) - 1 == 30  # all but the file over ATTACHMENT_MAX_BYTES
    digests = {url: hashlib.sha256(body).hexdigest() for url, *_x, body in rows}
    assert [r[0] for r in rows if not r[1] == r[2] == r[5] == digests[r[0]]] == []
    assert [r[0] for r in rows if not r[3] == r[6] == len(r[7])] == []
    assert Counter(r[4] for r in rows) == {200: 29, 404: 1}  # the 404 page is kept too
    sizes = {r[0]: r[3] for r in rows}
    huge, bomb = (
        ZC_FILE.format("7/7071/7071933/7072194.pdf"),
        ZC_FILE.format("6/6496/6496460/6497055.docx"),
    )
    # the 60 MB file was refused at its Content-Length: no capture, no blob of it
    assert huge not in sizes and files[huge]["status"] == "too_large"
    assert sizes[bomb] == len(hostile("zip_bomb_docx"))
    assert run.query("SELECT count(*) FROM blobs WHERE size >= 60000000") == [(0,)]
