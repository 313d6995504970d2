"""Accord's JSON admin API under /admin/v1 (issue 3): projects, clients, organizations
and service accounts (issue 10) through the same services as the console and the CLI,
described by the OpenAPI document it serves at /admin/v1/openapi.json."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import ASGIApp

from accord.adminapi import (
    clients,
    consent,
    delegations,
    orgs,
    projects,
    sa_policy,
    secrets,
    service_accounts,
)
from accord.adminapi.errors import ErrorBoundary
from accord.adminapi.openapi import PREFIX, document
from accord.adminapi.ops import Op
from accord.composition import deps
from accord.web.render import json_response

OPS: tuple[Op, ...] = (
    projects.OPS + consent.OPS + clients.OPS + secrets.OPS + orgs.OPS
    + service_accounts.OPS + sa_policy.OPS + delegations.OPS
)


async def openapi(request: Request) -> Response:
    """The document is public, as Google's discovery documents are."""
    return json_response(document(deps(request).settings.issuer, OPS))


def _routes() -> list[BaseRoute]:
    # /clients/{clientId}:disable before /clients/{clientId}: a parameter matches ":" too.
    ordered = sorted(OPS, key=lambda op: ":" not in op.path)
    out: list[BaseRoute] = [Route("/openapi.json", openapi, methods=["GET"])]
    return out + [op.route() for op in ordered]


class _Mount(Mount):
    """Starlette mounts on ``{path:path}``, a ``.*`` that stops at a newline: an ID with a
    percent-encoded %0A would miss the API and get the HTML 404 page. Match it all."""

    def __init__(self, path: str, app: ASGIApp) -> None:
        super().__init__(path, app=app)
        self.path_regex = re.compile(self.path_regex.pattern, re.DOTALL)


# No trailing-slash redirects: /projects/ is not /projects (Google answers 404 too).
routes: list[BaseRoute] = [
    _Mount(PREFIX, ErrorBoundary(Router(_routes(), redirect_slashes=False)))
]
