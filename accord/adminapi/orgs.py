"""Organizations, for their administrators: users, API controls (which apps may reach
which services) and the audit log. The operator creates organizations (the CLI)."""

from __future__ import annotations

from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.ops import Call, Op, Query
from accord.services import rules
from accord.services.errors import NotFound
from accord.services.org_policy import ACCESS, MAX_AUDIT

EMPTY: dict[str, Any] = {}


def _list(call: Call) -> dict[str, Any]:
    return {"organizations": [o.as_json() for o in call.services.orgs.list(call.actor)]}


def _get(call: Call) -> dict[str, Any]:
    return call.services.orgs.get(call.actor, call.path["orgId"]).as_json()


def _users(call: Call) -> dict[str, Any]:
    found = call.services.orgs.users(call.actor, call.path["orgId"])
    return {"users": [u.as_json() for u in found]}


def _user(call: Call, email: str) -> dict[str, Any]:
    email = rules.email(email)
    for user in call.services.orgs.users(call.actor, call.path["orgId"]):
        if user.email == email:
            return user.as_json()
    raise NotFound(f"No user {email} in organization {call.path['orgId']}", "email")


def _create_user(call: Call) -> dict[str, Any]:
    b = call.body
    view = call.services.orgs.create_user(
        call.actor, call.path["orgId"], b["email"], b["password"], b.get("name", "")
    )
    return view.as_json()


def _user_action(name: str) -> Any:
    def act(call: Call) -> dict[str, Any]:
        orgs, email = call.services.orgs, call.path["email"]
        getattr(orgs, f"{name}_user")(call.actor, call.path["orgId"], email)
        return EMPTY if name == "delete" else _user(call, email)

    return act


def _app_access(call: Call) -> dict[str, Any]:
    found = call.services.orgs.app_access(call.actor, call.path["orgId"])
    return {"appAccess": [a.as_json() for a in found]}


def _set_app_access(call: Call) -> dict[str, Any]:
    orgs, org_id, client_id = call.services.orgs, call.path["orgId"], call.body["clientId"]
    orgs.set_app_access(call.actor, org_id, client_id, call.body["access"])
    for entry in orgs.app_access(call.actor, org_id):
        if entry.client_id == client_id:
            return entry.as_json()
    raise NotFound(f"No access setting for {client_id}", "clientId")  # pragma: no cover


def _restricted(call: Call) -> dict[str, Any]:
    return {"restrictedApis": call.services.orgs.restricted_apis(call.actor, call.path["orgId"])}


def _restrict(on: bool) -> Any:
    def change(call: Call) -> dict[str, Any]:
        orgs = call.services.orgs
        act = orgs.restrict_api if on else orgs.unrestrict_api
        act(call.actor, call.path["orgId"], call.path["api"])
        return _restricted(call)

    return change


def _audit(call: Call) -> dict[str, Any]:
    size = call.query.get("pageSize", 100)
    events = call.services.orgs.audit(
        call.actor, call.path["orgId"], limit=size, before=call.query.get("pageToken")
    )
    out: dict[str, Any] = {"auditEvents": [e.as_json() for e in events]}
    if len(events) == size:
        out["nextPageToken"] = str(events[-1].id)
    return out


_NEW_USER = Body((
    Field("email", required=True, max_length=320,
          description="an address in one of the organization's domains"),
    Field("password", required=True, min_length=8, max_length=1024),
    Field("name", max_length=200),
))
_ACCESS = Body((
    Field("clientId", required=True, min_length=1, max_length=128),
    Field("access", required=True, choices=ACCESS,
          description="trusted: every service; limited: unrestricted services; blocked: none"),
))
_PAGE = (
    Query("pageSize", 1, MAX_AUDIT, "how many events, newest first (default 100)"),
    Query("pageToken", 1, 10**18 - 1, "nextPageToken of the previous page", token=True),
)

ORG = "/organizations/{orgId}"
USER = ORG + "/users/{email}"
OPS = (
    Op("GET", "/organizations", "organizations.list", "The organizations the caller administers",
       _list, "OrganizationList", errors=()),
    Op("GET", ORG, "organizations.get", "An organization", _get, "Organization"),
    Op("GET", ORG + "/users", "organizations.users.list", "The organization's users", _users,
       "UserList"),
    Op("POST", ORG + "/users", "organizations.users.create", "Create a user account", _create_user,
       "User", body=_NEW_USER, errors=(404, 409)),
    Op("POST", USER + ":disable", "organizations.users.disable",
       "Disable an account: no sign-in, its tokens stop working", _user_action("disable"), "User"),
    Op("POST", USER + ":enable", "organizations.users.enable", "Enable a disabled account",
       _user_action("enable"), "User"),
    Op("DELETE", USER, "organizations.users.delete", "Delete an account", _user_action("delete"),
       "Empty"),
    Op("GET", ORG + "/appAccess", "organizations.appAccess.list",
       "Apps with an access setting (unlisted apps are limited)", _app_access, "AppAccessList"),
    Op("PUT", ORG + "/appAccess", "organizations.appAccess.set",
       "Trust, limit or block an app (an OAuth client ID)", _set_app_access, "AppAccess",
       body=_ACCESS),
    Op("GET", ORG + "/restrictedApis", "organizations.restrictedApis.list",
       "Services only trusted apps may reach", _restricted, "RestrictedApis"),
    Op("PUT", ORG + "/restrictedApis/{api}", "organizations.restrictedApis.add",
       "Restrict a service", _restrict(True), "RestrictedApis"),
    Op("DELETE", ORG + "/restrictedApis/{api}", "organizations.restrictedApis.remove",
       "Lift a service's restriction", _restrict(False), "RestrictedApis"),
    Op("GET", ORG + "/auditEvents", "organizations.auditEvents.list",
       "What happened in the organization, newest first", _audit, "AuditEventList", query=_PAGE),
)
