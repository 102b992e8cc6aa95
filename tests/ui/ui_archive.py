"""The archive the web UI is tested on: the query layer's fixture (tests/search/archive_fixture.py)
with report 4 made whole: its current text is the real report it excerpts (官洲街道 2019, the
sandbox's seed 002 as published on www.haizhu.gov.cn: headings, the 2019 template's tables as
tab-separated rows), its excerpt kept as the earlier version, and the statistics table attached
as an XLS file with its extracted text.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.archive import open_archive
from tests.search.archive_fixture import REPORTS, build_archive, sha

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sandbox" / "corpus" / "seeds" / "002_556bcbe0ff8ad10d.txt"
REPORT4_TEXT = SEED.read_text(encoding="utf-8").strip("\n")
REPORT4_EXCERPT = REPORTS[3]["text"]
REPORT4_URL = REPORTS[3]["canonical_url"]
XLS_NAME = "附件：官洲街道2019年政府信息公开统计表.xls"
XLS_URL = "https://www.haizhu.gov.cn/attachment/0/60/60431/6043121.xls"
# An OLE2 header and a few bytes: what matters here is that the download returns them unchanged.
XLS_BYTES = bytes.fromhex("d0cf11e0a1b11ae1") + "官洲街道 2019 统计表".encode() + bytes(range(256))
# the attachment: section 三's table, as a spreadsheet's rows (its cells tab-separated)
_LINES = REPORT4_TEXT.split("\n")
XLS_TEXT = "\n".join(
    _LINES[_LINES.index(next(x for x in _LINES if x.startswith("（本列数据"))) :][:27]
)
# the text before a correction: one figure of table 二 read 560, now 581
REPORT4_BEFORE = REPORT4_TEXT.replace("行政处罚\t1\t0\t581", "行政处罚\t1\t0\t560")
PAGE_BYTES = ("<html><body>" + REPORT4_TEXT[:200] + "</body></html>").encode()


def build(path: Path) -> None:
    build_archive(path).conn.close()
    db = open_archive(path)
    with db.atomic():
        for body in (XLS_BYTES, PAGE_BYTES):
            db["blobs"].insert({"sha256": sha(body), "size": len(body), "body": body}, replace=True)
        db["captures"].insert_all(
            [
                _capture(6, REPORT4_URL, PAGE_BYTES, "page", "text/html; charset=utf-8", None),
                _capture(
                    7, XLS_URL, XLS_BYTES, "attachment", "application/vnd.ms-excel", REPORT4_URL
                ),
            ]
        )
        db["reports"].update(
            4,
            {"text": REPORT4_TEXT, "text_sha256": sha(REPORT4_TEXT), "capture_id": 6,
             "attachment_text": XLS_TEXT,
             "sections": json.dumps(["一、总体情况", "二、主动公开政府信息情况",
                                     "三、收到和处理政府信息公开申请情况",
                                     "四、政府信息公开行政复议、行政诉讼情况",
                                     "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
                                    ensure_ascii=False)},
        )  # fmt: skip
        db["report_versions"].insert_all(
            [
                {"id": 3, "report_id": 4, "title": REPORTS[3]["title"], "text": REPORT4_EXCERPT,
                 "text_sha256": sha(REPORT4_EXCERPT), "capture_id": None,
                 "valid_from": "2020-02-01T03:00:00Z", "valid_to": "2022-05-10T02:30:00Z"},
                {"id": 5, "report_id": 4, "title": REPORTS[3]["title"], "text": REPORT4_BEFORE,
                 "text_sha256": sha(REPORT4_BEFORE), "capture_id": None,
                 "valid_from": "2022-05-10T02:30:00Z", "valid_to": "2024-03-01T02:40:00Z"},
                {"id": 4, "report_id": 4, "title": REPORTS[3]["title"], "text": REPORT4_TEXT,
                 "text_sha256": sha(REPORT4_TEXT), "capture_id": 6,
                 "valid_from": "2024-03-01T02:40:00Z", "valid_to": None},
            ]
        )  # fmt: skip
        db["sightings"].insert(
            {"id": 3, "report_id": 4, "url": REPORT4_URL, "capture_id": 6,
             "run_id": "run-20240301", "seen_at": "2024-03-01T02:40:00Z", "reason": "new_version"}
        )  # fmt: skip
        db["attachments"].insert(
            {"id": 4, "report_id": 4, "url": XLS_URL, "filename": XLS_NAME,
             "mime": "application/vnd.ms-excel", "sha256": sha(XLS_BYTES), "capture_id": 7,
             "text": XLS_TEXT, "method": "spreadsheet", "status": "ok", "error": None}
        )  # fmt: skip
        db["runs"].insert_all(
            [
                {"id": "run-20240301", "started_at": "2024-03-01T02:00:00Z",
                 "finished_at": "2024-03-01T02:50:00Z", "spiders": json.dumps(["haizhu_gov_cn"]),
                 "status": "finished", "exit_status": 1, "pid": 1, "crawler_version": "0.1.0",
                 "stats": json.dumps({
                     "haizhu_gov_cn": {"portal": "haizhu_gov_cn", "healthy": False,
                                       "reasons": ["0 reports found (the archive holds 1)"],
                                       "reports_found": 0, "requests": 3},
                     "zc_gov_cn": {"portal": "zc_gov_cn", "healthy": True, "reasons": [],
                                   "reports_found": 3, "new": 1, "requests": 40},
                 }, ensure_ascii=False)},
            ]
        )  # fmt: skip
    db.conn.close()


def _capture(id_: int, url: str, body: bytes, kind: str, ctype: str, referer: str | None) -> dict:
    return {
        "id": id_,
        "run_id": "run-20240301",
        "spider": "haizhu_gov_cn",
        "kind": kind,
        "url": url,
        "final_url": url,
        "redirects": json.dumps([url]),
        "referer": referer,
        "status": 200,
        "headers": json.dumps({"Content-Type": [ctype]}),
        "fetched_at": "2024-03-01T02:40:00Z",
        "sha256": sha(body),
        "size": len(body),
        "not_modified": 0,
        "crawler_version": "0.1.0",
    }
