"""Revocation (RFC 7009; reference §1.5): ``token`` in the query string or a form body."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accord.composition import deps
from accord.protocol import access
from accord.protocol.params import single_valued
from accord.web.bearer import authorization
from accord.web.forms import body_pairs, query_pairs
from accord.web.render import json_response


async def revoke(request: Request) -> Response:
    authorization(request)  # two Authorization headers are refused here too
    pairs = query_pairs(request)
    if request.method == "POST":
        pairs += await body_pairs(request, required=False)
    params = single_valued(pairs)
    access.revoke(deps(request).ctx, params.get("token"))
    return json_response({})
