"""SIGTERM under load (issue 12): every request sent before the signal is answered in full,
connections after it are refused at once, a stalled client delays the exit by no more than
the grace period, and the process exits with 0. With one worker and with two."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

import pytest

from tests.e2e.server.conftest import (
    StartServe,
    closed_by_server,
    connect,
    get,
    read_response,
)

GRACE = 4
TOKEN = (
    b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: %d\r\n\r\n"
)
TOKEN_BODY = b"grant_type=refresh_token&refresh_token=nope&client_id=x.apps&client_secret=y"


@dataclass
class Record:
    """What one keep-alive client saw: (time the request was fully sent, outcome)."""

    answered: list[float] = field(default_factory=list)
    closing: int = 0  # answers that said Connection: close
    failed: list[tuple[float, str]] = field(default_factory=list)
    connects: list[tuple[float, float, str]] = field(default_factory=list)  # (start, took, result)


def keep_alive_client(port: int, number: int, stop: threading.Event, record: Record) -> None:
    sock: socket.socket | None = None
    n = 0
    while not stop.is_set():
        if sock is None:
            started = time.monotonic()
            try:
                sock = connect(port, timeout=5)
            except OSError as exc:
                record.connects.append((started, time.monotonic() - started, type(exc).__name__))
                time.sleep(0.05)
                continue
            record.connects.append((started, time.monotonic() - started, "connected"))
        n += 1
        request = TOKEN % len(TOKEN_BODY) + TOKEN_BODY if (n + number) % 4 == 0 else get()
        try:
            sock.sendall(request)
        except OSError as exc:  # refused before it was sent: not an answer owed
            record.failed.append((float("inf"), f"send: {exc!r}"))
            sock.close()
            sock = None
            continue
        sent = time.monotonic()
        try:
            response = read_response(sock)
        except (OSError, EOFError) as exc:
            record.failed.append((sent, repr(exc)))
            sock.close()
            sock = None
            continue
        assert response.status in (200, 401), response
        record.answered.append(sent)
        if response.closes:
            record.closing += 1
            sock.close()
            sock = None
    if sock is not None:
        sock.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_under_load(start_serve: StartServe, workers: int) -> None:
    serve = start_serve("--shutdown-grace", str(GRACE), "--header-timeout", "60", workers=workers)
    stop = threading.Event()
    records = [Record() for _ in range(20)]
    clients = [
        threading.Thread(target=keep_alive_client, args=(serve.port, i, stop, r), daemon=True)
        for i, r in enumerate(records)
    ]
    for client in clients:
        client.start()
    # A stalled client: half a request, then nothing. And one in flight across the signal:
    # its body is finished after SIGTERM, and must be answered.
    stalled = connect(serve.port, timeout=30)
    stalled.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    in_flight = connect(serve.port, timeout=30)
    in_flight.sendall(TOKEN % len(TOKEN_BODY) + TOKEN_BODY[:20])
    time.sleep(2)

    signalled = serve.terminate()
    time.sleep(0.5)
    in_flight.sendall(TOKEN_BODY[20:])
    late = read_response(in_flight)
    assert late.status == 401 and late.closes  # answered in full, and told to go
    assert closed_by_server(in_flight)

    exit_code = serve.process.wait(timeout=GRACE + 15)
    exited = time.monotonic() - signalled
    stop.set()
    for client in clients:
        client.join(timeout=10)

    assert exit_code == 0, serve.log()
    assert exited < GRACE + 10, f"took {exited:.1f} s to exit"
    assert closed_by_server(stalled)
    answered = sum(len(r.answered) for r in records)
    assert answered > 20 and any(t < signalled for r in records for t in r.answered)
    cut = [(t - signalled, why) for r in records for t, why in r.failed if t < signalled]
    assert not cut, f"requests sent before SIGTERM were not answered: {cut}"
    # After the drain began, no connection was accepted and left hanging: each attempt was
    # refused, and quickly.
    after = [(start - signalled, took, how) for r in records for start, took, how in r.connects
             if start > signalled + 0.5]
    assert after, "the clients did not try to reconnect"
    assert all(how == "ConnectionRefusedError" and took < 2 for _, took, how in after), after
    stalled.close()
    in_flight.close()


def test_sigterm_when_idle_exits_at_once(start_serve: StartServe) -> None:
    serve = start_serve("--shutdown-grace", "30")
    idle = connect(serve.port)
    idle.sendall(get())
    assert read_response(idle).status == 200
    signalled = serve.terminate()
    assert closed_by_server(idle)  # an idle kept-alive connection is closed at once
    assert serve.process.wait(timeout=20) == 0
    assert time.monotonic() - signalled < 15  # not the 30 s of grace: nothing was in flight
    idle.close()
