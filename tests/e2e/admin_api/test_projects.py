"""The admin API's projects: create, read, rename, delete; members, APIs, consent screen, test
users.
"""

from __future__ import annotations

import json

from tests.e2e.admin_api.support import (
    Admin,
    error,
    new_project_id,
)


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
    assert {a["name"]: a["enabled"] for a in apis} == {
        "drive": False, "calendar": False, "iamcredentials": False
    }
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
