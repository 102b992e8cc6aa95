"""The fetch policy: what a crawl may fetch at all, decided in one place.

Everything a page links to is hostile input: a report page can link `file:///etc/passwd?x.pdf`,
put `<img src="http://127.0.0.2/…">` in its body, or answer 302 to an internal host. Every request
passes `FetchPolicyMiddleware` first (downloader middleware, lowest number), including attachment
fetches that skip the scheduler (`engine.download_async(..., dont_filter=True)`), robots.txt and
every redirect hop; `RedirectPolicyMiddleware` checks each 3xx target before Scrapy follows it.

- http and https only (Scrapy's file/data/ftp/s3 handlers are switched off in settings as well);
  a file: URL is a `file` refusal, any other scheme (javascript:, data:, ftp:, a Word-pasted
  `file:///C:/…` image) a `scheme` refusal;
- only the portal's hosts (`allowed_domains`, their subdomains included) and its documented
  re-post hosts (`FETCHPOLICY_REPOST_DOMAINS`, or a spider's `repost_domains`);
- never a loopback, private, link-local, multicast, reserved or unspecified address: IP literals
  always, in every notation a resolver accepts (127.1, 2130706433, 0x7f.0.0.1, [::ffff:127.0.0.1]);
  host names after resolution. Without a proxy the name is resolved with the crawl's own caching
  resolver, so the address checked is the address the downloader connects to. Through an HTTP
  proxy the proxy resolves; then the names this machine maps by itself (the hosts file,
  localhost and *.localhost, its own host name) are checked, and no DNS query is sent;
- redirects: a target that breaks a rule above, points back into its own chain (a loop) or
  makes the chain longer than REDIRECT_MAX_TIMES is refused before it is followed.

A refusal raises an IgnoreRequest subclass named after its reason, so the request's errback sees
it (a listed report counts as `portal/detail_failed/<class name>`, never as absent), an attachment
records it as its fetch error, and stats count `fetchpolicy/refused/<reason>`. A refused list page
also marks its column incomplete (crawler/columns.py). A redirect hop that Scrapy's duplicate
filter drops silently is counted here too (`portal/detail_failed/RedirectDropped`).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from w3lib.url import safe_url_string

log = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[str]]
WEB_SCHEMES = frozenset({"http", "https"})
# A Windows path pasted from Word (<img src="file:///C:/Users/…/wps1.png">): refused like any
# non-web URL, but no attack on this host, so not counted as a local file.
_WINDOWS_PATH = re.compile(r"^(?:file:)?/*[A-Za-z]:[/\\]", re.IGNORECASE)
# Hosts every machine resolves by itself (RFC 6761): never sent to a resolver.
_LOCAL_NAME = re.compile(r"(?:^|\.)localhost$")
_LITERAL_CHARS = re.compile(r"[0-9a-fA-FxX.]+")


# --- refusals: one exception class per reason, so errbacks and stats name it -----------------
class Refused(IgnoreRequest):
    """A request the fetch policy does not allow; `reason` is the stats key's last part."""

    reason = "refused"

    def __init__(self, url: str, detail: str = "") -> None:
        self.url = url
        super().__init__(f"fetch policy: {self.reason}{f' ({detail})' if detail else ''}: {url}")


class SchemeRefused(Refused):
    reason = "scheme"


class LocalFileRefused(Refused):
    reason = "file"


class OffsiteRefused(Refused):
    reason = "offsite"


class LoopbackRefused(Refused):
    reason = "loopback"


class PrivateAddressRefused(Refused):
    reason = "private"


class LinkLocalRefused(Refused):
    reason = "link_local"


class MulticastRefused(Refused):
    reason = "multicast"


class ReservedAddressRefused(Refused):
    reason = "reserved"


class RedirectLoop(Refused):
    reason = "redirect_loop"


class TooManyRedirects(Refused):
    reason = "too_many_redirects"


REFUSALS: dict[str, type[Refused]] = {
    cls.reason: cls
    for cls in (
        SchemeRefused,
        LocalFileRefused,
        OffsiteRefused,
        LoopbackRefused,
        PrivateAddressRefused,
        LinkLocalRefused,
        MulticastRefused,
        ReservedAddressRefused,
        RedirectLoop,
        TooManyRedirects,
    )
}
# Reasons that mean "a local file or an internal address": no public portal has a reason to
# send us there, so they make the portal unhealthy (crawler/health.py).
INTERNAL_REASONS = frozenset({"file", "loopback", "private", "link_local", "multicast", "reserved"})


# --- the rules, as pure functions ---------------------------------------------------------------
def address_reason(address: Address) -> str | None:
    """Why an address may not be fetched (None: a global unicast address)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_reason(embedded)
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link_local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified or address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    return None if address.is_global else "reserved"


def ip_literal(host: str) -> Address | None:
    """The address a host written as an IP literal names, in any notation that the C resolver
    accepts (`127.1`, `2130706433`, `0x7f.0.0.1`); None for a name."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if not _LITERAL_CHARS.fullmatch(bare):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except OSError:
        return None


def normal_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def on_domains(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def hosts_file_map(path: str | Path) -> dict[str, list[str]]:
    """Names -> addresses from a hosts file (unreadable or absent: nothing)."""
    names: dict[str, list[str]] = {}
    try:
        text = Path(path).read_text("utf-8", errors="replace")
    except OSError:
        return names
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        for name in fields[1:]:
            names.setdefault(normal_host(name), []).append(fields[0])
    return names


class FetchPolicy:
    """The rules for one portal: its domains, and what this machine resolves by itself."""

    def __init__(
        self,
        domains: Iterable[str] | None,
        local_names: dict[str, list[str]] | None = None,
    ) -> None:
        # None (a spider without allowed_domains, e.g. a benchmark's bare spider): any host.
        self.domains = None if domains is None else tuple(normal_host(d) for d in domains if d)
        self.local_names = local_names or {}

    def url_reason(self, url: str) -> str | None:
        """What is wrong with `url` before any DNS query: scheme, literal address, a name this
        machine maps by itself, site."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError:  # e.g. "http://[::1" : not a URL anything can fetch
            return "scheme"
        scheme = parts.scheme.lower()
        if scheme == "file" and not _WINDOWS_PATH.match(url):
            return "file"
        if scheme not in WEB_SCHEMES or not host:
            return "scheme"
        host = normal_host(host)
        literal = ip_literal(host)
        if literal is not None and (reason := address_reason(literal)):
            return reason
        if literal is None and (reason := self.local_reason(host)):
            return reason
        if self.domains is not None and not on_domains(host, self.domains):
            return "offsite"
        return None

    def local_reason(self, host: str) -> str | None:
        """Names this machine maps by itself (no DNS query): localhost, the hosts file."""
        host = normal_host(host)
        if _LOCAL_NAME.search(host):
            return "loopback"
        for text in self.local_names.get(host, []):
            literal = ip_literal(text.split("%", 1)[0])
            if literal is not None and (reason := address_reason(literal)):
                return reason
        return None


def machine_names(hosts_file: str | Path) -> dict[str, list[str]]:
    names = hosts_file_map(hosts_file)
    names.setdefault(normal_host(socket.gethostname()), []).append("127.0.0.1")
    return names


def portal_policy(crawler: Crawler, local_names: dict[str, list[str]] | None = None) -> FetchPolicy:
    """The policy of the crawler's spider: its allowed_domains and documented re-post hosts."""
    settings, spider = crawler.settings, crawler.spider
    own = getattr(spider, "allowed_domains", None)
    reposts = settings.getdict("FETCHPOLICY_REPOST_DOMAINS").get(getattr(spider, "name", ""), [])
    domains = None if not own else [*own, *reposts, *getattr(spider, "repost_domains", [])]
    if local_names is None:
        local_names = machine_names(settings.get("FETCHPOLICY_HOSTS_FILE", "/etc/hosts"))
    return FetchPolicy(domains, local_names)


async def reactor_resolve(host: str) -> str:
    """The address Scrapy's downloader will connect to: its own cached resolver's answer."""
    from twisted.internet import reactor

    return await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]


# --- the middlewares ------------------------------------------------------------------------------
class _Counting:
    """Shared by both middlewares: count, log, tell the column, raise."""

    crawler: Crawler

    def refuse(self, request: Request, reason: str, url: str | None = None) -> None:
        url = url or request.url
        stats = self.crawler.stats
        stats.inc_value(f"fetchpolicy/refused/{reason}")
        spider = self.crawler.spider
        # Once per reason at warning level (stderr, which cron mails); the summary has the counts.
        first = stats.get_value(f"fetchpolicy/refused/{reason}") == 1
        log.log(
            logging.WARNING if first else logging.DEBUG,
            "fetch policy refused %s (%s)%s",
            url,
            reason,
            "; further refusals for this reason are only counted" if first else "",
            extra={"spider": spider},
        )
        column = request.meta.get("column")
        if column is not None and not is_detail(request) and hasattr(spider, "column_incomplete"):
            spider.column_incomplete(column, f"list page refused by the fetch policy ({reason})")
        raise REFUSALS[reason](url)


def is_detail(request: Request) -> bool:
    """A report page request (crawler/portal.py follow_entries), as opposed to a list page."""
    return "list_url" in request.meta or _callback_name(request) == "parse_detail"


def _callback_name(request: Request) -> str | None:
    return getattr(request.callback, "__name__", None)


class FetchPolicyMiddleware(_Counting):
    """Every request, first in the chain: scheme, site, address (literal or resolved)."""

    def __init__(self, crawler: Crawler, resolve: Resolver | None = None) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.local_names = machine_names(settings.get("FETCHPOLICY_HOSTS_FILE", "/etc/hosts"))
        self.proxies = getproxies() if settings.getbool("HTTPPROXY_ENABLED", True) else {}
        self.resolve = resolve or reactor_resolve
        self._policy: FetchPolicy | None = None
        self._resolved: dict[str, str | None] = {}
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchPolicyMiddleware:
        return cls(crawler)

    @property
    def policy(self) -> FetchPolicy:
        if self._policy is None:  # the spider exists only once the crawl starts
            self._policy = portal_policy(self.crawler, self.local_names)
        return self._policy

    async def process_request(self, request: Request) -> None:
        reason = self.policy.url_reason(request.url)
        if reason is None:
            reason = await self.host_reason(request)
        if reason is not None:
            self.refuse(request, reason)

    async def host_reason(self, request: Request) -> str | None:
        host = normal_host(urlsplit(request.url).hostname or "")
        if ip_literal(host) is not None or self.proxied(request, host):
            return None  # url_reason judged the literal and the names this machine maps
        if host not in self._resolved:
            self._resolved[host] = await self._resolve_reason(host)
        return self._resolved[host]

    async def _resolve_reason(self, host: str) -> str | None:
        try:
            address = await self.resolve(host)
        except Exception:  # unresolvable: the downloader fails the same way, and counts it
            return None
        literal = ip_literal(address)
        return address_reason(literal) if literal is not None else None

    def proxied(self, request: Request, host: str) -> bool:
        """Will the request go through an HTTP proxy (HttpProxyMiddleware's own rule)?"""
        if "proxy" in request.meta:
            return bool(request.meta["proxy"])
        scheme = urlsplit(request.url).scheme
        return scheme in self.proxies and not proxy_bypass(host)

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        """A redirect hop the duplicate filter dropped: without this, a listed report would
        vanish from the run without a trace."""
        if not request.meta.get("redirect_urls"):
            return  # a page listed twice: the first request fetches it
        stats = self.crawler.stats
        stats.inc_value("fetchpolicy/redirect_dropped")
        if is_detail(request):
            stats.inc_value("portal/detail_failed/RedirectDropped")
        first = stats.get_value("fetchpolicy/redirect_dropped") == 1
        log.log(
            logging.WARNING if first else logging.DEBUG,
            "redirect from %s to an already requested %s: not followed%s",
            request.meta["redirect_urls"][0],
            request.url,
            "; further ones are only counted" if first else "",
            extra={"spider": self.crawler.spider},
        )


class RedirectPolicyMiddleware(_Counting):
    """Checks a 3xx answer's target before RedirectMiddleware (600) turns it into a request:
    above it in number, so its process_response runs first."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_hops = crawler.settings.getint("REDIRECT_MAX_TIMES", 20)
        self.enabled = crawler.settings.getbool("REDIRECT_ENABLED", True)
        self._policy: FetchPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectPolicyMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        target = self.redirect_target(request, response)
        if target is None:
            return response
        reason = self.policy().url_reason(target)
        if reason is None and target in {*request.meta.get("redirect_urls", []), request.url}:
            reason = "redirect_loop"
        if reason is None and request.meta.get("redirect_times", 0) >= self.max_hops:
            reason = "too_many_redirects"
        if reason is not None:
            self.refuse(request, reason, target)
        return response

    def policy(self) -> FetchPolicy:
        if self._policy is None:
            self._policy = portal_policy(self.crawler)
        return self._policy

    def redirect_target(self, request: Request, response: Response) -> str | None:
        """Where RedirectMiddleware would send this request next (its own arithmetic)."""
        location = response.headers.get("Location")
        if (
            not self.enabled
            or response.status not in (301, 302, 303, 307, 308)
            or not location
            or request.meta.get("dont_redirect")
            or request.meta.get("handle_httpstatus_all")
            or response.status in request.meta.get("handle_httpstatus_list", ())
        ):
            return None
        text = safe_url_string(location)
        if location.startswith(b"//"):
            text = urlsplit(request.url).scheme + "://" + text.lstrip("/")
        return urljoin(request.url, text)
