"""How Google shows errors: the token endpoint's JSON, and the authorization error page.

The page reads "Access blocked: <app>'s request is invalid" then
"Error 400: <code>" and the request details (reference §1.1, "Errors shown on a
Google page").
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from accord.protocol.errors import OAuthError

# Only these parameters are echoed under "Request details", as Google does.
_DETAILS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "access_type",
    "include_granted_scopes",
    "prompt",
    "login_hint",
)


def token_error_body(exc: OAuthError) -> dict[str, str]:
    body = {"error": exc.code}
    if exc.description:
        body["error_description"] = exc.description
    return body


def page_context(
    exc: OAuthError, app_name: str | None, request: Request, title: str | None = None
) -> dict[str, Any]:
    if title is None:
        if exc.status >= 500:
            title = "Something went wrong"
        elif app_name:
            title = f"Access blocked: {app_name}'s request is invalid"
        else:
            title = "Access blocked: Authorization Error"
    details = [
        (name, request.query_params.get(name))
        for name in _DETAILS
        if request.query_params.get(name) is not None
    ]
    return {
        "title": title,
        "code": f"Error {exc.status}: {exc.code}",
        "description": exc.description,
        "details": details,
    }
