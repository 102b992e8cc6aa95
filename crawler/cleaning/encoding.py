"""Bytes -> str for saved pages: BOM, then valid UTF-8, then the declared charsets.

Declarations lie (portals.md §8: a wrong charset header, charset missing from the header), so
the bytes have the last word where they can: Chinese text in GBK is practically never valid
UTF-8, while UTF-8 bytes decode "successfully" as GB18030 into mojibake. gb2312/gbk are decoded
as their superset gb18030 (stack-notes.md; 镕 and 喆 are outside GB2312).
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode a page: BOM > valid UTF-8 > ``declared`` (e.g. the HTTP header) > <meta> > gb18030."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    claims = [canonical_charset(declared), meta_charset(body)]
    for codec in claims:
        if codec and codec != "utf-8":
            try:
                return body.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    # A UTF-8 page cut short (truncated body) or with one bad byte is still UTF-8.
    if "utf-8" in claims or _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    return body.decode("gb18030", errors="replace")


def _mostly_utf8(body: bytes) -> bool:
    text = body.decode("utf-8", errors="replace")
    return text.count("\ufffd") <= max(1, len(text) // 1000)
