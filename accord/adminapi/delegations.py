"""Domain-wide delegation (reference §1.16), for an organization's administrators: a
service account's client ID (its unique ID) authorized for some scopes, as Google's
Admin console's "API controls → Domain-wide delegation" holds them."""

from __future__ import annotations

from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.ops import Call, Op

EMPTY: dict[str, Any] = {}


def _list(call: Call) -> dict[str, Any]:
    found = call.services.delegation.list(call.actor, call.path["orgId"])
    return {"delegations": [d.as_json() for d in found]}


def _set(call: Call) -> dict[str, Any]:
    b = call.body
    view = call.services.delegation.add(call.actor, call.path["orgId"], b["clientId"],
                                        b["scopes"])
    return view.as_json()


def _remove(call: Call) -> dict[str, Any]:
    call.services.delegation.remove(call.actor, call.path["orgId"], call.path["clientId"])
    return EMPTY


_DELEGATION = Body((
    Field("clientId", required=True, min_length=1, max_length=21,
          description="the service account's unique ID (the key file's client_id)"),
    Field("scopes", kind="strings", required=True, min_length=1, max_length=2048,
          max_items=100, description="the scopes its assertions may ask for a user"),
))

D = "/organizations/{orgId}/delegations"
OPS = (
    Op("GET", D, "organizations.delegations.list",
       "Service accounts authorized for domain-wide delegation", _list, "DelegationList"),
    Op("PUT", D, "organizations.delegations.set",
       "Authorize a client ID for scopes (replaces its scopes)", _set, "Delegation",
       body=_DELEGATION),
    Op("DELETE", D + "/{clientId}", "organizations.delegations.delete",
       "Withdraw a client ID's delegation", _remove, "Empty"),
)
