"""WarcMiddleware on real-looking responses, without a crawl: what each record says."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import re
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.reader import StoredCapture
from crawler.warc import (
    IDENTICAL_PAYLOAD,
    SERVER_NOT_MODIFIED,
    WarcMiddleware,
    sha256_label,
)

POST = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_10207461.html"
LIST = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"
PAGE = (
    "<html><head><title>增城区朱村街道办事处2023年政府信息公开工作年度报告</title></head>"
    "<body><div id='zoomcon'>本报告由增城区朱村街道办事处根据《中华人民共和国政府信息公开条例》"
    "要求编制。</div></body></html>"
).encode()


class FakeSpider:
    name = "zc_gov_cn"
    run_id = "20261203T100000Z-abc123"


def middleware(tmp_path: Path, **settings) -> WarcMiddleware:
    crawler = get_crawler(settings_dict={"ARCHIVE_PATH": str(tmp_path / "archive.db"), **settings})
    crawler.spider = FakeSpider()
    crawler.stats.open_spider()
    return WarcMiddleware.from_crawler(crawler)


def fetch(mw: WarcMiddleware, url: str, body: bytes, status: int = 200, **kw) -> Request:
    request = Request(url, headers={"Referer": LIST}, meta={"list_url": LIST, **kw.pop("meta", {})})
    request.meta["fetched_at"] = "2026-12-03T10:00:05Z"
    headers = {"Content-Type": "text/html; charset=utf-8", **kw.pop("headers", {})}
    response = HtmlResponse(url, status=status, body=body, headers=headers, request=request, **kw)
    asyncio.run(mw.process_response(request, response))
    return request


def records(tmp_path: Path) -> list:
    out = []
    for path in sorted((tmp_path / "warc").glob("*/*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                out.append((record, record.content_stream().read()))
    return out


def test_a_report_page_is_a_response_request_and_metadata_record(tmp_path) -> None:
    mw = middleware(tmp_path)
    request = fetch(mw, POST, PAGE, ip_address=None)
    mw.spider_closed()
    got = records(tmp_path)
    assert [r.rec_type for r, _ in got] == ["warcinfo", "response", "request", "metadata"]
    info, response, req, _ = (r for r, _ in got)
    assert info.rec_headers.get_header("WARC-Filename") == (
        "20261203T100000Z-abc123-zc_gov_cn-00000.warc.gz"
    )
    assert b"isPartOf: govreports run 20261203T100000Z-abc123" in got[0][1]
    assert response.rec_headers.get_header("WARC-Target-URI") == POST
    assert response.rec_headers.get_header("WARC-Date") == "2026-12-03T10:00:05Z"
    assert response.rec_headers.get_header("WARC-Payload-Digest") == sha256_label(
        hashlib.sha256(PAGE).hexdigest()
    )
    assert response.http_headers.statusline == "200 OK"
    assert got[1][1] == PAGE
    assert (req.http_headers.protocol, req.http_headers.statusline) == (
        "GET",
        "/gk/zfxxgk/zfxxgkgznb/content/post_10207461.html HTTP/1.1",
    )
    assert req.http_headers.get_header("Host") == "www.zc.gov.cn"
    assert req.rec_headers.get_header("WARC-Concurrent-To") == response.rec_headers.get_header(
        "WARC-Record-ID"
    )
    assert got[3][1].decode() == (
        f"run: 20261203T100000Z-abc123\r\nspider: zc_gov_cn\r\nkind: detail\r\nvia: {LIST}\r\n"
        "payload: exact\r\nhttp-headers: rebuilt from Scrapy's parsed headers\r\n"
    )
    place = request.meta["warc_record"]
    assert place["file"] == (
        "warc/20261203T100000Z-abc123/20261203T100000Z-abc123-zc_gov_cn-00000.warc.gz"
    )
    assert mw.stats.get_value("warc/exact") == 1 and mw.stats.get_value("warc/rebuilt") is None
    # the pointer is the response record's own gzip member
    raw = (tmp_path / place["file"]).read_bytes()[
        place["offset"] : place["offset"] + place["length"]
    ]
    record = gzip.decompress(raw)
    assert record.startswith(b"WARC/1.1\r\n") and b"\r\nWARC-Type: response\r\n" in record
    assert record.endswith(b"</div></body></html>\r\n\r\n")


def test_a_gzip_body_is_kept_as_sent_and_transfer_encoding_dropped(tmp_path) -> None:
    mw = middleware(tmp_path)
    sent = gzip.compress(PAGE)
    headers = {"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"}
    fetch(mw, POST, sent, headers=headers)
    mw.spider_closed()
    (_, _), (response, decoded), *_ = records(tmp_path)
    assert response.http_headers.get_header("Content-Encoding") == "gzip"
    assert response.http_headers.get_header("Transfer-Encoding") is None
    assert decoded == PAGE  # a reader undoes the content-encoding: the payload kept it
    digest = hashlib.sha256(sent).hexdigest()
    assert response.rec_headers.get_header("WARC-Payload-Digest") == sha256_label(digest)


def test_a_304_is_a_server_not_modified_revisit_naming_the_stored_capture(tmp_path) -> None:
    mw = middleware(tmp_path)
    stored = hashlib.sha256(PAGE).hexdigest()
    previous = StoredCapture(7, POST, POST, 200, {}, stored, "2026-11-26T03:17:40Z", "run-0")
    request = fetch(mw, POST, b"", status=304, meta={"incremental_previous": previous})
    mw.spider_closed()
    revisit = records(tmp_path)[1][0]
    assert revisit.rec_type == "revisit"
    assert revisit.rec_headers.get_header("WARC-Profile") == SERVER_NOT_MODIFIED
    assert revisit.rec_headers.get_header("WARC-Refers-To-Target-URI") == POST
    assert revisit.rec_headers.get_header("WARC-Refers-To-Date") == "2026-11-26T03:17:40Z"
    assert revisit.rec_headers.get_header("WARC-Payload-Digest") == sha256_label(stored)
    assert revisit.http_headers.statusline == "304 Not Modified"
    assert request.meta["warc_record"]["offset"] > 0
    assert mw.stats.get_value("warc/revisit") == 1


def test_the_same_bytes_twice_in_a_run_are_an_identical_payload_revisit(tmp_path) -> None:
    mw = middleware(tmp_path)
    twin = POST.replace("post_", "mpost_")
    fetch(mw, POST, PAGE)
    fetch(mw, twin, PAGE)
    mw.spider_closed()
    kinds = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r, _ in records(tmp_path)
    ]
    assert kinds[1] == ("response", POST) and kinds[4] == ("revisit", twin)
    revisit = records(tmp_path)[4][0]
    assert revisit.rec_headers.get_header("WARC-Profile") == IDENTICAL_PAYLOAD
    assert revisit.rec_headers.get_header("WARC-Refers-To-Target-URI") == POST


def test_the_peer_address_is_recorded_only_without_a_proxy(tmp_path) -> None:
    from ipaddress import ip_address

    mw = middleware(tmp_path)
    fetch(mw, POST, PAGE, ip_address=ip_address("183.6.42.17"))
    fetch(
        mw,
        LIST,
        b"<html>list</html>",
        meta={"proxy": "http://127.0.0.1:8899"},
        ip_address=ip_address("127.0.0.1"),
    )
    mw.spider_closed()
    got = [r for r, _ in records(tmp_path) if r.rec_type == "response"]
    assert [r.rec_headers.get_header("WARC-IP-Address") for r in got] == ["183.6.42.17", None]


def test_files_rotate_at_their_size_and_each_opens_with_warcinfo(tmp_path) -> None:
    mw = middleware(tmp_path, WARC_MAX_FILE_BYTES=1)
    fetch(mw, POST, PAGE)
    fetch(mw, LIST, b"<html>list</html>")
    mw.spider_closed()
    files = sorted(p.name for p in (tmp_path / "warc").glob("*/*.warc.gz"))
    assert files == [
        "20261203T100000Z-abc123-zc_gov_cn-00000.warc.gz",
        "20261203T100000Z-abc123-zc_gov_cn-00001.warc.gz",
    ]
    assert [r.rec_type for r, _ in records(tmp_path)][::4] == ["warcinfo", "warcinfo"]


def test_a_browser_rendered_page_is_counted_rebuilt(tmp_path) -> None:
    mw = middleware(tmp_path)
    fetch(mw, LIST, b"<html>rendered</html>", meta={"playwright": True})
    assert (mw.stats.get_value("warc/rebuilt"), mw.stats.get_value("warc/exact")) == (1, None)


def test_warc_writing_can_be_switched_off(tmp_path) -> None:
    with pytest.raises(NotConfigured):
        middleware(tmp_path, WARC_ENABLED=False)


def test_bytes_an_earlier_run_archived_are_a_revisit_naming_its_capture(tmp_path) -> None:
    from dataclasses import replace

    from crawler.archive import Archive
    from tests.core.factories import capture

    earlier = replace(capture(POST, PAGE, run_id="run-0"), warc_file="warc/run-0/a.warc.gz")
    archive = Archive.open(tmp_path / "archive.db")
    archive.store_capture(earlier)
    archive.close()
    mw = middleware(tmp_path)
    fetch(mw, POST, PAGE)
    fetch(mw, LIST, b"<html>a list page no run has seen</html>")
    mw.spider_closed()
    got = [r for r, _ in records(tmp_path) if r.rec_type in ("response", "revisit")]
    assert [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in got] == [
        ("revisit", POST),
        ("response", LIST),
    ]
    assert got[0].rec_headers.get_header("WARC-Profile") == IDENTICAL_PAYLOAD
    assert got[0].rec_headers.get_header("WARC-Refers-To-Date") == "2026-11-23T08:00:00Z"


def test_a_spider_without_a_run_gets_one_folder_of_its_own(tmp_path) -> None:
    crawler = get_crawler(settings_dict={"ARCHIVE_PATH": str(tmp_path / "archive.db")})
    crawler.spider = type("Bare", (), {"name": "bare"})()
    crawler.stats.open_spider()
    mw = WarcMiddleware.from_crawler(crawler)
    fetch(mw, LIST, b"<html>list</html>")
    fetch(mw, POST, PAGE)
    mw.spider_closed()
    (folder,) = (tmp_path / "warc").iterdir()
    assert folder.name != "None" and re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", folder.name)
    assert [p.name for p in folder.iterdir()] == [f"{folder.name}-bare-00000.warc.gz"]


def test_a_record_that_cannot_be_written_leaves_no_pointer_and_is_counted(tmp_path) -> None:
    mw = middleware(tmp_path)
    hop = fetch(mw, LIST, b"", status=302, headers={"Location": POST})
    assert hop.meta["warc_record"]["offset"] > 0
    mw.files.handle.close()  # the disk goes away under the writer
    request = Request(POST, meta=dict(hop.meta))
    request.meta["fetched_at"] = "2026-12-03T10:00:06Z"
    response = HtmlResponse(POST, body=PAGE, request=request)
    assert asyncio.run(mw.process_response(request, response)) is response
    assert "warc_record" not in request.meta
    assert mw.stats.get_value("warc/write_failed/ValueError") == 1
