"""OAuth clients: create, read, edit, disable, delete and restore (reference §1.1, §1.11).

The secret of a new client is in the creation's answer and nowhere else, ever.
"""

from __future__ import annotations

from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.ops import Call, Op
from accord.services.views import ClientView


def client_json(view: ClientView) -> dict[str, Any]:
    """The services' view with Google's member name for the label (``displayName``)."""
    out = view.as_json()
    out["displayName"] = out.pop("name")
    return out


def _list(call: Call) -> dict[str, Any]:
    found = call.services.clients.list(call.actor, call.path["projectId"])
    return {"clients": [client_json(c) for c in found]}


def _create(call: Call) -> dict[str, Any]:
    b, clients = call.body, call.services.clients
    new = clients.create(
        call.actor, call.path["projectId"], b["displayName"], b.get("type", "web"),
        b.get("redirectUris", []), b.get("javascriptOrigins", []),
    )
    view = client_json(clients.get(call.actor, new.client_id))
    return {**view, "clientSecret": new.client_secret}


def _get(call: Call) -> dict[str, Any]:
    return client_json(call.services.clients.get(call.actor, call.path["clientId"]))


def _update(call: Call) -> dict[str, Any]:
    b = call.body
    view = call.services.clients.update(
        call.actor, call.path["clientId"], b.get("displayName"), b.get("redirectUris"),
        b.get("javascriptOrigins"),
    )
    return client_json(view)


def _action(name: str) -> Any:
    def act(call: Call) -> dict[str, Any]:
        clients, client_id = call.services.clients, call.path["clientId"]
        getattr(clients, name)(call.actor, client_id)
        return client_json(clients.get(call.actor, client_id))

    return act


_URIS = "web clients only (Google's rules, reference §1.11); at most 100"
_FIELDS = (
    Field("displayName", required=True, min_length=1, max_length=200),
    Field("type", choices=("web", "desktop"), description="default web"),
    Field("redirectUris", kind="strings", max_length=2048, description=_URIS),
    Field("javascriptOrigins", kind="strings", max_length=2048, description=_URIS),
)
_NEW = Body(_FIELDS)
_PATCH = Body((
    Field("displayName", min_length=1, max_length=200),
    *(f for f in _FIELDS if f.name in ("redirectUris", "javascriptOrigins")),
))

C = "/clients/{clientId}"
OPS = (
    Op("GET", "/projects/{projectId}/clients", "projects.clients.list",
       "The project's clients, deleted ones too while they can be restored", _list,
       "ClientList"),
    Op("POST", "/projects/{projectId}/clients", "projects.clients.create",
       "Create a client (editors); the answer holds its secret, shown only this once",
       _create, "NewClient", body=_NEW),
    Op("GET", C, "clients.get", "A client (never its secrets)", _get, "Client"),
    Op("PATCH", C, "clients.patch", "Change the members given (editors)", _update, "Client",
       body=_PATCH),
    Op("DELETE", C, "clients.delete",
       "Delete a client: deleted_client from now on, restorable for 30 days (editors)",
       _action("delete"), "Client"),
    Op("POST", C + ":disable", "clients.disable",
       "Disable a client: its tokens stop working (editors)", _action("disable"), "Client"),
    Op("POST", C + ":enable", "clients.enable", "Enable a disabled client (editors)",
       _action("enable"), "Client"),
    Op("POST", C + ":undelete", "clients.undelete",
       "Restore a client deleted less than 30 days ago (editors)", _action("restore"),
       "Client"),
)
