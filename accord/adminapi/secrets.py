"""Client secrets (at most two enabled, for rotation) and ``client_secret.json``
(reference §1.12). A secret is shown once, when it is made; the file never holds one."""

from __future__ import annotations

from typing import Any

from accord.adminapi.ops import Call, Op
from accord.services.errors import NotFound

EMPTY: dict[str, Any] = {}
MAX_ID = 2**53  # secret IDs are JSON numbers: stay within what every client reads exactly


def secret_id(call: Call) -> int:
    text = call.path["secretId"]
    if not (text.isascii() and text.isdigit() and 0 < int(text[:20]) < MAX_ID):
        raise NotFound(f"Secret {text[:40]} not found")
    return int(text)


def _list(call: Call) -> dict[str, Any]:
    found = call.services.clients.secrets(call.actor, call.path["clientId"])
    return {"secrets": [s.as_json() for s in found]}


def _view(call: Call, wanted: int) -> dict[str, Any]:
    for view in call.services.clients.secrets(call.actor, call.path["clientId"]):
        if view.secret_id == wanted:
            return view.as_json()
    raise NotFound(f"Secret {wanted} not found")


def _add(call: Call) -> dict[str, Any]:
    new = call.services.clients.add_secret(call.actor, call.path["clientId"])
    return {**_view(call, new.secret_id), "secret": new.secret}


def _delete(call: Call) -> dict[str, Any]:
    call.services.clients.delete_secret(call.actor, call.path["clientId"], secret_id(call))
    return EMPTY


def _switch(enable: bool) -> Any:
    def switch(call: Call) -> dict[str, Any]:
        clients, wanted = call.services.clients, secret_id(call)
        change = clients.enable_secret if enable else clients.disable_secret
        change(call.actor, call.path["clientId"], wanted)
        return _view(call, wanted)

    return switch


def _secret_json(call: Call) -> dict[str, Any]:
    return dict(call.services.clients.client_secret_json(
        call.actor, call.path["clientId"], call.issuer, None
    ))


S = "/clients/{clientId}/secrets"
OPS = (
    Op("GET", S, "clients.secrets.list", "The client's secrets, by hint (never the secret)",
       _list, "SecretList"),
    Op("POST", S, "clients.secrets.create",
       "Add a secret (editors; at most 2 enabled): the answer holds it, shown only this once",
       _add, "NewSecret"),
    Op("DELETE", S + "/{secretId}", "clients.secrets.delete",
       "Delete a disabled secret (editors)", _delete, "Empty"),
    Op("POST", S + "/{secretId}:disable", "clients.secrets.disable",
       "Disable a secret: it stops authenticating the client at once (editors)",
       _switch(False), "Secret"),
    Op("POST", S + "/{secretId}:enable", "clients.secrets.enable",
       "Enable a secret (editors; at most 2 enabled)", _switch(True), "Secret"),
    Op("GET", "/clients/{clientId}/clientSecretJson", "clients.clientSecretJson.get",
       "client_secret.json for Google's libraries, without the secret", _secret_json,
       "ClientSecretJson"),
)
