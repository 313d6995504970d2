"""generateIdToken, signJwt and signBlob (reference §1.19) through google-auth, and the API's
refusals of bad input in Google's envelope.

google-auth's ``impersonated_credentials.IDTokenCredentials`` and ``iam.Signer`` ignore
``iam_endpoint_override``: they always call https://iamcredentials.googleapis.com. Pointing
that host at Accord (a hosts-file entry) is what real code does; here the library's endpoint
constants are pointed at Accord instead (the same paths), and the rest is the library's own.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from google.auth import iam, impersonated_credentials
from google.auth.transport.requests import Request
from google.oauth2 import id_token

from tests.conftest import DRIVE_META, Server
from tests.e2e.iam.conftest import Account, Accounts
from tests.e2e.iam.test_impersonation import IAM, endpoint, impersonate, sa_creds


@pytest.fixture
def hosts_entry(server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """iamcredentials.googleapis.com -> Accord, for the library calls that hard-code it."""
    base = server.url + "/v1/projects/-/serviceAccounts/{}"
    for name, verb in (("_IAM_IDTOKEN_ENDPOINT", "generateIdToken"),
                       ("_IAM_SIGN_ENDPOINT", "signBlob"), ("_IAM_SIGNJWT_ENDPOINT", "signJwt")):
        monkeypatch.setattr(iam, name, f"{base}:{verb}")
    yield


@pytest.fixture
def pair(accounts: Accounts) -> tuple[Account, Account]:
    project = accounts.project()
    caller, target = accounts.account(project), accounts.account(project)
    accounts.bind(target, caller.member)
    return caller, target


def bearer(caller: Account) -> dict[str, str]:
    creds = sa_creds(caller).with_scopes([IAM])
    creds.refresh(Request())
    return {"Authorization": f"Bearer {creds.token}"}


def published_key(server: Server, target: Account, kid: str) -> rsa.RSAPublicKey:
    """The key ``kid`` as the account's public-key endpoint publishes it (kid -> PEM)."""
    certs = requests.get(f"{server.url}/robot/v1/metadata/x509/{target.email}").json()
    key = x509.load_pem_x509_certificate(certs[kid].encode()).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def test_impersonated_id_token_credentials_verify_with_accords_certs(
    server: Server, pair: tuple[Account, Account], hosts_entry: None
) -> None:
    caller, target = pair
    creds = impersonated_credentials.IDTokenCredentials(
        impersonate(server, sa_creds(caller), target),
        target_audience="https://service.example/", include_email=True,
    )
    creds.refresh(Request())
    claims = id_token.verify_token(
        creds.token, Request(), audience="https://service.example/",
        certs_url=server.url + "/oauth2/v1/certs",
    )
    assert claims["iss"] == server.url and claims["sub"] == target.unique_id
    assert claims["email"] == target.email and claims["email_verified"] is True
    assert claims["azp"] == target.unique_id


def test_booleans_as_strings_and_email_azp(server: Server, pair: tuple[Account, Account]) -> None:
    caller, target = pair
    body = {"audience": "aud-1", "includeEmail": "false", "useEmailAzp": "true"}
    answer = requests.post(endpoint(server, target.unique_id, "generateIdToken"), json=body,
                           headers=bearer(caller))
    assert answer.status_code == 200, answer.text
    claims = jwt.decode(answer.json()["token"], options={"verify_signature": False})
    assert claims["aud"] == "aud-1" and claims["azp"] == target.email and "email" not in claims


def test_iam_signer_signs_with_a_published_system_managed_key(
    server: Server, pair: tuple[Account, Account], hosts_entry: None
) -> None:
    caller, target = pair
    source = sa_creds(caller).with_scopes([IAM])
    signer = iam.Signer(Request(), source, target.email)
    signature = signer.sign(b"to be signed")
    answer = requests.post(endpoint(server, target.email, "signBlob"), headers=bearer(caller),
                           json={"payload": base64.b64encode(b"to be signed").decode()}).json()
    assert base64.b64decode(answer["signedBlob"]) == signature  # PKCS#1 v1.5 is deterministic
    key = published_key(server, target, answer["keyId"])
    key.verify(signature, b"to be signed", padding.PKCS1v15(), hashes.SHA256())


def test_sign_jwt_verifies_against_the_accounts_key(
    server: Server, pair: tuple[Account, Account]
) -> None:
    caller, target = pair
    now = int(time.time())
    claims = {"iss": target.email, "aud": "https://example.org/", "iat": now, "exp": now + 600}
    answer = requests.post(endpoint(server, target.email.replace("@", "%40"), "signJwt"),
                           json={"payload": jwt.api_jwt.json.dumps(claims)},
                           headers=bearer(caller))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert jwt.get_unverified_header(body["signedJwt"])["kid"] == body["keyId"]
    key = published_key(server, target, body["keyId"])
    assert jwt.decode(body["signedJwt"], key, algorithms=["RS256"],
                      audience="https://example.org/") == claims


def _post(server: Server, caller: Account, target: Account, verb: str, **kw: Any) -> Any:
    headers = {**bearer(caller), **kw.pop("headers", {})}
    return requests.post(endpoint(server, target.email, verb), headers=headers, **kw)


@pytest.mark.parametrize(
    ("verb", "body", "field"),
    [
        ("generateAccessToken", {"scope": []}, "scope"),
        ("generateAccessToken", {"scope": "not-a-list"}, "scope"),
        ("generateAccessToken", {"scope": [DRIVE_META], "lifetime": "1h"}, "lifetime"),
        ("generateAccessToken", {"scope": [DRIVE_META], "lifetime": 3600}, "lifetime"),
        ("generateAccessToken", {"scope": [DRIVE_META], "colour": "blue"}, "colour"),
        ("generateAccessToken", {"scope": [DRIVE_META], "delegates": ["someone"]}, "delegates"),
        ("generateIdToken", {"audience": "a", "includeEmail": "yes"}, "includeEmail"),
        ("generateIdToken", {}, "audience"),
        ("signJwt", {"payload": "[1, 2]"}, "payload"),
        ("signJwt", {"payload": '{"exp": 99999999999}'}, "payload"),
        ("signJwt", {"payload": '{"sub": "no exp"}'}, "payload"),
        ("signBlob", {"payload": "***"}, "payload"),
        ("signBlob", {}, "payload"),
    ],
)
def test_bad_fields_are_invalid_arguments(
    server: Server, pair: tuple[Account, Account], verb: str, body: Any, field: str
) -> None:
    caller, target = pair
    answer = _post(server, caller, target, verb, json=body)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"][0]["fieldViolations"][0]["field"] == field


@pytest.mark.parametrize("data", [b"{not json", b"[1]", b"\xff\xfe", b"{" + b" " * 70000 + b"}"])
def test_unreadable_bodies_are_invalid_arguments(
    server: Server, pair: tuple[Account, Account], data: bytes
) -> None:
    caller, target = pair
    answer = _post(server, caller, target, "generateAccessToken", data=data,
                   headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_the_project_wildcard_is_required(server: Server, pair: tuple[Account, Account]) -> None:
    caller, target = pair
    url = f"{server.url}/v1/projects/{target.project_id}/serviceAccounts/{target.email}"
    answer = requests.post(url + ":generateAccessToken", json={"scope": [DRIVE_META]},
                           headers=bearer(caller))
    assert answer.status_code == 400 and answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_callers_without_a_token_or_with_a_bad_one(
    server: Server, pair: tuple[Account, Account]
) -> None:
    _, target = pair
    url = endpoint(server, target.email)
    missing = requests.post(url, json={"scope": [DRIVE_META]})
    assert missing.status_code == 401
    assert missing.json()["error"]["details"][0]["reason"] == "CREDENTIALS_MISSING"
    bad = requests.post(url, json={"scope": [DRIVE_META]},
                        headers={"Authorization": "Bearer ya29.forged"})
    assert bad.status_code == 401 and bad.json()["error"]["status"] == "UNAUTHENTICATED"
    assert "errors" not in bad.json()["error"]


def test_an_unknown_verb_is_not_found(server: Server, pair: tuple[Account, Account]) -> None:
    caller, target = pair
    answer = _post(server, caller, target, "mintGold", json={})
    assert answer.status_code == 404 and answer.json()["error"]["status"] == "NOT_FOUND"


def test_a_forged_self_signed_caller_jwt_is_unauthenticated(
    server: Server, accounts: Accounts, pair: tuple[Account, Account]
) -> None:
    caller, target = pair
    outsider = accounts.account()  # signs with its own key but claims to be the caller
    assert outsider.key_file is not None
    info = json.loads(outsider.key_file.read_text())
    now = int(time.time())
    forged = jwt.encode(
        {"iss": caller.email, "sub": caller.email, "iat": now, "exp": now + 600, "scope": IAM},
        info["private_key"], algorithm="RS256", headers={"kid": caller.key_id},
    )
    answer = requests.post(endpoint(server, target.email, "signBlob"), json={"payload": "AA=="},
                           headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401 and answer.json()["error"]["status"] == "UNAUTHENTICATED"


def test_impersonation_with_a_subject_signs_through_sign_jwt(
    server: Server, pair: tuple[Account, Account], hosts_entry: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """google-auth's impersonation with ``subject`` (domain-wide delegation): signJwt on
    the target signs the assertion, then the JWT-bearer grant at the token endpoint (both
    hard-coded hosts pointed at Accord) acts as the organization's user."""
    from tests.e2e.service_accounts.support import OP, delegations
    from tests.policy_helpers import new_org, org_user

    caller, target = pair
    org_id, domain = new_org(server)
    delegations(server).add(OP, org_id, target.unique_id, [DRIVE_META])
    user = org_user(server, org_id, domain)
    monkeypatch.setattr(impersonated_credentials, "_GOOGLE_OAUTH2_TOKEN_ENDPOINT",
                        server.url + "/token")
    creds = impersonate(server, sa_creds(caller), target, subject=user)
    creds.refresh(Request())
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token}).json()
    assert info["azp"] == target.unique_id and info["scope"] == DRIVE_META
    assert info["sub"] != target.unique_id  # the user's, not the account's
