"""An asyncio HTTP forward proxy on 127.0.0.1 that answers for the sandbox's hostnames itself.

Plain http arrives in absolute form (`GET http://www.zc.gov.cn/... HTTP/1.1`); https arrives as
`CONNECT host:443`, which we accept, wrap in TLS with the sandbox certificate, and then serve as
ordinary HTTP/1.1 inside. HTTP parsing is h11's, never ours. Nothing is forwarded anywhere: there
is no internet behind this proxy, so a host the sandbox does not serve gets a 502 that says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from http import HTTPStatus
from typing import Protocol
from urllib.parse import urlsplit

import h11

from sandbox.http import Request, Response, text_response

log = logging.getLogger("sandbox.proxy")

IDLE_TIMEOUT = 30.0  # seconds a keep-alive connection may sit idle before we close it
MAX_BODY = 8 * 1024 * 1024  # request bodies larger than this are refused (413)
SERVER_NAME = "nginx"  # what the portals' front ends call themselves
DRIP_BYTES = 64  # piece size of a drip-fed body (Response.drip)
BODY_PIECE = 1024 * 1024  # piece size of any other body


class App(Protocol):
    hosts: list[str]

    def serves(self, host: str) -> bool: ...

    def handle(self, request: Request) -> Response: ...


class _Closed(Exception):
    """The peer went away or spoke garbage: end this connection quietly."""


class ProxyServer:
    """Serve `app` through a forward proxy. Run `await start()` inside an event loop."""

    def __init__(self, app: App, tls_context: Callable[[], ssl.SSLContext], port: int = 0):
        self.app = app
        self._tls_context = tls_context
        self._port = port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return self._server.sockets[0].getsockname()[1]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._on_client, "127.0.0.1", self._port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await _Connection(self, reader, writer).run()
        except (_Closed, ConnectionError, ssl.SSLError, TimeoutError, OSError) as exc:
            log.debug("connection ended: %r", exc)
        except asyncio.CancelledError:
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _Connection:
    """One client connection: a keep-alive loop of requests, possibly upgraded to TLS once."""

    def __init__(self, server: ProxyServer, reader, writer):
        self.server = server
        self.reader = reader
        self.writer = writer
        self.scheme = "http"
        self.tunnel_host: str | None = None  # set once CONNECT has switched us to TLS
        self.conn = h11.Connection(h11.SERVER)

    async def run(self) -> None:
        while True:
            request = await self._read_request()
            if request is None:
                return
            if request.method == "CONNECT":
                await self._connect(request)
                continue
            response = self._answer(request)
            if response.delay:
                await asyncio.sleep(response.delay)
            await self._send(request, response)
            if self.conn.our_state is h11.MUST_CLOSE:
                return
            try:
                self.conn.start_next_cycle()
            except h11.LocalProtocolError:
                return

    async def _next_event(self):
        while True:
            try:
                event = self.conn.next_event()
            except h11.RemoteProtocolError as exc:
                await self._reject(exc.error_status_hint, str(exc))
                raise _Closed(str(exc)) from exc
            if event is not h11.NEED_DATA:
                return event
            data = await asyncio.wait_for(self.reader.read(65536), IDLE_TIMEOUT)
            self.conn.receive_data(data)

    async def _read_request(self) -> Request | None:
        event = await self._next_event()
        if isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
            return None
        if not isinstance(event, h11.Request):
            raise _Closed(f"unexpected {event!r}")
        body = bytearray()
        while True:
            part = await self._next_event()
            if isinstance(part, h11.Data):
                body += part.data
                if len(body) > MAX_BODY:
                    await self._reject(413, "request body too large")
                    raise _Closed("body too large")
            elif isinstance(part, h11.EndOfMessage):
                break
            else:
                raise _Closed(f"unexpected {part!r}")
        return self._to_request(event, bytes(body))

    def _to_request(self, event: h11.Request, body: bytes) -> Request:
        method = event.method.decode("ascii", "replace").upper()
        target = event.target.decode("utf-8", "replace")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in event.headers}
        scheme, host = self.scheme, self.tunnel_host or headers.get("host", "")
        if method == "CONNECT":
            host = target
        elif target.startswith(("http://", "https://")):  # absolute form: a proxy request
            parts = urlsplit(target)
            scheme, host = parts.scheme, parts.netloc
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
        return Request(method, scheme, _bare_host(host), target, headers, body)

    async def _connect(self, request: Request) -> None:
        if self.tunnel_host is not None or not self.server.app.serves(request.host):
            reason = f"sandbox: no route to {request.host} (offline; there is no internet here)"
            await self._send(request, text_response(502, reason + "\n"))
            raise _Closed(reason)
        await self._write(
            h11.Response(status_code=200, headers=[], reason=b"Connection established")
        )
        trailing, _closed = self.conn.trailing_data
        if trailing:  # a client that pipelines its ClientHello is not one we know of
            raise _Closed("data after CONNECT before TLS")
        await self.writer.start_tls(self.server._tls_context())
        self.scheme, self.tunnel_host = "https", request.host
        self.conn = h11.Connection(h11.SERVER)

    def _answer(self, request: Request) -> Response:
        if not request.host:
            return text_response(400, "sandbox: request without a host\n")
        if not self.server.app.serves(request.host):
            return text_response(
                502, f"sandbox: no route to {request.host} (offline; there is no internet here)\n"
            )
        try:
            return self.server.app.handle(request)
        except Exception:  # a site bug must not kill the proxy; it shows as a 500 and a log line
            log.exception("site failed on %s", request.url)
            return text_response(500, "sandbox: internal error\n")

    async def _send(self, request: Request, response: Response) -> None:
        headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
        headers += [("Server", SERVER_NAME), ("Content-Length", str(len(response.body)))]
        if request.headers.get("connection", "").lower() == "close":
            headers.append(("Connection", "close"))
        reason = _reason(response.status)
        await self._write(h11.Response(status_code=response.status, headers=headers, reason=reason))
        if request.method != "HEAD" and response.status not in (204, 304):
            await self._write_body(response)
        await self._write(h11.EndOfMessage())
        log.info("%s %s -> %d", request.method, request.url, response.status)

    async def _write_body(self, response: Response) -> None:
        # In pieces: a client that hangs up after the headers (a file over its size cap) costs
        # one piece, not a copy of the whole body; a drip-fed body is sent 64 bytes at a time.
        piece = DRIP_BYTES if response.drip else BODY_PIECE
        for start in range(0, max(len(response.body), 1), piece):
            if self._hung_up():
                raise _Closed("the client hung up during the body")
            await self._write(h11.Data(data=response.body[start : start + piece]))
            if response.drip:
                await asyncio.sleep(response.drip)

    def _hung_up(self) -> bool:
        # Under TLS the outer transport keeps accepting writes after the peer is gone; the
        # reader has seen the connection end.
        return (
            self.writer.transport.is_closing()
            or self.reader.at_eof()
            or self.reader.exception() is not None
        )

    async def _reject(self, status: int, reason: str) -> None:
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        body = f"sandbox: bad request ({reason})\n".encode()
        headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        with contextlib.suppress(h11.LocalProtocolError, ConnectionError, OSError):
            await self._write(
                h11.Response(status_code=status, headers=headers, reason=_reason(status))
            )
            await self._write(h11.Data(data=body))
            await self._write(h11.EndOfMessage())

    async def _write(self, event) -> None:
        data = self.conn.send(event)
        if data:
            self.writer.write(data)
            await self.writer.drain()


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


def _bare_host(netloc: str) -> str:
    host = netloc.strip().lower()
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host
