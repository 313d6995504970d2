"""Domain-wide delegation through google-auth (reference §1.16): the seed's
``credentials.with_subject('user@...')``, and each of its refusals by name."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
import requests
from google.auth.exceptions import RefreshError
from sqlalchemy import select

from accord.google.apis import samples
from accord.services import Organizations, Users
from accord.storage.schema import users
from tests.conftest import CALENDAR_RO, DRIVE_META, Server
from tests.e2e.apis.support import service
from tests.e2e.service_accounts.support import (
    EMAIL_SCOPE,
    OP,
    Account,
    claims,
    delegations,
    new_account,
    refresh,
    refusal,
    sign,
)
from tests.policy_helpers import new_org, org_user

DENIED = {
    "error": "unauthorized_client",
    "error_description": "Client is unauthorized to retrieve access tokens using this method, "
    "or client not authorized for any of the scopes requested.",
}
USER = {"error": "invalid_grant", "error_description": "Invalid email or User ID"}
SUB = {"error": "invalid_request", "error_description": 'Invalid impersonation "sub" field'}


@dataclass
class Org:
    org_id: str
    domain: str
    user: str  # an email in the organization


@pytest.fixture(scope="module")
def account(server: Server) -> Account:
    return new_account(server)


@pytest.fixture(scope="module")
def org(server: Server, account: Account) -> Org:
    org_id, domain = new_org(server)
    delegations(server).add(OP, org_id, account.unique_id, [DRIVE_META, EMAIL_SCOPE])
    return Org(org_id, domain, org_user(server, org_id, domain))


def _user_sub(server: Server, email: str) -> str:
    with server.admin.engine.connect() as conn:
        return str(conn.execute(select(users.c.sub).where(users.c.email == email)).scalar_one())


def test_google_1_16_with_subject_acts_as_the_user(
    server: Server, account: Account, org: Org
) -> None:
    """The seed's delegation: tokeninfo, userinfo and Drive show the user, not the account;
    the client id is the account's unique id."""
    creds = account.credentials([DRIVE_META, EMAIL_SCOPE]).with_subject(org.user)
    refresh(creds)
    info = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                        timeout=30).json()
    sub = _user_sub(server, org.user)
    assert (info["azp"], info["aud"], info["sub"], info["email"]) == (
        account.unique_id, account.unique_id, sub, org.user)
    me = requests.get(server.url + "/v1/userinfo", timeout=30,
                      headers={"Authorization": f"Bearer {creds.token}"}).json()
    assert (me["sub"], me["email"]) == (sub, org.user)
    drive = service(server, "drive", "v3", creds)
    names = [f["name"] for f in drive.files().list().execute()["files"]]
    assert names == [f.name for f in samples.files(sub, int(time.time()))]


def test_delegation_is_audited_with_the_accounts_client_id(
    server: Server, account: Account, org: Org
) -> None:
    refresh(account.credentials([DRIVE_META]).with_subject(org.user))
    events = Organizations(server.admin.engine, server.admin.clock).audit(OP, org.org_id)
    delegated = [e for e in events if e.event == "token.delegated"]
    assert delegated and delegated[0].client_id == account.unique_id  # newest first
    assert (delegated[0].email, delegated[0].outcome) == (org.user, "issued")


@pytest.mark.parametrize(
    ("subject", "scopes", "expected", "status"),
    [
        ("{user}", [CALENDAR_RO], DENIED, 401),
        ("{user}", [DRIVE_META, CALENDAR_RO], DENIED, 401),
        ("ghost@{domain}", [DRIVE_META], USER, 400),
        ("outsider", [DRIVE_META], USER, 400),
        ("not an email", [DRIVE_META], SUB, 400),
    ],
    ids=["scope-not-delegated", "one-scope-too-many", "unknown-user", "user-outside-any-org",
         "malformed-sub"],
)
def test_google_1_16_refusals_by_name(
    server: Server, account: Account, org: Org, subject: str, scopes: list[str],
    expected: dict[str, str], status: int,
) -> None:
    if subject == "outsider":
        subject, _ = server.new_user()
    subject = subject.format(user=org.user, domain=org.domain)
    with pytest.raises(RefreshError) as caught:
        refresh(account.credentials(scopes).with_subject(subject))
    assert caught.value.args[1] == expected
    assert refusal(server, sign(account, claims(account, sub=subject,
                                                scope=" ".join(scopes)))) == (status, expected)


def test_an_account_the_org_did_not_authorize_is_unauthorized_client(
    server: Server, org: Org
) -> None:
    stranger = new_account(server)
    with pytest.raises(RefreshError) as caught:
        refresh(stranger.credentials([DRIVE_META]).with_subject(org.user))
    assert caught.value.args[1] == DENIED


def test_a_disabled_user_gets_no_token_and_their_delegated_tokens_die(
    server: Server, account: Account, org: Org
) -> None:
    email = org_user(server, org.org_id, org.domain)
    creds = account.credentials([DRIVE_META]).with_subject(email)
    refresh(creds)
    Users(server.admin.engine, server.admin.clock).disable(OP, email)
    answer = requests.get(server.url + "/tokeninfo", params={"access_token": creds.token},
                          timeout=30)
    assert answer.status_code == 400
    with pytest.raises(RefreshError) as caught:
        refresh(account.credentials([DRIVE_META]).with_subject(email))
    assert caught.value.args[1] == USER
