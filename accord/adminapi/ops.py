"""Operations: one declaration per method and path serves both the route and its
OpenAPI description, so the document cannot drift from the server.

An operation is parsed (path parameters, query, JSON body), authenticated,
decided by a plain function that calls the services, and written once as JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accord.adminapi.auth import authenticate
from accord.adminapi.body import NO_FIELDS, Body, RawBody, clean, read
from accord.adminapi.bundle import Services, for_request
from accord.adminapi.errors import InvalidArgument, error_response
from accord.composition import deps
from accord.protocol.errors import OAuthError
from accord.services.actors import Member
from accord.web.bearer import bearer
from accord.web.forms import parse_pairs
from accord.web.render import json_response

# Google's system parameters, accepted on every method and without effect here.
SYSTEM_PARAMETERS = frozenset({"alt", "fields", "prettyPrint", "quotaUser", "$.xgafv"})


@dataclass(frozen=True)
class Query:
    """An integer query parameter, or a page token (digits in a string) read as one."""

    name: str
    minimum: int
    maximum: int
    description: str = ""
    token: bool = False

    def schema(self) -> dict[str, Any]:
        if self.token:
            return {"type": "string", "pattern": "^[0-9]{1,18}$"}
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}

    def read(self, text: str) -> int:
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise InvalidArgument(f"Invalid value for {self.name}: {text[:40]!r}", self.name)
        value = int(text)
        if not self.minimum <= value <= self.maximum:
            raise InvalidArgument(
                f"{self.name} must be between {self.minimum} and {self.maximum}", self.name
            )
        return value


@dataclass(frozen=True)
class Call:
    """One authenticated request, parsed: what an operation's decision reads."""

    actor: Member
    services: Services
    path: dict[str, str]
    body: dict[str, Any]
    query: dict[str, int]
    issuer: str


Decide = Callable[[Call], dict[str, Any]]


@dataclass(frozen=True)
class Op:
    method: str  # GET, POST, PATCH, PUT, DELETE
    path: str  # relative to /admin/v1, OpenAPI template form: /projects/{projectId}
    name: str  # operationId, also the RPC name in error envelopes: projects.get
    summary: str
    decide: Decide
    response: str  # the component schema of the 200 response
    body: Body | None = None
    query: tuple[Query, ...] = ()
    errors: tuple[int, ...] = (404,)  # besides 400, 401 and 403, which every call may get

    def route(self) -> Route:
        async def endpoint(request: Request) -> Response:
            try:
                raw = await read(request)
                result = await run_in_threadpool(self._run, request, raw)
            except Exception as exc:
                return error_response(exc)
            return json_response(result)

        return Route(self.path, endpoint, methods=[self.method], name=self.name)

    def _run(self, request: Request, raw: RawBody) -> dict[str, Any]:
        state = deps(request)
        issuer: str = state.settings.issuer
        try:
            token = bearer(request)
        except OAuthError as exc:  # two Authorization headers
            raise InvalidArgument(exc.description) from None
        actor = authenticate(state.ctx, issuer, token, self.name)
        path = {k: clean(str(v), k) for k, v in request.path_params.items()}
        query = self._query(request)
        body = (self.body or NO_FIELDS).parse(raw.json())
        return self.decide(Call(actor, for_request(request), path, body, query, issuer))

    def _query(self, request: Request) -> dict[str, int]:
        known = {q.name: q for q in self.query}
        out: dict[str, int] = {}
        try:
            pairs = parse_pairs(request.scope["query_string"].decode("latin-1"))
        except OAuthError as exc:
            raise InvalidArgument(exc.description) from None
        for name, value in pairs:
            q = known.get(name)
            if q is None:
                if name in SYSTEM_PARAMETERS:
                    continue
                raise InvalidArgument(
                    f'Invalid JSON payload received. Unknown name "{name}": '
                    "Cannot bind query parameter.", name)
            if name in out:
                raise InvalidArgument(f"{name} given more than once", name)
            out[name] = q.read(value)
        return out
