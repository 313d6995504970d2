"""A service account's IAM policy (who may act as it), as Google's IAM REST API has it:
``:getIamPolicy`` and ``:setIamPolicy`` (read, modify, write back with the etag read:
a policy changed meanwhile is refused, 409, and nothing is written)."""

from __future__ import annotations

from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.ops import Call, Op
from accord.adminapi.service_accounts import A, account_of
from accord.services.errors import Conflict


def _get(call: Call) -> dict[str, Any]:
    return call.services.service_accounts.get_iam_policy(call.actor, account_of(call)).as_json()


def _pairs(bindings: Any) -> set[tuple[str, str]]:
    return {(role, member) for role, members in bindings for member in members}


def _set(call: Call) -> dict[str, Any]:
    accounts, unique_id = call.services.service_accounts, account_of(call)
    policy = call.body["policy"]
    current = accounts.get_iam_policy(call.actor, unique_id)
    if "etag" in policy and policy["etag"] != current.etag:
        raise Conflict("There were concurrent policy changes. Please retry the whole "
                       "read-modify-write with exponential backoff.", "etag")
    wanted = _pairs((b["role"], b.get("members", [])) for b in policy.get("bindings", []))
    have = _pairs(current.bindings)
    for role, member in sorted(wanted - have):
        accounts.add_iam_policy_binding(call.actor, unique_id, member, role)
    for role, member in sorted(have - wanted):
        accounts.remove_iam_policy_binding(call.actor, unique_id, member, role)
    return accounts.get_iam_policy(call.actor, unique_id).as_json()


_GET = Body((Field("options", kind="object", members=Body((
    Field("requestedPolicyVersion", kind="integer", bounds=(0, 3),
          description="any: the answer is version 1 (no conditions)"),
))),))
_BINDING = Body((
    Field("role", required=True, min_length=1, max_length=128),
    Field("members", kind="strings", max_length=400, max_items=100,
          description="user:EMAIL or serviceAccount:EMAIL"),
))
_SET = Body((
    Field("policy", kind="object", required=True, members=Body((
        Field("bindings", kind="objects", members=_BINDING, max_items=100),
        Field("etag", max_length=64, description="the etag read: refused if changed since"),
        Field("version", kind="integer", bounds=(0, 3)),
    ))),
    Field("updateMask", max_length=100, description="accepted and ignored: bindings"),
))

OPS = (
    Op("POST", A + ":getIamPolicy", "projects.serviceAccounts.getIamPolicy",
       "Who holds which role on the account", _get, "Policy", body=_GET),
    Op("POST", A + ":setIamPolicy", "projects.serviceAccounts.setIamPolicy",
       "Replace the account's role bindings (owners)", _set, "Policy", body=_SET,
       errors=(404, 409)),
)
