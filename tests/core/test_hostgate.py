"""The process-wide gate of a shared host (crawler/hostgate.py), on Twisted's fake clock: at most
`concurrency` requests in flight, starts at least `delay` apart, nobody left waiting while the
host has room; and which hosts are shared, from the registry (crawler/registry/politeness.py)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.settings import Settings
from twisted.internet.defer import CancelledError, Deferred
from twisted.internet.task import Clock

from crawler import hostgate
from crawler.hostgate import HostGate, HostLimit, gate_for, matching_host, shared_host_limits
from crawler.registry import registry_rows
from crawler.registry.politeness import fetched_domains, shared_hosts
from crawler.registry.rows import row_from_dict


def started(tickets: list[Deferred]) -> list[int]:
    return [i for i, t in enumerate(tickets) if t.called]


def test_one_request_at_a_time_one_second_apart() -> None:
    clock = Clock()
    gate = HostGate("gz.gov.cn", HostLimit(concurrency=1, delay=1.0), clock)
    tickets = [gate.acquire() for _ in range(3)]
    assert started(tickets) == [0]
    gate.leave(tickets[0])  # done at once: the next still waits out the delay
    assert started(tickets) == [0]
    clock.advance(0.999)
    assert started(tickets) == [0]
    clock.advance(0.001)
    assert started(tickets) == [0, 1]
    clock.advance(5)  # the delay is long past, but ticket 1 is still in flight
    assert started(tickets) == [0, 1]
    gate.leave(tickets[1])
    assert started(tickets) == [0, 1, 2]  # at once: its delay was over
    assert (gate.granted, gate.waited, gate.peak, gate.min_gap) == (3, 2, 1, 1.0)


def test_two_at_a_time_with_no_delay() -> None:
    gate = HostGate("gz.gov.cn", HostLimit(concurrency=2, delay=0.0), Clock())
    tickets = [gate.acquire() for _ in range(5)]
    assert started(tickets) == [0, 1]
    gate.leave(tickets[1])
    assert started(tickets) == [0, 1, 2]
    gate.leave(tickets[0])
    gate.leave(tickets[2])
    assert started(tickets) == [0, 1, 2, 3, 4]
    assert gate.peak == 2 and len(gate.holding) == 2


def test_a_cancelled_or_abandoned_ticket_gives_its_place_to_the_next() -> None:
    gate = HostGate("gz.gov.cn", HostLimit(concurrency=1, delay=0.0), Clock())
    first, second, third = gate.acquire(), gate.acquire(), gate.acquire()
    second.cancel()  # its crawler closed while it waited
    failures: list = []
    second.addErrback(failures.append)
    assert failures[0].check(CancelledError)
    gate.leave(second)  # the handler's finally: a no-op for a ticket no longer waiting
    gate.leave(first)
    assert third.called and list(gate.waiting) == [] and gate.holding == {third}
    gate.leave(third)
    gate.leave(third)  # twice: still one place freed, not two
    assert gate.holding == set() and gate.granted == 2


@settings(max_examples=300, deadline=None)
@given(
    concurrency=st.integers(1, 3),
    delay=st.sampled_from([0.0, 0.25, 1.0]),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("acquire"), st.integers(0, 0)),
            st.tuples(st.just("leave"), st.integers(0, 20)),
            st.tuples(st.just("cancel"), st.integers(0, 20)),
            st.tuples(st.just("advance"), st.integers(0, 6)),
        ),
        max_size=60,
    ),
)
def test_whatever_happens_the_budget_holds_and_nobody_is_stuck(concurrency, delay, steps) -> None:
    clock = Clock()
    gate = HostGate("h", HostLimit(concurrency, delay), clock)
    starts: list[float] = []
    tickets: list[Deferred] = []

    def track(ticket: Deferred) -> Deferred:
        ticket.addCallback(lambda _: starts.append(clock.seconds()))
        ticket.addErrback(lambda failure: failure.trap(CancelledError))
        return ticket

    abandoned: set[int] = set()
    for action, n in steps:
        if action == "acquire":
            tickets.append(track(gate.acquire()))
        elif action in ("leave", "cancel") and tickets:
            ticket = tickets[n % len(tickets)]
            if not ticket.called:
                abandoned.add(id(ticket))  # given up while waiting
            if action == "cancel":
                ticket.cancel()
            gate.leave(ticket)
        else:
            clock.advance(n * 0.25)
        assert len(gate.holding) <= concurrency
    assert all(b - a >= delay for a, b in pairwise(starts))
    for _ in range(len(tickets) + 1):  # those in flight finish: whoever waits gets in, in turn
        for ticket in list(gate.holding):
            gate.leave(ticket)
        clock.advance(delay)
    assert all(t.called for t in tickets if id(t) not in abandoned)
    assert not gate.waiting and not gate.holding and not clock.getDelayedCalls()
    assert gate.peak <= concurrency and gate.granted == len(starts)


def test_the_process_keeps_one_gate_per_host_at_its_strictest_budget(monkeypatch) -> None:
    monkeypatch.setattr(hostgate, "GATES", {})
    clock = Clock()
    gate = gate_for("gz.gov.cn", HostLimit(2, 0.5), clock)
    assert gate_for("gz.gov.cn", HostLimit(1, 0.25), clock) is gate
    assert gate.limit == HostLimit(1, 0.5)
    assert gate_for("by.gov.cn", HostLimit(2, 0.5), clock) is not gate


def test_a_domain_covers_its_hosts_the_longest_name_wins() -> None:
    limits = {"gz.gov.cn": HostLimit(2, 0.5), "rsj.gz.gov.cn": HostLimit(1, 2.0)}
    assert matching_host("www.gz.gov.cn", limits) == "gz.gov.cn"
    assert matching_host("gz.gov.cn", limits) == "gz.gov.cn"
    assert matching_host("rsj.gz.gov.cn", limits) == "rsj.gz.gov.cn"
    assert matching_host("www.zc.gov.cn", limits) is None
    assert matching_host("notgz.gov.cn", limits) is None


def test_the_registry_shares_gz_gov_cn_among_three_guangzhou_districts() -> None:
    rows = registry_rows()
    assert shared_hosts(rows) == {"gz.gov.cn": {}}
    users = sorted(row.key for row in rows if "gz.gov.cn" in fetched_domains(row))
    assert users == ["by_gov_cn", "haizhu_gov_cn", "zc_gov_cn"]
    assert fetched_domains(next(r for r in rows if r.key == "zc_gov_cn")) == {
        "zc.gov.cn", "zengcheng.gov.cn", "gz.gov.cn",
    }  # fmt: skip


def test_the_row_that_owns_a_shared_host_gives_its_budget() -> None:
    def row(host: str, **extra) -> object:
        item = {"host": host, "name": host, "division": "440100", "cms": "nfcms"}
        return row_from_dict({**item, "entry": [f"https://{host}/"], **extra}, host)

    rows = [
        row("www.gz.gov.cn", rate={"delay": 2.0, "concurrency": 1}),
        row("www.by.gov.cn", reposts={"https://www.gz.gov.cn/gq/": "白云区"}),
        row("www.lw.gov.cn", repost_hosts=["gz.gov.cn"], domains=["gd.gov.cn"]),
        row("www.hp.gov.cn", domains=["gd.gov.cn"]),
    ]
    assert shared_hosts(rows) == {"gd.gov.cn": {}, "gz.gov.cn": {"delay": 2.0, "concurrency": 1}}


def test_limits_come_from_the_registry_and_the_setting_on_top() -> None:
    base = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0.5}
    assert shared_host_limits(Settings(base)) == {"gz.gov.cn": HostLimit(2, 0.5)}
    mine = {"www.gz.gov.cn": {"delay": 1.5}, "127.0.0.1": {"concurrency": 1, "delay": 0}}
    assert shared_host_limits(Settings({**base, "SHARED_HOSTS": mine})) == {
        "gz.gov.cn": HostLimit(2, 1.5),
        "127.0.0.1": HostLimit(1, 0.0),
    }


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_project_downloads_through_the_gated_handler(scheme) -> None:
    from crawler.runner import project_settings

    assert project_settings().getdict("DOWNLOAD_HANDLERS_BASE")[scheme] == (
        "crawler.hostgate.GatedHTTP11DownloadHandler"
    )


@pytest.mark.parametrize(
    "rate",
    [{"concurrency": 0}, {"delay": -1}, {"delay": "soon"}, {"delay": float("nan")}, 2],
)
def test_a_budget_that_would_hold_a_host_forever_is_refused(rate) -> None:
    settings = Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0.5})
    settings.set("SHARED_HOSTS", {"www.gz.gov.cn": rate})
    with pytest.raises(ValueError, match=r"SHARED_HOSTS\['www.gz.gov.cn'\] must be"):
        shared_host_limits(settings)
