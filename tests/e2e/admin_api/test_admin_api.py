"""The JSON admin API under /admin/v1 (issues 3 and 4), over HTTP against a real server.

Every token comes from a real OAuth flow: google_auth_oauthlib's Flow through Accord's
sign-in and consent pages, asking for the admin scope. Refusals are Google's error
envelope (AIP-193; reference §1.22).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from google_auth_oauthlib.flow import Flow

from accord.clock import SystemClock
from accord.google.scopes import ADMIN
from accord.services import Operator
from accord.services.orgs import Organizations
from tests.conftest import PASSWORD, REDIRECT_URI, Client, Server, World
from tests.flows import authorize

PREFIX = "/admin/v1"


@dataclass
class Admin:
    """One signed-in account calling the admin API with its token."""

    base: str
    email: str
    token: str | None

    def __call__(
        self, method: str, path: str, body: Any = None, *, data: bytes | None = None,
        headers: dict[str, str] | None = None, token: str | None = None,
    ) -> requests.Response:
        sent = dict(headers or {})
        if token or self.token:
            sent.setdefault("Authorization", f"Bearer {token or self.token}")
        return requests.request(
            method, self.base + path, json=body, data=data, headers=sent, timeout=10
        )


def token_for(server: Server, world: World, wanted: tuple[str, ...] = (ADMIN,)) -> str:
    flow, _ = authorize(server, world, ["openid", "email", *wanted])
    return str(flow.credentials.token)


def admin_for(server: Server, world: World, wanted: tuple[str, ...] = (ADMIN,)) -> Admin:
    return Admin(server.url + PREFIX, world.email, token_for(server, world, wanted))


def new_project_id() -> str:
    return "adm-" + uuid.uuid4().hex[:12]


def error(code: int, status: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


@pytest.fixture
def owner(server: Server) -> Admin:
    return admin_for(server, server.new_world())


@pytest.fixture
def stranger(server: Server) -> Admin:
    return admin_for(server, server.new_world())


@pytest.fixture
def project(owner: Admin) -> str:
    project_id = new_project_id()
    assert owner("POST", "/projects", {"projectId": project_id, "name": "Admin App"}).ok
    return project_id


# The document -------------------------------------------------------------------------
def test_openapi_document_is_public_and_describes_every_operation(server: Server) -> None:
    """GET /admin/v1/openapi.json needs no token; each operation documents its success
    and its errors with schemas."""
    from accord.adminapi import OPS

    doc = requests.get(server.url + PREFIX + "/openapi.json", timeout=10).json()
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": server.url + PREFIX}]
    flows = doc["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]
    assert list(flows["scopes"]) == [ADMIN]
    for op in OPS:
        described = doc["paths"][op.path][op.method.lower()]
        assert described["operationId"] == op.name
        assert {"200", "400", "401", "403"} <= set(described["responses"])
    assert len([m for p in doc["paths"].values() for m in p]) == len(OPS)


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


# Projects -----------------------------------------------------------------------------
def test_project_create_read_rename_delete(owner: Admin) -> None:
    project_id = new_project_id()
    created = owner("POST", "/projects", {"projectId": project_id, "name": "First"})
    assert created.status_code == 200, created.text
    project = created.json()
    assert project["projectId"] == project_id and project["role"] == "owner"
    assert project["projectNumber"].isdigit() and project["organization"] is None
    assert owner("GET", f"/projects/{project_id}").json() == project
    listed = owner("GET", "/projects").json()["projects"]
    assert project_id in [p["projectId"] for p in listed]
    renamed = owner("PATCH", f"/projects/{project_id}", {"name": "Second"}).json()
    assert renamed["name"] == "Second"
    assert owner("DELETE", f"/projects/{project_id}").json() == {}
    gone = owner("GET", f"/projects/{project_id}")
    assert gone.status_code == 404
    assert gone.json() == error(404, "NOT_FOUND", f"Project {project_id} not found")


def test_project_exists_already_is_409(owner: Admin, project: str) -> None:
    again = owner("POST", "/projects", {"projectId": project})
    assert again.status_code == 409
    body = again.json()["error"]
    assert body["status"] == "ALREADY_EXISTS"


def test_project_bad_id_names_the_field(owner: Admin) -> None:
    response = owner("POST", "/projects", {"projectId": "Bad_ID"})
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert details[0]["fieldViolations"][0]["field"] == "projectId"


def test_non_member_gets_the_404_of_a_missing_project(
    owner: Admin, stranger: Admin, project: str
) -> None:
    """Someone else's project looks exactly like one that does not exist."""
    missing = new_project_id()
    for path in ("", "/members", "/clients", "/consentScreen", "/apis"):
        theirs = stranger("GET", f"/projects/{project}{path}")
        nothing = stranger("GET", f"/projects/{missing}{path}")
        assert theirs.status_code == nothing.status_code == 404
        assert theirs.json() == json.loads(nothing.text.replace(missing, project))
    assert stranger("DELETE", f"/projects/{project}").status_code == 404
    assert project not in [p["projectId"] for p in stranger("GET", "/projects").json()["projects"]]


def test_viewer_reads_but_may_not_write(owner: Admin, stranger: Admin, project: str) -> None:
    added = owner("POST", f"/projects/{project}/members",
                  {"email": stranger.email, "role": "viewer"})
    assert added.json()["role"] == "viewer"
    seen = stranger("GET", f"/projects/{project}")
    assert seen.status_code == 200 and seen.json()["role"] == "viewer"
    writes = [
        ("PATCH", f"/projects/{project}", {"name": "Mine"}),
        ("POST", f"/projects/{project}/clients", {"displayName": "x", "type": "desktop"}),
        ("POST", f"/projects/{project}/apis/drive:enable", None),
        ("PATCH", f"/projects/{project}/consentScreen", {"appName": "Mine"}),
        ("DELETE", f"/projects/{project}", None),
    ]
    for method, path, body in writes:
        refused = stranger(method, path, body)
        assert refused.status_code == 403, (method, path, refused.text)
        assert refused.json()["error"]["status"] == "PERMISSION_DENIED"


def test_members_added_listed_removed_and_the_last_owner_stays(
    owner: Admin, stranger: Admin, project: str
) -> None:
    path = f"/projects/{project}/members"
    assert owner("POST", path, {"email": stranger.email, "role": "editor"}).ok
    roles = {m["email"]: m["role"] for m in owner("GET", path).json()["members"]}
    assert roles == {owner.email: "owner", stranger.email: "editor"}
    assert stranger("PATCH", f"/projects/{project}", {"name": "Edited"}).ok
    assert owner("DELETE", f"{path}/{stranger.email}").json() == {}
    last = owner("DELETE", f"{path}/{owner.email}")
    assert last.status_code == 400
    unknown = owner("POST", path, {"email": "nobody-x@example.com", "role": "viewer"})
    assert unknown.status_code == 404


def test_apis_enabled_and_disabled(owner: Admin, project: str) -> None:
    apis = owner("GET", f"/projects/{project}/apis").json()["apis"]
    assert {a["name"]: a["enabled"] for a in apis} == {"drive": False, "calendar": False}
    assert owner("POST", f"/projects/{project}/apis/drive:enable").json()["enabled"] is True
    assert owner("POST", f"/projects/{project}/apis/drive:disable").json()["enabled"] is False
    assert owner("POST", f"/projects/{project}/apis/gmail:enable").status_code == 400


def test_consent_screen_read_and_changed(owner: Admin, project: str) -> None:
    path = f"/projects/{project}/consentScreen"
    assert owner("GET", path).json()["appName"] == "Admin App"
    changed = owner("PATCH", path, {
        "appName": "Shiny", "homeUrl": "https://shiny.example.com/",
        "authorizedDomains": ["example.com", "example.org"],
        "publishingStatus": "testing",
    })
    assert changed.status_code == 200, changed.text
    screen = changed.json()
    assert screen["appName"] == "Shiny" and screen["publishingStatus"] == "testing"
    bad = owner("PATCH", path, {"privacyUrl": "http://example.com/privacy"})
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "privacyUrl"
    internal = owner("PATCH", path, {"userType": "internal"})
    assert internal.status_code == 400


def test_test_users_added_listed_removed(owner: Admin, project: str) -> None:
    path = f"/projects/{project}/testUsers"
    assert owner("POST", path, {"email": "Tester@Example.com"}).json() == {
        "email": "tester@example.com"
    }
    assert owner("GET", path).json() == {"testUsers": [{"email": "tester@example.com"}]}
    assert owner("DELETE", f"{path}/tester@example.com").json() == {}
    assert owner("DELETE", f"{path}/tester@example.com").status_code == 404


# Clients ------------------------------------------------------------------------------
def _new_client(owner: Admin, project: str, **extra: Any) -> dict[str, Any]:
    body = {"displayName": "web", "redirectUris": [REDIRECT_URI], **extra}
    response = owner("POST", f"/projects/{project}/clients", body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_client_secret_is_shown_once_then_never_again(owner: Admin, project: str) -> None:
    created = _new_client(owner, project)
    secret, client_id = created.pop("clientSecret"), created["clientId"]
    assert secret.startswith("GOCSPX-") and created["status"] == "active"
    later = [
        owner("GET", f"/clients/{client_id}"),
        owner("GET", f"/projects/{project}/clients"),
        owner("GET", f"/clients/{client_id}/secrets"),
        owner("GET", f"/clients/{client_id}/clientSecretJson"),
        owner("PATCH", f"/clients/{client_id}", {"displayName": "renamed"}),
    ]
    for response in later:
        assert response.status_code == 200 and secret not in response.text
    assert later[0].json() == created
    assert later[2].json()["secrets"][0]["hint"] == secret[-4:]


def test_client_secret_json_loads_in_google_auth_oauthlib_and_signs_in(
    server: Server, owner: Admin, project: str
) -> None:
    """The downloaded file, with the secret shown at creation put in, drives a real flow."""
    created = _new_client(owner, project)
    config = owner("GET", f"/clients/{created['clientId']}/clientSecretJson").json()
    assert "client_secret" not in config["web"]
    assert config["web"]["token_uri"] == server.url + "/token"
    config["web"]["client_secret"] = created["clientSecret"]
    flow = Flow.from_client_config(config, scopes=["openid"])
    assert flow.client_config["client_id"] == created["clientId"]
    client = Client(created["clientId"], created["clientSecret"], project, config, server.data_dir)
    world = World(owner.email, PASSWORD, "", client)
    assert token_for(server, world, wanted=()).startswith("ya29.")


def test_desktop_client_secret_json_is_installed(owner: Admin, project: str) -> None:
    created = _new_client(owner, project, type="desktop", redirectUris=[])
    config = owner("GET", f"/clients/{created['clientId']}/clientSecretJson").json()
    assert config["installed"]["redirect_uris"] == ["http://localhost"]
    Flow.from_client_config(config, scopes=["openid"])


def test_client_changed_disabled_deleted_restored(owner: Admin, project: str) -> None:
    client_id = _new_client(owner, project)["clientId"]
    path = f"/clients/{client_id}"
    uris = [REDIRECT_URI, "https://app.example.com/cb"]
    patched = owner("PATCH", path, {"redirectUris": uris}).json()
    assert patched["redirectUris"] == uris
    bad = owner("PATCH", path, {"redirectUris": ["http://app.example.com/cb"]})
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "redirectUris"
    assert owner("POST", path + ":disable").json()["status"] == "disabled"
    assert owner("POST", path + ":enable").json()["status"] == "active"
    deleted = owner("DELETE", path).json()
    assert deleted["status"] == "deleted" and deleted["restorableUntil"]
    assert owner("PATCH", path, {"displayName": "x"}).status_code == 400
    assert owner("POST", path + ":undelete").json()["status"] == "active"


def test_secrets_rotate_with_at_most_two_enabled(owner: Admin, project: str) -> None:
    client_id = _new_client(owner, project)["clientId"]
    path = f"/clients/{client_id}/secrets"
    first = owner("GET", path).json()["secrets"][0]["secretId"]
    second = owner("POST", path).json()
    assert second["secret"].startswith("GOCSPX-") and second["enabled"] is True
    assert second["hint"] == second["secret"][-4:]
    assert owner("POST", path).status_code == 400  # a third enabled secret
    assert second["secret"] not in owner("GET", path).text
    assert owner("DELETE", f"{path}/{first}").status_code == 400  # still enabled
    assert owner("POST", f"{path}/{first}:disable").json()["enabled"] is False
    assert owner("DELETE", f"{path}/{first}").json() == {}
    assert [s["secretId"] for s in owner("GET", path).json()["secrets"]] == [second["secretId"]]
    assert owner("POST", f"{path}/999999:enable").status_code == 404


# Malformed requests: 400, never 500 -----------------------------------------------------
BAD_BODIES = [
    pytest.param(b'{"projectId": ', "application/json", id="malformed-json"),
    pytest.param(b'["projectId"]', "application/json", id="not-an-object"),
    pytest.param(b'{"projectId": 7}', "application/json", id="wrong-type"),
    pytest.param(b'{"projectId": "abcdef", "color": "red"}', "application/json", id="unknown"),
    pytest.param(b'{"projectId": "a", "projectId": "b"}', "application/json", id="duplicate"),
    pytest.param(b'{"projectId": NaN}', "application/json", id="nan"),
    pytest.param(b'{"projectId": "a\\u0000b"}', "application/json", id="nul"),
    pytest.param(b'{"projectId": "\\ud800x"}', "application/json", id="lone-surrogate"),
    pytest.param(b"\xff\xfe", "application/json", id="not-utf8"),
    pytest.param(b"projectId=abcdef", "application/x-www-form-urlencoded", id="form"),
    pytest.param(b'{"projectId": "abcdef"}', "text/plain", id="text-plain"),
    pytest.param(b"[" * 100000, "application/json", id="oversized"),
    pytest.param(b'{"projectId": "' + b"a" * 70000 + b'"}', "application/json", id="64KiB"),
]


@pytest.mark.parametrize(("data", "content_type"), BAD_BODIES)
def test_malformed_body_is_400_invalid_argument(
    owner: Admin, data: bytes, content_type: str
) -> None:
    response = owner("POST", "/projects", data=data, headers={"Content-Type": content_type})
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()["error"]
    assert (body["code"], body["status"]) == (400, "INVALID_ARGUMENT")


def test_bad_query_parameters_are_400(owner: Admin) -> None:
    assert owner("GET", "/projects?color=red").status_code == 400
    assert owner("GET", "/projects?prettyPrint=false").status_code == 200


def test_unknown_path_or_method_is_404_in_json(owner: Admin) -> None:
    """Google answers "Method not found." for both, as NOT_FOUND."""
    for method, path in (("GET", "/nothing"), ("PUT", "/projects"), ("GET", "/projects/")):
        response = owner(method, path)
        assert response.status_code == 404
        assert response.json() == error(404, "NOT_FOUND", "Method not found.")


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
