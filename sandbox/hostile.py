"""Hostile portals: `--fault PORTAL:KIND[=VALUE]` kinds that turn any sandbox portal against the
crawler, for the red-team suite (tests/hostile/, README "Hostile input").

Each kind is a generic transformer of the answers a site already gives, applied in `Site.handle`
(sandbox/sites/base.py): it knows a site only by `is_list(request)`, its own manifest (which URLs
are posts), its hosts and the shape of what it serves (HTML with paragraphs, JSON, files), never
its CMS. What is what:

- a *report page*: a 200 HTML answer at a URL the site's manifest names as a post (a report's URL
  or one of its aliases, or a listed non-report), never a home, channel or list page; the hostile
  markup goes in front of its longest paragraph, which is the report's own in every theme (inside
  its body container);
- a *list*: `is_list(request)`, HTML or JSON;
- a *file*: any other 200 answer (attachments, body images).

Kinds:
- `links`: report pages link local files and internal hosts as attachments and body images
  (`file:///etc/passwd?x.pdf`, `<img src="file:///etc/os-release">`, 127.0.0.2, 10.0.0.1,
  localhost, [::1], 2130706433, 169.254.169.254, an off-site host, a Word-pasted C:\\ image).
- `redirect=TARGET`: report pages answer 302 to TARGET; `fileredirect=TARGET` files do.
  TARGET: file, loopback, private, localhost, linklocal, offsite, same (all to one page of the
  portal, which answers 404), loop (A -> A? -> A), chain (hops on the portal's own host that
  never end).
- `endless`: HTML lists gain a 下一页 link to a next page that always exists; JSON lists answer
  404, so a crawler that prefers them walks the HTML.
- `bigtotal`: lists claim 10^12 records (JSON `total`, `totalRecord:`, `createPageHTML(`,
  `共N页`), and a list URL past the real end answers with the last list page served.
- `deepjson`: JSON lists are an array nested 200,000 deep.
- `pagesize0`: JSON lists say `pagesize: 0`; HTML lists `perPage:0`.
- `ctrlchars`: NUL and other control characters right after an HTML comment, on lists and
  report pages.
- `badencoding`: report pages carry invalid UTF-8 and an unknown charset in their header.
- `jslinks`: `javascript:` links: a list entry copied with a javascript: href (HTML and JSON),
  attachments and an image on report pages.
- `bomb`: files are gzip bombs (1 GiB of zeros in 1 MiB); `bomb=pages`: report pages too.
- `huge[=N]`: about one report page in 16 (chosen by its path) links N (5) attachments of
  90 MiB each.
- `drip[=SECONDS]`: report pages are sent 64 bytes at a time, SECONDS (1) apart.
"""

from __future__ import annotations

import json
import re
import struct
import weakref
import zlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

from sandbox.http import Request, Response, redirect

if TYPE_CHECKING:
    from sandbox.faults import Faults

KINDS = (
    "links",
    "redirect",
    "fileredirect",
    "endless",
    "bigtotal",
    "deepjson",
    "pagesize0",
    "ctrlchars",
    "badencoding",
    "jslinks",
    "bomb",
    "huge",
    "drip",
)
CLAIMED_TOTAL = 10**12
DEEP_JSON = 200_000
HUGE_FILE = 90 * 1024 * 1024
HUGE_COUNT = 5
HUGE_ONE_IN = 16
REDIRECT_TARGETS = {
    "file": "file:///etc/passwd",
    "loopback": "http://127.0.0.2/report.html",
    "private": "http://10.0.0.1/report.html",
    "localhost": "http://localhost/report.html",
    "linklocal": "http://169.254.169.254/latest/meta-data/",
    "offsite": "https://www.evil.example/report.html",
    "same": "/hostile/moved.html",  # every report page to one URL: duplicates after the first
}
# (href, link text) pairs linked as attachments, and image sources put in the body.
HOSTILE_FILES = (
    ("file:///etc/passwd?x.pdf", "附件1.pdf"),
    ("http://127.0.0.2/secret.pdf", "附件2.pdf"),
    ("http://10.0.0.1/internal.pdf", "附件3.pdf"),
    ("http://localhost/admin.pdf", "附件4.pdf"),
    ("http://[::1]/v6.pdf", "附件5.pdf"),
    ("http://2130706433/decimal.pdf", "附件6.pdf"),
    ("http://169.254.169.254/latest/meta-data.pdf", "附件7.pdf"),
    ("https://www.evil.example/offsite.pdf", "附件8.pdf"),
)
HOSTILE_IMAGES = (
    "file:///etc/os-release",
    "http://127.0.0.2/a.png",
    "http://10.0.0.1/b.png",
    "http://localhost/c.png",
    "file:///C:/Users/ADMINI~1/AppData/Local/Temp/ksohtml/wps1.png",
)
CONTROL = "\x00\x01\x02\x03\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f"
_HOSTILE_PARAMS = ("hostile_page", "hostile_loop", "hostile_hop")


class SiteLike(Protocol):
    portal: str
    hosts: tuple[str, ...]

    def is_list(self, request: Request) -> bool: ...

    def manifest(self) -> Any: ...  # a ManifestPart (sandbox/sites/base.py)


# --- the hook: two calls from Site.handle ---------------------------------------------------------
def answer(site: SiteLike, faults: Faults, request: Request, inner: Callable[[Request], Response]):
    """Answers only a hostile site gives (its extra URLs), else the site's own; then transformed."""
    kinds = _kinds(faults, site.portal)
    if not kinds:
        return inner(request)
    params = dict(parse_qsl(urlsplit(request.target).query))
    if "hostile_loop" in params:
        return redirect(_without_hostile_params(request).url, 302)
    if "hostile_hop" in params:
        return _next_hop(request, int(params["hostile_hop"]))
    if request.path.startswith("/hostile/huge-"):
        return Response(200, [("Content-Type", "application/pdf")], huge_file())
    plain = _without_hostile_params(request)
    response = inner(plain)
    for kind in KINDS:  # one order, whatever order the faults were given in
        if kind in kinds:
            response = TRANSFORMS[kind](_Context(site, request, response, kinds[kind]))
    return response


def _kinds(faults: Faults, portal: str) -> dict[str, str | None]:
    return {f.kind: f.value for f in faults.items if f.portal == portal and f.kind in KINDS}


def check_value(kind: str, value: str | None) -> None:
    """Raise ValueError for a hostile kind's value that cannot work (called by Fault.parse)."""
    if kind in ("redirect", "fileredirect") and (value or "offsite") not in {
        *REDIRECT_TARGETS,
        "loop",
        "chain",
    }:
        targets = ", ".join([*REDIRECT_TARGETS, "loop", "chain"])
        raise ValueError(f"{kind}=TARGET takes one of {targets}, not {value!r}")
    if kind == "bomb" and value not in (None, "pages"):
        raise ValueError(f"bomb takes no value or =pages, not {value!r}")
    if kind in ("huge", "drip") and value is not None:
        number = float(value)  # ValueError for text
        if number <= 0:
            raise ValueError(f"{kind}={value}: must be positive")


def _without_hostile_params(request: Request) -> Request:
    parts = urlsplit(request.target)
    query = [(k, v) for k, v in parse_qsl(parts.query, True) if k not in _HOSTILE_PARAMS]
    target = parts.path + (f"?{urlencode(query)}" if query else "")
    return Request(
        request.method, request.scheme, request.host, target, request.headers, request.body
    )


_POSTS: weakref.WeakKeyDictionary[Any, frozenset[tuple]] = weakref.WeakKeyDictionary()


def _post_urls(site: SiteLike) -> frozenset[tuple]:
    """Every URL the site's manifest names as a post: reports (with their aliases: http, mpost
    twins) and listed non-reports. Home, channel and list pages are none of them (since the sandbox
    serves those, "an HTML page with paragraphs" no longer tells a post)."""
    if site not in _POSTS:
        part = site.manifest()
        urls = [u for r in part.reports for u in (r["url"], *r.get("aliases", ()))]
        _POSTS[site] = frozenset(_url_key(u) for u in [*urls, *part.nonreports])
    return _POSTS[site]


def _url_key(url: str) -> tuple:
    """Scheme-blind, query order-blind: the http twin and a reordered query are the same post."""
    parts = urlsplit(url)
    return (parts.hostname, parts.path, tuple(sorted(parse_qsl(parts.query, True))))


def _next_hop(request: Request, hop: int) -> Response:
    base = request.url.split("?hostile_hop=")[0]
    return redirect(f"{base}?hostile_hop={hop + 1}", 302)


class _Context:
    """One answer under transformation."""

    def __init__(self, site: SiteLike, request: Request, response: Response, value: str | None):
        self.site, self.request, self.response, self.value = site, request, response, value

    @property
    def content_type(self) -> str:
        return (self.response.header("Content-Type") or "").lower()

    @property
    def ok(self) -> bool:
        return self.response.status == 200

    @property
    def is_list(self) -> bool:
        return self.site.is_list(self.request)

    @property
    def is_json(self) -> bool:
        return "json" in self.content_type

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type

    @property
    def is_report_page(self) -> bool:
        if not (self.ok and self.is_html) or self.is_list:
            return False
        return _url_key(_without_hostile_params(self.request).url) in _post_urls(self.site)

    @property
    def is_file(self) -> bool:
        return self.ok and not (self.is_html or self.is_json or "xml" in self.content_type)

    def replace(self, body: bytes, **changes: Any) -> Response:
        headers = [
            (k, v) for k, v in self.response.headers if k.lower() not in ("etag", "last-modified")
        ]
        for name, value in changes.items():
            headers = [(k, v) for k, v in headers if k.lower() != name.lower().replace("_", "-")]
            headers.append((name.replace("_", "-"), value))
        return Response(self.response.status, headers, body, self.response.delay)


_PARAGRAPH = re.compile(rb"<p[\s>].*?</p>", re.S | re.I)


def _insert_in_body(body: bytes, markup: str | bytes) -> bytes:
    """In front of the page's longest paragraph, which is the report's own in every theme (a
    first paragraph may be a theme's date line)."""
    data = markup.encode() if isinstance(markup, str) else markup
    longest = max(_PARAGRAPH.finditer(body), key=lambda m: m.end() - m.start(), default=None)
    at = longest.start() if longest is not None else body.rfind(b"</body>")
    if at < 0:
        return body + data
    return body[:at] + data + body[at:]


# --- the transformers ---------------------------------------------------------------------------
def links(ctx: _Context) -> Response:
    if not ctx.is_report_page:
        return ctx.response
    anchors = "".join(f'<a href="{href}">{text}</a> ' for href, text in HOSTILE_FILES)
    images = "".join(f'<img src="{src}">' for src in HOSTILE_IMAGES)
    return ctx.replace(_insert_in_body(ctx.response.body, f"<p>{anchors}{images}</p>"))


def redirect_pages(ctx: _Context) -> Response:
    return _redirect(ctx) if ctx.is_report_page else ctx.response


def redirect_files(ctx: _Context) -> Response:
    return _redirect(ctx) if ctx.is_file else ctx.response


def _redirect(ctx: _Context) -> Response:
    target = ctx.value or "offsite"
    url = ctx.request.url
    if target == "loop":
        return redirect(url + ("&" if "?" in url else "?") + "hostile_loop=1", 302)
    if target == "chain":
        return redirect(url + ("&" if "?" in url else "?") + "hostile_hop=1", 302)
    return redirect(REDIRECT_TARGETS[target], 302)


def endless(ctx: _Context) -> Response:
    if not ctx.is_list:
        return ctx.response
    if ctx.is_json:
        return Response(404, [("Content-Type", "text/html; charset=utf-8")], b"<h1>404</h1>")
    if not (ctx.ok and ctx.is_html):
        return ctx.response
    page = int(dict(parse_qsl(urlsplit(ctx.request.target).query)).get("hostile_page", "1"))
    path = urlsplit(ctx.request.target).path
    link = f'<div><a href="{path}?hostile_page={page + 1}">下一页</a></div>'
    body = ctx.response.body
    at = body.find(b"<body")
    at = body.find(b">", at) + 1 if at >= 0 else 0
    return ctx.replace(body[:at] + link.encode() + body[at:])


_LAST_LIST: dict[tuple[int, bool, str], Response] = {}
_TOTAL_KEYS = {"total", "totalrecord", "total_count", "totalcount", "post_count", "count"}
_PAGE_KEYS = {"pages", "pagecount", "page_count", "totalpage", "totalpages"}
_HTML_TOTALS = (
    (re.compile(rb"(totalRecord\s*[:=]\s*['\"]?)\d+()", re.I), CLAIMED_TOTAL),
    (re.compile(rb"(<totalrecord>\s*)\d+()", re.I), CLAIMED_TOTAL),
    (re.compile(rb"(createPageHTML\(\s*)\d+()"), CLAIMED_TOTAL // 10),
    (re.compile("(共)\\d+(页)".encode()), CLAIMED_TOTAL // 10),
)


def bigtotal(ctx: _Context) -> Response:
    if not ctx.is_list:
        return ctx.response
    key = (id(ctx.site), *_list_of(ctx))
    response = ctx.response
    if response.status == 404 and key in _LAST_LIST:
        response = _LAST_LIST[key]  # past the real end: the list goes on
    elif ctx.ok:
        _LAST_LIST[key] = response
    ctx = _Context(ctx.site, ctx.request, response, ctx.value)
    if ctx.is_json:
        data = _json(response.body)
        return response if data is None else ctx.replace(_dump(_claim(data)))
    body = response.body
    for pattern, value in _HTML_TOTALS:
        body = pattern.sub(lambda m, v=value: m.group(1) + str(v).encode() + m.group(2), body)
    return ctx.replace(body)


def _list_of(ctx: _Context) -> tuple[bool, str]:
    """Which list a page belongs to: its folder (TRS `index_N.htm`, NFCMS `index_N.html`), or
    for JSON its file without the page number (`/postmeta/i/{cat}_{n}.json`)."""
    path = ctx.request.path
    if ctx.is_json or path.endswith(".json"):
        return True, re.sub(r"_\d+\.json$", ".json", path)
    return False, path.rsplit("/", 1)[0]


def _claim(data: Any) -> Any:
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            name = k.lower()
            if name in _TOTAL_KEYS and isinstance(v, int):
                out[k] = CLAIMED_TOTAL
            elif name in _PAGE_KEYS and isinstance(v, int):
                out[k] = CLAIMED_TOTAL // 10
            else:
                out[k] = _claim(v)
        return out
    if isinstance(data, list):
        return [_claim(v) for v in data]
    return data


def deepjson(ctx: _Context) -> Response:
    if not (ctx.is_list and ctx.is_json and ctx.ok):
        return ctx.response
    return ctx.replace(b"[" * DEEP_JSON + b"]" * DEEP_JSON)


_PER_PAGE_KEYS = {"pagesize", "page_size", "perpage", "per_page"}
_HTML_PER_PAGE = re.compile(rb"(perPage\s*[:=]\s*['\"]?)\d+", re.I)


def pagesize0(ctx: _Context) -> Response:
    if not (ctx.is_list and ctx.ok):
        return ctx.response
    if ctx.is_json:
        data = _json(ctx.response.body)
        return ctx.response if data is None else ctx.replace(_dump(_zero_page_size(data)))
    return ctx.replace(_HTML_PER_PAGE.sub(lambda m: m.group(1) + b"0", ctx.response.body))


def _zero_page_size(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: 0 if k.lower() in _PER_PAGE_KEYS and isinstance(v, int) else _zero_page_size(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_zero_page_size(v) for v in data]
    return data


def ctrlchars(ctx: _Context) -> Response:
    if not (ctx.ok and ctx.is_html):
        return ctx.response
    body = ctx.response.body
    at = body.find(b"-->")
    if at >= 0:
        return ctx.replace(body[: at + 3] + CONTROL.encode() + body[at + 3 :])
    return ctx.replace(_insert_in_body(body, "<!-- hostile -->" + CONTROL))


def badencoding(ctx: _Context) -> Response:
    if not ctx.is_report_page:
        return ctx.response
    junk = "<p>乱码</p>".encode() + b"<p>\xff\xfe\xc3\x28\xed\xa0\x80\xe2\x82</p>"
    body = _insert_in_body(ctx.response.body, junk)
    return ctx.replace(body, Content_Type="text/html; charset=x-no-such-charset")


_REPORT_ANCHOR = re.compile(rb"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>", re.I)


def jslinks(ctx: _Context) -> Response:
    if ctx.is_list and ctx.ok and ctx.is_json:
        data = _json(ctx.response.body)
        return ctx.response if data is None else ctx.replace(_dump(_js_entries(data)))
    if ctx.is_list and ctx.ok and ctx.is_html:
        return ctx.replace(_js_list_entry(ctx.response.body))
    if ctx.is_report_page:
        markup = (
            "<p><a href=\"javascript:download('年报.pdf')\">年报.pdf</a> "
            '<a href="javascript:void(0)//附件.pdf">附件.pdf</a> '
            '<img src="javascript:alert(1)"></p>'
        )
        return ctx.replace(_insert_in_body(ctx.response.body, markup))
    return ctx.response


def _js_list_entry(body: bytes) -> bytes:
    """The first link that reads like a report, once more with its href turned into script."""
    for match in _REPORT_ANCHOR.finditer(body):
        end = body.find(b"</a>", match.end())
        if end < 0 or "报告".encode() not in body[match.start() : end]:
            continue
        anchor = body[match.start() : end + 4]
        href = match.group(1)
        copies = b"".join(
            anchor.replace(href, new, 1)
            for new in (b"javascript:void(0)//" + href, b"javascript:window.open('" + href + b"')")
        )
        return body[: match.start()] + copies + body[match.start() :]
    return body


def _js_entries(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _js_entries(v) for k, v in data.items()}
    if isinstance(data, list):
        posts = [v for v in data if isinstance(v, dict) and isinstance(v.get("url"), str)]
        items = [_js_entries(v) for v in data]
        if posts:
            first = posts[0]
            items = [
                {**first, "url": "javascript:void(0)"},
                {**first, "url": "javascript:void(0)//" + first["url"]},
                *items,
            ]
        return items
    return data


def bomb(ctx: _Context) -> Response:
    if not (ctx.is_file or (ctx.value == "pages" and ctx.is_report_page)):
        return ctx.response
    return ctx.replace(gzip_bomb(), Content_Encoding="gzip")


def huge(ctx: _Context) -> Response:
    if not ctx.is_report_page or not _chosen(ctx.request):
        return ctx.response
    count = int(ctx.value or HUGE_COUNT)
    anchors = "".join(
        f'<a href="/hostile/huge-{i}.pdf">年度报告附件{i}.pdf</a> ' for i in range(1, count + 1)
    )
    return ctx.replace(_insert_in_body(ctx.response.body, f"<p>{anchors}</p>"))


def _chosen(request: Request) -> bool:
    """About one report page in HUGE_ONE_IN, the same ones on every run (no state)."""
    return zlib.crc32(request.path.encode()) % HUGE_ONE_IN == 0


def drip(ctx: _Context) -> Response:
    if not ctx.is_report_page:
        return ctx.response
    ctx.response.drip = float(ctx.value or 1.0)
    return ctx.response


TRANSFORMS: dict[str, Callable[[_Context], Response]] = {
    "links": links,
    "redirect": redirect_pages,
    "fileredirect": redirect_files,
    "endless": endless,
    "bigtotal": bigtotal,
    "deepjson": deepjson,
    "pagesize0": pagesize0,
    "ctrlchars": ctrlchars,
    "badencoding": badencoding,
    "jslinks": jslinks,
    "bomb": bomb,
    "huge": huge,
    "drip": drip,
}


# --- payloads, built once per process --------------------------------------------------------------
@cache
def gzip_bomb(size: int = 1 << 30) -> bytes:
    """A gzip member of `size` zero bytes in about 1 MiB: one full-flushed deflate block of
    1 MiB of zeros, repeated."""
    mib = 1 << 20
    zeros = bytes(mib)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // mib):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * (size // mib) + b"\x03\x00" + trailer


@cache
def huge_file() -> bytes:
    return b"%PDF-1.4\n" + bytes(HUGE_FILE - 9)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
