"""A walk over the sandbox from the portals' home pages by documented means only, as a visitor
who knows docs/portals.md and nothing of the sandbox's code would take it:

- `<a href>` links (relative ones resolved against the page), 301/302 redirects;
- TRS `createPageHTML(n, cur, "index", "htm")` pagers (§5): pages index_1.htm .. index_{n-1}.htm;
- Hanweb jpage columns (§6): the records of the `<datastore>` block, then `POST dataproxy.jsp`
  groups by startrecord/endrecord up to the script's `totalRecord`;
- gkmlpt shells (§1, §10.3): `window._CONFIG` SID and TREE, then `/gkmlpt/api/all/{cat}?page=N
  &sid=SID` for every leaf category until `post_count` rows came (a 404 ends a category).
Nothing else: no JSON list twins, no guessed URLs, no search endpoints. Files (attachments,
images) are noted, never fetched. It runs in-process against a Router, without the proxy.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from sandbox.http import Request, Response
from sandbox.sites import Router

HREF = re.compile(r"""<a\b[^>]*?\shref=["']([^"'#]*)(#[^"']*)?["']""", re.IGNORECASE | re.DOTALL)
CREATE_PAGE = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')
FILE_PATH = re.compile(
    r"(/attachment/|/img/|downfile\.jsp|\.(pdf|docx?|xlsx?|wps|png|jpe?g|zip)$)", re.IGNORECASE
)
SID = re.compile(r"SID\s*:\s*'(\d+)'")
TREE = re.compile(r"TREE\s*:\s*(\[.*?\])\s*,\s*SERVICE_AREA_ID", re.DOTALL)
TOTAL_RECORD = re.compile(r"totalRecord\s*:\s*(\d+)")
PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")
GROUP = re.compile(r"groupSize\s*:\s*(\d+)")
PARAMS = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.DOTALL)
PROXY_URL = re.compile(r"proxyUrl\s*:\s*'([^']+)'")


@dataclass
class Walk:
    visited: dict[str, int] = field(default_factory=dict)  # URL -> status
    files: set[str] = field(default_factory=set)  # file URLs seen in links, never fetched
    bodies: dict[str, bytes] = field(default_factory=dict)

    def reached(self, url: str) -> bool:
        return self.visited.get(url) == 200


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", "replace")


class Walker:
    def __init__(self, router: Router, limit: int = 20_000):
        self.router = router
        self.limit = limit

    def ask(self, url: str, method: str = "GET", body: bytes = b"") -> Response:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        request = Request(method, parts.scheme, parts.hostname or "", target, {}, body)
        return self.router.handle(request)

    def walk(self, starts: list[str], keep_bodies: bool = False) -> Walk:
        out, queue = Walk(), deque(starts)
        while queue and len(out.visited) < self.limit:
            url = queue.popleft()
            if url in out.visited:
                continue
            host = urlsplit(url).hostname or ""
            if not self.router.serves(host):
                continue
            if FILE_PATH.search(urlsplit(url).path):
                out.files.add(url)
                continue
            response = self.ask(url)
            out.visited[url] = response.status
            if response.status in (301, 302):
                queue.append(urljoin(url, response.header("Location") or ""))
                continue
            if response.status != 200:
                continue
            if keep_bodies:
                out.bodies[url] = response.body
            text = decode(response.body)
            queue.extend(self.links(url, text))
        return out

    def links(self, url: str, text: str) -> list[str]:
        found = [urljoin(url, m.group(1)) for m in HREF.finditer(text) if _followable(m.group(1))]
        for pages, _cur, stem, ext in CREATE_PAGE.findall(text):
            found += [urljoin(url, f"{stem}_{k}.{ext}") for k in range(1, int(pages))]
        if "window._CONFIG" in text and SID.search(text):
            found += self.gkmlpt(url, text)
        if "<datastore>" in text and TOTAL_RECORD.search(text):
            found += self.jpage(url, text)
        return found

    def gkmlpt(self, url: str, text: str) -> list[str]:
        sid = SID.search(text)
        tree = TREE.search(text)
        if not (sid and tree):
            return []
        found = []
        for cat in _leaves(json.loads(tree.group(1))):
            page, rows, total = 1, 0, None
            while total is None or rows < total:
                api = urljoin(url, f"/gkmlpt/api/all/{cat}?page={page}&sid={sid.group(1)}")
                response = self.ask(api)
                if response.status != 200:
                    break
                data = json.loads(response.body)
                total = data["classify"]["post_count"]
                if not data["articles"]:
                    break
                rows += len(data["articles"])
                found += [urljoin(url, a["url"]) for a in data["articles"]]
                page += 1
        return found

    def jpage(self, url: str, text: str) -> list[str]:
        total = int(TOTAL_RECORD.search(text).group(1))  # type: ignore[union-attr]
        per_page = int(PER_PAGE.search(text).group(1))  # type: ignore[union-attr]
        group = int(GROUP.search(text).group(1)) * per_page  # type: ignore[union-attr]
        params = PARAMS.search(text)
        proxy = PROXY_URL.search(text)
        if not (params and proxy):
            return []
        form = dict(_js_pair(p) for p in params.group(1).split(",") if ":" in p)
        found = []
        for start in range(group + 1, total + 1, group):
            query = urlencode(
                {"startrecord": start, "endrecord": start + group - 1, "perpage": per_page}
            )
            response = self.ask(
                urljoin(url, f"{proxy.group(1)}?{query}"), "POST", urlencode(form).encode()
            )
            if response.status == 200:
                body = decode(response.body)
                found += [urljoin(url, m.group(1)) for m in HREF.finditer(body)]
        return found


def _followable(href: str) -> bool:
    return bool(href) and not href.lower().startswith(("javascript:", "mailto:", "tel:"))


def _leaves(tree: list[dict]) -> list[int]:
    out = []
    for node in tree:
        if node.get("jump_url"):
            continue
        children = node.get("children") or []
        out += _leaves(children) if children else [node["id"]]
    return out


def _js_pair(text: str) -> tuple[str, str]:
    key, _, value = text.partition(":")
    return key.strip(), value.strip().strip("'\"")


def home_pages(router: Router) -> list[str]:
    """The home page of every host the sandbox serves, https first."""
    return [f"https://{host}/" for host in router.hosts]


def report_urls(report: dict) -> set[str]:
    return {report["url"], *report.get("aliases", [])}
