"""A service account's IAM policy as a resource: which members (``user:EMAIL``,
``serviceAccount:EMAIL``) hold which roles on it, e.g. ``roles/iam.serviceAccountTokenCreator``
for the IAM Credentials API. Viewers read it; owners change it."""

from __future__ import annotations

from collections import defaultdict

from accord.google import iam
from accord.services import rules
from accord.services.actors import Actor, service_account_row
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.sa_views import PolicyView


def member(value: str) -> str:
    kind, colon, address = value.strip().partition(":")
    if not colon or kind not in iam.MEMBER_KINDS:
        raise ServiceError(f"invalid member {value!r}: use user:EMAIL or "
                           "serviceAccount:EMAIL", field="member")
    return f"{kind}:{rules.email(address, 'member')}"


def role(value: str) -> str:
    value = value.strip()
    if value not in iam.ROLES:
        raise ServiceError(f"Role {value} is not supported for this resource.", field="role")
    return value


def policy_of(tx: Rows, account_pk: int) -> PolicyView:
    members: dict[str, list[str]] = defaultdict(list)
    for r, m in tx.bindings(account_pk):
        members[r].append(m)
    return PolicyView(tuple((r, tuple(sorted(ms))) for r, ms in sorted(members.items())))


class PolicyMixin(Service):
    def get_iam_policy(self, actor: Actor, name: str) -> PolicyView:
        with self.db.connect() as tx:
            return policy_of(tx, service_account_row(tx, actor, name, "viewer").pk)

    def add_iam_policy_binding(
        self, actor: Actor, name: str, member_: str, role_: str
    ) -> PolicyView:
        who, what = member(member_), role(role_)
        with self.db.begin() as tx:
            account = service_account_row(tx, actor, name, "owner")
            if who in policy_of(tx, account.pk).members(what):
                return policy_of(tx, account.pk)  # bound already
            tx.insert_binding(account.pk, what, who, self.clock.now())
            self._audit(tx, actor, "service_account.binding_added", org_pk=account.org_pk,
                        project_pk=account.project_pk, client_id=account.unique_id,
                        service_account=account.email, role=what, member=who)
            return policy_of(tx, account.pk)

    def remove_iam_policy_binding(
        self, actor: Actor, name: str, member_: str, role_: str
    ) -> PolicyView:
        who, what = member(member_), role(role_)
        with self.db.begin() as tx:
            account = service_account_row(tx, actor, name, "owner")
            if not tx.delete_binding(account.pk, what, who):
                raise NotFound("Policy binding with the specified principal, role, and "
                               "condition not found!", field="member")
            self._audit(tx, actor, "service_account.binding_removed", org_pk=account.org_pk,
                        project_pk=account.project_pk, client_id=account.unique_id,
                        service_account=account.email, role=what, member=who)
            return policy_of(tx, account.pk)
