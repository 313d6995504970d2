"""The JWT-bearer grant through google-auth (reference §1.14, §1.15): a key file made by
Accord refreshes through Accord unchanged, and every refusal of §1.15 by name."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import id_token, service_account

from accord.google.apis import samples
from tests.conftest import CALENDAR_RO, DRIVE_META, ROOT, Server
from tests.e2e.apis.support import service
from tests.e2e.service_accounts.support import (
    EMAIL_SCOPE,
    OP,
    Account,
    accounts,
    claims,
    hs256_with_public_key,
    new_account,
    new_key,
    post_assertion,
    refresh,
    refusal,
    sign,
    unsigned,
)

SIGNATURE = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
NOT_FOUND = {"error": "invalid_grant", "error_description": "Invalid grant: account not found"}
TIMEFRAME = {
    "error": "invalid_grant",
    "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
    "reasonable timeframe. Check your iat and exp values in the JWT claim.",
}
AUDIENCE = {"error": "invalid_grant", "error_description": "Invalid JWT: Failed audience check."}
NO_SCOPE = {
    "error": "invalid_scope",
    "error_description": "Invalid OAuth scope or ID token audience provided.",
}


@pytest.fixture(scope="module")
def account(server: Server) -> Account:
    return new_account(server)


def test_google_1_15_key_file_refreshes_through_accord(server: Server, account: Account) -> None:
    """from_service_account_file posts to the key file's token_uri (Accord) an assertion
    signed for aud=https://oauth2.googleapis.com/token; the token works at tokeninfo."""
    creds = account.credentials([DRIVE_META, EMAIL_SCOPE])
    refresh(creds)
    assert creds.valid and creds.token.startswith("ya29.")
    assert 3500 < (creds.expiry - creds.expiry.utcnow()).total_seconds() <= 3599
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                        timeout=30).json()
    assert info == {
        "azp": account.unique_id, "aud": account.unique_id, "sub": account.unique_id,
        "scope": " ".join(sorted([DRIVE_META, EMAIL_SCOPE])), "exp": info["exp"],
        "expires_in": info["expires_in"], "email": account.email, "email_verified": "true",
        "access_type": "online",
    }


def test_google_1_15_token_response_has_no_refresh_token_nor_scope(
    server: Server, account: Account
) -> None:
    answer = post_assertion(server, sign(account, claims(account)))
    assert answer.status_code == 200
    body = answer.json()
    assert list(body) == ["access_token", "expires_in", "token_type"]
    assert (body["expires_in"], body["token_type"]) == (3599, "Bearer")
    assert answer.headers["cache-control"] == "no-store"


def test_google_1_15_every_token_path_and_google_audience_is_accepted(
    server: Server, account: Account
) -> None:
    for path in ("/token", "/o/oauth2/token", "/oauth2/v4/token"):
        for aud in (server.url + path, "https://oauth2.googleapis.com/token",
                    "https://accounts.google.com/o/oauth2/token",
                    "https://www.googleapis.com/oauth2/v4/token"):
            answer = requests.post(
                server.url + path,
                data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                      "assertion": sign(account, claims(account, aud=aud))}, timeout=30,
            )
            assert answer.status_code == 200, (path, aud, answer.text)


def test_service_account_token_calls_the_demo_apis_with_its_own_data(
    server: Server, account: Account
) -> None:
    """googleapiclient with the service account's credentials: Drive and Calendar answer
    with the account's own sample data (keyed by its unique id)."""
    creds = account.credentials([DRIVE_META, CALENDAR_RO])
    drive = service(server, "drive", "v3", creds)
    listing = drive.files().list(fields="files(id, name)").execute()["files"]
    expected = samples.files(account.unique_id, int(time.time()))
    assert [f["name"] for f in listing] == [f.name for f in expected]
    owner = drive.files().get(fileId=listing[0]["id"], fields="owners").execute()["owners"][0]
    assert (owner["emailAddress"], owner["me"]) == (account.email, True)
    events = service(server, "calendar", "v3", creds).events().list(calendarId="primary")
    assert len(events.execute()["items"]) == len(samples.events(account.unique_id, int(time.time())))


def test_api_not_enabled_in_the_accounts_project_is_service_disabled(server: Server) -> None:
    from googleapiclient.errors import HttpError

    bare = new_account(server, apis=())
    drive = service(server, "drive", "v3", bare.credentials([DRIVE_META]))
    with pytest.raises(HttpError) as caught:
        drive.files().list().execute()
    body = json.loads(caught.value.content)["error"]
    assert (caught.value.status_code, body["status"]) == (403, "PERMISSION_DENIED")
    assert body["details"][0]["reason"] == "SERVICE_DISABLED"


@pytest.mark.parametrize("path", ["/v1/userinfo", "/oauth2/v2/userinfo"])
def test_userinfo_of_a_service_account(server: Server, account: Account, path: str) -> None:
    creds = account.credentials([EMAIL_SCOPE])
    refresh(creds)
    answer = requests.get(server.url + path, headers={"Authorization": f"Bearer {creds.token}"},
                          timeout=30)
    assert answer.status_code == 200
    if path == "/v1/userinfo":
        assert answer.json() == {"sub": account.unique_id, "email": account.email,
                                 "email_verified": True}
    else:
        assert answer.json() == {"id": account.unique_id, "email": account.email,
                                 "verified_email": True}


def test_revoking_a_service_account_token(server: Server, account: Account) -> None:
    """RFC 7009: the token stops working; the account's other tokens do not."""
    first, second = account.credentials(), account.credentials()
    refresh(first)
    refresh(second)
    assert requests.post(server.url + "/revoke", params={"token": first.token},
                         timeout=30).status_code == 200
    for token, status in ((first.token, 400), (second.token, 200)):
        answer = requests.get(server.url + "/tokeninfo", params={"access_token": token},
                              timeout=30)
        assert answer.status_code == status


def test_google_1_15_id_token_for_a_target_audience(server: Server, account: Account) -> None:
    """IDTokenCredentials: {"id_token"} signed with Accord's keys; verify_token accepts it."""
    creds = service_account.IDTokenCredentials.from_service_account_file(
        str(account.key_file), target_audience="https://service.example/run"
    )
    refresh(creds)
    claims_ = id_token.verify_token(
        creds.token, Request(), audience="https://service.example/run",
        certs_url=server.url + "/oauth2/v1/certs",
    )
    assert (claims_["sub"], claims_["email"], claims_["email_verified"]) == (
        account.unique_id, account.email, True,
    )
    assert claims_["iss"] in (server.issuer, "https://accounts.google.com")
    # Tokeninfo reads it too, whatever its audience (as Google's does).
    info = requests.get(server.url + "/tokeninfo", params={"id_token": creds.token}, timeout=10)
    assert info.status_code == 200, info.text
    assert (info.json()["aud"], info.json()["sub"]) == ("https://service.example/run",
                                                        account.unique_id)
    answer = post_assertion(
        server, sign(account, claims(account, scope=None, target_audience="aud-x"))
    )
    assert list(answer.json()) == ["id_token"]


def test_google_auth_default_reads_google_application_credentials(
    server: Server, account: Account
) -> None:
    """ADC in a fresh process: GOOGLE_APPLICATION_CREDENTIALS names Accord's key file."""
    program = (
        "import google.auth, google.auth.transport.requests as r\n"
        f"creds, project = google.auth.default(scopes=[{DRIVE_META!r}])\n"
        "creds.refresh(r.Request())\n"
        "print(project, creds.service_account_email, creds.token[:5])\n"
    )
    env = {"GOOGLE_APPLICATION_CREDENTIALS": str(account.key_file), "PATH": "/usr/bin:/bin",
           "NO_GCE_CHECK": "true", "HOME": str(server.data_dir)}
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [account.project_id, account.email, "ya29."]


# Refusals of §1.15 -----------------------------------------------------------------------
def test_google_1_15_forged_and_mistimed_assertions(server: Server, account: Account) -> None:
    other = new_account(server)
    now = int(time.time())
    cases = {
        "alg-none": (unsigned(account, claims(account)), SIGNATURE),
        "hs256-public-key": (hs256_with_public_key(account, claims(account)), SIGNATURE),
        "other-accounts-key": (sign(account, claims(account), key_of=other), SIGNATURE),
        "unknown-account": (
            sign(account, claims(account, iss="nobody@p-x.iam.gserviceaccount.com")), NOT_FOUND
        ),
        "wrong-audience": (sign(account, claims(account, aud="https://evil.example/token")),
                           AUDIENCE),
        "expired": (sign(account, claims(account, iat=now - 7200, exp=now - 3600)), TIMEFRAME),
        "over-long": (sign(account, claims(account, iat=now, exp=now + 3601)), TIMEFRAME),
        "issued-in-the-future": (sign(account, claims(account, iat=now + 3000, exp=now + 3600)),
                                 TIMEFRAME),
        "no-scope": (sign(account, claims(account, scope=None)), NO_SCOPE),
        "unknown-scope": (sign(account, claims(account, scope="https://x.example/s")), NO_SCOPE),
        "not-a-jwt": ("not.a.jwt", SIGNATURE),
    }
    for name, (assertion, expected) in cases.items():
        assert refusal(server, assertion) == (400, expected), name


def test_oversized_or_missing_assertion_is_invalid_request(server: Server, account: Account) -> None:
    status, body = refusal(server, sign(account, claims(account, pad="x" * 9000)))
    assert (status, body["error"]) == (400, "invalid_request")
    answer = requests.post(server.url + "/token", timeout=30, data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"})
    assert (answer.status_code, answer.json()["error_description"]) == (
        400, "Missing required parameter: assertion")


def test_google_auth_raises_refresh_error_with_googles_body(server: Server) -> None:
    """A disabled key: google-auth's RefreshError carries Google's JSON."""
    victim = new_account(server)
    accounts(server).disable_key(OP, victim.email, victim.key_id)
    with pytest.raises(RefreshError) as caught:
        refresh(victim.credentials())
    assert caught.value.args[1] == SIGNATURE


def test_disabled_deleted_accounts_and_keys_issue_nothing(server: Server) -> None:
    victim = new_account(server)
    assertion = sign(victim, claims(victim))
    creds = victim.credentials()
    refresh(creds)
    accounts(server).disable(OP, victim.email)
    assert refusal(server, assertion) == (
        400, {"error": "invalid_grant", "error_description": "Robot is disabled."})
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                        timeout=30)
    assert info.status_code == 400  # a disabled account's tokens die at once
    accounts(server).enable(OP, victim.email)
    assert post_assertion(server, assertion).status_code == 200
    accounts(server).disable_key(OP, victim.email, victim.key_id)
    assert refusal(server, assertion) == (400, SIGNATURE)
    accounts(server).enable_key(OP, victim.email, victim.key_id)
    assert post_assertion(server, assertion).status_code == 200
    accounts(server).delete(OP, victim.email)
    assert refusal(server, assertion) == (400, NOT_FOUND)
    with pytest.raises(RefreshError) as caught:  # and so google-auth says
        refresh(victim.credentials())
    assert caught.value.args[1] == NOT_FOUND


def test_google_auth_refusal_of_a_disabled_account(server: Server) -> None:
    victim = new_account(server)
    accounts(server).disable(OP, victim.email)
    with pytest.raises(RefreshError) as caught:
        refresh(victim.credentials())
    assert caught.value.args[1] == {"error": "invalid_grant",
                                    "error_description": "Robot is disabled."}
    assert "Robot is disabled." in str(caught.value)


def test_an_assertion_replayed_after_its_key_is_deleted_is_refused(server: Server) -> None:
    victim = new_account(server)
    second_key, second_file = new_key(server, victim.email)
    assertion = sign(victim, claims(victim))
    assert post_assertion(server, assertion).status_code == 200
    accounts(server).delete_key(OP, victim.email, victim.key_id)
    assert refusal(server, assertion) == (400, SIGNATURE)
    # The account's other key still works.
    creds = service_account.Credentials.from_service_account_file(
        str(second_file), scopes=[DRIVE_META])
    refresh(creds)
    assert creds.valid and second_key != victim.key_id
