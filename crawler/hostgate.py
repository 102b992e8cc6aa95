"""One politeness budget per shared host for the whole process, however many crawlers use it.

Scrapy paces hosts per crawler: each crawler's downloader has its own slot per host (delay,
concurrency, AutoThrottle), and `govreports crawl` runs one crawler per portal in one
CrawlerProcess. A host several portals fetch (www.gz.gov.cn: the Guangzhou city portal re-posts
the districts' reports, docs/portals.md §0.2) would get N crawlers' worth of requests. Scrapy has
no process-wide slot, so shared hosts pass one more gate: a `HostGate` per host, kept in this
module for the process, admits at most `concurrency` requests at once and starts them at least
`delay` seconds apart, whichever crawler sends them.

The gate sits in the http(s) download handler (`GatedHTTP11DownloadHandler`), after the crawler's
own slot has released the request: what it counts is requests on the wire, its delay is between
real starts, and retries and redirect hops count as the requests they are. Waiting is a Deferred
fired by the reactor's clock (never a sleep on the reactor thread). Which hosts are shared, and
their budget: `shared_host_limits` (hosts that two registry rows may fetch, the `SHARED_HOSTS`
setting on top).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.http11 import CloseOnceHTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from twisted.internet.interfaces import IDelayedCall, IReactorTime


@dataclass(frozen=True)
class HostLimit:
    concurrency: int  # requests in flight at once, all crawlers together
    delay: float  # seconds between two request starts, all crawlers together

    def stricter(self, other: HostLimit) -> HostLimit:
        return HostLimit(min(self.concurrency, other.concurrency), max(self.delay, other.delay))


class HostGate:
    """Admits a host's requests one ticket at a time: `acquire()` a ticket (a Deferred that fires
    when the request may start), `leave(ticket)` when it is done, failed or given up."""

    def __init__(self, host: str, limit: HostLimit, clock: IReactorTime) -> None:
        self.host, self.limit, self.clock = host, limit, clock
        self.waiting: deque[Deferred[None]] = deque()
        self.holding: set[Deferred[None]] = set()
        self.last_start: float | None = None
        self.timer: IDelayedCall | None = None
        # what the gate did, for the crawl's stats and the tests
        self.granted = self.waited = self.peak = 0
        self.min_gap: float | None = None  # smallest time between two starts

    def acquire(self) -> Deferred[None]:
        ticket: Deferred[None] = Deferred(canceller=self._forget)
        self.waiting.append(ticket)
        self._admit()
        if not ticket.called:
            self.waited += 1
        return ticket

    def leave(self, ticket: Deferred[None]) -> None:
        """The ticket's request is over (or was never started): its place goes to the next."""
        if ticket in self.holding:
            self.holding.discard(ticket)
            self._admit()
        else:
            self._forget(ticket)

    def tighten(self, limit: HostLimit) -> None:
        self.limit = self.limit.stricter(limit)

    def _forget(self, ticket: Deferred[None]) -> None:
        if ticket in self.waiting:
            self.waiting.remove(ticket)

    def _admit(self) -> None:
        # (a ticket's callback may re-enter here: each turn checks the timer afresh)
        while self.timer is None and self.waiting and len(self.holding) < self.limit.concurrency:
            now = self.clock.seconds()
            if self.last_start is not None and now - self.last_start < self.limit.delay:
                due = self.limit.delay - (now - self.last_start)
                self.timer = self.clock.callLater(due, self._wake)
                return
            ticket = self.waiting.popleft()
            if self.last_start is not None:
                gap = now - self.last_start
                self.min_gap = gap if self.min_gap is None else min(self.min_gap, gap)
            self.last_start = now
            self.holding.add(ticket)
            self.granted += 1
            self.peak = max(self.peak, len(self.holding))
            ticket.callback(None)

    def _wake(self) -> None:
        self.timer = None
        self._admit()


# The process's gates, by host: every crawler's download handler finds the same one.
GATES: dict[str, HostGate] = {}


def gate_for(host: str, limit: HostLimit, clock: IReactorTime) -> HostGate:
    """The process's gate of `host`, created on first use; a crawler asking a stricter budget
    tightens it (the host's budget is the strictest any portal declared)."""
    gate = GATES.get(host)
    if gate is None:
        gate = GATES[host] = HostGate(host, limit, clock)
    else:
        gate.tighten(limit)
    return gate


def matching_host(hostname: str, limits: dict[str, HostLimit]) -> str | None:
    """The configured host or domain covering `hostname` (gz.gov.cn covers www.gz.gov.cn), the
    longest when several do."""
    found = [h for h in limits if hostname == h or hostname.endswith("." + h)]
    return max(found, key=len) if found else None


def shared_host_limits(settings: BaseSettings) -> dict[str, HostLimit]:
    """Each shared host's budget: the hosts two registry rows may fetch (their own, aliases,
    re-post hosts and columns), budgeted by the row whose own host it is (its `rate`) or the
    project's DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN; then the SHARED_HOSTS setting
    (host -> {delay, concurrency}) adds hosts or replaces their budget."""
    default = HostLimit(
        settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), settings.getfloat("DOWNLOAD_DELAY")
    )
    files = tuple(settings.getlist("PORTAL_REGISTRY_FILES"))
    limits = {host: _limit(rate, default) for host, rate in _shared(files).items()}
    for host, rate in settings.getdict("SHARED_HOSTS").items():
        limits[host.lower().removeprefix("www.")] = _limit(rate, default, host)
    return limits


@cache
def _shared(files: tuple[str, ...]) -> dict[str, dict[str, float]]:
    # one reading of the registry per process, not one per crawler
    from crawler.registry import registry_rows
    from crawler.registry.politeness import shared_hosts

    return shared_hosts(registry_rows(files))


def _limit(rate: Any, default: HostLimit, host: str = "") -> HostLimit:
    # a concurrency of 0 would hold the host's requests forever: refused, loudly
    try:
        limit = HostLimit(
            int(rate.get("concurrency", default.concurrency)),
            float(rate.get("delay", default.delay)),
        )
    except (AttributeError, TypeError, ValueError):
        limit = None
    if limit is None or limit.concurrency < 1 or not limit.delay >= 0:
        raise ValueError(
            f"SHARED_HOSTS[{host!r}] must be {{delay: seconds >= 0, concurrency: >= 1}}, "
            f"not {rate!r}"
        )
    return limit


class GatedHTTP11DownloadHandler(CloseOnceHTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler (with its close race removed, crawler/http11.py) whose requests
    to a shared host wait for that host's process-wide gate."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._limits = shared_host_limits(crawler.settings)
        self._tickets: set[Deferred[None]] = set()

    async def download_request(self, request: Request) -> Response:
        from twisted.internet import reactor

        host = matching_host(urlparse_cached(request).hostname or "", self._limits)
        if host is None:
            return await super().download_request(request)
        gate = gate_for(host, self._limits[host], reactor)
        ticket = gate.acquire()
        self._tickets.add(ticket)
        stats = self._crawler.stats
        try:
            if not ticket.called:
                stats.inc_value(f"hostgate/{host}/waited")
            await maybe_deferred_to_future(ticket)
            stats.inc_value(f"hostgate/{host}/requests")
            return await super().download_request(request)
        finally:
            self._tickets.discard(ticket)
            gate.leave(ticket)

    async def close(self) -> None:
        # requests of a closing crawler still waiting give up their places in the line
        for ticket in list(self._tickets):
            if not ticket.called:
                ticket.cancel()
        await super().close()
