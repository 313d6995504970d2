"""A new client secret, shown once after Post/Redirect/Get.

The form that makes a secret (a new client, or Add secret) seals it into a short-lived
cookie (AES-256-GCM under a key derived from ``ACCORD_SECRET_KEY``, bound to the browser
session and the client, HttpOnly, SameSite=Strict, scoped to the page's path, ten
minutes) and redirects to ``/console/clients/{id}/secret``; that GET opens it, shows the
secret and deletes the cookie. A reload finds nothing and says so: it creates no second
client, and the secret never rides in a URL. Every worker shares the key, so this holds
behind several processes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.console.base import Console
from accord.services import NotFound

PATH = "/console/clients/{client_id}/secret"
COOKIE = "accord_new_secret"
TTL = 600


@dataclass(frozen=True)
class _Kept:
    secret: str
    new_client: bool


def _aead(con: Console) -> AESGCM:
    return AESGCM(con.state.settings.subkey("console-new-secret"))


def _aad(con: Console, client_id: str) -> bytes:
    return f"{con.session.sid}\n{client_id}".encode()


def keep(con: Console, client_id: str, secret: str, *, new_client: bool) -> Response:
    """Seal the secret for the next GET of its page and redirect there."""
    nonce = os.urandom(12)
    body = json.dumps({"s": secret, "n": new_client, "u": con.now + TTL}).encode()
    sealed = (nonce + _aead(con).encrypt(nonce, body, _aad(con, client_id))).hex()
    path = PATH.format(client_id=client_id)
    response = con.redirect(con.href(path))
    response.set_cookie(
        COOKIE, sealed, max_age=TTL, path=path, httponly=True, samesite="strict",
        secure=con.state.settings.secure_cookies,
    )
    return response


def _take(con: Console, request: Request, client_id: str) -> _Kept | None:
    try:
        raw = bytes.fromhex(request.cookies.get(COOKIE, ""))
        body = json.loads(_aead(con).decrypt(raw[:12], raw[12:], _aad(con, client_id)))
    except (ValueError, InvalidTag):
        return None
    if body["u"] < con.now:
        return None
    return _Kept(str(body["s"]), bool(body["n"]))


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
    kept = _take(con, request, client_id)
    if kept is None:
        return con.render("secret_gone.html", 410, client=client, project=project)
    response = con.render(
        "secret.html", project=project, client=client, secret=kept.secret,
        new_client=kept.new_client,
    )
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(COOKIE, path=PATH.format(client_id=client_id))
    return response


routes: list[BaseRoute] = [Route(PATH, shown, methods=["GET"])]
