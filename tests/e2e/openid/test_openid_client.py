"""Accord with Node's openid-client, the OpenID-certified relying-party library (issue 5):
discovery, the authorization-code flow with PKCE S256, nonce and state, ID token validation
(signature against the JWKS, iss, aud, nonce, exp), userinfo and refresh.

The relying party is tests/node/rp.mjs; this file plays the user's browser between its two
steps. ``scripts/install-system-deps.sh`` installs the package (npm ci in tests/node).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
from dataclasses import dataclass
from typing import IO, Any

import pytest

from tests.browser import Browser
from tests.conftest import REDIRECT_URI, ROOT, Server, World

NODE_DIR = ROOT / "tests" / "node"
RP = NODE_DIR / "rp.mjs"
PACKAGE = NODE_DIR / "node_modules" / "openid-client" / "package.json"
AUTH = "https://www.googleapis.com/auth/"
TIMEOUT = 60


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (scripts/install-system-deps.sh installs it)"
    version = subprocess.run(
        ["node", "-p", "process.versions.node"], capture_output=True, text=True, timeout=30
    ).stdout.strip()
    if int(version.split(".")[0] or 0) < 20:
        return f"openid-client needs Node.js 20 or newer, not {version or 'this one'}"
    if not PACKAGE.exists():
        return "tests/node/node_modules is missing (scripts/install-system-deps.sh runs npm ci)"
    return None


@pytest.fixture(scope="module", autouse=True)
def _node() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"openid-client is required in CI: {reason}")
    pytest.skip(reason)


@dataclass
class Outcome:
    returncode: int
    result: dict[str, Any]
    start: dict[str, Any]
    stderr: str


def _line(stream: IO[str], proc: subprocess.Popen[str]) -> dict[str, Any]:
    """The relying party's next JSON line, without waiting forever on a stuck process."""
    ready, _, _ = select.select([stream], [], [], TIMEOUT)
    line = stream.readline() if ready else ""
    if not line:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"rp.mjs said nothing (exit {proc.returncode}): {err}")
    message: dict[str, Any] = json.loads(line)
    return message


def run_rp(server: Server, world: World, **env: str) -> Outcome:
    """Start rp.mjs, sign in and consent in Accord's pages, hand it the callback URL."""
    proc = subprocess.Popen(
        ["node", str(RP)],
        env={
            **os.environ,
            "ISSUER": server.url,
            "CLIENT_ID": world.client.client_id,
            "CLIENT_SECRET": world.client.client_secret,
            "REDIRECT_URI": REDIRECT_URI,
            **env,
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=NODE_DIR,
    )
    try:
        assert proc.stdout is not None
        start = _line(proc.stdout, proc)
        assert "authorization_url" in start, start
        browser = Browser(server.url)
        browser.open(start["authorization_url"])
        if browser.left_to is None and "/signin?" in browser.page.url:
            browser.sign_in(world.email, world.password)
        if browser.left_to is None and "/signin/consent" in browser.page.url:
            browser.allow()
        assert browser.left_to is not None, browser.page.text
        out, err = proc.communicate(browser.left_to + "\n", timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = out.strip().splitlines()
    assert lines, f"rp.mjs printed no result (exit {proc.returncode}): {err}"
    return Outcome(proc.returncode, json.loads(lines[-1]), start, err)


@pytest.mark.parametrize("token_auth", ["post", "basic"])
def test_sign_in_with_openid_client(server: Server, world: World, token_auth: str) -> None:
    """Both client authentication methods discovery lists (client_secret_post, openid-client's
    default, and client_secret_basic) at the token endpoint, for the code and the refresh."""
    outcome = run_rp(server, world, TOKEN_AUTH=token_auth)
    assert outcome.returncode == 0, (outcome.result, outcome.stderr)
    result = outcome.result

    # Discovery: openid-client accepted the metadata for this issuer.
    assert outcome.start["issuer"] == server.url
    assert outcome.start["jwks_uri"] == server.url + "/oauth2/v3/certs"

    # The ID token, validated by openid-client (signature, iss, aud, nonce, exp, iat).
    claims = result["claims"]
    assert claims["iss"] == server.url
    assert claims["aud"] == world.client.client_id
    assert claims["azp"] == world.client.client_id
    assert claims["sub"] == world.sub
    assert claims["email"] == world.email
    assert claims["email_verified"] is True
    assert claims["name"] == "Test User"
    assert isinstance(claims["nonce"], str) and claims["nonce"]
    assert claims["exp"] == claims["iat"] + 3600

    # Userinfo: openid-client checked that its sub is the ID token's.
    userinfo = result["userinfo"]
    assert userinfo["sub"] == world.sub
    assert userinfo["email"] == world.email
    assert userinfo["email_verified"] is True
    assert userinfo["name"] == "Test User"

    assert result["token_type"].lower() == "bearer"
    assert set(result["scope"].split()) == {
        "openid",
        AUTH + "userinfo.email",
        AUTH + "userinfo.profile",
    }
    assert result["refresh_token"] is True
    assert result["jwks_fetches"] >= 1  # the signature was checked against Accord's keys
    assert result["token_auth"] == [token_auth, token_auth]  # the code, then the refresh

    # Refresh: a new access token, and a new ID token for the same user (reference §1.10),
    # which openid-client validated again.
    refresh = result["refresh"]
    assert refresh is not None
    assert refresh["access_token_changed"] is True
    assert refresh["id_token"] is True
    assert refresh["claims"]["sub"] == world.sub
    assert refresh["claims"]["iss"] == server.url
    assert refresh["claims"]["aud"] == world.client.client_id


def test_openid_client_rejects_a_wrong_nonce(server: Server, world: World) -> None:
    """The ID token carries the nonce the RP sent; an RP expecting another one must refuse it
    (OIDC Core §3.1.3.7 step 11)."""
    outcome = run_rp(server, world, WRONG_NONCE="1")
    assert outcome.returncode == 1, outcome.result
    error = outcome.result["error"]
    assert error["code"] == "OAUTH_JWT_CLAIM_COMPARISON_FAILED", error
    assert error["cause"]["message"] == 'unexpected ID Token "nonce" claim value', error
    assert error["cause"]["cause"]["claim"] == "nonce", error


def test_openid_client_rejects_a_signature_from_another_key(server: Server, world: World) -> None:
    """With Accord's published keys swapped for others (same kid), the ID token's signature
    no longer verifies: openid-client really checks it against the JWKS."""
    outcome = run_rp(server, world, FOREIGN_JWKS="1")
    assert outcome.returncode == 1, outcome.result
    error = outcome.result["error"]
    assert error["code"] == "OAUTH_INVALID_RESPONSE", error
    assert error["cause"]["message"] == "JWT signature verification failed", error
