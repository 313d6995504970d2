"""Organizations (Google Workspace, reference §1.10): the operator creates them and their
domains; their admins manage admins, users and API controls (:mod:`org_users`,
:mod:`org_policy`). A user belongs to an organization iff its email domain is one of the
organization's domains; a non-admin asking gets the NotFound a missing one gives."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from accord.services import rules
from accord.services.actors import Actor, Member, Operator, org_pk
from accord.services.errors import Conflict, Forbidden, NotFound, ServiceError
from accord.services.org_policy import OrgPolicyMixin
from accord.services.org_users import OrgUsersMixin, org_user
from accord.services.users import user_view
from accord.services.views import OrgView, UserView
from accord.storage.schema import org_admins, org_domains, organizations, users


def _view(conn: Connection, pk: int) -> OrgView:
    row = conn.execute(select(organizations).where(organizations.c.pk == pk)).one()
    domains = conn.execute(
        select(org_domains.c.domain).where(org_domains.c.org_pk == pk).order_by(
            org_domains.c.created_at, org_domains.c.domain
        )
    ).scalars()
    return OrgView(row.org_id, row.name, tuple(domains), row.created_at)


def _claim(conn: Connection, pk: int, domain: str, now: int) -> None:
    """Give `domain` to the organization; Conflict when another one owns it."""
    owner = conn.execute(
        select(org_domains.c.org_pk).where(org_domains.c.domain == domain)
    ).scalar()
    if owner == pk:
        return
    if owner is not None:
        raise Conflict(f"the domain {domain} belongs to another organization", field="domains")
    conn.execute(insert(org_domains).values(domain=domain, org_pk=pk, created_at=now))


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
            with self.engine.begin() as conn:
                pk = conn.execute(insert(organizations).values(
                    org_id=org_id, name=name, created_at=now
                ).returning(organizations.c.pk)).scalar_one()
                for domain in wanted:
                    _claim(conn, pk, domain, now)
                self._audit(conn, actor, "org.created", org_pk=pk, org_id=org_id,
                            domains=",".join(wanted))
                return _view(conn, pk)
        except IntegrityError:
            raise Conflict(f"the organization {org_id} exists already", field="org_id") from None

    def get(self, actor: Actor, org_id: str) -> OrgView:
        with self.engine.connect() as conn:
            return _view(conn, org_pk(conn, actor, org_id))

    def list(self, actor: Actor) -> builtins.list[OrgView]:
        """Every organization for the operator; those an account administers otherwise."""
        query = select(organizations.c.pk).order_by(organizations.c.org_id)
        if isinstance(actor, Member):
            query = query.join(org_admins, org_admins.c.org_pk == organizations.c.pk).where(
                org_admins.c.user_pk == actor.user_pk
            )
        with self.engine.connect() as conn:
            return [_view(conn, pk) for pk in conn.execute(query).scalars()]

    def add_domain(self, actor: Actor, org_id: str, domain: str) -> OrgView:
        domain = rules.org_domain(domain, "domain")
        try:
            with self.engine.begin() as conn:
                pk = org_pk(conn, actor, org_id, operator_only=True)
                _claim(conn, pk, domain, self.clock.now())
                self._audit(conn, actor, "org.domain_added", org_pk=pk, domain=domain)
                return _view(conn, pk)
        except IntegrityError:  # claimed meanwhile
            raise Conflict(f"the domain {domain} belongs to another organization",
                           field="domain") from None

    def remove_domain(self, actor: Actor, org_id: str, domain: str) -> OrgView:
        """Its users no longer belong to the organization (they keep their accounts)."""
        domain = domain.strip().lower()
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id, operator_only=True)
            gone = conn.execute(delete(org_domains).where(
                org_domains.c.org_pk == pk, org_domains.c.domain == domain
            ))
            if not gone.rowcount:
                raise NotFound(f"{domain} is not a domain of {org_id}", field="domain")
            self._audit(conn, actor, "org.domain_removed", org_pk=pk, domain=domain)
            return _view(conn, pk)

    def admins(self, actor: Actor, org_id: str) -> builtins.list[UserView]:
        with self.engine.connect() as conn:
            pk = org_pk(conn, actor, org_id)
            rows = conn.execute(
                select(users).join(org_admins, org_admins.c.user_pk == users.c.pk)
                .where(org_admins.c.org_pk == pk).order_by(users.c.email)
            ).all()
        return [user_view(row) for row in rows]

    def add_admin(self, actor: Actor, org_id: str, email: str) -> None:
        """Make one of the organization's users an admin."""
        email = rules.email(email)
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id)
            user = org_user(conn, pk, org_id, email)
            if conn.execute(select(org_admins.c.user_pk).where(
                org_admins.c.org_pk == pk, org_admins.c.user_pk == user.pk
            )).first() is not None:
                return
            conn.execute(insert(org_admins).values(
                org_pk=pk, user_pk=user.pk, created_at=self.clock.now()
            ))
            self._audit(conn, actor, "org.admin_added", org_pk=pk, user_pk=user.pk, email=email)

    def remove_admin(self, actor: Actor, org_id: str, email: str) -> None:
        """An admin cannot remove the last admin (the operator can)."""
        email = rules.email(email)
        with self.engine.begin() as conn:
            pk = org_pk(conn, actor, org_id)
            user = org_user(conn, pk, org_id, email)
            count = conn.execute(
                select(func.count()).where(org_admins.c.org_pk == pk)
            ).scalar_one()
            if isinstance(actor, Member) and count == 1:
                raise ServiceError("an organization needs at least one admin", field="email")
            gone = conn.execute(delete(org_admins).where(
                org_admins.c.org_pk == pk, org_admins.c.user_pk == user.pk
            ))
            if not gone.rowcount:
                raise NotFound(f"{email} is not an admin of {org_id}", field="email")
            self._audit(conn, actor, "org.admin_removed", org_pk=pk, user_pk=user.pk,
                        email=email)
