"""Organizations' policies end to end through google_auth_oauthlib and google-auth (reference
§1.1, §1.2, §1.3.3): internal apps, hd, API controls. Each error is checked where Google shows
it: a page, or the token endpoint.
"""

from __future__ import annotations

import os

import google.auth.transport.requests
import pytest
from google.auth.exceptions import RefreshError
from google.oauth2 import id_token as google_id_token

from accord.google import paths
from accord.storage.audit import AuditLog
from tests.conftest import CALENDAR_RO, DRIVE_META, PASSWORD, Server, World
from tests.e2e.policies.support import (
    EMAIL,
    _page_error,
    _text,
)
from tests.flows import authorize, flow_for
from tests.policy_helpers import (
    OP,
    credentials,
    new_org,
    org_user,
    orgs,
    projects,
    refresh,
)


# Organizations: internal apps -------------------------------------------------------
def test_google_org_internal_app_refuses_outsiders(server: Server) -> None:
    """An internal app of an organization's project: its users may authorize it (and carry
    ``hd``), anyone else gets Google's org_internal page, 403 (reference §1.1, §1.10)."""
    org_id, domain = new_org(server)
    insider = org_user(server, org_id, domain)
    project_id = "p-int-" + os.urandom(4).hex()
    projects(server).create(OP, project_id, "Internal Tool", org_id=org_id)
    projects(server).update_consent_screen(OP, project_id, user_type="internal")
    client = server.new_client(project_id)
    outsider, _ = server.new_user()

    refused = _page_error(server, World(outsider, PASSWORD, "", client), ["openid"], outsider)
    assert refused.left_to is None and refused.page.status_code == 403
    assert "Error 403: org_internal" in _text(refused)

    world = World(insider, PASSWORD, "", client)
    flow, _ = authorize(server, world, ["openid", EMAIL])
    claims = google_id_token.verify_token(
        flow.credentials.id_token,
        google.auth.transport.requests.Request(),
        audience=client.client_id,
        certs_url=server.url + paths.CERTS_V1,
    )
    assert claims["hd"] == domain and claims["email"] == insider


def test_google_hd_is_absent_for_accounts_outside_organizations(
    server: Server, world: World
) -> None:
    """``hd`` is "provided only if the user belongs to a ... organization" (§1.10)."""
    flow, _ = authorize(server, world, ["openid", EMAIL])
    claims = google_id_token.verify_token(
        flow.credentials.id_token,
        google.auth.transport.requests.Request(),
        audience=world.client.client_id,
        certs_url=server.url + paths.CERTS_V1,
    )
    assert "hd" not in claims


# Organizations: API controls ----------------------------------------------------------
def test_google_admin_policy_enforced_restricted_service(server: Server) -> None:
    """Drive restricted by the organization: a limited (unlisted) app asking for a Drive scope
    gets admin_policy_enforced on Google's page; Calendar still works; once the admin marks
    the app trusted, Drive works too (reference §1.1, §1.2)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Third Party")))
    orgs(server).restrict_api(OP, org_id, "drive")

    refused = _page_error(server, world, [DRIVE_META], email)
    assert refused.left_to is None and refused.page.status_code == 400
    assert "Error 400: admin_policy_enforced" in _text(refused)

    authorize(server, world, [CALENDAR_RO])
    orgs(server).set_app_access(OP, org_id, world.client.client_id, "trusted")
    flow, _ = authorize(server, world, [DRIVE_META])
    assert flow.credentials.token.startswith("ya29.")

    events = AuditLog(server.admin.engine).recent(org_pk=None, limit=1000)
    assert any(
        e["event"] == "policy.denied" and e["outcome"] == "admin_policy_enforced"
        and e["email"] == email
        for e in events
    )


def test_google_admin_policy_enforced_blocked_app(server: Server) -> None:
    """A blocked app may not even sign the organization's users in."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Blocked App")))
    orgs(server).set_app_access(OP, org_id, world.client.client_id, "blocked")
    refused = _page_error(server, world, ["openid"], email)
    assert "Error 400: admin_policy_enforced" in _text(refused)
    # Users outside the organization are not concerned by its controls.
    outsider, _ = server.new_user()
    authorize(server, World(outsider, PASSWORD, "", world.client), ["openid"])


def test_google_admin_policy_enforced_on_refresh_after_restriction(server: Server) -> None:
    """"A Workspace admin set a requested service to Restricted": refreshing a token whose
    scopes are now restricted fails with admin_policy_enforced (reference §1.3.3 item 5)."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Calendar App")))
    flow, _ = authorize(server, world, [CALENDAR_RO])
    creds = credentials(world, flow.credentials.refresh_token)
    refresh(creds)
    orgs(server).restrict_api(OP, org_id, "calendar")
    with pytest.raises(RefreshError, match="admin_policy_enforced"):
        refresh(creds)
    orgs(server).unrestrict_api(OP, org_id, "calendar")
    refresh(creds)


def test_admin_policy_enforced_covers_include_granted_scopes(server: Server) -> None:
    """include_granted_scopes=true must not carry a scope granted before its service was
    restricted into a new code: the request gets admin_policy_enforced, as a refresh does."""
    org_id, domain = new_org(server)
    email = org_user(server, org_id, domain)
    world = World(email, PASSWORD, "", server.new_client(server.new_project("Incremental")))
    _, browser = authorize(server, world, [CALENDAR_RO])
    orgs(server).restrict_api(OP, org_id, "calendar")
    flow = flow_for(world, [EMAIL])
    url, _ = flow.authorization_url(include_granted_scopes="true")
    browser.open(url)
    assert browser.left_to is None, "a code carrying the restricted scope was issued"
    assert "Error 400: admin_policy_enforced" in _text(browser)
    # Without include_granted_scopes the unrestricted scope alone is fine.
    flow, _ = authorize(server, world, [EMAIL], browser)
    assert CALENDAR_RO not in (flow.oauth2session.token.get("scope") or [])
