"""Running the sandbox: in a background thread with its own event loop (tests), or in the
foreground until SIGTERM/SIGINT (`python -m sandbox serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator
from functools import cache

from sandbox.certs import server_context
from sandbox.corpus import DEFAULT_SEED
from sandbox.faults import Faults
from sandbox.proxy import ProxyServer
from sandbox.sites import Router, World

log = logging.getLogger("sandbox")


@cache
def router_for(world: World) -> Router:
    """Sites are pure functions of their World: build each one once per process."""
    return Router(world)


def manifest(
    revision: int = 0, scale: int = 1, seed: int = DEFAULT_SEED, variant: int = 0, portals: int = 0
) -> dict:
    """The ground truth of what the sandbox serves (faults do not change the truth)."""
    world = World(seed=seed, revision=revision, scale=scale, variant=variant, portals=portals)
    return router_for(world).manifest()


def _quiet_exceptions(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    # Clients that reject our certificate (Chromium does) end in SSL errors asyncio would print
    # with a traceback; they are expected, so they go to the debug log only.
    log.debug("event loop: %s", context.get("message"), exc_info=context.get("exception"))


class Sandbox:
    """The proxy serving one World, on 127.0.0.1, in a daemon thread."""

    def __init__(
        self,
        revision: int = 0,
        scale: int = 1,
        faults: Iterable[str] = (),
        seed: int = DEFAULT_SEED,
        port: int = 0,
        variant: int = 0,
        portals: int = 0,
    ):
        self.world = World(
            seed=seed,
            revision=revision,
            scale=scale,
            faults=Faults.of(faults),
            variant=variant,
            portals=portals,
        )
        self.router = router_for(self.world)
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ProxyServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return self._server.port

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def manifest(self) -> dict:
        w = self.world
        return manifest(w.revision, w.scale, w.seed, w.variant, w.portals)

    def make_server(self) -> ProxyServer:
        hosts = self.router.hosts
        context = server_context(hosts)  # made (or read from cache) before the first CONNECT
        return ProxyServer(self.router, lambda: context, self._port)

    def start(self) -> Sandbox:
        ready = threading.Event()
        failure: list[BaseException] = []
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(_quiet_exceptions)

        async def boot() -> None:
            try:
                self._server = self.make_server()
                await self._server.start()
            except BaseException as exc:  # reported to the starting thread below
                failure.append(exc)
            finally:
                ready.set()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.create_task(boot())
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="sandbox-proxy", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self.stop()
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        loop, server = self._loop, self._server

        async def shutdown() -> None:
            if server is not None:
                await server.close()
            loop.stop()

        loop.call_soon_threadsafe(lambda: loop.create_task(shutdown()))
        self._thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running(
    revision: int = 0,
    scale: int = 1,
    faults: Iterable[str] = (),
    seed: int = DEFAULT_SEED,
    variant: int = 0,
    portals: int = 0,
) -> Iterator[Sandbox]:
    """`with sandbox.running() as sb:` -> sb.proxy_url, sb.manifest; stopped on exit."""
    with Sandbox(
        revision=revision, scale=scale, faults=faults, seed=seed, variant=variant, portals=portals
    ) as sandbox:
        yield sandbox
