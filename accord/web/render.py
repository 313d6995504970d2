"""Rendering: the single place OAuthError and unexpected failures become responses.

JSON endpoints answer ``{"error", "error_description"}`` (RFC 6749 §5.2); browser
endpoints mark themselves with ``request.state.page = True`` and get Google's
error page (reference §1.1). A database that is unavailable answers 503 with
Retry-After (accord.google.outage); other unknown exceptions become a 500 whose
detail goes only to the log.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from accord.composition import deps
from accord.google import outage
from accord.google.errors import page_context, token_error_body
from accord.protocol.errors import OAuthError, RateLimited, ServerError
from accord.storage.guard import unavailable

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
    request.state.error_code = exc.code
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


def unexpected(request: Request, exc: Exception) -> Response:
    """Any exception no handler took: 503 with Retry-After when the database is
    unavailable, else 500. Either way the connection stays open (nothing re-raises: see
    accord.ops.catch)."""
    if unavailable(exc):
        log.warning("database unavailable on %s %s: %s", request.method, route_of(request),
                    _first_line(exc))
        return _unavailable(request)
    log.error("unexpected error on %s %s", request.method, route_of(request), exc_info=exc)
    request.state.error_code = "internal_failure"
    if getattr(request.state, "page", False):
        return error_page(request, ServerError("Backend Error"))
    # Google's libraries retry on internal_failure (reference §1.3.4, §1.24).
    return json_response(outage.TOKEN_BODY, 500)


def _unavailable(request: Request) -> Response:
    request.state.error_code = "unavailable"
    headers = {"Retry-After": outage.RETRY_AFTER}
    if getattr(request.state, "page", False):
        return page_with(request, outage.PAGE, outage.STATUS, headers)
    if _is_api(request):
        body = json.dumps(outage.api_body(), indent=2) + "\n"
        return Response(body, outage.STATUS, headers, "application/json; charset=UTF-8")
    return json_response(outage.TOKEN_BODY, outage.STATUS, headers)


def _is_api(request: Request) -> bool:
    from accord.web.apis import routes  # the APIs' module renders through this one

    route = request.scope.get("route")
    return any(route is r for r in routes)


def page_with(
    request: Request, context: dict[str, Any], status: int, headers: dict[str, str]
) -> Response:
    response = page(request, "error.html", context, status)
    response.headers.update(headers)
    return response


def route_of(request: Request) -> str:
    """The route template (never the path: it may carry a credential)."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "") or "-")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
