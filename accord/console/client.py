"""One OAuth client: its URIs and origins, disable, delete, rotating secrets, and
``client_secret.json``."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from accord.console import secret_once
from accord.console.base import Console, Done, Form, console_page
from accord.console.clients import check_fields
from accord.console.projects import PATH as PROJECT
from accord.google import paths
from accord.protocol.params import small_number
from accord.services import ServiceError
from accord.web.render import NO_STORE

PATH = paths.CONSOLE + "/clients/{client_id}"


async def detail(con: Console, client_id: str) -> tuple[str, dict[str, Any]]:
    client = con.clients.get(con.actor, client_id)
    return "client.html", {
        "client": client,
        "project": con.projects.get(con.actor, client.project_id),
        "secrets": con.clients.secrets(con.actor, client_id),
    }


async def update(con: Console, form: Form, client_id: str) -> Done:
    check_fields(form, con.clients.get(con.actor, client_id).type)
    con.clients.update(
        con.actor,
        client_id,
        name=form.get("name"),
        redirect_uris=form.lines("redirect_uris"),
        javascript_origins=form.lines("javascript_origins"),
    )
    return Done("client_saved")


async def disable(con: Console, form: Form, client_id: str) -> Done:
    con.clients.disable(con.actor, client_id)
    return Done("client_disabled")


async def enable(con: Console, form: Form, client_id: str) -> Done:
    con.clients.enable(con.actor, client_id)
    return Done("client_enabled")


def _confirm(
    con: Console, client_id: str, action: str, title: str, text: str, label: str,
    **fields: str,
) -> Response:
    """A confirmation page whose form posts ``action`` again with ``confirm=yes``."""
    client = con.clients.get(con.actor, client_id)
    return con.render(
        "confirm.html", project=con.projects.get(con.actor, client.project_id),
        client=client, action=action, title=title, text=text, label=label,
        fields=sorted(fields.items()),
    )


async def delete(con: Console, form: Form, client_id: str) -> Done | Response:
    project_id = con.clients.get(con.actor, client_id).project_id
    if form.get("confirm") != "yes":
        return _confirm(
            con, client_id, "delete", "Delete this OAuth client?",
            "Apps using it can no longer sign anyone in, and its tokens stop working. "
            "You can restore it from the project's client list for 30 days; after that "
            "it is deleted for good.", "Delete client",
        )
    con.clients.delete(con.actor, client_id)
    return Done("client_deleted", PROJECT.format(project_id=project_id) + "/clients")


async def add_secret(con: Console, form: Form, client_id: str) -> Response:
    created = con.clients.add_secret(con.actor, client_id)
    return secret_once.keep(con, client_id, created.secret, new_client=False)


def _secret_id(form: Form) -> int:
    found = small_number(form.get("secret_id"), 18)
    if found is None:
        raise ServiceError("Choose a client secret.", field="secret_id")
    return found


async def disable_secret(con: Console, form: Form, client_id: str) -> Done | Response:
    secret_id = _secret_id(form)
    enabled = [s.secret_id for s in con.clients.secrets(con.actor, client_id) if s.enabled]
    if enabled == [secret_id] and form.get("confirm") != "yes":
        return _confirm(
            con, client_id, "disable_secret", "Disable the last client secret?",
            "This is the client's only enabled secret: once it is disabled, every token "
            "request with this client fails with invalid_client until you enable a "
            "secret or add a new one.", "Disable secret", secret_id=str(secret_id),
        )
    con.clients.disable_secret(con.actor, client_id, secret_id)
    return Done("secret_disabled")


async def enable_secret(con: Console, form: Form, client_id: str) -> Done:
    con.clients.enable_secret(con.actor, client_id, _secret_id(form))
    return Done("secret_enabled")


async def delete_secret(con: Console, form: Form, client_id: str) -> Done:
    con.clients.delete_secret(con.actor, client_id, _secret_id(form))
    return Done("secret_deleted")


async def download(con: Console, form: Form, client_id: str) -> Response:
    """``client_secret.json`` (reference §1.12); with the secret only when the form carries
    one that is still enabled (it is on the page that showed it once)."""
    secret = form.raw("secret") or None
    config = con.clients.client_secret_json(con.actor, client_id, con.issuer, secret)
    body = json.dumps(config, indent=2) + "\n"
    name = f"client_secret_{client_id}.json"  # Google's download name
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type="application/json", headers=headers)


routes = [
    console_page(
        PATH,
        detail,
        {
            "update": update,
            "disable": disable,
            "enable": enable,
            "delete": delete,
            "add_secret": add_secret,
            "disable_secret": disable_secret,
            "enable_secret": enable_secret,
            "delete_secret": delete_secret,
        },
    ),
    console_page(PATH + "/download", None, {"download": download}),
]
