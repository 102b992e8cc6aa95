"""Realistic items for archive and pipeline tests (no network, no reactor)."""

from __future__ import annotations

import hashlib

from crawler.items import AttachmentItem, Capture, ReportItem

ZHUCUN_TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
ZHUCUN_URL = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5646102.html"
ZHUCUN_TEXT = (
    ZHUCUN_TITLE
    + "\n一 概 述\n2017年，朱村街认真贯彻落实国务院、广东省、广州市和增城区人民政府2017年政府信息公开工作要求，"
    "切实做好政府信息公开工作。现将2017年有关工作情况总结如下：\n"
    "（一）进一步建立健全组织机构\n朱村街根据街道办领导调整，及时更新政务公开工作领导小组成员，"
    "由街道办事处主任任组长，分管领导任副组长，其余领导班子成员以及街道办各部门负责同志为成员。\n"
    "五 因信息公开引起的行政复议和行政诉讼情况\n增城区人民政府朱村街道办事处2017年度没有发生针对本单位"
    "有关政府信息公开事务的行政复议诉讼案件。"
)


def capture(url: str, body: bytes, *, kind: str = "page", run_id: str = "run-1") -> Capture:
    return Capture(
        url=url,
        final_url=url,
        redirects=[],
        referer="https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/index_2.html",
        status=200,
        headers={"Content-Type": ["text/html; charset=utf-8"]},
        fetched_at="2026-11-23T08:00:00Z",
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        body=body,
        spider="zc_gov_cn",
        run_id=run_id,
        kind=kind,
    )


def report(
    url: str = ZHUCUN_URL,
    *,
    body: bytes | None = None,
    text: str = ZHUCUN_TEXT,
    canonical_url: str | None = None,
    attachments: list[AttachmentItem] | None = None,
    run_id: str = "run-1",
) -> ReportItem:
    from crawler.archive import fingerprint

    body = body if body is not None else f"<html><body>{text}</body></html>".encode()
    item = ReportItem(
        portal="zc_gov_cn",
        url=url,
        title=ZHUCUN_TITLE,
        capture=capture(url, body, run_id=run_id),
        unit="朱村街道办事处",
        report_year=2017,
        published_at="2018-03-15",
        attachments=attachments or [],
    )
    item.canonical_url = canonical_url or url
    item.text = text
    item.text_sha256 = fingerprint(text)
    item.template_version = "pre2019"
    item.sections = ["一 概 述", "五 因信息公开引起的行政复议和行政诉讼情况"]
    return item
