"""Tokeninfo for access tokens (reference §1.6): query, form field or Bearer header."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accord.composition import deps
from accord.google import wording
from accord.google.tokeninfo import access_token_info, id_token_info
from accord.protocol import access
from accord.protocol.context import Context
from accord.protocol.errors import InvalidToken
from accord.protocol.id_token import verify
from accord.protocol.params import single_valued
from accord.web.bearer import bearer, bearer_token
from accord.web.forms import body_pairs, query_pairs
from accord.web.render import json_response

__all__ = ["bearer", "tokeninfo", "verified_id_token"]


async def tokeninfo(request: Request) -> Response:
    pairs = query_pairs(request)
    if request.method == "POST":
        pairs += await body_pairs(request, required=False)
    params = single_valued(pairs)
    ctx = deps(request).ctx
    if "id_token" in params:
        header, claims = verified_id_token(ctx, params["id_token"])
        return json_response(id_token_info(header, claims))
    subject = access.admit(ctx, bearer_token(request, params))
    return json_response(access_token_info(subject, ctx.clock.now()))


def verified_id_token(ctx: Context, token: str) -> tuple[dict[str, object], dict[str, object]]:
    """The header and claims of an ID token this server issued to one of its clients, or
    to a live service account for any audience (``target_audience``, ``generateIdToken``)."""
    found = None
    if ctx.id_tokens is not None:
        found = verify(token, ctx.id_tokens.keys, ctx.clock.now(), ctx.id_tokens.issuer)
    if found is None:
        raise InvalidToken(wording.INVALID_VALUE)
    header, claims = found
    aud, sub = claims.get("aud"), claims.get("sub")
    if isinstance(aud, str) and ctx.store.client(aud) is not None:
        return header, claims
    if isinstance(sub, str) and ctx.service_accounts is not None:
        account = ctx.service_accounts.service_account(sub)
        live = account is not None and not (account.deleted or account.disabled)
        if live and account is not None and account.unique_id == sub:
            return header, claims
    raise InvalidToken(wording.INVALID_VALUE)  # not issued to a client or account of ours
