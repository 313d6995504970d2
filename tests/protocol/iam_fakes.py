"""Fakes for the IAM Credentials API's core (accord.protocol.iam) and self-signed JWTs:
sab's in-memory service accounts (tests/protocol/sa_fakes.py) with role bindings and a
system-managed signing key."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cryptography.hazmat.primitives import serialization

from accord.protocol.context import Context
from accord.protocol.messages import AccessType, Principal, PrincipalKind, TokenSubject
from tests.protocol.fakes import ALICE
from tests.protocol.sa_fakes import ACCOUNT, OTHER_ACCOUNT, FakeAccounts, account_context, key
from tests.protocol.sa_fakes import private_key as named_key

THIRD = replace(ACCOUNT, pk=7, email="robot-three@proj.iam.gserviceaccount.com",
                unique_id="100000000000000000007")
SYSTEM_KEY = "s" * 40


@dataclass
class RoleAccounts(FakeAccounts):
    roles: set[tuple[int, str, str]] = field(default_factory=set)  # (sa pk, member, role)

    def has_role(self, service_account_pk: int, member: str, role: str) -> bool:
        return (service_account_pk, member, role) in self.roles

    def signing_key(self, service_account_pk: int, now: int) -> tuple[str, str]:
        pem = named_key("system").private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return SYSTEM_KEY, pem.decode()


def iam_context() -> tuple[Context, RoleAccounts]:
    accounts = RoleAccounts(
        accounts={a.email: a for a in (ACCOUNT, OTHER_ACCOUNT, THIRD)},
        keys={ACCOUNT.pk: [key("a1")], OTHER_ACCOUNT.pk: [key("b1")], THIRD.pk: [key("c1")]},
    )
    ctx, _ = account_context(accounts)
    return ctx, accounts


def user_caller(scopes: tuple[str, ...] = ("https://www.googleapis.com/auth/iam",)) -> TokenSubject:
    principal = Principal(PrincipalKind.USER, ALICE.pk, ALICE.sub, ALICE.email, True)
    return TokenSubject(
        authorization_pk=1, scopes=scopes, expires_at=2**40, access_type=AccessType.ONLINE,
        client_id="web-client", project_pk=10, project_number="123456789012", principal=principal,
    )
