"""A service account's keys: the list, Create new key (its JSON key file downloaded once,
then never again), Upload existing key (a certificate), disable, enable, delete.

Create new key seals the key file into a cookie (``secret_once.Sealed``: bound to the
browser session, the account and the key, ten minutes, the page's path only) and
redirects to the key's page; its Download button posts for the file, which deletes the
cookie. Accord keeps no copy of the private key, so a second download finds nothing.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord.console.base import Console, Done, Form, console_page
from accord.console.secret_once import Sealed
from accord.console.service_account import account_page
from accord.console.service_accounts import ACCOUNT
from accord.services import NotFound, ServiceError
from accord.web.render import NO_STORE

KEYS = ACCOUNT + "/keys"
KEY = KEYS + "/{key_id}"
KEY_FILE = Sealed("accord_new_key", "console-new-key-file")


def _bound(unique_id: str, key_id: str) -> str:
    return f"{unique_id}\n{key_id}"


async def listing(con: Console, unique_id: str) -> tuple[str, dict[str, Any]]:
    page = account_page(con, unique_id)
    deleted = page["account"].deleted_at is not None  # its keys are dead with it
    keys = [] if deleted else con.service_accounts.list_keys(con.actor, unique_id)
    return "service_account_keys.html", {**page, "keys": keys}


async def create_key(con: Console, form: Form, unique_id: str) -> Response:
    created = con.service_accounts.create_key(con.actor, unique_id, con.issuer)
    key_id = created.key.key_id
    path = KEY.format(unique_id=unique_id, key_id=key_id)
    response = con.redirect(con.href(path))
    return KEY_FILE.keep(con, response, path, _bound(unique_id, key_id), {"f": created.key_file})


async def upload_key(con: Console, form: Form, unique_id: str) -> Done:
    pem = form.raw("certificate").strip()
    if not pem:
        raise ServiceError("Paste the key's X.509 certificate (PEM).", "certificate")
    con.service_accounts.upload_key(con.actor, unique_id, pem)
    return Done("key_uploaded")


def _key_id(form: Form) -> str:
    key_id = form.get("key_id")
    if not key_id:
        raise ServiceError("Choose a key.", "key_id")
    return key_id


async def disable_key(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.disable_key(con.actor, unique_id, _key_id(form))
    return Done("key_disabled")


async def enable_key(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.enable_key(con.actor, unique_id, _key_id(form))
    return Done("key_enabled")


async def delete_key(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.delete_key(con.actor, unique_id, _key_id(form))
    return Done("key_deleted")


async def created(request: Request) -> Response:
    """The page after Create new key: its Download button, or (the file taken, or another
    browser) 410 and what to do instead."""
    con = Console(request)
    if con.user is None:
        return con.signin()
    unique_id, key_id = request.path_params["unique_id"], request.path_params["key_id"]
    try:
        page = account_page(con, unique_id)
    except NotFound:
        return con.not_found()
    path = KEY.format(unique_id=unique_id, key_id=key_id)
    if KEY_FILE.take(con, request, _bound(unique_id, key_id)) is None:
        return con.render("key_gone.html", 410, **page, key_id=key_id)
    response = con.render("key_created.html", **page, key_id=key_id,
                          download_path=path + "/download")
    response.headers["Cache-Control"] = "no-store"
    return response


async def download(con: Console, form: Form, unique_id: str, key_id: str) -> Response:
    """The key file, once (reference §1.14); Google names it PROJECT-KEYPREFIX.json."""
    page = account_page(con, unique_id)
    path = KEY.format(unique_id=unique_id, key_id=key_id)
    kept = KEY_FILE.take(con, con.request, _bound(unique_id, key_id))
    if kept is None:
        return KEY_FILE.forget(con.render("key_gone.html", 410, **page, key_id=key_id), path)
    key_file = kept["f"]
    body = json.dumps(key_file, indent=2) + "\n"
    name = f"{key_file['project_id']}-{key_id[:12]}.json"
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
    return KEY_FILE.forget(Response(body, media_type="application/json", headers=headers), path)


routes: list[BaseRoute] = [
    console_page(
        KEYS, listing,
        {"create_key": create_key, "upload_key": upload_key, "disable_key": disable_key,
         "enable_key": enable_key, "delete_key": delete_key},
    ),
    Route(KEY, created, methods=["GET"]),
    console_page(KEY + "/download", None, {"download": download}),
]
