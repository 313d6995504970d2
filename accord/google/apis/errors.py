"""Google API error envelopes, resource-server side (reference §1.22).

Drive and Calendar are "v1 error format" APIs: ``error`` holds ``code``,
``message``, the legacy ``errors[]`` array and, for auth failures, ``status``
and ``details`` (AIP-193), in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.google.apis import Api

_SEE = (
    "Expected OAuth 2 access token, login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
MISSING = "Request is missing required authentication credential. " + _SEE
INVALID = "Request had invalid authentication credentials. " + _SEE
INSUFFICIENT = "Request had insufficient authentication scopes."
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
LOCALIZED_MESSAGE = "type.googleapis.com/google.rpc.LocalizedMessage"
HELP = "type.googleapis.com/google.rpc.Help"
ACTIVATION_LINK = "Google developers console API activation"


@dataclass
class ApiError(Exception):
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def _error(
    code: int,
    message: str,
    errors: list[dict[str, str]],
    status: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "errors": errors}
    if status is not None:
        error["status"] = status
    if details is not None:
        error["details"] = details
    return {"error": error}


def _error_info(reason: str, metadata: dict[str, str]) -> dict[str, Any]:
    return {"@type": ERROR_INFO, "reason": reason, "domain": "googleapis.com", "metadata": metadata}


def _realm(issuer: str) -> str:
    # Google names its accounts origin with a trailing slash: realm="https://accounts.google.com/".
    return f'Bearer realm="{issuer.rstrip("/")}/"'


def credentials_missing(api: Api, rpc: str, issuer: str) -> ApiError:
    """No token at all: RFC 6750 §3.1 says the challenge then carries no error code."""
    errors = [
        {
            "message": "Login Required.",
            "domain": "global",
            "reason": "required",
            "location": "Authorization",
            "locationType": "header",
        }
    ]
    info = _error_info("CREDENTIALS_MISSING", {"service": api.service, "method": rpc})
    body = _error(401, MISSING, errors, "UNAUTHENTICATED", [info])
    return ApiError(401, body, {"WWW-Authenticate": _realm(issuer)})


def credentials_invalid(api: Api, rpc: str, issuer: str, expired: bool) -> ApiError:
    """An unknown, expired or revoked token (reference §1.22, 401)."""
    errors = [
        {
            "message": "Invalid Credentials",
            "domain": "global",
            "reason": "authError",
            "location": "Authorization",
            "locationType": "header",
        }
    ]
    reason = "ACCESS_TOKEN_EXPIRED" if expired else "ACCESS_TOKEN_TYPE_UNSUPPORTED"
    info = _error_info(reason, {"service": api.service, "method": rpc})
    body = _error(401, INVALID, errors, "UNAUTHENTICATED", [info])
    challenge = _realm(issuer) + ', error="invalid_token"'
    return ApiError(401, body, {"WWW-Authenticate": challenge})


def scopes_insufficient(api: Api, rpc: str, issuer: str, accepted: frozenset[str]) -> ApiError:
    """A live token without any scope the method accepts (reference §1.22, 403)."""
    errors = [
        {
            "message": "Insufficient Permission",
            "domain": "global",
            "reason": "insufficientPermissions",
        }
    ]
    info = _error_info("ACCESS_TOKEN_SCOPE_INSUFFICIENT", {"service": api.service, "method": rpc})
    body = _error(403, INSUFFICIENT, errors, "PERMISSION_DENIED", [info])
    scope = " ".join(sorted(accepted))
    challenge = _realm(issuer) + f', error="insufficient_scope", scope="{scope}"'
    return ApiError(403, body, {"WWW-Authenticate": challenge})


def service_disabled(api: Api, project_number: str, issuer: str) -> ApiError:
    """The client's project has not enabled the API (reference §1.22, accessNotConfigured).

    Google points at its console; Accord points at its own issuer instead.
    """
    root = issuer.rstrip("/")
    activation = f"{root}/apis/api/{api.service}/overview?project={project_number}"
    message = (
        f"{api.title} has not been used in project {project_number} before or it is disabled. "
        f"Enable it by visiting {activation} then retry. If you enabled this API recently, "
        "wait a few minutes for the action to propagate to our systems and retry."
    )
    errors = [
        {
            "message": message,
            "domain": "usageLimits",
            "reason": "accessNotConfigured",
            "extendedHelp": root,
        }
    ]
    metadata = {
        "service": api.service,
        "consumer": f"projects/{project_number}",
        "serviceTitle": api.title,
        "containerInfo": project_number,
        "activationUrl": activation,
    }
    details = [
        _error_info("SERVICE_DISABLED", metadata),
        {"@type": LOCALIZED_MESSAGE, "locale": "en-US", "message": message},
        {
            "@type": HELP,
            "links": [{"description": ACTIVATION_LINK, "url": activation}],
        },
    ]
    return ApiError(403, _error(403, message, errors, "PERMISSION_DENIED", details))


def invalid_value(parameter: str) -> ApiError:
    """A query parameter Google would refuse (pageSize out of range, a foreign pageToken)."""
    errors = [
        {
            "message": "Invalid Value",
            "domain": "global",
            "reason": "invalid",
            "location": parameter,
            "locationType": "parameter",
        }
    ]
    return ApiError(400, _error(400, "Invalid Value", errors))


def bad_request(message: str) -> ApiError:
    """Calendar's plain refusal of a request it cannot answer."""
    errors = [{"message": message, "domain": "global", "reason": "badRequest"}]
    return ApiError(400, _error(400, message, errors))


def invalid_fields(selection: str) -> ApiError:
    message = f"Invalid field selection {selection}"
    errors = [
        {
            "message": message,
            "domain": "global",
            "reason": "invalidParameter",
            "location": "fields",
            "locationType": "parameter",
        }
    ]
    return ApiError(400, _error(400, message, errors))


def file_not_found(file_id: str) -> ApiError:
    """Drive's 404 names the file and the parameter."""
    message = f"File not found: {file_id}."
    errors = [
        {
            "message": message,
            "domain": "global",
            "reason": "notFound",
            "location": "fileId",
            "locationType": "parameter",
        }
    ]
    return ApiError(404, _error(404, message, errors))


def not_found() -> ApiError:
    """Calendar's (and discovery's) bare 404."""
    errors = [{"message": "Not Found", "domain": "global", "reason": "notFound"}]
    return ApiError(404, _error(404, "Not Found", errors))
