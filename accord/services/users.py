"""Accounts: the operator creates and edits them; an account reads and edits itself.
(Organization admins manage their organization's accounts in :mod:`orgs`.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from accord.google import identifiers
from accord.passwords import hash_password, verify_password
from accord.services import rules
from accord.services.actors import Actor, Member, Operator
from accord.services.base import Service
from accord.services.errors import Conflict, Forbidden, NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.views import UserView
from accord.storage.database import Duplicate


@dataclass(frozen=True)
class Profile:
    """Profile claims to set (None leaves a claim as it is)."""

    given_name: str | None = None
    family_name: str | None = None
    picture: str | None = None
    locale: str | None = None
    email_verified: bool | None = None

    def changes(self) -> dict[str, object]:
        if self.picture and urlsplit(self.picture).scheme not in ("http", "https"):
            raise ServiceError(f"the picture must be an http(s) URL: {self.picture!r}",
                               field="picture")
        if self.locale and not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", self.locale):
            raise ServiceError(f"not a BCP 47 language tag: {self.locale!r}", field="locale")
        return {k: v for k, v in self.__dict__.items() if v is not None}


def user_view(row: Any) -> UserView:
    return UserView(row.email, row.name, row.sub, row.created_at, row.disabled_at)


def insert_user(
    tx: Rows, email: str, password: str, name: str, profile: Profile | None, now: int
) -> tuple[int, str]:
    """A new account (email and password already checked): (pk, sub). Conflict if taken;
    a concurrent insert surfaces as Duplicate when the transaction ends."""
    sub = identifiers.new_sub()
    values: dict[str, object] = dict(
        sub=sub,
        email=email,
        name=name or email.split("@")[0],
        email_verified=True,  # new accounts count as verified unless told otherwise
        password_hash=hash_password(password),
        created_at=now,
        domain=email.rsplit("@", 1)[1],
    )
    values.update((profile or Profile()).changes())
    if tx.email_taken(email):
        raise taken(email)
    return tx.insert_user(values), sub


def taken(email: str) -> Conflict:
    return Conflict(f"a user with the email {email} exists already", field="email")


def change_state(tx: Rows, actor: Actor, row: Any, action: str, now: int) -> bool:
    """Disable, enable or delete the account `row` (whose grants, tokens and memberships
    go with it); False when it already was so. Nobody disables or deletes themselves."""
    if isinstance(actor, Member) and row.pk == actor.user_pk and action != "enable":
        raise ServiceError(f"you cannot {action} your own account", field="email")
    if action == "delete":
        tx.delete_user(row.pk)
    elif (row.disabled_at is None) == (action == "enable"):
        return False
    else:
        tx.update_user(row.pk, {"disabled_at": now if action == "disable" else None})
    return True


def _only_operator(actor: Actor) -> None:
    if not isinstance(actor, Operator):
        raise Forbidden("Only the operator of this installation may do this")


class Users(Service):
    def create(self, actor: Actor, email: str, password: str, name: str = "",
               profile: Profile | None = None) -> str:
        """A new account (the operator only); its sub."""
        _only_operator(actor)
        email, password = rules.email(email), rules.password(password)
        try:
            with self.db.begin() as tx:
                pk, sub = insert_user(tx, email, password, name, profile, self.clock.now())
                org = tx.org_of_domain(email.rsplit("@", 1)[1])
                self._audit(tx, actor, "user.created", org_pk=org, user_pk=pk, email=email)
        except Duplicate:  # created meanwhile
            raise taken(email) from None
        return sub

    def create_view(self, actor: Actor, email: str, password: str, name: str = "",
                    profile: Profile | None = None) -> UserView:
        """:meth:`create`, answering with the new account."""
        self.create(actor, email, password, name, profile)
        return self.get(actor, email)

    def list_all(self, actor: Actor) -> list[UserView]:
        """Every account, by email (the operator only)."""
        _only_operator(actor)
        with self.db.connect() as tx:
            return [user_view(row) for row in tx.all_users()]

    def _change(self, actor: Actor, email: str, action: str) -> None:
        _only_operator(actor)
        with self.db.begin() as tx:
            row = tx.user_by_email(email.strip().lower())
            if row is None:
                raise NotFound(f"no such user: {email}", field="email")
            if change_state(tx, actor, row, action, self.clock.now()):
                self._audit(tx, actor, f"user.{action}d", org_pk=tx.org_of_domain(row.domain),
                            user_pk=row.pk, email=row.email)

    def disable(self, actor: Actor, email: str) -> None:
        """No more sign-in, and the account's tokens stop working (the operator only)."""
        self._change(actor, email, "disable")

    def enable(self, actor: Actor, email: str) -> None:
        self._change(actor, email, "enable")

    def delete(self, actor: Actor, email: str) -> None:
        self._change(actor, email, "delete")

    def set_password(self, actor: Actor, email: str, password: str) -> None:
        """A new password for the account (the operator only; no current one asked)."""
        _only_operator(actor)
        rules.password(password)
        with self.db.begin() as tx:
            row = tx.user_by_email(email.strip().lower())
            if row is None:
                raise NotFound(f"no such user: {email}", field="email")
            tx.update_user(row.pk, dict(
                password_hash=hash_password(password), password_changed_at=self.clock.now()
            ))
            self._audit(tx, actor, "user.password_set", org_pk=tx.org_of_domain(row.domain),
                        user_pk=row.pk, email=row.email)

    def _where(self, actor: Actor, email: str) -> tuple[str, int | None]:
        """The account `email`, if the actor is the operator or that account."""
        return email.strip().lower(), actor.user_pk if isinstance(actor, Member) else None

    def get(self, actor: Actor, email: str) -> UserView:
        with self.db.connect() as tx:
            row = tx.user_by_email(*self._where(actor, email))
        if row is None:
            raise NotFound(f"no such user: {email}", field="email")
        return user_view(row)

    def me(self, actor: Member) -> UserView:
        with self.db.connect() as tx:
            row = tx.user_row(actor.user_pk)
        if row is None:
            raise NotFound("no such user")
        return user_view(row)

    def update(self, actor: Actor, email: str, name: str | None, profile: Profile) -> None:
        """Set the name and profile claims given (the operator, or the account itself;
        only the operator vouches for an email address: ``email_verified``)."""
        if isinstance(actor, Member) and profile.email_verified is not None:
            raise Forbidden("Only the operator of this installation may do this")
        values = profile.changes()
        if name is not None:
            values["name"] = rules.text(name, "name")
        if not values:
            raise ServiceError("nothing to change")
        with self.db.begin() as tx:
            if tx.update_user_by_email(*self._where(actor, email), values) != 1:
                raise NotFound(f"no such user: {email}", field="email")
            self._audit(tx, actor, "user.updated", email=email.strip().lower(),
                        fields=",".join(sorted(values)))

    def change_password(self, actor: Member, current: str, new: str) -> None:
        """The account's own password; `current` must be right."""
        rules.password(new)
        with self.db.begin() as tx:
            row = tx.user_row(actor.user_pk)
            if row is None or not verify_password(row.password_hash, current):
                raise ServiceError("the current password is wrong", field="current_password")
            tx.update_user(actor.user_pk, dict(
                password_hash=hash_password(new), password_changed_at=self.clock.now()
            ))
            self._audit(tx, actor, "user.password_changed", user_pk=row.pk, email=row.email)
