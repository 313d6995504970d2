"""``/apis/api/{service}/overview?project=NUMBER``: the link in an API's SERVICE_DISABLED
error (``accord.google.apis.errors.service_disabled``), sent on to the APIs section of
that project's console page. A number the account cannot see is the console's 404."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.console.base import Console
from accord.console.projects import PATH as PROJECT

PATH = "/apis/api/{service}/overview"


async def overview(request: Request) -> Response:
    con = Console(request)
    if con.user is None:
        return con.signin()
    number = request.query_params.get("project", "")
    found = [p for p in con.projects.list(con.actor) if number and p.number == number]
    if not found:
        return con.not_found()
    return con.redirect(con.href(PROJECT.format(project_id=found[0].project_id)) + "#apis")


routes: list[BaseRoute] = [Route(PATH, overview, methods=["GET"])]
