"""Scrapy's HTTP/1.1 download handler, with one race of its `close()` removed.

When a spider closes, Scrapy 2.19 asks Twisted to close the pooled connections and arms a timer
that fires the same Deferred after one second in case closing hangs (scrapy#2653).  If the
connections close first but the event loop stays busy for that second (five spiders in one
process on a loaded machine), the timer still fires, and Twisted logs `AlreadyCalledError` with a
Traceback as CRITICAL ("while handling timed call"), one second after a `Spider closed` line.
Here the timer fires the Deferred only when nothing else did.  It relies on two attributes of the
pinned Scrapy version (`_pool`, `_disconnect_timeout`).
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred


def fire_unless_called(deferred: Deferred[Any]) -> None:
    """The timer's action: give up waiting, unless the Deferred has fired already."""
    if not deferred.called:
        deferred.callback(())


class CloseOnceHTTP11DownloadHandler(HTTP11DownloadHandler):
    async def close(self) -> None:
        from twisted.internet import reactor

        closing: Deferred[Any] = self._pool.closeCachedConnections()
        timer = reactor.callLater(self._disconnect_timeout, fire_unless_called, closing)
        try:
            await maybe_deferred_to_future(closing)
        finally:
            if timer.active():
                timer.cancel()
