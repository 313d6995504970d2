"""Rendering: the single place OAuthError and unexpected failures become responses.

JSON endpoints answer ``{"error", "error_description"}`` (RFC 6749 §5.2); browser
endpoints mark themselves with ``request.state.page = True`` and get Google's
error page (reference §1.1). Unknown exceptions become a 500 whose detail goes
only to the log.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from accord.composition import deps
from accord.google.errors import page_context, token_error_body
from accord.protocol.errors import OAuthError, RateLimited, ServerError

log = logging.getLogger("accord")

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers={**NO_STORE, **(headers or {})})


def templates(request: Request) -> Jinja2Templates:
    t: Jinja2Templates = deps(request).templates
    return t


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = templates(request).TemplateResponse(
        request, name, context, status_code=status, headers=NO_STORE
    )
    return response


def error_page(request: Request, exc: OAuthError, app_name: str | None = None) -> Response:
    title = getattr(request.state, "error_title", None)
    context = page_context(exc, app_name, request, title)
    return page(request, "error.html", context, exc.status)


async def oauth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OAuthError)
    if exc.detail:
        log.info("%s %s: %s (%s)", request.method, request.url.path, exc.code, exc.detail)
    if getattr(request.state, "page", False):
        return error_page(request, exc, getattr(request.state, "app_name", None))
    headers = {}
    if exc.status == 401 and request.headers.get("authorization", "")[:6].lower() == "basic ":
        headers["WWW-Authenticate"] = 'Basic realm="accord"'  # RFC 6749 §5.2
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(exc.retry_after, 1))  # RFC 6585 §4
    return json_response(token_error_body(exc), exc.status, headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if getattr(request.state, "page", False) or exc.status_code == 404:
        return page(
            request,
            "error.html",
            {"title": "That's an error.", "code": f"Error {exc.status_code}", "description":
             exc.detail, "details": []},
            exc.status_code,
        )
    body = {"error": "invalid_request", "error_description": str(exc.detail)}
    return json_response(body, exc.status_code, headers)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    error = ServerError("Backend Error")
    if getattr(request.state, "page", False):
        return error_page(request, error)
    # Google's libraries retry on internal_failure (reference §1.3.4, §1.24).
    return json_response({"error": "internal_failure", "error_description": "Backend Error"}, 500)
