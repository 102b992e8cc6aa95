"""A minimal local replay of a WACZ package: http://127.0.0.1:PORT/web/<archived URL>.

pywb is the reference replay tool, but pywb 2.10.0 pins pyOpenSSL 22, which Scrapy's own
pyOpenSSL (26.4.0) excludes: it cannot live in this virtualenv.  This server covers what a
reader of an annual report needs: the page as archived and its attachments downloadable.  It
looks URLs up in the package's CDXJ index, serves the record's payload (content-encoding undone),
follows revisits to the response they stand for, and rewrites the links of HTML pages
(`href`/`src`/`action`: absolute, protocol-relative and root-relative) into the replay's own
URL space, so the browser never leaves 127.0.0.1.  Scripts are not rewritten (pywb does that).
"""

from __future__ import annotations

import gzip
import io
import json
import re
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcio.archiveiterator import ArchiveIterator

PREFIX = "/web/"
_LINK = re.compile(rb"""(\b(?:href|src|action)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HOP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection"}


class WaczArchive:
    """The records of one WACZ, found through its CDXJ index."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.index: dict[str, dict] = {}
        for name in self.zip.namelist():
            if name.startswith("indexes/") and name.endswith((".cdx.gz", ".cdxj.gz")):
                lines = gzip.decompress(self.zip.read(name)).decode("utf-8").splitlines()
            elif name.startswith("indexes/") and name.endswith((".cdx", ".cdxj")):
                lines = self.zip.read(name).decode("utf-8").splitlines()
            else:
                continue
            for line in lines:
                entry = json.loads(line.split(" ", 2)[2])
                self.index.setdefault(entry["url"], entry)  # the first capture of a URL
        self.warcs = {
            n.rsplit("/", 1)[-1]: self.zip.read(n)
            for n in self.zip.namelist()
            if n.startswith("archive/")
        }

    def pages(self) -> list[dict]:
        """pages.jsonl's pages (its header line left out)."""
        lines = self.zip.read("pages/pages.jsonl").decode("utf-8").splitlines()
        return [json.loads(line) for line in lines[1:] if line.strip()]

    def lookup(self, url: str, depth: int = 0):
        """(status, headers, body) of the archived `url`, or None."""
        entry = self.index.get(url)
        if entry is None or depth > 3:
            return None
        data = self.warcs[entry["filename"]]
        offset, length = int(entry["offset"]), int(entry["length"])
        record = next(iter(ArchiveIterator(io.BytesIO(data[offset : offset + length]))))
        if record.rec_type == "revisit":
            return self.lookup(
                record.rec_headers.get_header("WARC-Refers-To-Target-URI"), depth + 1
            )
        status = int(record.http_headers.get_statuscode())
        headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _HOP_HEADERS]
        return status, headers, record.content_stream().read()


def rewrite_links(html: bytes, page_url: str) -> bytes:
    """Every link of the page into the replay's URL space (javascript: and fragments kept)."""

    def replace(match: re.Match) -> bytes:
        quote = b'"' if match.group(2) is not None else b"'"
        value = (match.group(2) if quote == b'"' else match.group(3)).decode("latin-1")
        if not value or value.startswith(("#", "javascript:", "data:", "mailto:")):
            return match.group(0)
        try:
            absolute = urljoin(page_url, value)
        except ValueError:  # "http://[": no URL at all; it still may not leave the replay
            absolute = value
        new = (PREFIX + absolute).encode("latin-1", "replace")
        return match.group(1) + quote + new + quote

    return _LINK.sub(replace, html)


def _handler(archive: WaczArchive) -> type[BaseHTTPRequestHandler]:
    class Replay(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not self.path.startswith(PREFIX):
                return self._from_referer()
            url = self.path[len(PREFIX) :]
            found = archive.lookup(url)
            if found is None:
                return self.send_error(404, "not in this archive")
            status, headers, body = found
            content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
            if "html" in content_type:
                body = rewrite_links(body, url)
            self.send_response(status)
            for name, value in headers:
                if name.lower() != "location":
                    self.send_header(name, value)
                else:
                    self.send_header(name, PREFIX + urljoin(url, value))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _from_referer(self) -> None:
            # a root-relative URL a script built: resolve it against the page that asked
            referer = urlsplit(self.headers.get("Referer", "")).path
            if not referer.startswith(PREFIX):
                return self.send_error(404, "not in this archive")
            target = urljoin(referer[len(PREFIX) :], self.path)
            self.send_response(307)
            self.send_header("Location", PREFIX + target)
            self.end_headers()

        def log_message(self, *args) -> None:  # quiet: a test or a terminal, not a log file
            pass

    return Replay


def serve(wacz: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start serving `wacz` in a thread; the caller shuts the server down."""
    server = ThreadingHTTPServer((host, port), _handler(WaczArchive(wacz)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
