"""A new client secret, shown once after Post/Redirect/Get.

The form that makes a secret (a new client, or Add secret) keeps it here, bound to
the browser session, and redirects to ``/console/clients/{id}/secret?shown=KEY``;
the first GET of that page takes it out and shows it. A reload finds nothing and
says so: it creates no second client, and the secret never rides in a URL. Kept in
this process's memory for at most ten minutes (the console runs in one process).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.console.base import Console
from accord.services import NotFound

PATH = "/console/clients/{client_id}/secret"
TTL = 600


@dataclass(frozen=True)
class _Kept:
    sid: str
    client_id: str
    secret: str
    new_client: bool
    until: float


_kept: dict[str, _Kept] = {}
_lock = threading.Lock()


def keep(con: Console, client_id: str, secret: str, *, new_client: bool) -> Response:
    """Keep the secret for one GET and redirect there."""
    key = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for old in [k for k, v in _kept.items() if v.until < now]:
            del _kept[old]
        _kept[key] = _Kept(con.session.sid, client_id, secret, new_client, now + TTL)
    return con.redirect(con.href(PATH.format(client_id=client_id), shown=key))


def _take(con: Console, key: str, client_id: str) -> _Kept | None:
    with _lock:
        kept = _kept.get(key)
        if kept is None or kept.sid != con.session.sid or kept.client_id != client_id:
            return None
        del _kept[key]
    return kept if kept.until >= time.monotonic() else None


async def shown(request: Request) -> Response:
    con = Console(request)
    if con.user is None:
        return con.signin()
    client_id = request.path_params["client_id"]
    try:
        client = con.clients.get(con.actor, client_id)
        project = con.projects.get(con.actor, client.project_id)
    except NotFound:
        return con.not_found()
    kept = _take(con, request.query_params.get("shown", ""), client_id)
    if kept is None:
        return con.render(
            "secret_gone.html", 410, client=client, project=project
        )
    response = con.render(
        "secret.html", project=project, client=client, secret=kept.secret,
        new_client=kept.new_client,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


routes: list[BaseRoute] = [Route(PATH, shown, methods=["GET"])]
