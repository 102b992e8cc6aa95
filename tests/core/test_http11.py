"""The download handler's close() (crawler/http11.py): its give-up timer never fires a Deferred
that the closed connections fired first, which Scrapy's own does on a busy event loop (a CRITICAL
`AlreadyCalledError` Traceback in the crawl log)."""

from __future__ import annotations

from twisted.internet.defer import AlreadyCalledError, Deferred

from crawler import http11
from crawler.settings import DOWNLOAD_HANDLERS, DOWNLOAD_HANDLERS_BASE


def test_the_timer_gives_up_waiting_only_when_nothing_fired() -> None:
    waiting: Deferred = Deferred()
    http11.fire_unless_called(waiting)
    assert waiting.called and waiting.result == ()
    closed: Deferred = Deferred()
    closed.callback(None)
    http11.fire_unless_called(closed)  # Scrapy's timer calls closed.callback(()) here
    assert closed.result is None
    try:
        closed.callback(())
    except AlreadyCalledError:
        pass
    else:  # pragma: no cover - Twisted's rule the guard exists for
        raise AssertionError("a fired Deferred fired again")


def test_the_project_uses_it_for_http_and_https() -> None:
    # the base dict, which a spider's own DOWNLOAD_HANDLERS (scrapy-playwright) cannot replace
    assert DOWNLOAD_HANDLERS_BASE == {
        "http": "crawler.hostgate.GatedHTTP11DownloadHandler",  # a CloseOnce... (hostgate.py)
        "https": "crawler.hostgate.GatedHTTP11DownloadHandler",
    }
    assert DOWNLOAD_HANDLERS == {"file": None, "data": None, "ftp": None, "s3": None}


class Timer:
    def __init__(self) -> None:
        self.cancelled = False

    def active(self) -> bool:
        return False  # it is running: the late timer of a busy event loop

    def cancel(self) -> None:
        self.cancelled = True


class Clock:
    """Stands in for the reactor: records the timer close() arms, fires it when told."""

    def __init__(self) -> None:
        self.armed: list[tuple[float, object, tuple]] = []

    def callLater(self, delay: float, action, *args) -> Timer:  # Twisted's name
        self.armed.append((delay, action, args))
        return Timer()

    def fire(self) -> None:
        _, action, args = self.armed[0]
        action(*args)


def closing_handler(monkeypatch, closing: Deferred) -> tuple[Deferred, Clock]:
    """close() of a handler whose pool answers `closing`, run as a coroutine on a fake clock."""
    import twisted.internet

    clock = Clock()
    monkeypatch.setattr(twisted.internet, "reactor", clock, raising=False)
    monkeypatch.setattr(http11, "maybe_deferred_to_future", lambda d: d)
    handler = object.__new__(http11.CloseOnceHTTP11DownloadHandler)
    handler._disconnect_timeout = 1
    handler._pool = type("Pool", (), {"closeCachedConnections": lambda self: closing})()
    return Deferred.fromCoroutine(handler.close()), clock


def test_a_late_timer_after_the_connections_closed_raises_nothing(monkeypatch) -> None:
    closing: Deferred = Deferred()
    closed, clock = closing_handler(monkeypatch, closing)
    assert [(delay, args) for delay, _, args in clock.armed] == [(1, (closing,))]
    closing.callback(None)  # the connections closed
    clock.fire()  # the timer runs late: Scrapy's own would raise AlreadyCalledError here
    assert closed.called and closing.result is None


def test_a_pool_that_hangs_is_given_up_on_by_the_timer(monkeypatch) -> None:
    closing: Deferred = Deferred()
    closed, clock = closing_handler(monkeypatch, closing)
    assert not closed.called
    clock.fire()
    assert closed.called and closing.called
