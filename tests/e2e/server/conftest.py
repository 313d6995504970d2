"""A real ``accord serve`` per test, started with the flags the test chooses, and raw-socket
HTTP/1.1 helpers (requests and urllib3 hide what these tests look at: resets, closes,
keep-alive)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from tests.conftest import ROOT, free_port


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def closes(self) -> bool:
        return "close" in self.headers.get("connection", "").lower()


def connect(port: int, timeout: float = 10) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def read_response(sock: socket.socket) -> Response:
    """One response: status line, headers and a Content-Length body. EOFError when the
    server closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError(f"closed after {len(data)} bytes of a response")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("closed in the middle of a response body")
        body += chunk
    return Response(int(lines[0].split(" ")[1]), headers, body[:length])


def closed_by_server(sock: socket.socket) -> bool:
    """Reads until the server closes (True) or the socket's timeout passes (False)."""
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


def get(path: str = "/healthz") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def sockets_of(pid: int) -> set[str]:
    """The sockets a process holds, as /proc names them ("socket:[inode]")."""
    held = set()
    fds = Path(f"/proc/{pid}/fd")
    try:
        names = os.listdir(fds)
    except OSError:
        return held
    for fd in names:
        try:
            held.add(os.readlink(fds / fd))
        except OSError:
            continue
    return held


class Serve:
    """``accord serve`` on a free port with a fresh SQLite database."""

    def __init__(self, data_dir: Path, *flags: str, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        env = {
            **os.environ,
            "ACCORD_ISSUER": self.url,
            "ACCORD_DATABASE_URL": f"sqlite:///{data_dir / 'accord.db'}",
            "ACCORD_DATA_DIR": str(data_dir),
            "ACCORD_SECRET_KEY": secrets.token_urlsafe(40),
            # The load tests loop on wrong client secrets: keep the throttle out of their way.
            "ACCORD_CLIENT_SECRET_MAX_PER_ADDRESS": "1000000",
            "ACCORD_CLIENT_SECRET_MAX_PER_CLIENT": "1000000",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", "--port", str(self.port),
             "--workers", str(workers), "--no-access-log", "--log-level", "info", *flags],
            env=env, stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT,
        )
        self.workers = workers
        self.seen: set[int] = set()  # worker pids ever seen, killed at the end if still there
        self.wait_until_up()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def answers(self) -> bool:
        try:
            with connect(self.port, timeout=2) as sock:
                sock.sendall(get())
                return read_response(sock).status == 200
        except (OSError, EOFError):
            return False

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"accord serve exited:\n{self.log()}")
            if self.answers() and len(self.listening()) == self.workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"accord serve did not start:\n{self.log()}")

    def worker_pids(self) -> set[int]:
        """The supervisor's child processes (none with one worker: it serves itself)."""
        children = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                children.add(int(entry.name))
        self.seen |= children
        return children

    def listening(self) -> set[int]:
        """The processes holding a listening socket on the port (read from /proc)."""
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == self.port:
                inodes.add(f"socket:[{fields[9]}]")
        return {pid for pid in self.worker_pids() or {self.process.pid} if sockets_of(pid) & inodes}

    def terminate(self) -> float:
        """SIGTERM; the monotonic time just before it was sent."""
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        return sent

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.worker_pids()
        for pid in self.seen:
            try:
                if b"accord.server.worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                continue


class StartServe(Protocol):
    def __call__(self, *flags: str, workers: int = 1) -> Serve: ...


@pytest.fixture
def start_serve(tmp_path: Path) -> Iterator[StartServe]:
    """Start as many servers as the test needs; all are stopped afterwards."""
    started: list[Serve] = []

    def start(*flags: str, workers: int = 1) -> Serve:
        directory = tmp_path / f"serve-{len(started)}"
        directory.mkdir()
        started.append(Serve(directory, *flags, workers=workers))
        return started[-1]

    yield start
    for serve in started:
        serve.stop()


@pytest.fixture(scope="module")
def start_shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServe]:
    """The same, for a server a whole module shares."""
    started: list[Serve] = []

    def start(*flags: str, workers: int = 1) -> Serve:
        started.append(Serve(tmp_path_factory.mktemp("serve"), *flags, workers=workers))
        return started[-1]

    yield start
    for serve in started:
        serve.stop()
