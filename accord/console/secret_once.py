"""A new secret, shown once after Post/Redirect/Get.

The form that makes a secret (a new client, Add secret, a service account's new key)
seals it into a short-lived cookie (AES-256-GCM under a key derived from
``ACCORD_SECRET_KEY`` for that purpose, bound to the browser session and the resource,
HttpOnly, SameSite=Strict, scoped to the page's path, ten minutes) and redirects to the
page that shows it; that page opens it, shows the secret (or sends the key file) and
deletes the cookie. A reload finds nothing and says so: it creates nothing again, and
the secret never rides in a URL. Every worker shares the key, so this holds behind
several processes.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

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
class Sealed:
    """One kind of secret kept for one GET: its cookie, and the purpose its key is for."""

    cookie: str
    purpose: str

    def _aead(self, con: Console) -> AESGCM:
        return AESGCM(con.state.settings.subkey(self.purpose))

    def _aad(self, con: Console, bound_to: str) -> bytes:
        return f"{con.session.sid}\n{bound_to}".encode()

    def keep(self, con: Console, response: Response, path: str, bound_to: str,
             body: dict[str, Any]) -> Response:
        """Seal ``body`` into the cookie of ``path`` (deflated, base64url: a key file fits
        in a cookie's 4096 bytes)."""
        nonce = os.urandom(12)
        plain = zlib.compress(json.dumps({**body, "u": con.now + TTL}).encode(), 9)
        sealed = nonce + self._aead(con).encrypt(nonce, plain, self._aad(con, bound_to))
        response.set_cookie(
            self.cookie, base64.urlsafe_b64encode(sealed).decode().rstrip("="), max_age=TTL,
            path=path, httponly=True, samesite="strict",
            secure=con.state.settings.secure_cookies,
        )
        return response

    def take(self, con: Console, request: Request, bound_to: str) -> dict[str, Any] | None:
        """The sealed body if this browser session's cookie holds one still valid."""
        raw = request.cookies.get(self.cookie, "")
        try:
            data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
            plain = self._aead(con).decrypt(data[:12], data[12:], self._aad(con, bound_to))
            body = json.loads(zlib.decompress(plain))
        except (ValueError, InvalidTag, binascii.Error, zlib.error):
            return None
        if not isinstance(body, dict) or body.get("u", 0) < con.now:
            return None
        return body

    def forget(self, response: Response, path: str) -> Response:
        response.delete_cookie(self.cookie, path=path)
        return response


CLIENT_SECRET = Sealed(COOKIE, "console-new-secret")


def keep(con: Console, client_id: str, secret: str, *, new_client: bool) -> Response:
    """Seal the secret for the next GET of its page and redirect there."""
    path = PATH.format(client_id=client_id)
    response = con.redirect(con.href(path))
    return CLIENT_SECRET.keep(con, response, path, client_id, {"s": secret, "n": new_client})


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
    kept = CLIENT_SECRET.take(con, request, client_id)
    if kept is None:
        return con.render("secret_gone.html", 410, client=client, project=project)
    response = con.render(
        "secret.html", project=project, client=client, secret=str(kept["s"]),
        new_client=bool(kept["n"]),
    )
    response.headers["Cache-Control"] = "no-store"
    return CLIENT_SECRET.forget(response, PATH.format(client_id=client_id))


routes: list[BaseRoute] = [Route(PATH, shown, methods=["GET"])]
