"""Request/response values passed between the proxy and the sites, plus the HTTP semantics every
site shares: strong ETags from the body, Last-Modified, conditional GET (304), HEAD."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

HTML_UTF8 = "text/html; charset=utf-8"
HTML_NO_CHARSET = "text/html"  # portals.md §8: charset only in <meta> on some pages
JSON_UTF8 = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    scheme: str  # "http" or "https" (https = it came through CONNECT + TLS)
    host: str  # lower case, without port
    target: str  # path + "?" + query, as sent
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.target}"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0  # seconds the proxy waits before answering (the "slow" fault)
    drip: float = 0.0  # seconds between 64-byte pieces of the body (the "drip" fault)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class Resource:
    """What a site found at a URL, before HTTP semantics are applied."""

    body: bytes
    content_type: str = HTML_UTF8
    last_modified: datetime | None = None  # set => ETag + Last-Modified + conditional GET
    status: int = 200


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:24] + '"'


def text_response(status: int, text: str, content_type: str = "text/plain; charset=utf-8"):
    return Response(status, [("Content-Type", content_type)], text.encode("utf-8"))


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def redirect(location: str, status: int = 301) -> Response:
    body = f'<html><body>Moved: <a href="{location}">{location}</a></body></html>'.encode()
    return Response(status, [("Location", location), ("Content-Type", HTML_UTF8)], body)


def respond(request: Request, resource: Resource) -> Response:
    """Turn a resource into a response: validators, then 304 if the client already has it."""
    headers = [("Content-Type", resource.content_type)]
    if resource.last_modified is not None and resource.status == 200:
        etag = etag_for(resource.body)
        headers += [("ETag", etag), ("Last-Modified", http_date(resource.last_modified))]
        if _not_modified(request, etag, resource.last_modified):
            return Response(304, [h for h in headers if h[0] != "Content-Type"], b"")
    return Response(resource.status, headers, resource.body)


def _not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:  # RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        since_dt = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if since_dt.tzinfo is None:
        since_dt = since_dt.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since_dt
