"""The admin API's organizations (issue 4): users, app access, restricted APIs, the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from accord.clock import SystemClock
from accord.services import Operator
from accord.services.orgs import Organizations
from tests.conftest import PASSWORD, Server, World
from tests.e2e.admin_api.support import (
    Admin,
    admin_for,
)


# Organizations (issue 4) ----------------------------------------------------------------
@dataclass
class Org:
    org_id: str
    domain: str
    admin: Admin


@pytest.fixture
def org(server: Server) -> Iterator[Org]:
    """An organization (made by the operator) and one of its users as its administrator."""
    suffix = uuid.uuid4().hex[:10]
    org_id, domain = f"org-{suffix}", f"org{suffix}.com"
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Org Inc", [domain])
    email = f"boss@{domain}"
    server.admin.create_user(email, PASSWORD, "Boss")
    orgs.add_admin(Operator(), org_id, email)
    client = server.new_client(server.new_project())
    yield Org(org_id, domain, admin_for(server, World(email, PASSWORD, "", client)))


def test_org_admin_reads_the_organization_others_get_404(org: Org, stranger: Admin) -> None:
    admin, path = org.admin, f"/organizations/{org.org_id}"
    assert [o["orgId"] for o in admin("GET", "/organizations").json()["organizations"]] == [
        org.org_id
    ]
    assert admin("GET", path).json()["domains"] == [org.domain]
    assert stranger("GET", path).status_code == 404
    assert stranger("GET", "/organizations").json() == {"organizations": []}


def test_org_users_created_disabled_enabled_deleted(org: Org) -> None:
    admin, path = org.admin, f"/organizations/{org.org_id}/users"
    email = f"new@{org.domain}"
    created = admin("POST", path, {"email": email, "password": PASSWORD, "name": "New"})
    assert created.status_code == 200, created.text
    assert created.json()["disabled"] is False
    assert admin("POST", path, {"email": email, "password": PASSWORD}).status_code == 409
    outside = admin("POST", path, {"email": "x@elsewhere-example.com", "password": PASSWORD})
    assert outside.status_code == 400
    assert admin("POST", f"{path}/{email}:disable").json()["disabled"] is True
    assert admin("POST", f"{path}/{email}:enable").json()["disabled"] is False
    emails = [u["email"] for u in admin("GET", path).json()["users"]]
    assert emails == [f"boss@{org.domain}", email]
    assert admin("DELETE", f"{path}/{email}").json() == {}
    assert admin("POST", f"{path}/{email}:disable").status_code == 404


def test_org_app_access_and_restricted_apis(server: Server, org: Org) -> None:
    admin, path = org.admin, f"/organizations/{org.org_id}"
    client_id = server.new_client(server.new_project()).client_id
    entry = admin("PUT", path + "/appAccess", {"clientId": client_id, "access": "trusted"})
    assert entry.status_code == 200, entry.text
    assert entry.json()["access"] == "trusted"
    listed = admin("GET", path + "/appAccess").json()["appAccess"]
    assert [(a["clientId"], a["access"]) for a in listed] == [(client_id, "trusted")]
    nobody = admin("PUT", path + "/appAccess", {"clientId": "nope", "access": "blocked"})
    assert nobody.status_code == 400
    assert admin("PUT", path + "/restrictedApis/drive").json() == {"restrictedApis": ["drive"]}
    assert admin("DELETE", path + "/restrictedApis/drive").json() == {"restrictedApis": []}
    assert admin("DELETE", path + "/restrictedApis/drive").status_code == 404


def test_org_audit_events_page_newest_first(org: Org) -> None:
    admin, path = org.admin, f"/organizations/{org.org_id}"
    for api in ("drive", "calendar"):
        assert admin("PUT", f"{path}/restrictedApis/{api}").ok
    first = admin("GET", path + "/auditEvents?pageSize=1").json()
    assert [e["event"] for e in first["auditEvents"]] == ["policy.api_restricted"]
    assert first["auditEvents"][0]["detail"]["api"] == "calendar"
    token = first["nextPageToken"]
    second = admin("GET", f"{path}/auditEvents?pageSize=1&pageToken={token}").json()
    assert second["auditEvents"][0]["detail"]["api"] == "drive"
    assert admin("GET", path + "/auditEvents?pageSize=0").status_code == 400
    assert admin("GET", path + "/auditEvents?pageSize=x").status_code == 400
