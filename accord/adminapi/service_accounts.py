"""Service accounts and their keys (issue 10; reference §1.14), in Google's IAM REST
shapes: ``projects/{project}/serviceAccounts/{email or uniqueId}``, ``:disable``,
``:enable``, ``:undelete``, ``keys``, ``keys:upload``, ``keys/{keyId}:disable``.

A created key's answer carries the key file once, as Google's ``privateKeyData`` (the
JSON key file, base64) with ``privateKeyType`` ``TYPE_GOOGLE_CREDENTIALS_FILE``.
"""

from __future__ import annotations

import base64
from typing import Any

from accord.adminapi.body import Body, Field
from accord.adminapi.errors import InvalidArgument
from accord.adminapi.ops import Call, Op
from accord.services.errors import NotFound

EMPTY: dict[str, Any] = {}


def account_of(call: Call, deleted_ok: bool = False) -> str:
    """The account named in the path (its unique ID), checked to be the path project's."""
    project_id, wanted = call.path["projectId"], call.path["account"]
    view = call.services.service_accounts.get(call.actor, wanted, deleted_ok)
    if view.project_id != project_id:
        raise NotFound(f"Service account projects/{project_id}/serviceAccounts/{wanted} "
                       "not found")
    return view.unique_id


def _list(call: Call) -> dict[str, Any]:
    found = call.services.service_accounts.list(call.actor, call.path["projectId"])
    return {"accounts": [a.as_json() for a in found]}


def _create(call: Call) -> dict[str, Any]:
    about = call.body.get("serviceAccount", {})
    view = call.services.service_accounts.create(
        call.actor, call.path["projectId"], call.body["accountId"],
        display_name=about.get("displayName", ""), description=about.get("description", ""),
    )
    return view.as_json()


def _get(call: Call) -> dict[str, Any]:
    return call.services.service_accounts.get(call.actor, account_of(call)).as_json()


def _patch(call: Call) -> dict[str, Any]:
    """Google's PATCH: ``serviceAccount`` holds the new values, ``updateMask`` names the
    members to change (all those given, without a mask)."""
    about = call.body["serviceAccount"]
    mask = call.body.get("updateMask")
    fields = [f.strip() for f in mask.split(",") if f.strip()] if mask else list(about)
    for name in fields:
        if name not in ("displayName", "description"):
            raise InvalidArgument(f"updateMask: {name} cannot be updated", "updateMask")
    view = call.services.service_accounts.update(
        call.actor, account_of(call),
        display_name=about.get("displayName", "") if "displayName" in fields else None,
        description=about.get("description", "") if "description" in fields else None,
    )
    return view.as_json()


def _action(name: str) -> Any:
    def act(call: Call) -> dict[str, Any]:
        getattr(call.services.service_accounts, name)(call.actor, account_of(call))
        return EMPTY

    return act


def _undelete(call: Call) -> dict[str, Any]:
    accounts = call.services.service_accounts
    unique_id = account_of(call, deleted_ok=True)
    accounts.undelete(call.actor, unique_id)
    return {"restoredAccount": accounts.get(call.actor, unique_id).as_json()}


def _keys(call: Call) -> dict[str, Any]:
    found = call.services.service_accounts.list_keys(call.actor, account_of(call))
    return {"keys": [k.as_json() for k in found]}


def _create_key(call: Call) -> dict[str, Any]:
    accounts = call.services.service_accounts
    return accounts.create_key(call.actor, account_of(call), call.issuer).as_json()


def _upload_key(call: Call) -> dict[str, Any]:
    try:
        pem = base64.b64decode(call.body["publicKeyData"], validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise InvalidArgument("publicKeyData must be a base64-encoded X.509 certificate (PEM)",
                              "publicKeyData") from None
    view = call.services.service_accounts.upload_key(call.actor, account_of(call), pem)
    return view.as_json()


def _key(call: Call) -> dict[str, Any]:
    accounts = call.services.service_accounts
    return accounts.get_key(call.actor, account_of(call), call.path["keyId"]).as_json()


def _key_action(name: str) -> Any:
    def act(call: Call) -> dict[str, Any]:
        method = getattr(call.services.service_accounts, f"{name}_key")
        method(call.actor, account_of(call), call.path["keyId"])
        return EMPTY

    return act


_ACCOUNT_ID = "^[a-z][a-z0-9-]{4,28}[a-z0-9]$"
_ABOUT = Body((Field("displayName", max_length=100), Field("description", max_length=256)))
_NEW = Body((
    Field("accountId", required=True, min_length=1, max_length=100,
          description="6 to 30 lowercase letters, digits or hyphens (" + _ACCOUNT_ID + ")"),
    Field("serviceAccount", kind="object", members=_ABOUT),
))
_PATCH = Body((
    Field("serviceAccount", kind="object", required=True, members=_ABOUT),
    Field("updateMask", max_length=100, description="displayName, description or both "
          "(comma-separated); default: the members given"),
))
_NEW_KEY = Body((
    Field("privateKeyType", choices=("TYPE_GOOGLE_CREDENTIALS_FILE",),
          description="the only type: the JSON key file"),
    Field("keyAlgorithm", choices=("KEY_ALG_RSA_2048",)),
))
_UPLOAD = Body((
    Field("publicKeyData", required=True, min_length=1, max_length=16384,
          description="an X.509 certificate of an RSA-2048 key, PEM, base64-encoded"),
))

P = "/projects/{projectId}/serviceAccounts"
A = P + "/{account}"
K = A + "/keys/{keyId}"
OPS = (
    Op("GET", P, "projects.serviceAccounts.list", "The project's service accounts", _list,
       "ServiceAccountList"),
    Op("POST", P, "projects.serviceAccounts.create", "Create a service account (editors)",
       _create, "ServiceAccount", body=_NEW, errors=(404, 409)),
    Op("GET", A, "projects.serviceAccounts.get",
       "A service account, by email or unique ID", _get,
       "ServiceAccount"),
    Op("PATCH", A, "projects.serviceAccounts.patch",
       "Change the display name or the description (editors)", _patch, "ServiceAccount",
       body=_PATCH),
    Op("DELETE", A, "projects.serviceAccounts.delete",
       "Delete a service account: its tokens stop working; undelete within 30 days (editors)",
       _action("delete"), "Empty"),
    Op("POST", A + ":disable", "projects.serviceAccounts.disable",
       "Disable a service account: no tokens, and its tokens stop working (editors)",
       _action("disable"), "Empty"),
    Op("POST", A + ":enable", "projects.serviceAccounts.enable",
       "Enable a disabled service account (editors)", _action("enable"), "Empty"),
    Op("POST", A + ":undelete", "projects.serviceAccounts.undelete",
       "Restore a service account deleted less than 30 days ago (editors)", _undelete,
       "UndeleteServiceAccountResponse"),
    Op("GET", A + "/keys", "projects.serviceAccounts.keys.list",
       "The account's keys, user- and system-managed", _keys, "ServiceAccountKeyList"),
    Op("POST", A + "/keys", "projects.serviceAccounts.keys.create",
       "Create a key: the answer holds the key file, the only copy of its private key",
       _create_key, "NewServiceAccountKey", body=_NEW_KEY, errors=(404, 409)),
    Op("POST", A + "/keys:upload", "projects.serviceAccounts.keys.upload",
       "Upload the certificate of a key made elsewhere (editors)", _upload_key,
       "ServiceAccountKey", body=_UPLOAD, errors=(404, 409)),
    Op("GET", K, "projects.serviceAccounts.keys.get", "One key (never its private half)", _key,
       "ServiceAccountKey"),
    Op("DELETE", K, "projects.serviceAccounts.keys.delete", "Delete a user-managed key",
       _key_action("delete"), "Empty"),
    Op("POST", K + ":disable", "projects.serviceAccounts.keys.disable",
       "Disable a user-managed key: assertions it signs are refused", _key_action("disable"),
       "Empty"),
    Op("POST", K + ":enable", "projects.serviceAccounts.keys.enable",
       "Enable a disabled key", _key_action("enable"), "Empty"),
)
