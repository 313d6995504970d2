"""PostgreSQL behind a TCP proxy the test controls: refused, black-holed, restored.

Every request is answered within a few seconds (503 with Retry-After while the database
is away, in Google's shapes), /healthz stays 200, /readyz says 503 and names the
database, and when the proxy forwards again the server is back to 200 by itself."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import google.auth.transport.requests
import pytest
import requests
from google.auth import exceptions as auth_exceptions
from google.oauth2.credentials import Credentials

from tests.conftest import (
    DRIVE_META,
    REDIRECT_URI,
    create_pg_database,
    drop_pg_database,
    postgres_available,
)
from tests.flows import authorize
from tests.ops.servers import OpsServer, Proxy

pytestmark = pytest.mark.postgres
SCOPES = ["openid", "email", DRIVE_META]
BOUND = 10.0  # seconds: "a few", generous; a hang is tens


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[OpsServer, Proxy]]:
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable")
    db = create_pg_database()
    target = urlsplit(db.url)
    proxy = Proxy(target.hostname or "127.0.0.1", target.port or 5432)
    url = f"postgresql://{target.username}@127.0.0.1:{proxy.port}{target.path}"
    srv = OpsServer(url, tmp_path, ACCORD_DATABASE_TIMEOUT="2",
                    ACCORD_DATABASE_CONNECT_TIMEOUT="2")
    srv.start("--log-level", "warning")
    try:
        yield srv, proxy
    finally:
        srv.stop()
        proxy.close()
        drop_pg_database(db)


def _timed(method: str, url: str, **kw: object) -> tuple[requests.Response, float]:
    began = time.monotonic()
    answer = requests.request(method, url, timeout=30, **kw)  # type: ignore[arg-type]
    return answer, time.monotonic() - began


def _wait_until_ready(server: OpsServer, within: float = 20.0) -> float:
    began = time.monotonic()
    while time.monotonic() - began < within:
        if requests.get(server.url + "/readyz", timeout=10).status_code == 200:
            return time.monotonic() - began
        time.sleep(0.2)
    raise AssertionError("/readyz did not come back by itself")


def _assert_outage_answers(server: OpsServer, creds: Credentials) -> None:
    info, took = _timed("GET", server.url + "/tokeninfo", params={"access_token": creds.token})
    assert info.status_code == 503 and took < BOUND, (info.status_code, took, info.text)
    assert info.headers["Retry-After"] == "5"
    assert info.json() == {"error": "internal_failure", "error_description": "Backend Error"}
    api, took = _timed("GET", server.url + "/drive/v3/files",
                       headers={"Authorization": f"Bearer {creds.token}"})
    assert api.status_code == 503 and took < BOUND
    assert api.json()["error"]["status"] == "UNAVAILABLE"
    assert api.json()["error"]["errors"][0]["reason"] == "backendError"
    ready, took = _timed("GET", server.url + "/readyz")
    assert ready.status_code == 503 and took < BOUND
    assert ready.json() == {"status": "not ready", "problems": {"database": "unreachable"}}
    assert requests.get(server.url + "/healthz", timeout=BOUND).status_code == 200
    # google-auth retries 503 internal_failure, then reports the failure.
    began = time.monotonic()
    with pytest.raises(auth_exceptions.RefreshError) as failed:
        creds.refresh(google.auth.transport.requests.Request())
    assert "internal_failure" in str(failed.value)
    assert time.monotonic() - began < 3 * BOUND
    # The authorization endpoint reads the client: Google's error page, 503.
    page, took = _timed("GET", server.url + "/o/oauth2/v2/auth", params={
        "client_id": creds.client_id, "redirect_uri": REDIRECT_URI, "response_type": "code",
        "scope": "openid"})
    assert page.status_code == 503 and took < BOUND and "text/html" in page.headers["content-type"]
    assert page.headers["Retry-After"] == "5" and "not available at this time" in page.text


def _assert_back(server: OpsServer, creds: Credentials) -> None:
    _wait_until_ready(server)
    creds.refresh(google.auth.transport.requests.Request())
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                        timeout=BOUND)
    assert info.status_code == 200, info.text
    files = requests.get(server.url + "/drive/v3/files",
                         headers={"Authorization": f"Bearer {creds.token}"}, timeout=BOUND)
    assert files.status_code == 200, files.text


def test_postgres_refusing_answers_503_fast_and_recovers(
    proxied: tuple[OpsServer, Proxy],
) -> None:
    server, proxy = proxied
    creds = authorize(server, server.new_world(), SCOPES)[0].credentials
    proxy.refuse()
    _assert_outage_answers(server, creds)
    proxy.restore()
    print("back after", round(_wait_until_ready(server), 2), "s")
    _assert_back(server, creds)


def test_postgres_black_hole_answers_within_seconds_and_recovers(
    proxied: tuple[OpsServer, Proxy],
) -> None:
    server, proxy = proxied
    creds = authorize(server, server.new_world(), SCOPES)[0].credentials
    proxy.blackhole()
    # Several at once: the one stuck on the database must not hold the others for long.
    urls = [server.url + "/tokeninfo?access_token=" + creds.token] * 4 + [server.url + "/healthz"]
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda u: _timed("GET", u), urls))
    print("black hole:", [(a.status_code, round(t, 2)) for a, t in answers])
    for answer, took in answers:
        assert took < BOUND, (answer.request.url, took)
    assert [a.status_code for a, _ in answers] == [503] * 4 + [200]
    _assert_outage_answers(server, creds)
    proxy.restore()
    print("back after", round(_wait_until_ready(server), 2), "s")
    _assert_back(server, creds)
