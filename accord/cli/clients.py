"""``accord clients ...``: OAuth clients and their secrets."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from accord.cli.base import Context, Group, Handler, Subparsers, command, group, subcommands


def _create(c: Context, a: argparse.Namespace) -> None:
    """Prints (or writes, mode 0600) the new client's client_secret.json with its secret."""
    new = c.clients.create(c.actor, a.project_id, a.name, a.type, a.redirect_uri or [],
                           a.origin or [])
    config = c.clients.client_secret_json(
        c.actor, new.client_id, c.settings.issuer, new.client_secret
    )
    text = json.dumps(config, indent=2) + "\n"
    if not a.output:
        sys.stdout.write(text)
        return None
    path = Path(a.output)
    path.write_text(text)
    path.chmod(0o600)
    print(f"Wrote {path} for client {new.client_id}.", file=sys.stderr)
    return None


def _update(c: Context, a: argparse.Namespace) -> object:
    uris = None if a.redirect_uri is None else [u for u in a.redirect_uri if u]
    origins = None if a.origin is None else [o for o in a.origin if o]
    return c.clients.update(c.actor, a.client_id, a.name, uris, origins)


def _lifecycle(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> str:
        getattr(c.clients, action)(c.actor, a.client_id)
        return f"{action.capitalize()}{'d' if action.endswith('e') else 'ed'} client {a.client_id}."
    return run


def _secret(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> str:
        getattr(c.clients, f"{action}_secret")(c.actor, a.client_id, a.secret_id)
        return f"{action.capitalize()}d secret {a.secret_id} of {a.client_id}."
    return run


def _secrets(sub: Subparsers) -> None:
    secrets = group(sub, "secrets", "a client's secrets (at most 2 enabled)")
    p = command(secrets, "list", lambda c, a: c.clients.secrets(c.actor, a.client_id),
                "list the secrets (JSON, hints only)")
    p.add_argument("client_id")
    p = command(secrets, "add", lambda c, a: c.clients.add_secret(c.actor, a.client_id),
                "add a secret and print it (JSON; shown only now)")
    p.add_argument("client_id")
    for action in ("disable", "enable", "delete"):
        p = command(secrets, action, _secret(action), f"{action} a secret")
        p.add_argument("client_id")
        p.add_argument("secret_id", type=int)


def _uri_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--redirect-uri", action="append", dest="redirect_uri",
                   help="repeat for each (web clients)")
    p.add_argument("--origin", action="append",
                   help="an authorized JavaScript origin; repeat for each (web clients)")


def _build(parser: argparse.ArgumentParser) -> None:
    clients = subcommands(parser, "clients_action")
    p = command(clients, "create", _create,
                "create a client and write its client_secret.json (with the secret)")
    p.add_argument("project_id")
    p.add_argument("--name", required=True)
    p.add_argument("--type", choices=("web", "desktop"), default="web")
    _uri_options(p)
    p.add_argument("--output", help="file to write (default: standard output)")
    p = command(clients, "list", lambda c, a: c.clients.list(c.actor, a.project_id),
                "list a project's clients, deleted ones included (JSON)")
    p.add_argument("project_id")
    p = command(clients, "show", lambda c, a: c.clients.get(c.actor, a.client_id),
                "show a client (JSON)")
    p.add_argument("client_id")
    p = command(clients, "update", _update,
                "change a client's name, redirect URIs or origins (lists replace; '' clears)")
    p.add_argument("client_id")
    p.add_argument("--name")
    _uri_options(p)
    for action in ("disable", "enable", "delete", "restore"):
        p = command(clients, action, _lifecycle(action), f"{action} a client")
        p.add_argument("client_id")
    _secrets(clients)


GROUP = Group("clients", "manage OAuth clients", _build)
