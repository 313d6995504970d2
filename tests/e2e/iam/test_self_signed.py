"""Self-signed JWTs at the demo APIs (reference §1.17): google-auth's
``always_use_jwt_access=True`` with googleapiclient (the ``scope`` form), a JWT for the
API's service URL (the ``aud`` form), and forged or stale ones refused as a bad token is."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from google.auth import jwt as google_jwt
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account
from googleapiclient.errors import HttpError

from tests.conftest import CALENDAR_RO, DRIVE_META, Server
from tests.e2e.apis.support import service
from tests.e2e.iam.conftest import Account, Accounts

DRIVE_AUD = "https://drive.googleapis.com/"


def key_info(account: Account) -> dict[str, str]:
    assert account.key_file is not None
    info: dict[str, str] = json.loads(account.key_file.read_text())
    return info


def signed(account: Account, claims: dict[str, Any], **header: Any) -> str:
    info = key_info(account)
    return jwt.encode(claims, info["private_key"], algorithm="RS256",
                      headers={"kid": info["private_key_id"], **header})


def claims(account: Account, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": account.email, "sub": account.email, "iat": now, "exp": now + 3600, **extra}


def files(server: Server, token: str) -> requests.Response:
    return requests.get(server.url + "/drive/v3/files",
                        headers={"Authorization": f"Bearer {token}"})


def test_always_use_jwt_access_with_googleapiclient(server: Server, accounts: Accounts) -> None:
    """googleapiclient scopes the credentials with the discovery document's scopes, so
    google-auth signs a ``scope`` JWT and never calls the token endpoint."""
    account = accounts.account()
    creds = service_account.Credentials.from_service_account_file(
        str(account.key_file), always_use_jwt_access=True
    )
    drive = service(server, "drive", "v3", creds)
    listed = drive.files().list(pageSize=2).execute()
    assert listed["files"]
    used = drive._http.credentials  # googleapiclient's scoped copy of the credentials
    sent = google_jwt.decode(used.token, verify=False)
    assert "scope" in sent and "aud" not in sent and sent["iss"] == account.email


def test_with_explicit_scopes_the_jwt_carries_them(server: Server, accounts: Accounts) -> None:
    account = accounts.account()
    creds = service_account.Credentials.from_service_account_file(
        str(account.key_file), scopes=[CALENDAR_RO], always_use_jwt_access=True
    )
    calendar = service(server, "calendar", "v3", creds)
    assert "items" in calendar.events().list(calendarId="primary").execute()
    drive = service(server, "drive", "v3", creds)
    with pytest.raises(HttpError) as caught:  # a calendar scope opens no Drive method
        drive.files().list().execute()
    assert caught.value.resp.status == 403


def test_an_audience_jwt_for_the_apis_service_url(server: Server, accounts: Accounts) -> None:
    account = accounts.account()
    creds = google_jwt.Credentials.from_service_account_file(
        str(account.key_file), audience=DRIVE_AUD
    )
    session = AuthorizedSession(creds)
    answer = session.get(server.url + "/drive/v3/files")
    assert answer.status_code == 200, answer.text
    info = requests.get(server.url + "/drive/v3/files",
                        headers={"Authorization": "Bearer " + signed(
                            account, claims(account, aud=server.url + "/drive/v3/"))})
    assert info.status_code == 200  # the API's root on Accord's origin too


def test_the_accounts_project_must_enable_the_api(server: Server, accounts: Accounts) -> None:
    account = accounts.account(accounts.project(("calendar",)))
    answer = files(server, signed(account, claims(account, aud=DRIVE_AUD)))
    assert answer.status_code == 403
    assert answer.json()["error"]["details"][0]["reason"] == "SERVICE_DISABLED"


def _hs256_with_public_key(account: Account) -> str:
    info = key_info(account)
    public = serialization.load_pem_private_key(info["private_key"].encode(), None).public_key()
    pem = public.public_bytes(serialization.Encoding.PEM,
                              serialization.PublicFormat.SubjectPublicKeyInfo)
    segments = [base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")
                for part in ({"alg": "HS256", "kid": info["private_key_id"]},
                             claims(account, aud=DRIVE_AUD))]
    mac = hmac.new(pem, b".".join(segments), hashlib.sha256).digest()
    return b".".join([*segments, base64.urlsafe_b64encode(mac).rstrip(b"=")]).decode()


def _alg_none(account: Account) -> str:
    parts = [base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=").decode()
             for p in ({"alg": "none", "kid": key_info(account)["private_key_id"]},
                       claims(account, aud=DRIVE_AUD))]
    return ".".join(parts) + "."


def test_forged_and_stale_jwts_are_refused_as_bad_tokens(
    server: Server, accounts: Accounts
) -> None:
    project = accounts.project()
    account, other = accounts.account(project), accounts.account(project)
    now = int(time.time())
    other_key = key_info(other)
    forged = {
        "another account's key": jwt.encode(
            claims(account, aud=DRIVE_AUD), other_key["private_key"], algorithm="RS256",
            headers={"kid": key_info(account)["private_key_id"]}),
        "another account's key and kid": jwt.encode(
            claims(account, aud=DRIVE_AUD), other_key["private_key"], algorithm="RS256",
            headers={"kid": other_key["private_key_id"]}),
        "alg none": _alg_none(account),
        "HS256 keyed with the public key": _hs256_with_public_key(account),
        "expired": signed(account, claims(account, aud=DRIVE_AUD, iat=now - 4000,
                                          exp=now - 400)),
        "over an hour": signed(account, claims(account, aud=DRIVE_AUD, exp=now + 7200)),
        "www.googleapis.com is no API's audience": signed(
            account, claims(account, aud="https://www.googleapis.com/")),
        "neither aud nor scope": signed(account, claims(account)),
        "iss is not sub": signed(account, claims(account, aud=DRIVE_AUD, sub="x@example.com")),
    }
    for name, token in forged.items():
        answer = files(server, token)
        assert answer.status_code == 401, name
        error = answer.json()["error"]
        assert error["status"] == "UNAUTHENTICATED", name
        assert answer.headers["WWW-Authenticate"].endswith('error="invalid_token"'), name


def test_a_disabled_key_or_account_signs_nothing(server: Server, accounts: Accounts) -> None:
    project = accounts.project()
    account = accounts.account(project)
    token = signed(account, claims(account, aud=DRIVE_AUD))
    assert files(server, token).status_code == 200
    accounts.disable_key(account.key_id)
    assert files(server, token).status_code == 401
    second = accounts.account(project)
    token = signed(second, claims(second, scope=DRIVE_META))
    assert files(server, token).status_code == 200
    accounts.set_disabled(second)
    assert files(server, token).status_code == 401
