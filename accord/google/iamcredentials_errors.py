"""The IAM Credentials API's refusals in Google's envelope (reference §1.19, §1.22).

iamcredentials is a "new" Cloud API (AIP-193): ``{"error": {"code", "message", "status",
"details"?}}`` without the legacy ``errors[]`` array that Drive and Calendar send. The
authentication, scope and API-enablement refusals are the demo APIs' builders
(``accord.google.apis.errors``) with that array taken out.
"""

from __future__ import annotations

from typing import Any

from accord.google.apis import APIS, errors
from accord.google.apis.errors import ERROR_INFO, ApiError
from accord.protocol.iam import IamRefusal, Refusal

API = APIS["iamcredentials"]
BAD_REQUEST = ERROR_INFO.removesuffix("ErrorInfo") + "BadRequest"
RPC = "google.iam.credentials.v1.IAMCredentials."
STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
}


def rpc(verb: str) -> str:
    """The method name Google puts in ErrorInfo metadata: ``...IAMCredentials.SignBlob``."""
    return RPC + verb[:1].upper() + verb[1:]


def _cloud(exc: ApiError) -> ApiError:
    exc.body["error"].pop("errors", None)
    return exc


def credentials_missing(verb: str, issuer: str) -> ApiError:
    return _cloud(errors.credentials_missing(API, rpc(verb), issuer))


def credentials_invalid(verb: str, issuer: str, expired: bool) -> ApiError:
    return _cloud(errors.credentials_invalid(API, rpc(verb), issuer, expired))


def scopes_insufficient(verb: str, issuer: str, accepted: frozenset[str]) -> ApiError:
    return _cloud(errors.scopes_insufficient(API, rpc(verb), issuer, accepted))


def service_disabled(project_number: str, issuer: str) -> ApiError:
    return _cloud(errors.service_disabled(API, project_number, issuer))


def error(code: int, message: str, status: str | None = None, details: Any = None) -> ApiError:
    body: dict[str, Any] = {"code": code, "message": message, "status": status or STATUS[code]}
    if details is not None:
        body["details"] = details
    return ApiError(code, {"error": body})


def invalid_argument(message: str, field: str | None = None) -> ApiError:
    """400 INVALID_ARGUMENT, with a google.rpc.BadRequest naming the field when there is one."""
    if field is None:
        return error(400, message)
    violation = {"field": field, "description": message}
    return error(400, message, details=[{"@type": BAD_REQUEST, "fieldViolations": [violation]}])


def permission_denied(permission: str) -> ApiError:
    """What Google answers a caller without the role ([3P] captures, reference §1.19)."""
    message = f"Permission '{permission}' denied on resource (or it may not exist)."
    info = {
        "@type": ERROR_INFO,
        "reason": "IAM_PERMISSION_DENIED",
        "domain": "iam.googleapis.com",
        "metadata": {"permission": permission},
    }
    return error(403, message, details=[info])


def not_found(name: str) -> ApiError:
    """An unknown (or deleted) account: Google's 404 names the email it could not find."""
    kind = "email" if "@" in name else "unique id"
    return error(404, f"Not found; Gaia id not found for {kind} {name}")


def method_not_found(path: str) -> ApiError:
    return error(404, f"Method not found: {path}")


def refusal(exc: IamRefusal) -> ApiError:
    """The core's refusals, in Google's words ([U] where Google's are unknown)."""
    if exc.kind is Refusal.NOT_FOUND:
        return not_found(exc.subject)
    if exc.kind is Refusal.PERMISSION_DENIED:
        return permission_denied(exc.subject)
    if exc.kind is Refusal.DISABLED:  # [U] Google's exact text is not recorded
        return error(400, f"The service account {exc.subject} is disabled.", "FAILED_PRECONDITION")
    if exc.kind is Refusal.EXP_MISSING:
        return invalid_argument("The JWT claims must contain a numeric exp claim.", "payload")
    return invalid_argument(
        "The exp claim must be no more than 12 hours in the future.", "payload"
    )
