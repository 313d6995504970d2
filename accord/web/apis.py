"""The demo APIs over HTTP: one route per method of the discovery documents, and the documents.

Parse (token, query, path) -> admit -> respond -> write JSON. The endpoints are
plain functions, so Starlette runs them (and their database reads) in its
thread pool. Every answer, error or not, is JSON as Google's APIs send it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.composition import deps
from accord.google import paths
from accord.google.apis import discovery, errors, guard, registry
from accord.google.apis.calls import Call
from accord.google.apis.errors import ApiError
from accord.google.apis.registry import Endpoint
from accord.protocol.context import Context
from accord.protocol.errors import InvalidRequest
from accord.protocol.messages import TokenSubject
from accord.web.bearer import bearer_token
from accord.web.forms import query_pairs

MEDIA_TYPE = "application/json; charset=UTF-8"
CACHE = "private, max-age=0, must-revalidate, no-transform"
_TOKEN_PARAMS = ("access_token", "oauth_token")  # the discovery documents' global parameters


def write(
    body: Any, query: Mapping[str, str], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """JSON, indented unless ``prettyPrint=false`` (the APIs' global parameter)."""
    if query.get("prettyPrint", "true").lower() == "false":
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    return Response(text, status, {"Cache-Control": CACHE, **(headers or {})}, MEDIA_TYPE)


def _token(request: Request, query: Mapping[str, str]) -> str | None:
    """RFC 6750 §2.1 header, or one of the query parameters Google also accepts (§2.3):
    never both (§2), refused in the APIs' envelope."""
    try:
        return bearer_token(request, query, _TOKEN_PARAMS)
    except InvalidRequest as exc:
        raise errors.bad_request(exc.description) from None


def _display_name(ctx: Context, subject: TokenSubject) -> str:
    user_pk = subject.principal.user_pk
    user = ctx.store.user_by_pk(user_pk) if user_pk is not None else None
    return user.name if user is not None and user.name else subject.principal.email


def _endpoint(endpoint: Endpoint) -> Route:
    async def answer(request: Request) -> Response:
        ctx: Context = deps(request).ctx
        issuer: str = deps(request).settings.issuer
        query = dict(query_pairs(request))
        try:
            subject = guard.admit(ctx, endpoint, _token(request, query), issuer)
            call = Call(
                subject=subject,
                display_name=_display_name(ctx, subject),
                query=query,
                path=dict(request.path_params),
                now=ctx.clock.now(),
                issuer=issuer,
            )
            body = registry.respond(endpoint, call)
        except ApiError as exc:
            return write(exc.body, query, exc.status, exc.headers)
        return write(body, query)

    return Route("/" + endpoint.method.path, answer, methods=[endpoint.method.http_method])


async def discovery_document(request: Request) -> Response:
    """``GET /discovery/v1/apis/{api}/{version}/rest`` for googleapiclient's ``build``."""
    query = dict(query_pairs(request))
    api, version = request.path_params["api"], request.path_params["version"]
    doc = discovery.render(api, version, deps(request).settings.issuer)
    if doc is None:
        exc = errors.not_found()
        return write(exc.body, query, exc.status)
    return write(doc, query)


routes: list[BaseRoute] = [
    *(_endpoint(e) for e in registry.endpoints()),
    Route(paths.DISCOVERY, discovery_document, methods=["GET"]),
]
