"""Projects, their members and their APIs (reference §1.2: a Cloud project's owners,
editors and viewers; §1.22: a project calls only the APIs it enabled)."""

from __future__ import annotations

from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.errors import InvalidArgument
from accord.adminapi.ops import Call, Op
from accord.services import rules
from accord.services.actors import ROLES

PROJECT_ID = "^[a-z][a-z0-9-]{4,28}[a-z0-9]$"
EMPTY: dict[str, Any] = {}


def _list(call: Call) -> dict[str, Any]:
    found = call.services.projects.list(call.actor)
    return {"projects": [p.as_json() for p in found]}


def _create(call: Call) -> dict[str, Any]:
    b = call.body
    view = call.services.projects.create(
        call.actor, b["projectId"], b.get("name", ""), b.get("organization")
    )
    return view.as_json()


def _get(call: Call) -> dict[str, Any]:
    return call.services.projects.get(call.actor, call.path["projectId"]).as_json()


def _update(call: Call) -> dict[str, Any]:
    projects, project_id = call.services.projects, call.path["projectId"]
    if "name" not in call.body:
        return projects.get(call.actor, project_id).as_json()
    return projects.rename(call.actor, project_id, call.body["name"]).as_json()


def _delete(call: Call) -> dict[str, Any]:
    call.services.projects.delete(call.actor, call.path["projectId"])
    return EMPTY


def _members(call: Call) -> dict[str, Any]:
    found = call.services.projects.members(call.actor, call.path["projectId"])
    return {"members": [m.as_json() for m in found]}


def _add_member(call: Call) -> dict[str, Any]:
    projects, project_id = call.services.projects, call.path["projectId"]
    email = rules.email(call.body["email"])
    projects.add_member(call.actor, project_id, email, call.body["role"])
    return next(m for m in projects.members(call.actor, project_id) if m.email == email).as_json()


def _remove_member(call: Call) -> dict[str, Any]:
    call.services.projects.remove_member(call.actor, call.path["projectId"], call.path["email"])
    return EMPTY


def _apis(call: Call) -> dict[str, Any]:
    found = call.services.projects.apis(call.actor, call.path["projectId"])
    return {"apis": [a.as_json() for a in found]}


def _switch(enable: bool) -> Any:
    def switch(call: Call) -> dict[str, Any]:
        projects, project_id, api = call.services.projects, call.path["projectId"], call.path["api"]
        change = projects.enable_api if enable else projects.disable_api
        change(call.actor, project_id, api)
        for view in projects.apis(call.actor, project_id):
            if view.api == api:
                return view.as_json()
        raise InvalidArgument(f"unknown API: {api}", "api")  # pragma: no cover

    return switch


_NEW = Body((
    Field("projectId", required=True, pattern=PROJECT_ID, max_length=30,
          description="6 to 30 lowercase letters, digits or hyphens; never changes"),
    Field("name", max_length=200, description="shown on the consent screen (default: the ID)"),
    Field("organization", max_length=64,
          description="the owning organization's ID (default: the caller's own, if any)"),
))
_RENAME = Body((Field("name", min_length=1, max_length=200),))
_MEMBER = Body((
    Field("email", required=True, max_length=320, description="an existing account"),
    Field("role", required=True, choices=ROLES),
))

P = "/projects/{projectId}"
OPS = (
    Op("GET", "/projects", "projects.list", "The caller's projects", _list, "ProjectList",
       errors=()),
    Op("POST", "/projects", "projects.create", "Create a project; the caller owns it", _create,
       "Project", body=_NEW, errors=(404, 409)),
    Op("GET", P, "projects.get", "A project", _get, "Project"),
    Op("PATCH", P, "projects.patch", "Rename a project (editors)", _update, "Project",
       body=_RENAME),
    Op("DELETE", P, "projects.delete",
       "Delete a project with its clients, grants and tokens (owners)", _delete, "Empty"),
    Op("GET", P + "/members", "projects.members.list", "The project's members", _members,
       "MemberList"),
    Op("POST", P + "/members", "projects.members.create",
       "Add a member or change a member's role (owners)", _add_member, "Member", body=_MEMBER),
    Op("DELETE", P + "/members/{email}", "projects.members.delete",
       "Remove a member; the last owner stays (owners)", _remove_member, "Empty"),
    Op("GET", P + "/apis", "projects.apis.list", "Every API, enabled or not", _apis, "ApiList"),
    Op("POST", P + "/apis/{api}:enable", "projects.apis.enable", "Enable an API (editors)",
       _switch(True), "Api"),
    Op("POST", P + "/apis/{api}:disable", "projects.apis.disable", "Disable an API (editors)",
       _switch(False), "Api"),
)
