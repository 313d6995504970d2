"""Accounts disabled or deleted, the audit log, and an unverified account's organization."""

from __future__ import annotations

import os

import pytest
import requests
from google.auth.exceptions import RefreshError

from tests.conftest import CALENDAR_RO, PASSWORD, Server, World
from tests.e2e.policies.support import (
    _page_error,
)
from tests.flows import authorize
from tests.policy_helpers import (
    OP,
    credentials,
    new_org,
    org_user,
    orgs,
    refresh,
)


# Accounts disabled or deleted -------------------------------------------------------
def test_google_disabled_or_deleted_account_tokens_fail(server: Server) -> None:
    """A disabled account's refresh tokens give invalid_grant and its access tokens are no
    longer valid; deleting the account has the same effect (reference §1.3.3, §1.3.4)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project()))
    flow, _ = authorize(server, world, [CALENDAR_RO])
    creds = credentials(world, flow.credentials.refresh_token)
    orgs(server).disable_user(OP, org_id, email)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(creds)
    info = requests.get(server.url + "/tokeninfo", params={"access_token": flow.credentials.token})
    assert info.status_code == 400
    orgs(server).enable_user(OP, org_id, email)
    refresh(creds)
    orgs(server).delete_user(OP, org_id, email)
    with pytest.raises(RefreshError, match="invalid_grant"):
        refresh(creds)


def test_disabled_account_cannot_sign_in(server: Server) -> None:
    """A disabled account is refused at sign-in with the same answer as a wrong password."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    orgs(server).disable_user(OP, org_id, email)
    world = World(email, PASSWORD, "", server.new_client(server.new_project()))
    browser = _page_error(server, world, ["openid"], email)
    assert browser.left_to is None and "Wrong email or password" in browser.page.text



def test_audit_log_records_consents_revocations_and_sign_ins(server: Server) -> None:
    """Administrators read sign-ins, consents, revocations and policy decisions of their
    organization's users in the audit log (issue 4)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Audited")))
    flow, _ = authorize(server, world, [CALENDAR_RO])
    assert requests.post(server.url + "/revoke", data={"token": flow.credentials.token}).ok
    events = [e.as_json() for e in orgs(server).audit(OP, org_id)]
    kinds = {e["event"] for e in events}
    assert {"signin.success", "consent.granted", "token.revoked"} <= kinds, kinds
    assert all(e["email"] in (email, "") for e in events)


def test_unverified_account_does_not_join_a_later_organization(server: Server) -> None:
    """An unverified address (self sign-up) does not make its account a member of the
    organization that later adds the domain: no ``hd``, no internal apps (issue 4)."""
    from accord.services import Profile
    from accord.storage.sql import SqlStore

    org_id = "org-" + os.urandom(4).hex()
    domain = f"{org_id}.com"
    sub = server.admin.create_user(
        f"early@{domain}", PASSWORD, "Early", Profile(email_verified=False)
    )
    orgs(server).create(OP, org_id, "Later Corp", [domain])
    store = SqlStore(server.admin.engine)
    found = store.user_by_login(sub)
    assert found is not None and found[0].org_pk is None and found[0].hd == ""
