"""The token endpoint (RFC 6749 §3.2; reference §1.3)."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response

from accord.composition import deps
from accord.protocol import grants
from accord.protocol.errors import InvalidRequest
from accord.protocol.params import single_valued
from accord.web.bearer import authorization
from accord.web.forms import body_pairs, query_pairs
from accord.web.render import json_response


async def token(request: Request) -> Response:
    if request.scope["query_string"] and any(
        name in ("code", "refresh_token", "client_secret") for name, _ in query_pairs(request)
    ):
        # RFC 6749 §3.2 (and RFC 9700 §4.3.1): credentials never ride in the URL.
        raise InvalidRequest("Credentials must be sent in the request body.")
    header = authorization(request)
    params = single_valued(await body_pairs(request))
    state = deps(request)
    # Failed client authentications are counted for this request's address.
    address = request.client.host if request.client else ""
    ctx = replace(state.ctx, secret_throttle=state.client_throttle.at(address))
    response = grants.token(ctx, params, header)
    return json_response(response.as_json())
