"""The OpenAPI 3.1 document of the admin API, built from the same :class:`Op`
declarations that make the routes: every path, parameter, body and response
(success and error) is described, every object closed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from accord.adminapi.ops import Op
from accord.adminapi.projects import PROJECT_ID
from accord.adminapi.schemas import COMPONENTS, ref
from accord.google import paths
from accord.google.apis import APIS
from accord.google.scopes import ADMIN, describe
from accord.services.rules import ORG_ID

PREFIX = "/admin/v1"

# Path parameters. None admits "." or ".." alone, which URL normalization would remove.
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "projectId": {"type": "string", "pattern": PROJECT_ID},
    "orgId": {"type": "string", "pattern": ORG_ID.pattern},
    "clientId": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "maxLength": 128},
    "secretId": {"type": "integer", "minimum": 1, "maximum": 2**53},
    "email": {"type": "string", "pattern": "^[^@/]+@[^@/]+$", "maxLength": 320},
    "api": {"type": "string", "enum": sorted(APIS)},
    "account": {"type": "string", "maxLength": 320,
                "pattern": "^([0-9]{21}|[^@/:]+@[^@/:]+)$",
                "description": "the service account's email or unique ID"},
    "keyId": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
}

_ERRORS = {
    400: ("InvalidArgument", "A malformed request or a refused value (INVALID_ARGUMENT)"),
    401: ("Unauthenticated", "No live access token (UNAUTHENTICATED)"),
    403: ("PermissionDenied", "No admin scope, or the caller's role is too low"),
    404: ("NotFound", "No such resource, or not the caller's: the two look alike"),
    409: ("AlreadyExists", "The resource exists already (ALREADY_EXISTS)"),
}
ALWAYS = (400, 401, 403)


def _responses() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, text in _ERRORS.values():
        out[name] = {
            "description": text,
            "content": {"application/json": {"schema": ref("Error")}},
        }
    out["Unauthenticated"]["headers"] = {
        "WWW-Authenticate": {"schema": {"type": "string"}, "description": "RFC 6750 §3"}
    }
    return out


def _parameters(op: Op) -> list[dict[str, Any]]:
    out = [
        {"name": name, "in": "path", "required": True, "schema": PATH_PARAMETERS[name]}
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    out += [
        {"name": q.name, "in": "query", "required": False, "schema": q.schema(),
         "description": q.description}
        for q in op.query
    ]
    return out


def _operation(op: Op) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": ref(op.response)}}}
    }
    for code in sorted({*ALWAYS, *op.errors}):
        responses[str(code)] = {"$ref": f"#/components/responses/{_ERRORS[code][0]}"}
    out: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.path.split("/")[1]],
        "parameters": _parameters(op),
        "responses": responses,
    }
    if op.body is not None:
        schema = op.body.schema()
        out["requestBody"] = {
            "required": bool(schema["required"]),
            "content": {"application/json": {"schema": schema}},
        }
    return out


def document(issuer: str, ops: Sequence[Op]) -> dict[str, Any]:
    root = issuer.rstrip("/")
    spec: dict[str, Any] = {}
    for op in ops:
        spec.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    oauth2 = {
        "type": "oauth2",
        "description": "An access token from Accord's own OAuth flow with the admin scope",
        "flows": {"authorizationCode": {
            "authorizationUrl": root + paths.AUTHORIZE[0],
            "tokenUrl": root + paths.TOKEN[0],
            "scopes": {ADMIN: describe(ADMIN).description},
        }},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Accord Admin API",
            "version": "v1",
            "description": "Projects, OAuth clients and organizations, as JSON. Errors use "
            "Google's envelope: {\"error\": {\"code\", \"message\", \"status\"}}.",
        },
        "servers": [{"url": root + PREFIX}],
        "security": [{"oauth2": [ADMIN]}],
        "paths": spec,
        "components": {
            "schemas": COMPONENTS,
            "responses": _responses(),
            "securitySchemes": {"oauth2": oauth2},
        },
    }
