"""``accord service-accounts ...``: service accounts, their keys and IAM policies; and
``accord orgs delegation ...`` (domain-wide delegation, :func:`delegation_commands`).
Every command prints JSON in the IAM API's field names (``{}`` for a deletion, as the
API's Empty)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from accord.cli.base import Context, Group, Handler, Subparsers, command, group, subcommands

EMPTY: dict[str, object] = {}


def _account(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> object:
        result = getattr(c.service_accounts, action)(c.actor, a.email)
        return EMPTY if action == "delete" else result
    return run


def _read(path: str, what: str) -> str:
    from accord.services import ServiceError

    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ServiceError(f"cannot read the {what} {path}: {error.strerror}") from None


def _write_secret(path: str, text: str) -> None:
    """Written with mode 0600 from the start: the key file holds a private key."""
    from accord.services import ServiceError

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise ServiceError(f"cannot write {path}: {error.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)


def _create_key(c: Context, a: argparse.Namespace) -> object:
    new = c.service_accounts.create_key(c.actor, a.email, c.settings.issuer)
    _write_secret(a.output, new.key_file_json)
    return new.key  # the metadata; the private key is only in the file


def _key(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> object:
        result = getattr(c.service_accounts, f"{action}_key")(c.actor, a.email, a.key_id)
        return EMPTY if action == "delete" else result
    return run


def _binding(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> object:
        method = getattr(c.service_accounts, f"{action}_iam_policy_binding")
        return method(c.actor, a.email, a.member, a.role)
    return run


def _keys(sa: Subparsers) -> None:
    keys = group(sa, "keys", "a service account's keys")
    p = command(keys, "create", _create_key,
                "make a key: writes its key file (mode 0600), prints its metadata (JSON)")
    p.add_argument("email")
    p.add_argument("--output", required=True, metavar="FILE", help="where to write the key file")
    p = command(keys, "list", lambda c, a: c.service_accounts.list_keys(
        c.actor, a.email, a.key_type or ()), "list the account's keys (JSON)")
    p.add_argument("email")
    p.add_argument("--key-type", action="append", choices=("USER_MANAGED", "SYSTEM_MANAGED"),
                   help="only keys of this type (repeat for both)")
    p = command(keys, "upload", lambda c, a: c.service_accounts.upload_key(
        c.actor, a.email, _read(a.certificate, "certificate")),
        "add a key from an X.509 certificate (PEM, RSA 2048) (JSON)")
    p.add_argument("email")
    p.add_argument("--certificate", required=True, metavar="PEM_FILE")
    for action in ("disable", "enable", "delete"):
        p = command(keys, action, _key(action), f"{action} a user-managed key (JSON)")
        p.add_argument("email")
        p.add_argument("key_id")


def _policy(sa: Subparsers) -> None:
    for action in ("add", "remove"):
        p = command(sa, f"{action}-iam-policy-binding", _binding(action),
                    f"{action} a role binding on the account; prints its policy (JSON)")
        p.add_argument("email")
        p.add_argument("--member", required=True,
                       help="user:ADDRESS or serviceAccount:ADDRESS")
        p.add_argument("--role", required=True,
                       help="e.g. roles/iam.serviceAccountTokenCreator")
    p = command(sa, "get-iam-policy", lambda c, a: c.service_accounts.get_iam_policy(
        c.actor, a.email), "the account's IAM policy (JSON)")
    p.add_argument("email")


def _build(parser: argparse.ArgumentParser) -> None:
    sa = subcommands(parser, "service_accounts_action")
    p = command(sa, "create", lambda c, a: c.service_accounts.create(
        c.actor, a.project_id, a.account_id, a.display_name or "", a.description or ""),
        "create ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com (JSON)")
    p.add_argument("project_id")
    p.add_argument("account_id", help="6-30 characters: a-z, 0-9 and -")
    p.add_argument("--display-name")
    p.add_argument("--description")
    p = command(sa, "list", lambda c, a: c.service_accounts.list(c.actor, a.project_id),
                "list a project's service accounts (JSON)")
    p.add_argument("project_id")
    p = command(sa, "describe", _account("get"), "show one, by email or unique ID (JSON)")
    p.add_argument("email")
    p = command(sa, "update", lambda c, a: c.service_accounts.update(
        c.actor, a.email, a.display_name, a.description), "change its display name or "
        "description (JSON)")
    p.add_argument("email")
    p.add_argument("--display-name")
    p.add_argument("--description")
    for action, help in (
        ("disable", "disable it: its tokens stop working"),
        ("enable", "enable it again"),
        ("delete", "delete it (undeletable for 30 days)"),
        ("undelete", "undelete it (by unique ID if a new account took its email)"),
    ):
        p = command(sa, action, _account(action), f"{help} (JSON)")
        p.add_argument("email")
    _keys(sa)
    _policy(sa)


def _remove_delegation(c: Context, a: argparse.Namespace) -> object:
    c.delegation.remove(c.actor, a.org_id, a.unique_id)
    return EMPTY


def delegation_commands(orgs: Subparsers) -> None:
    """``accord orgs delegation add|list|remove``."""
    dwd = group(orgs, "delegation", "domain-wide delegation to service accounts")
    p = command(dwd, "add", lambda c, a: c.delegation.add(
        c.actor, a.org_id, a.unique_id, a.scope),
        "authorize a service account's unique ID for scopes (replaces its scopes) (JSON)")
    p.add_argument("org_id")
    p.add_argument("unique_id", help="the account's 21-digit unique ID (client_id)")
    p.add_argument("--scope", action="append", required=True, help="repeat for each")
    p = command(dwd, "list", lambda c, a: c.delegation.list(c.actor, a.org_id),
                "list the authorized client IDs (JSON)")
    p.add_argument("org_id")
    p = command(dwd, "remove", _remove_delegation, "remove a client ID's delegation (JSON)")
    p.add_argument("org_id")
    p.add_argument("unique_id")


GROUP = Group("service-accounts", "manage service accounts, their keys and IAM policies",
              _build)
