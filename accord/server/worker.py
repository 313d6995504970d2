"""One server process: uvicorn on its own listening socket, drained on SIGTERM.

With several workers each binds the address with SO_REUSEPORT, so the kernel spreads new
connections over the workers (uvicorn's own supervisor binds one socket in the parent and
the worker that wakes first takes the connections). ``python -m accord.server.worker`` is
how the supervisor (accord/server/supervisor.py) starts one; ``accord serve --workers 1``
runs ``serve`` in its own process.

On SIGTERM or SIGINT (once is enough; more change nothing): ``accord.runtime`` is marked
draining (``/readyz`` answers 503), the listening sockets are closed at once (connections
the kernel had already accepted are taken first, not reset), every request received is
answered (with ``Connection: close``), idle connections are closed, and whatever is still
open after the grace period is cut. The process then exits with status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Sequence

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from accord import runtime
from accord.server.protocol import GuardedHttpToolsProtocol
from accord.settings import ServerSettings

logger = logging.getLogger("uvicorn.error")
LINGER = 0.05  # before closing idle connections: what they sent is read first


def bind(host: str, port: int, reuse_port: bool) -> list[socket.socket]:
    """Sockets bound to every address of `host` (not listening yet)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    seen: set[tuple[int, str]] = set()
    try:
        for family, kind, proto, _, address in infos:
            if (family, str(address[0])) in seen:
                continue
            seen.add((family, str(address[0])))
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class Worker(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, limits: ServerSettings, parent: int = 0) -> None:
        super().__init__(config)
        self.limits = limits
        self.parent = parent  # the supervisor's pid: its death is a SIGTERM
        self.draining_since: float | None = None
        self.adopting: list[asyncio.Task[object]] = []
        self.closed = False  # the listening sockets

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.begin_drain)
        try:
            await self._serve(sockets)
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

    def _protocol(self) -> asyncio.Protocol:
        return self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        loop = asyncio.get_running_loop()
        self.servers = [
            await loop.create_server(self._protocol, sock=sock, backlog=self.config.backlog)
            for sock in sockets or ()
        ]
        self.started = True

    async def on_tick(self, counter: int) -> bool:
        if self.parent and os.getppid() != self.parent:
            logger.warning("The supervisor is gone: stopping.")
            self.begin_drain()
        return await super().on_tick(counter)

    def begin_drain(self) -> None:
        """Stop accepting now; the rest of the drain happens in shutdown()."""
        self.should_exit = True
        if self.draining_since is None:
            self.draining_since = asyncio.get_running_loop().time()
            runtime.start_draining()
        if self.started:
            self._stop_accepting()

    def _stop_accepting(self) -> None:
        """Keep each listening socket open (a duplicate) while the server stops, take what
        the kernel already accepted, then close it: new connections are refused."""
        if self.closed:
            return
        self.closed = True
        loop = asyncio.get_running_loop()
        held = [socket.socket(fileno=os.dup(s.fileno())) for sv in self.servers for s in sv.sockets]
        for server in self.servers:
            server.close()
        for sock in held:
            sock.setblocking(False)
            while True:
                try:
                    conn, _ = sock.accept()
                except OSError:  # BlockingIOError: nothing more is waiting
                    break
                task = loop.create_task(loop.connect_accepted_socket(self._protocol, conn))
                self.adopting.append(task)
            sock.close()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        loop = asyncio.get_running_loop()
        self.begin_drain()  # signalled while starting, or stopped for another reason
        assert self.draining_since is not None
        deadline = self.draining_since + self.limits.shutdown_grace
        logger.info("Draining: %d connection(s) open.", len(self.server_state.connections))
        await asyncio.gather(*self.adopting, return_exceptions=True)
        await asyncio.sleep(LINGER)
        for connection in list(self.server_state.connections):
            connection.shutdown()
        state = self.server_state
        while (state.connections or state.tasks) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        if state.connections or state.tasks:
            logger.warning(
                "Grace period over: closing %d connection(s), cancelling %d request(s).",
                len(state.connections), len(state.tasks),
            )
            for connection in list(state.connections):
                abort = getattr(connection, "abort", None)
                if abort is not None:
                    abort()
            for task in state.tasks:
                task.cancel()
            await asyncio.sleep(0.05)
        try:
            await asyncio.wait_for(self.lifespan.shutdown(), timeout=3)
        except TimeoutError:
            logger.warning("The application did not shut down within 3 seconds.")


def serve(host: str, port: int, log_level: str, reuse_port: bool, parent: int = 0) -> int:
    """Serve accord.asgi:app until SIGTERM; the exit status."""
    limits = ServerSettings.from_env()
    config = uvicorn.Config(
        "accord.asgi:app",
        host=host,
        port=port,
        http=GuardedHttpToolsProtocol.for_limits(limits),
        ws="none",
        access_log=False,  # the application logs every request itself
        log_level=log_level,
        proxy_headers=False,
        timeout_keep_alive=1,  # replaced: the protocol reads limits.keep_alive_timeout
    )
    try:
        sockets = bind(host, port, reuse_port)
    except OSError as exc:
        print(f"accord: cannot listen on {host}:{port}: {exc.strerror or exc}.", file=sys.stderr)
        return STARTUP_FAILURE
    Worker(config, limits, parent).run(sockets=sockets)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accord.server.worker")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--supervisor", type=int, default=0)
    a = parser.parse_args(argv)
    return serve(a.host, a.port, a.log_level, reuse_port=True, parent=a.supervisor)


if __name__ == "__main__":
    sys.exit(main())
