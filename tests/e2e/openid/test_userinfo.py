"""Userinfo, OpenID and legacy shapes (reference §1.7)."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import Server, World
from tests.e2e.openid.support import (
    ADA,
    SIGN_IN,
    SignIn,
    bearer,
    sign_in,
)


@pytest.mark.parametrize("path", ["/v1/userinfo", "/oauth2/v3/userinfo"])
def test_openid_userinfo_claims_follow_the_scopes(server: Server, ada: SignIn, path: str) -> None:
    me = requests.get(server.url + path, headers=bearer(ada.access_token))
    assert me.status_code == 200
    assert me.json() == {
        "sub": ada.world.sub, "name": "Ada Lovelace", "given_name": "Ada",
        "family_name": "Lovelace", "picture": ADA.picture, "locale": ADA.locale,
        "email": ada.world.email, "email_verified": True,
    }
    assert requests.post(server.url + path, headers=bearer(ada.access_token)).json() == me.json()


def test_userinfo_without_email_or_profile_scopes(server: Server, world: World) -> None:
    only = sign_in(server, world, ["openid"])
    me = requests.get(server.url + "/v1/userinfo", headers=bearer(only.access_token))
    assert me.json() == {"sub": world.sub}
    legacy = requests.get(server.url + "/oauth2/v2/userinfo", headers=bearer(only.access_token))
    assert legacy.json() == {"id": world.sub}


@pytest.mark.parametrize("path", ["/oauth2/v2/userinfo", "/userinfo/v2/me"])
def test_legacy_userinfo_shape(server: Server, ada: SignIn, path: str) -> None:
    me = requests.get(server.url + path, headers=bearer(ada.access_token))
    assert me.status_code == 200
    assert me.json() == {
        "id": ada.world.sub, "email": ada.world.email, "verified_email": True,
        "name": "Ada Lovelace", "given_name": "Ada", "family_name": "Lovelace",
        "picture": ADA.picture, "locale": ADA.locale,
    }


def test_userinfo_missing_and_revoked_tokens_get_the_google_401(
    server: Server, world: World
) -> None:
    realm = f'Bearer realm="{server.url}/"'
    missing = requests.get(server.url + "/v1/userinfo")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == realm
    error = missing.json()["error"]
    assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
    assert error["errors"][0]["reason"] == "required"
    assert error["details"][0]["reason"] == "CREDENTIALS_MISSING"

    got = sign_in(server, world, SIGN_IN)
    assert requests.get(server.url + "/v1/userinfo", headers=bearer(got.access_token)).ok
    assert requests.post(server.url + "/revoke", data={"token": got.access_token}).ok
    for path in ("/v1/userinfo", "/oauth2/v3/userinfo", "/oauth2/v2/userinfo"):
        revoked = requests.get(server.url + path, headers=bearer(got.access_token))
        assert revoked.status_code == 401, path
        assert revoked.headers["www-authenticate"] == realm + ', error="invalid_token"'
        error = revoked.json()["error"]
        assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
        assert error["errors"][0]["reason"] == "authError"
