"""The console's organization page over HTTP (issue 4)."""

from __future__ import annotations

import re
import uuid

import pytest

from accord.clock import SystemClock
from accord.google import paths
from accord.services import Operator, Organizations
from tests.conftest import PASSWORD, Server
from tests.e2e.console.support import (
    Console,
    flash,
)


@pytest.fixture
def org(server: Server) -> tuple[str, str, Console]:
    """An organization made by the operator, with one admin signed in to the console:
    (org ID, its domain, the admin)."""
    org_id = "org-" + uuid.uuid4().hex[:8]
    domain = f"{org_id}.com"
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Acme Test Org", [domain])
    admin = Console(server, "Ada Admin", f"ada@{domain}")
    orgs.add_admin(Operator(), org_id, admin.email)
    return org_id, domain, admin


def test_console_org_admin_manages_users_access_and_apis(
    server: Server, org: tuple[str, str, Console]
) -> None:
    """An org admin creates and disables users, trusts an app, restricts an API, and
    reads every change back in the audit log."""
    org_id, domain, admin = org
    path = f"/console/orgs/{org_id}"
    assert f'href="{path}"' in admin.get(paths.CONSOLE).text
    created = admin.post(
        path, "create_user", email=f"bob@{domain}", name="Bob", password=PASSWORD
    )
    assert created.status_code == 303 and flash(created) == "user_created"
    disabled = admin.post(path, "disable_user", email=f"bob@{domain}")
    assert disabled.status_code == 303 and flash(disabled) == "user_disabled"
    client = server.new_client(server.new_project(apis=()))
    trusted = admin.post(path, "set_access", client_id=client.client_id, access="trusted")
    assert trusted.status_code == 303 and flash(trusted) == "access_set"
    restricted = admin.post(path, "restrict", api="drive")
    assert restricted.status_code == 303 and flash(restricted) == "api_restricted"

    page = admin.get(path).text
    assert f"bob@{domain}" in page and "badge-disabled" in page
    assert client.client_id in page and "badge-trusted" in page
    audit = page[page.index('id="audit"'):]
    for event in ("user.created", "user.disabled", "policy.app_access"):
        assert event in audit


def test_console_org_refusals_are_the_services_messages(org: tuple[str, str, Console]) -> None:
    """A user outside the organization's domains is refused next to the email field;
    unknown actions and clients are refused on the page, not as a server error."""
    org_id, _domain, admin = org
    path = f"/console/orgs/{org_id}"
    outside = admin.post(path, "create_user", email="eve@elsewhere.com", password=PASSWORD)
    assert outside.status_code == 400
    assert re.search(r'id="error-create_user-email">[^<]*must be in a domain', outside.text)
    unknown = admin.post(path, "set_access", client_id="nope", access="trusted")
    assert unknown.status_code == 400 and 'id="error-set_access-client_id"' in unknown.text
    not_restricted = admin.post(path, "unrestrict", api="calendar")
    assert not_restricted.status_code == 404 and "is not restricted" in not_restricted.text


def test_console_org_page_is_hidden_from_non_admins(
    server: Server, owner: Console, org: tuple[str, str, Console]
) -> None:
    """Someone who is not an admin gets the same 404 as for an organization that does
    not exist."""
    org_id, _domain, _admin = org
    seen, missing = owner.get(f"/console/orgs/{org_id}"), owner.get("/console/orgs/org-none")
    assert seen.status_code == missing.status_code == 404
    assert seen.text == missing.text
    answer = owner.post(f"/console/orgs/{org_id}", "restrict", api="drive")
    assert answer.status_code == 404
