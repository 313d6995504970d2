"""The IAM Credentials API over HTTP (reference §1.19), at the paths of
Google's iamcredentials host, on Accord's origin:
``POST /v1/projects/-/serviceAccounts/{email or unique id}:{verb}``.

One route matches the last path segment whole and splits it at its last colon, so an
email written with ``@`` or ``%40`` (the server decodes the path) and a unique id both
work. Parse (token, verb, body) -> admit -> decide (``accord.google.iamcredentials.answer``, in the
thread pool: it reads the database and signs) -> JSON. Every refusal is Google's envelope.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.composition import deps
from accord.google import iamcredentials as google_iam
from accord.google import iamcredentials_errors as iam_errors
from accord.google.apis.errors import ApiError
from accord.protocol.context import Context
from accord.protocol.iam import IamRefusal, Method
from accord.web.apis import write
from accord.web.tokeninfo import bearer

PATH = "/v1/projects/{project}/serviceAccounts/{resource}"
MAX_BODY = 64 * 1024


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    too_large = iam_errors.invalid_argument(f"The request body exceeds {MAX_BODY} bytes.")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise too_large
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_large
    return body


def _decide(ctx: Context, issuer: str, token: str | None, method: Method, project: str,
            target: str, body: bytes) -> dict[str, Any]:
    caller = google_iam.admit(ctx, token, method, issuer)
    parsed = google_iam.parse(method, project, target, body)
    try:
        return google_iam.answer(ctx, caller, parsed)
    except IamRefusal as exc:
        raise iam_errors.refusal(exc) from None


async def credentials(request: Request) -> Response:
    target, _, verb = request.path_params["resource"].rpartition(":")
    query: dict[str, str] = {}
    try:
        method = Method(verb)
    except ValueError:
        exc = iam_errors.method_not_found(request.url.path)
        return write(exc.body, query, exc.status)
    ctx: Context = deps(request).ctx
    issuer: str = deps(request).settings.issuer
    try:
        body = await _body(request)
        answer = await run_in_threadpool(
            _decide, ctx, issuer, bearer(request), method,
            request.path_params["project"], target, body,
        )
    except ApiError as exc:
        return write(exc.body, query, exc.status, exc.headers)
    return write(answer, query)


routes: list[BaseRoute] = [Route(PATH, credentials, methods=["POST"])]
