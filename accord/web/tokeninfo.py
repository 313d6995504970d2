"""Tokeninfo for access tokens (reference §1.6): query, form field or Bearer header."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accord.google.tokeninfo import access_token_info
from accord.protocol import access
from accord.protocol.params import single_valued
from accord.web.forms import body_pairs, query_pairs
from accord.web.render import json_response


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return None


async def tokeninfo(request: Request) -> Response:
    pairs = query_pairs(request)
    if request.method == "POST":
        pairs += await body_pairs(request, required=False)
    params = single_valued(pairs)
    ctx = request.app.state.ctx
    subject = access.inspect(ctx, params.get("access_token") or bearer(request))
    return json_response(access_token_info(subject, ctx.clock.now()))
