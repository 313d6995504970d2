"""Limits on slow or large clients (issue 12): heads bounded in size, fields and time,
bodies in time, idle connections closed. Raw sockets against a real accord serve."""

from __future__ import annotations

import contextlib
import time

import pytest
import requests

from tests.e2e.server.conftest import (
    Serve,
    StartServe,
    closed_by_server,
    connect,
    get,
    read_response,
)

FLAGS = ("--header-timeout", "2", "--body-timeout", "2", "--keep-alive-timeout", "1")


@pytest.fixture(scope="module")
def serve(start_shared: StartServe) -> Serve:
    return start_shared(*FLAGS)


def refused_head(serve: Serve, request: bytes) -> tuple[int, bool]:
    """The status answered to `request` (sent whole, even if the server stops reading),
    and whether the server then closed the connection."""
    with connect(serve.port) as sock:
        # Refused while we were still sending, perhaps: the answer is waiting all the same.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        response = read_response(sock)
        assert response.closes
        return response.status, closed_by_server(sock)


@pytest.mark.parametrize("size", [1 << 20, 8 << 20])
def test_huge_header_is_refused_with_431_and_the_connection_closed(serve: Serve, size: int) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
    assert refused_head(serve, request) == (431, True)
    assert serve.answers()  # the server is fine


def test_heads_over_the_byte_limit_are_refused_and_under_it_served(serve: Serve) -> None:
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: " + b"c" * 33_000 + b"\r\n\r\n"
    assert refused_head(serve, big) == (431, True)
    # Many fields adding up to more than the limit, each small.
    fields = b"".join(b"X-F%d: %s\r\n" % (i, b"v" * 400) for i in range(90))
    assert refused_head(serve, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n") == (431, True)
    # A large but reasonable cookie, and a real client with it.
    answer = requests.get(serve.url + "/healthz", cookies={"big": "c" * 8000}, timeout=10)
    assert answer.status_code == 200


def test_too_many_header_fields_are_refused(serve: Serve) -> None:
    fields = b"".join(b"X-%d: y\r\n" % i for i in range(200))
    assert refused_head(serve, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n") == (431, True)
    fine = b"".join(b"X-%d: y\r\n" % i for i in range(90))
    with connect(serve.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + fine + b"\r\n")
        assert read_response(sock).status == 200


def test_overlong_url_is_refused_with_414(serve: Serve) -> None:
    request = b"GET /healthz?x=" + b"a" * 40_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert refused_head(serve, request) == (414, True)


def test_slowloris_is_dropped_within_the_header_timeout(serve: Serve) -> None:
    """One header line every half second: the head deadline (2 s) runs from its first byte,
    however steadily the client trickles."""
    with connect(serve.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        sent = 0
        try:
            while time.monotonic() - started < 30:
                time.sleep(0.5)
                sock.sendall(b"X-Trickle-%d: y\r\n" % sent)
                sent += 1
        except (BrokenPipeError, ConnectionResetError):
            pass
        lasted = time.monotonic() - started
        assert lasted < 15, "the slow client kept its connection"
        response = read_response(sock)
        assert response.status == 408 and response.closes
        assert closed_by_server(sock)


def test_connection_that_sends_nothing_is_closed(serve: Serve) -> None:
    with connect(serve.port, timeout=15) as sock:
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed without an answer: nothing was asked
        assert time.monotonic() - started < 12


def test_idle_keep_alive_connection_is_closed(serve: Serve) -> None:
    with connect(serve.port, timeout=15) as sock:
        sock.sendall(get())
        response = read_response(sock)
        assert response.status == 200 and not response.closes
        started = time.monotonic()
        assert sock.recv(100) == b""
        assert time.monotonic() - started < 12
        # a connection in use is not cut: several requests, each within the timeout
    with connect(serve.port) as sock:
        for _ in range(3):
            sock.sendall(get())
            assert read_response(sock).status == 200
            time.sleep(0.5)


def test_slow_body_is_dropped_with_408(serve: Serve) -> None:
    with connect(serve.port, timeout=15) as sock:
        sock.sendall(
            b"POST /token HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n"
            b"grant_type=refresh_token"
        )
        started = time.monotonic()
        response = read_response(sock)
        assert response.status == 408 and response.closes
        assert time.monotonic() - started < 12
        assert closed_by_server(sock)


def test_a_body_sent_in_time_is_served(serve: Serve) -> None:
    body = b"grant_type=refresh_token&refresh_token=nope&client_id=x&client_secret=y"
    with connect(serve.port) as sock:
        sock.sendall(
            b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:10]
        )
        time.sleep(1)
        sock.sendall(body[10:])
        response = read_response(sock)
        assert response.status == 401  # Google's invalid_client, from the application
        assert b"invalid_client" in response.body
