"""``accord serve --workers N``: N worker processes, each on its own SO_REUSEPORT socket.

The supervisor holds no listening socket: the kernel hands every new connection to one of
the workers' sockets (by a hash of the client's address and port), so keep-alive
connections spread over the workers instead of piling onto whichever accepts first, and a
worker that dies takes only its own connections with it. The supervisor:

* starts the workers (``python -m accord.server.worker``) and replaces one that exits
  while it is not stopping (after a backoff when workers keep failing as they start);
* on SIGTERM or SIGINT forwards SIGTERM to every worker (each drains: see
  accord/server/worker.py), waits for them for the grace period and a margin, kills what
  is left, and exits with 0 when every worker stopped cleanly.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from types import FrameType

from uvicorn.config import STARTUP_FAILURE

QUICK = 5.0  # a worker that exits sooner than this after starting failed to start
MARGIN = 5.0  # beyond the grace period, before stopping workers with SIGKILL


def say(text: str) -> None:
    print(f"accord: {text}", file=sys.stderr, flush=True)


def port_is_free(host: str, port: int) -> str | None:
    """None when nothing listens on host:port, else why not. SO_REUSEPORT would let a
    second Accord share the port silently: a plain bind tells."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        return str(exc)
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return exc.strerror or str(exc)
    return None


@dataclass
class Slot:
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0  # consecutive quick failures
    restart_at: float = 0.0
    history: list[int] = field(default_factory=list)  # pids, oldest first


class Supervisor:
    def __init__(self, host: str, port: int, workers: int, log_level: str, grace: float) -> None:
        self.host, self.port, self.log_level, self.grace = host, port, log_level, grace
        self.slots = [Slot() for _ in range(workers)]
        self.stopping = False
        self.up = False  # some worker outlived QUICK: failures are no longer start-up errors

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "accord.server.worker", "--host", self.host,
            "--port", str(self.port), "--log-level", self.log_level,
            "--supervisor", str(os.getpid()),
        ]

    def start(self, slot: Slot) -> None:
        slot.process = subprocess.Popen(self.command())  # noqa: S603 (our own interpreter)
        slot.started = time.monotonic()
        slot.history.append(slot.process.pid)

    def stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            return
        self.stopping = True
        for slot in self.slots:
            if slot.process is not None and slot.process.poll() is None:
                slot.process.send_signal(signal.SIGTERM)

    def run(self) -> int:
        trouble = port_is_free(self.host, self.port)
        if trouble:
            say(f"cannot listen on {self.host}:{self.port}: {trouble}.")
            return STARTUP_FAILURE
        previous = {s: signal.signal(s, self.stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            for slot in self.slots:
                self.start(slot)
            while not self.stopping:
                status = self.watch()
                if status is not None:
                    self.stop(signal.SIGTERM, None)
                    self.wait()
                    return status
                time.sleep(0.1)
            return self.wait()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def watch(self) -> int | None:
        """Replace workers that exited; a status to exit with when they cannot start."""
        now = time.monotonic()
        for slot in self.slots:
            process = slot.process
            if process is None:
                if now >= slot.restart_at:
                    self.start(slot)
                continue
            code = process.poll()
            if code is None:
                if now - slot.started > QUICK:
                    slot.failures, self.up = 0, True
                continue
            if self.stopping:
                return None
            how = f"signal {-code}" if code < 0 else f"status {code}"
            quick = now - slot.started < QUICK
            if quick and not self.up and code == STARTUP_FAILURE:
                say(f"worker {process.pid} could not start ({how}); stopping.")
                return STARTUP_FAILURE
            slot.failures = slot.failures + 1 if quick else 0
            delay = min(30.0, 0.5 * 2 ** (slot.failures - 1)) if slot.failures else 0.0
            say(f"worker {process.pid} exited ({how}); starting another in {delay:g} s.")
            slot.process, slot.restart_at = None, now + delay
        return None

    def wait(self) -> int:
        """Wait for the draining workers; 0 when all of them exited cleanly."""
        deadline = time.monotonic() + self.grace + MARGIN
        status = 0
        for slot in self.slots:
            if slot.process is None:
                continue
            try:
                code = slot.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"worker {slot.process.pid} did not stop in time: killing it.")
                slot.process.kill()
                code = slot.process.wait()
            if code not in (0, -signal.SIGTERM):  # -SIGTERM: stopped before it could drain
                status = 1
        return status


def supervise(host: str, port: int, workers: int, log_level: str, grace: float) -> int:
    """Run the workers; unless the operator named one, they share a fresh directory for
    their metrics (prometheus_client's multiprocess mode), removed when they are done."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return Supervisor(host, port, workers, log_level, grace).run()
    shared = tempfile.mkdtemp(prefix=f"accord-metrics-{os.getpid()}-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = shared
    try:
        return Supervisor(host, port, workers, log_level, grace).run()
    finally:
        shutil.rmtree(shared, ignore_errors=True)
