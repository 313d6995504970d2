"""The admin API's refusals, in Google's error envelope (AIP-193; reference §1.22).

Every failure answers ``{"error": {"code", "message", "status", "details"?}}`` as
JSON: the services' refusals, malformed requests, unknown paths and methods, and
(logged, never explained) unexpected failures. Authentication failures reuse the
Google API builders of ``accord.google.apis.errors`` (they add the legacy
``errors[]`` array and ``WWW-Authenticate``).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.google.apis.errors import ERROR_INFO, ApiError
from accord.services.errors import ServiceError
from accord.web.render import json_response

log = logging.getLogger("accord")

# google.rpc.BadRequest: the detail that names the offending request fields (AIP-193).
BAD_REQUEST = ERROR_INFO.removesuffix("ErrorInfo") + "BadRequest"

# HTTP status -> google.rpc.Code name (AIP-193, "HTTP/1.1+JSON representation").
STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    500: "INTERNAL",
}


class InvalidArgument(Exception):
    """A request the admin API cannot read: bad JSON, a wrong type, an unknown field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def camel(name: str) -> str:
    """The services name form fields in snake_case; the JSON API speaks camelCase."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def envelope(code: int, message: str, field: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": STATUS[code]}
    if field is not None and code == 400:  # BadRequest details describe invalid arguments
        violation = {"field": camel(field), "description": message}
        error["details"] = [{"@type": BAD_REQUEST, "fieldViolations": [violation]}]
    return {"error": error}


def error_response(exc: Exception) -> Response:
    """The one place an exception becomes an admin-API response."""
    if isinstance(exc, ApiError):
        return json_response(exc.body, exc.status, exc.headers)
    if isinstance(exc, ServiceError):
        status = exc.status if exc.status in STATUS else 400
        return json_response(envelope(status, str(exc), exc.field), status)
    if isinstance(exc, InvalidArgument):
        return json_response(envelope(400, str(exc), exc.field), 400)
    if isinstance(exc, HTTPException):
        return _http(exc)
    log.error("admin API failure", exc_info=exc)
    return json_response(envelope(500, "Internal error encountered."), 500)


def _http(exc: HTTPException) -> Response:
    """The router's own refusals. Google answers an unknown path and a known path with
    the wrong HTTP method alike: 404 "Method not found." (NOT_FOUND)."""
    if exc.status_code not in (404, 405):
        return json_response(envelope(400, str(exc.detail)), 400)
    return json_response(envelope(404, "Method not found."), 404)


class ErrorBoundary:
    """Wraps the admin router: nothing leaves it except Google's JSON envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            if started or scope["type"] != "http":
                raise
            await error_response(exc)(scope, receive, send)
