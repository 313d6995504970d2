"""The authorization endpoint (RFC 6749 §3.1, §4.1.1; reference §1.1)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accord.google import useragents
from accord.protocol import authorize as core
from accord.protocol.errors import DisallowedUserAgent
from accord.protocol.params import single_valued
from accord.web.forms import body_pairs, query_pairs
from accord.web.page import Page


async def authorize(request: Request) -> Response:
    here = Page(request)
    state = here.state
    pairs = query_pairs(request) if request.method == "GET" else await body_pairs(request)
    params = single_valued(pairs)
    client = core.find_client(params, state.ctx.store.client)
    request.state.app_name = client.project_name  # names the app on the error page
    if useragents.is_embedded(request.headers.get("user-agent")):
        raise DisallowedUserAgent(
            f"{client.project_name} sent a request from an embedded browser: "
            "use a secure browser to sign in (Google's \"Use secure browsers\" policy)."
        )
    _, areq = core.validate(params, lambda _client_id: client, state.ctx.scopes)
    return here.answer(here.flow.advance(client, areq, here.browser()))
