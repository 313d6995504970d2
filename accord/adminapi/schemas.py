"""JSON Schemas of the admin API's resources, as the services' views write them
(``accord.services.views``: camelCase, RFC 3339 times) and of Google's error envelope.

Every object is closed (``additionalProperties: false``) and lists all its members as
required: the views always write every member, ``null`` where a time is unset.
"""

from __future__ import annotations

from typing import Any

from accord.adminapi.errors import STATUS

Schema = dict[str, Any]

TEXT: Schema = {"type": "string"}
TIME: Schema = {"type": "string", "format": "date-time"}
MAYBE_TIME: Schema = {"type": ["string", "null"], "format": "date-time"}
TEXTS: Schema = {"type": "array", "items": TEXT}
ROLE: Schema = {"type": "string", "enum": ["viewer", "editor", "owner"]}
CLIENT_TYPE: Schema = {"type": "string", "enum": ["web", "desktop"]}
ACCESS: Schema = {"type": "string", "enum": ["trusted", "limited", "blocked"]}


def obj(properties: dict[str, Schema], description: str = "") -> Schema:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def optional(properties: dict[str, Schema], omitted: tuple[str, ...],
             description: str = "") -> Schema:
    """A closed object whose ``omitted`` members may be left out (Google's proto3 JSON
    leaves out empty strings and false booleans)."""
    out = obj(properties, description)
    out["required"] = [name for name in properties if name not in omitted]
    return out


def listing(member: str, item: str) -> Schema:
    return obj({member: {"type": "array", "items": ref(item)}})


PROJECT: dict[str, Schema] = {
    "projectId": TEXT,
    "projectNumber": {"type": "string", "pattern": "^[0-9]+$"},
    "name": TEXT,
    "createTime": TIME,
    "organization": {"type": ["string", "null"], "description": "the owning organization"},
    "role": ROLE,
}
CLIENT: dict[str, Schema] = {
    "clientId": TEXT,
    "projectId": TEXT,
    "displayName": TEXT,
    "type": CLIENT_TYPE,
    "redirectUris": TEXTS,
    "javascriptOrigins": TEXTS,
    "createTime": TIME,
    "status": {"type": "string", "enum": ["active", "disabled", "deleted"]},
    "disableTime": MAYBE_TIME,
    "deleteTime": MAYBE_TIME,
    "restorableUntil": MAYBE_TIME,
}
SECRET: dict[str, Schema] = {
    "secretId": {"type": "integer", "minimum": 1},
    "hint": {"type": "string", "description": "the secret's last 4 characters"},
    "createTime": TIME,
    "enabled": {"type": "boolean"},
    "disableTime": MAYBE_TIME,
}
_SECRET_FILE: dict[str, Schema] = {
    "client_id": TEXT,
    "project_id": TEXT,
    "auth_uri": TEXT,
    "token_uri": TEXT,
    "auth_provider_x509_cert_url": TEXT,
    "redirect_uris": TEXTS,
}


def _secret_file(kind: str) -> Schema:
    inner = obj(_SECRET_FILE)
    inner["properties"] = {**_SECRET_FILE, "client_secret": TEXT, "javascript_origins": TEXTS}
    return obj({kind: inner})


SERVICE_ACCOUNT: dict[str, Schema] = {
    "name": {"type": "string", "description": "projects/PROJECT_ID/serviceAccounts/EMAIL"},
    "projectId": TEXT,
    "uniqueId": {"type": "string", "pattern": "^[0-9]{21}$"},
    "email": TEXT,
    "displayName": TEXT,
    "etag": TEXT,
    "description": TEXT,
    "oauth2ClientId": {"type": "string", "pattern": "^[0-9]{21}$"},
    "disabled": {"type": "boolean", "enum": [True]},
}
SA_KEY: dict[str, Schema] = {
    "name": {"type": "string", "description": "projects/P/serviceAccounts/EMAIL/keys/KEY_ID"},
    "validAfterTime": TIME,
    "validBeforeTime": TIME,
    "keyAlgorithm": {"type": "string", "enum": ["KEY_ALG_RSA_2048"]},
    "keyOrigin": {"type": "string", "enum": ["GOOGLE_PROVIDED", "USER_PROVIDED"]},
    "keyType": {"type": "string", "enum": ["USER_MANAGED", "SYSTEM_MANAGED"]},
    "disabled": {"type": "boolean", "enum": [True]},
}
_NEW_KEY: dict[str, Schema] = {
    "name": SA_KEY["name"],
    "privateKeyType": {"type": "string", "enum": ["TYPE_GOOGLE_CREDENTIALS_FILE"]},
    "privateKeyData": {"type": "string", "description": "the JSON key file, base64"},
    **{k: v for k, v in SA_KEY.items() if k != "name"},
}
_BINDING = obj({"role": TEXT, "members": TEXTS})
POLICY: dict[str, Schema] = {
    "version": {"type": "integer", "enum": [1]},
    "etag": TEXT,
    "bindings": {"type": "array", "items": _BINDING},
}
DELEGATION: dict[str, Schema] = {
    "clientId": {"type": "string", "pattern": "^[0-9]{21}$"},
    "scopes": TEXTS,
    "serviceAccount": {"type": "string", "description": "the account's email, while it lives"},
    "createTime": TIME,
    "updateTime": TIME,
}

_ERROR_BODY = {
    "type": "object",
    "required": ["code", "message", "status"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "integer", "enum": sorted(STATUS)},
        "message": TEXT,
        "status": {"type": "string", "enum": sorted(set(STATUS.values()))},
        "errors": {"type": "array", "items": {"type": "object"}},
        "details": {
            "type": "array",
            "items": {"type": "object", "required": ["@type"], "properties": {"@type": TEXT}},
        },
    },
}

COMPONENTS: dict[str, Schema] = {
    "Empty": {"type": "object", "properties": {}, "additionalProperties": False},
    "Error": obj({"error": _ERROR_BODY}, "Google's error envelope (AIP-193)"),
    "Project": obj(PROJECT, "A project: it owns OAuth clients, APIs and a consent screen"),
    "ProjectList": listing("projects", "Project"),
    "Member": obj({"email": TEXT, "name": TEXT, "role": ROLE, "createTime": TIME}),
    "MemberList": listing("members", "Member"),
    "Api": obj({"name": TEXT, "title": TEXT, "service": TEXT, "enabled": {"type": "boolean"}}),
    "ApiList": listing("apis", "Api"),
    "ConsentScreen": obj({
        "appName": TEXT, "supportEmail": TEXT, "logoUrl": TEXT, "homeUrl": TEXT,
        "privacyUrl": TEXT, "termsUrl": TEXT, "authorizedDomains": TEXTS,
        "userType": {"type": "string", "enum": ["external", "internal"]},
        "publishingStatus": {"type": "string", "enum": ["testing", "production"]},
    }),
    "TestUser": obj({"email": TEXT}),
    "TestUserList": listing("testUsers", "TestUser"),
    "Client": obj(CLIENT, "An OAuth client; its secrets are never shown again"),
    "ClientList": listing("clients", "Client"),
    "NewClient": obj({**CLIENT, "clientSecret": TEXT}, "A created client and its secret"),
    "Secret": obj(SECRET),
    "SecretList": listing("secrets", "Secret"),
    "NewSecret": obj({**SECRET, "secret": TEXT}, "A new secret, shown this once"),
    "ClientSecretJson": {
        "oneOf": [_secret_file("web"), _secret_file("installed")],
        "description": "client_secret.json (reference §1.12); client_secret only if asked",
    },
    "Organization": obj({"orgId": TEXT, "name": TEXT, "domains": TEXTS, "createTime": TIME}),
    "OrganizationList": listing("organizations", "Organization"),
    "User": obj({
        "email": TEXT, "name": TEXT, "sub": TEXT, "createTime": TIME,
        "disabled": {"type": "boolean"}, "disableTime": MAYBE_TIME,
    }),
    "UserList": listing("users", "User"),
    "AppAccess": obj({"clientId": TEXT, "access": ACCESS, "appName": TEXT, "updateTime": TIME}),
    "AppAccessList": listing("appAccess", "AppAccess"),
    "RestrictedApis": obj({"restrictedApis": TEXTS}),
    "AuditEvent": obj({
        "id": {"type": "integer"}, "time": TIME, "event": TEXT, "email": TEXT,
        "clientId": TEXT, "address": TEXT, "outcome": TEXT,
        "detail": {"type": "object", "additionalProperties": TEXT},
    }),
    "ServiceAccount": optional(SERVICE_ACCOUNT, ("displayName", "description", "disabled"),
                               "A service account (Google IAM's resource)"),
    "ServiceAccountList": listing("accounts", "ServiceAccount"),
    "UndeleteServiceAccountResponse": obj({"restoredAccount": ref("ServiceAccount")}),
    "ServiceAccountKey": optional(SA_KEY, ("disabled",), "A key's metadata, never its "
                                  "private half"),
    "ServiceAccountKeyList": listing("keys", "ServiceAccountKey"),
    "NewServiceAccountKey": optional(_NEW_KEY, ("disabled",),
                                     "A created key with its key file, shown this once"),
    "Policy": optional(POLICY, ("bindings",), "Who may act as the account (its IAM policy)"),
    "Delegation": optional(DELEGATION, ("serviceAccount",),
                           "A client ID authorized for domain-wide delegation"),
    "DelegationList": listing("delegations", "Delegation"),
    "AuditEventList": {
        **listing("auditEvents", "AuditEvent"),
        "properties": {
            "auditEvents": {"type": "array", "items": ref("AuditEvent")},
            "nextPageToken": {"type": "string", "pattern": "^[0-9]+$"},
        },
        "required": ["auditEvents"],
    },
}
