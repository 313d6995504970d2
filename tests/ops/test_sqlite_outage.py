"""SQLite that cannot write (full, locked): every request answered, 503 with Retry-After,
the keep-alive connection kept, and everything back by itself afterwards."""

from __future__ import annotations

import http.client
import json
import resource
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import google.auth.transport.requests
import pytest
import requests
from google.oauth2.credentials import Credentials

from tests.conftest import DRIVE_META
from tests.flows import authorize
from tests.ops.servers import OpsServer

SCOPES = ["openid", "email", DRIVE_META]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OpsServer]:
    srv = OpsServer(f"sqlite:///{tmp_path / 'accord.db'}", tmp_path,
                    ACCORD_DATABASE_TIMEOUT="1")
    srv.start("--log-level", "warning")
    yield srv
    srv.stop()


def _creds(server: OpsServer) -> Credentials:
    world = server.new_world()
    flow, _ = authorize(server, world, SCOPES)
    return flow.credentials


def _ask(conn: http.client.HTTPConnection, method: str, path: str, body: str = "") -> tuple[
    int, dict[str, str], bytes, float]:
    began = time.monotonic()
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn.request(method, path, body=body or None, headers=headers)
    answer = conn.getresponse()
    data = answer.read()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, data, (
        time.monotonic() - began)


def _refresh_body(creds: Credentials) -> str:
    return (f"grant_type=refresh_token&refresh_token={creds.refresh_token}"
            f"&client_id={creds.client_id}&client_secret={creds.client_secret}")


def _assert_unavailable_then_kept(server: OpsServer, creds: Credentials) -> None:
    """On one keep-alive connection: writes answer 503 + Retry-After, reads still work,
    and the connection is never closed under the client."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    for _ in range(3):
        # Revocation writes: the database refuses.
        status, headers, data, took = _ask(conn, "POST", "/revoke", "token=" + creds.token)
        assert status == 503, data
        assert headers["retry-after"] == "5"
        assert headers.get("connection", "").lower() != "close"
        assert json.loads(data) == {"error": "internal_failure", "error_description": "Backend Error"}
        assert took < 10
        # A read on the same connection still works.
        status, _, data, _ = _ask(conn, "GET", "/tokeninfo?access_token=" + creds.token)
        assert status == 200, data
    # A page that writes (the sign-in form posts into the database): the error page.
    status, headers, data, _ = _ask(conn, "POST", "/signin", "email=a%40b.c&password=x")
    assert status in (503, 400, 403), data
    conn.close()


def test_sqlite_full_answers_503_keeps_the_connection_and_recovers(server: OpsServer) -> None:
    creds = _creds(server)
    assert server.process is not None
    pid = server.process.pid
    before = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (1, before[1]))  # no file may grow: full
    try:
        _assert_unavailable_then_kept(server, creds)
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    finally:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, before)
    creds.refresh(google.auth.transport.requests.Request())  # google-auth, a write-free read
    answer = requests.post(server.url + "/revoke", data={"token": creds.refresh_token}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert "database or disk is full" in server.log_text() or "disk I/O" in server.log_text()


def test_sqlite_locked_answers_503_within_the_timeout_and_recovers(server: OpsServer) -> None:
    creds = _creds(server)
    blocker = sqlite3.connect(server.env["ACCORD_DATABASE_URL"].removeprefix("sqlite:///"),
                              isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        _assert_unavailable_then_kept(server, creds)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    answer = requests.post(server.url + "/revoke", data={"token": creds.token}, timeout=10)
    assert answer.status_code == 200, answer.text
