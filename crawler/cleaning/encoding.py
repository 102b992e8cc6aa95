"""Bytes -> str for pages, by one rule that the crawl, `clean` and `reclean` all use.

The rule (`page_encoding`), in order:

1. a byte-order mark;
2. bytes that prove UTF-8 (they decode as UTF-8, strictly or with a stray bad byte among many good
   multi-byte characters, as in a body cut short; Chinese text in GBK practically never does,
   while UTF-8 bytes decode "successfully" as GB18030 into mojibake, so this comes before any
   declaration);
3. a declared charset whose codec decodes the bytes strictly: first the HTTP header, then the
   page's `<meta>`; gb2312/gbk are read as their superset gb18030 (stack-notes.md: 镕 and 喆 are
   outside GB2312);
4. detection: charset-normalizer among the encodings Chinese portals use, else gb18030.

Declarations lie (docs/portals.md §8 asks for a header that names the wrong charset), so a
declaration only wins when the bytes do not prove otherwise. `decode_html` decodes with w3lib's
`html_to_unicode`, the function Scrapy's `TextResponse.text` uses, so a response whose encoding
`crawler.decoding.DecodeOnceMiddleware` re-declared reads exactly as `decode_html` reads it.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What detection may answer: the encodings of Chinese government pages.
_DETECTABLE = ["utf_8", "gb18030", "big5"]
_FALLBACK = "gb18030"


def canonical_charset(name: str | None) -> str | None:
    """Python codec name for a declared charset (gb2312/gbk -> gb18030), None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its first 4 KB of <meta> tags."""
    match = _META_CHARSET.search(body[:4096])
    return canonical_charset(match.group(1).decode("ascii", "ignore")) if match else None


def header_charset(content_type: str | None) -> str | None:
    """'text/html; charset=GBK' -> 'gb18030'; None when the header names no (known) charset."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    return canonical_charset(message.get_content_charset())


def stored_header_charset(headers: dict[str, list[str]] | None) -> str | None:
    """The charset of a Content-Type header as provenance stores headers ({name: [values]})."""
    for name, values in (headers or {}).items():
        if name.lower() == "content-type" and values:
            return header_charset(values[0] if isinstance(values, list) else str(values))
    return None


def page_encoding(body: bytes, declared: str | None = None) -> str:
    """The codec a page is read with: BOM > proven UTF-8 > ``declared`` (the HTTP header) >
    <meta> > detection."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec
    if _decodes(body, "utf-8") or _mostly_utf8(body):
        return "utf-8"
    claims = [canonical_charset(declared), meta_charset(body)]
    for codec in claims:
        if codec and codec != "utf-8" and _decodes(body, codec):
            return codec
    # A GBK page cut short (a truncated body) or with one bad byte still has its encoding.
    for codec in claims:
        if codec and _mostly(body, codec):
            return codec
    return _detected(body)


def decode_html(body: bytes, declared: str | None = None) -> str:
    """The page's text, decoded as `page_encoding` says (bad bytes become U+FFFD)."""
    return html_to_unicode(f"charset={page_encoding(body, declared)}", body)[1]


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _mostly(body: bytes, codec: str) -> bool:
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return False
    return text.count("\ufffd") <= max(1, len(text) // 1000)


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8 but for a few bad bytes among many well-formed multi-byte characters (at least
    ten good ones per bad one): a GBK page decoded as UTF-8 has almost no good ones."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 10 * bad and good > 0


def _detected(body: bytes) -> str:
    best = from_bytes(body[:65536], cp_isolation=_DETECTABLE).best()
    found = canonical_charset(best.encoding) if best else None
    return found or _FALLBACK
