"""Who may call the admin API (RFC 6750; reference §1.22): no token, an invalid, revoked or
under-scoped token.
"""

from __future__ import annotations

import requests

from accord.google.scopes import ADMIN
from tests.conftest import Server
from tests.e2e.admin_api.support import (
    Admin,
    admin_for,
)


# Authentication (RFC 6750; reference §1.22) -------------------------------------------
def test_rfc6750_no_token_is_401_unauthenticated_with_challenge(owner: Admin) -> None:
    """Without credentials: 401, CREDENTIALS_MISSING, and a Bearer challenge without an
    error code (RFC 6750 §3.1)."""
    response = requests.get(owner.base + "/projects", timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (401, "UNAUTHENTICATED")
    assert body["details"][0]["reason"] == "CREDENTIALS_MISSING"


def test_rfc6750_invalid_token_is_401_invalid_token(owner: Admin) -> None:
    response = owner("GET", "/projects", token="ya29.not-a-token")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"


def test_rfc7009_revoked_token_is_401(server: Server, owner: Admin) -> None:
    """Revoking the grant (reference §1.5) ends the admin token at once."""
    assert owner("GET", "/projects").status_code == 200
    revoked = requests.post(server.url + "/revoke", data={"token": owner.token}, timeout=10)
    assert revoked.status_code == 200
    assert owner("GET", "/projects").status_code == 401


def test_google_token_without_admin_scope_is_403_scope_insufficient(server: Server) -> None:
    """A live token lacking the admin scope: 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT."""
    world = server.new_world()
    admin = admin_for(server, world, wanted=())
    response = admin("GET", "/projects")
    assert response.status_code == 403
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (403, "PERMISSION_DENIED")
    assert body["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert f'scope="{ADMIN}"' in response.headers["WWW-Authenticate"]
