"""Logs: one line per request with its id, and no credential anywhere in the output.

A full flow runs against a real ``accord serve`` (uvicorn's access log on, Accord's
request lines on) through google_auth_oauthlib and google-auth, using every way Google
documents of passing a token in a URL; then all of the server's output is searched for
every token, code, secret, password and interaction id it handed out: none is there."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import google.auth.transport.requests
import pytest
import requests

from accord.ops.logs import Json, Redact, Text
from tests.browser import Browser
from tests.conftest import DRIVE_META, PASSWORD
from tests.flows import authorize
from tests.ops.servers import OpsServer

SCOPES = ["openid", "email", DRIVE_META]


@pytest.fixture(params=["text", "json"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpsServer]:
    srv = OpsServer(f"sqlite:///{tmp_path / 'accord.db'}", tmp_path,
                    ACCORD_LOG_FORMAT=request.param)
    srv.start("--log-level", "debug")  # as much output as there can be
    yield srv
    srv.stop()


def _seen(urls: list[str], name: str) -> set[str]:
    found = set()
    for url in urls:
        for key, values in parse_qs(urlsplit(url).query).items():
            if key == name:
                found.update(values)
    return found


def test_no_credential_reaches_the_output(server: OpsServer) -> None:
    world = server.new_world()
    http = requests.Session()
    urls: list[str] = []
    http.hooks["response"].append(lambda r, *a, **k: urls.append(r.url))
    flow, browser = authorize(server, world, SCOPES, Browser(server.url, http),
                              login_hint=world.email, prompt="consent")
    creds = flow.credentials
    code = parse_qs(urlsplit(browser.left_to or "").query)["code"][0]
    secrets = {
        "password": PASSWORD, "client_secret": world.client.client_secret, "code": code,
        "access_token": creds.token, "refresh_token": creds.refresh_token,
        "id_token": creds.id_token,
    }
    first_access = creds.token
    creds.refresh(google.auth.transport.requests.Request())  # google-auth
    secrets["refreshed_access_token"] = creds.token
    base = server.url
    assert requests.get(f"{base}/tokeninfo?access_token={creds.token}", timeout=10).ok
    assert requests.get(f"{base}/tokeninfo?id_token={secrets['id_token']}", timeout=10).ok
    assert requests.get(f"{base}/oauth2/v3/userinfo?access_token={creds.token}", timeout=10).ok
    assert requests.get(f"{base}/drive/v3/files?access_token={creds.token}", timeout=10).ok
    assert requests.get(f"{base}/drive/v3/files", timeout=10,
                        headers={"Authorization": f"Bearer {first_access}"}).ok
    assert requests.post(f"{base}/revoke?token={creds.refresh_token}", timeout=10).ok
    # An error: the code again, with its verifier (invalid_grant: a replay).
    replay = requests.post(f"{base}/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": world.client.client_id,
        "client_secret": world.client.client_secret, "redirect_uri": flow.redirect_uri,
        "code_verifier": flow.code_verifier}, timeout=10)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant", replay.text
    # Secrets in query strings, where no one should put them.
    requests.post(f"{base}/token?client_secret={world.client.client_secret}&code={code}",
                  timeout=10)
    interactions = _seen(urls, "i")
    assert interactions, urls
    for n, value in enumerate(interactions):
        secrets[f"interaction {n}"] = value
    secrets["login_hint"] = world.email

    server.stop()  # everything written and flushed
    output = server.log_text()
    leaks = {name for name, value in secrets.items() if value and value in output}
    assert not leaks, f"{leaks} in the server's output"
    # One request line per request, with its id and route template, never the query.
    lines = [line for line in output.splitlines() if "accord.request" in line]
    assert any("/tokeninfo" in line and " 200" in line or '"status":200' in line
               for line in lines)
    if server.env["ACCORD_LOG_FORMAT"] == "json":
        records = [json.loads(line) for line in lines]
        errors = [r for r in records if r.get("error") == "invalid_grant"]
        assert errors and errors[0]["route"] == "/token" and errors[0]["status"] == 400
        assert all(set(r) >= {"ts", "request_id", "method", "route", "status", "duration_ms"}
                   for r in records)
    else:
        assert any(re.search(r"POST /token 400 [\d.]+ms error=invalid_grant", line)
                   for line in lines)


def test_request_id_is_returned_and_a_sane_incoming_one_kept(tmp_path: Path) -> None:
    srv = OpsServer(f"sqlite:///{tmp_path / 'accord.db'}", tmp_path, ACCORD_LOG_FORMAT="json")
    srv.start()
    try:
        mine = requests.get(srv.url + "/healthz", headers={"X-Request-Id": "abc-123.x"},
                            timeout=10)
        assert mine.headers["X-Request-Id"] == "abc-123.x"
        for bad in ("a" * 65, "new\tline", "<script>", ""):
            other = requests.get(srv.url + "/healthz", headers={"X-Request-Id": bad}, timeout=10)
            assert re.fullmatch(r"[0-9a-f]{16}", other.headers["X-Request-Id"]), bad
    finally:
        srv.stop()
    records = [json.loads(line) for line in srv.log_text().splitlines() if '"accord.request"' in line]
    assert any(r["request_id"] == "abc-123.x" and r["route"] == "/healthz" for r in records)


def test_access_log_off_writes_no_request_lines(tmp_path: Path) -> None:
    srv = OpsServer(f"sqlite:///{tmp_path / 'accord.db'}", tmp_path, ACCORD_ACCESS_LOG="0")
    srv.start()
    try:
        assert requests.get(srv.url + "/healthz", timeout=10).ok
    finally:
        srv.stop()
    assert "accord.request" not in srv.log_text()


@pytest.mark.parametrize("formatter", [Text(), Json()])
def test_tracebacks_and_arguments_are_redacted(formatter: logging.Formatter) -> None:
    token = "ya29.a0AfB_secretsecret"
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1,
                               "Exception in ASGI application %s", ("GET /x?token=abc",), None)
    try:
        raise ValueError(f"bad header Authorization: Bearer {token} and code=4/0Aabc")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    Redact().filter(record)
    text = formatter.format(record)
    assert token not in text and "4/0Aabc" not in text and "token=abc" not in text
    assert "[REDACTED]" in text and "ValueError" in text
