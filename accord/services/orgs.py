"""Organizations (Google Workspace, reference §1.10): the operator creates them and their
domains; their admins manage admins, users and API controls (:mod:`org_users`,
:mod:`org_policy`). A user belongs to an organization iff its email domain is one of the
organization's domains; a non-admin asking gets the NotFound a missing one gives."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from accord.services import rules
from accord.services.actors import Actor, Member, Operator, org_pk
from accord.services.errors import Conflict, Forbidden, NotFound, ServiceError
from accord.services.org_policy import OrgPolicyMixin
from accord.services.org_users import OrgUsersMixin, org_user
from accord.services.ports import Rows
from accord.services.users import user_view
from accord.services.views import OrgView, UserView
from accord.storage.database import Duplicate


def _view(tx: Rows, pk: int) -> OrgView:
    row = tx.org_row(pk)
    domains = tx.org_domains(pk)
    return OrgView(row.org_id, row.name, tuple(domains), row.created_at)


def _claim(tx: Rows, pk: int, domain: str, now: int) -> None:
    """Give `domain` to the organization; Conflict when another one owns it."""
    owner = tx.org_of_domain(domain)
    if owner == pk:
        return
    if owner is not None:
        raise Conflict(f"the domain {domain} belongs to another organization", field="domains")
    tx.insert_domain(pk, domain, now)


class Organizations(OrgUsersMixin, OrgPolicyMixin):
    def create(self, actor: Actor, org_id: str, name: str, domains: Iterable[str]) -> OrgView:
        """A new organization owning `domains` (the operator only)."""
        if not isinstance(actor, Operator):
            raise Forbidden("Only the operator of this installation may do this")
        rules.org_id(org_id)
        name = rules.text(name, "name")
        wanted = list(dict.fromkeys(rules.org_domain(d) for d in domains))
        if not wanted:
            raise ServiceError("an organization needs at least one domain", field="domains")
        now = self.clock.now()
        try:
            with self.db.begin() as tx:
                pk = tx.insert_org(org_id, name, now)
                for domain in wanted:
                    _claim(tx, pk, domain, now)
                self._audit(tx, actor, "org.created", org_pk=pk, org_id=org_id,
                            domains=",".join(wanted))
                return _view(tx, pk)
        except Duplicate:
            raise Conflict(f"the organization {org_id} exists already", field="org_id") from None

    def get(self, actor: Actor, org_id: str) -> OrgView:
        with self.db.connect() as tx:
            return _view(tx, org_pk(tx, actor, org_id))

    def list(self, actor: Actor) -> builtins.list[OrgView]:
        """Every organization for the operator; those an account administers otherwise."""
        admin = actor.user_pk if isinstance(actor, Member) else None
        with self.db.connect() as tx:
            return [_view(tx, pk) for pk in tx.org_pks(admin)]

    def add_domain(self, actor: Actor, org_id: str, domain: str) -> OrgView:
        domain = rules.org_domain(domain, "domain")
        try:
            with self.db.begin() as tx:
                pk = org_pk(tx, actor, org_id, operator_only=True)
                _claim(tx, pk, domain, self.clock.now())
                self._audit(tx, actor, "org.domain_added", org_pk=pk, domain=domain)
                return _view(tx, pk)
        except Duplicate:  # claimed meanwhile
            raise Conflict(f"the domain {domain} belongs to another organization",
                           field="domain") from None

    def remove_domain(self, actor: Actor, org_id: str, domain: str) -> OrgView:
        """Its users no longer belong to the organization (they keep their accounts)."""
        domain = domain.strip().lower()
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id, operator_only=True)
            if not tx.delete_domain(pk, domain):
                raise NotFound(f"{domain} is not a domain of {org_id}", field="domain")
            self._audit(tx, actor, "org.domain_removed", org_pk=pk, domain=domain)
            return _view(tx, pk)

    def admins(self, actor: Actor, org_id: str) -> builtins.list[UserView]:
        with self.db.connect() as tx:
            pk = org_pk(tx, actor, org_id)
            rows = tx.admin_users(pk)
        return [user_view(row) for row in rows]

    def add_admin(self, actor: Actor, org_id: str, email: str) -> None:
        """Make one of the organization's users an admin."""
        email = rules.email(email)
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            user = org_user(tx, pk, org_id, email)
            if tx.is_org_admin(pk, user.pk):
                return
            tx.insert_admin(pk, user.pk, self.clock.now())
            self._audit(tx, actor, "org.admin_added", org_pk=pk, user_pk=user.pk, email=email)

    def remove_admin(self, actor: Actor, org_id: str, email: str) -> None:
        """An admin cannot remove the last admin (the operator can)."""
        email = rules.email(email)
        with self.db.begin() as tx:
            pk = org_pk(tx, actor, org_id)
            user = org_user(tx, pk, org_id, email)
            count = tx.admin_count(pk)
            if isinstance(actor, Member) and count == 1:
                raise ServiceError("an organization needs at least one admin", field="email")
            if not tx.delete_admin(pk, user.pk):
                raise NotFound(f"{email} is not an admin of {org_id}", field="email")
            self._audit(tx, actor, "org.admin_removed", org_pk=pk, user_pk=user.pk,
                        email=email)
