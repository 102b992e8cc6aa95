"""Pages whose HTTP header lies about their charset (issue 13; docs/portals.md §7, §8: portals are
UTF-8 with the charset in `<meta>`, older TRS pages were GBK).

Two lies, as a misconfigured front end tells them:
- `header_gbk`: UTF-8 bytes, `<meta>` says utf-8, the header says `charset=gbk`;
- `gbk_bytes`: the page was saved as GBK and its `<meta>` says gb2312, the header says utf-8.
  Characters GBK lacks become numeric character references, as a GBK editor writes them.
A decoder that trusts the header garbles both; the `<meta>` (or the bytes) tell the truth.
"""

from __future__ import annotations

import re

from sandbox.http import HTML_UTF8

HEADER_GBK, GBK_BYTES = "header_gbk", "gbk_bytes"
LIES = (HEADER_GBK, GBK_BYTES)
_META_UTF8 = re.compile(r'charset=("?)utf-8', re.IGNORECASE)


def page_bytes(html: str, lie: str | None, content_type: str = HTML_UTF8) -> tuple[bytes, str]:
    """The bytes and Content-Type a page is served with, honest or with `lie`."""
    if lie is None:
        return html.encode("utf-8"), content_type
    if lie == HEADER_GBK:
        return html.encode("utf-8"), "text/html; charset=gbk"
    if lie == GBK_BYTES:
        as_gbk = _META_UTF8.sub(r"charset=\1gb2312", html, count=1)
        return as_gbk.encode("gbk", "xmlcharrefreplace"), HTML_UTF8
    raise ValueError(f"unknown charset lie {lie!r}")


def truth(lie: str) -> dict[str, str]:
    """What the manifest says about a lying page: bytes, header and meta charsets."""
    if lie == HEADER_GBK:
        return {"kind": lie, "bytes": "utf-8", "header": "gbk", "meta": "utf-8"}
    return {"kind": lie, "bytes": "gbk", "header": "utf-8", "meta": "gb2312"}
