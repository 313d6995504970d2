"""A real ``accord serve`` with the options and environment a test chooses, its output
kept; and a TCP proxy to PostgreSQL that a test can stop or turn into a black hole."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from tests.conftest import ROOT, Server


class OpsServer(Server):
    def __init__(self, database_url: str, data_dir: Path, **env: str) -> None:
        super().__init__(database_url, data_dir)
        self.env.update(env)
        self.output = data_dir / "server.log"

    def start(self, *args: str) -> None:  # type: ignore[override]
        # Output through a pipe (not a file the server writes): a test may limit the size
        # of the files the server can write (RLIMIT_FSIZE) without silencing it.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", "--port", str(self.port), *args],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
            preexec_fn=_ignore_file_size_signal,
        )
        threading.Thread(target=self._copy_output, daemon=True).start()
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.output.read_text())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("accord serve did not start")

    def _copy_output(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        with open(self.output, "ab") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()

    def log_text(self) -> str:
        return self.output.read_text(errors="replace")


def _ignore_file_size_signal() -> None:
    # A write past RLIMIT_FSIZE then fails with EFBIG (SQLite: "database or disk is full")
    # instead of killing the process; an ignored signal stays ignored across exec.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class Proxy:
    """127.0.0.1:port -> target, on its own event loop thread. ``mode``: "forward",
    "refuse" (the listener closed: connections refused) or "blackhole" (connections
    accepted, established ones kept, nothing forwarded either way)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.loop = asyncio.new_event_loop()
        self.mode = "forward"
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._call(self._listen())

    def _call(self, coro: object) -> object:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)  # type: ignore[arg-type]

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        if self.mode != "forward":
            return  # accepted, never answered
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer),
                             return_exceptions=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                while self.mode == "blackhole":
                    await asyncio.sleep(0.05)  # hold the bytes: a silent network
                if self.mode != "forward":
                    break
                writer.write(data)
                await writer.drain()
        finally:
            if self.mode != "blackhole":
                writer.close()

    async def _close_all(self) -> None:
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    def refuse(self) -> None:
        """Stop listening and reset every connection: the database is down."""
        self.mode = "refuse"

        async def stop() -> None:
            if self._server is not None:
                self._server.close()
                self._server = None
            await self._close_all()

        self._call(stop())

    def blackhole(self) -> None:
        self.mode = "blackhole"

    def restore(self) -> None:
        """Forward again (listening again on the same port if it was stopped); connections
        held during a black hole are dropped, as a network that came back after the
        peers' timeouts would have them."""
        was = self.mode
        self.mode = "forward"
        if was == "blackhole":
            self._call(self._close_all())
        if self._server is None:
            self._call(self._listen())

    def close(self) -> None:
        self.refuse()
        self.loop.call_soon_threadsafe(self.loop.stop)
