"""Who asks: the operator (the command line) or a signed-in account, and what a project
role allows (reference §1.2: owners, editors and viewers of a Cloud project).

Every use case checks its actor first. Someone who is not a member of a project gets
exactly the :class:`NotFound` a missing project gives, so that IDs cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.services.errors import Forbidden, NotFound
from accord.services.ports import AccessRows


@dataclass(frozen=True)
class Operator:
    """The operator of the installation (the command line): may do everything."""


@dataclass(frozen=True)
class Member:
    """A signed-in console user or the account behind an admin-API token."""

    user_pk: int


Actor = Operator | Member

ROLES = ("viewer", "editor", "owner")  # viewer reads; editor changes; owner also members+delete
_RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class ProjectRef:
    pk: int
    project_id: str
    org_pk: int | None
    role: str  # the actor's role; the operator counts as owner


def project_missing(project_id: str) -> NotFound:
    return NotFound(f"Project {project_id} not found")


def client_missing(client_id: str) -> NotFound:
    return NotFound(f"Client {client_id} not found")


def org_missing(org_id: str) -> NotFound:
    return NotFound(f"Organization {org_id} not found")


def role_of(tx: AccessRows, actor: Actor, project_pk: int) -> str | None:
    if isinstance(actor, Operator):
        return "owner"
    return tx.member_role(project_pk, actor.user_pk)


def _require(role: str, need: str, what: str) -> None:
    if _RANK[role] < _RANK[need]:
        raise Forbidden(
            f"The caller does not have permission: this needs the {need} role on {what}"
        )


def project_ref(tx: AccessRows, actor: Actor, project_id: str, need: str) -> ProjectRef:
    """The project, if the actor has at least the role `need` on it."""
    row = tx.project_key(project_id)
    role = None if row is None else role_of(tx, actor, row.pk)
    if row is None or role is None:
        raise project_missing(project_id)
    _require(role, need, f"project {project_id}")
    return ProjectRef(row.pk, project_id, row.org_pk, role)


def client_row(tx: AccessRows, actor: Actor, client_id: str, need: str) -> Any:
    """The client's row (with project_id and org_pk), if the actor's role allows `need`."""
    row = tx.client_by_id(client_id)
    role = None if row is None else role_of(tx, actor, row.project_pk)
    if row is None or role is None:
        raise client_missing(client_id)
    _require(role, need, f"the project of client {client_id}")
    return row


def org_pk(tx: AccessRows, actor: Actor, org_id: str, operator_only: bool = False) -> int:
    """The organization's pk, if the actor is the operator or one of its admins."""
    pk = tx.org_pk_of(org_id)
    if pk is None:
        raise org_missing(org_id)
    if isinstance(actor, Operator):
        return int(pk)
    if not tx.is_enabled_org_admin(pk, actor.user_pk):
        raise org_missing(org_id)
    if operator_only:
        raise Forbidden("Only the operator of this installation may do this")
    return int(pk)


def actor_label(tx: AccessRows, actor: Actor) -> str:
    """Who did it, for the audit log: "operator" or the account's email."""
    if isinstance(actor, Operator):
        return "operator"
    email = tx.user_email(actor.user_pk)
    return str(email or f"user {actor.user_pk}")


def service_account_missing(name: str) -> NotFound:
    return NotFound(f"Service account {name} not found")


def service_account_row(
    tx: Any, actor: Actor, name: str, need: str, deleted_ok: bool = False
) -> Any:
    """The account of that email (its newest row) or unique id, with project_id and org_pk,
    if the actor's role on its project allows `need`; a deleted one only with `deleted_ok`."""
    wanted = name.strip()
    row = None
    if "@" in wanted:
        row = tx.account_by_email(wanted.lower())
    elif wanted.isdigit() and len(wanted) == 21:
        row = tx.account_by_unique_id(wanted)
    role = None if row is None else role_of(tx, actor, row.project_pk)
    if row is None or role is None or (row.deleted_at is not None and not deleted_ok):
        raise service_account_missing(wanted)
    _require(role, need, f"project {row.project_id}")
    return row
