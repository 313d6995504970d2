"""In-memory fakes of the ``ServiceAccounts`` port and a Context wired with them, for the
JWT-bearer grant's unit tests; and a signer of assertions with a real RSA key."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from functools import cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accord.protocol.context import Context
from accord.protocol.messages import (
    AccessType,
    Authorization,
    Principal,
    ServiceAccount,
    ServiceAccountKey,
    TokenSubject,
    User,
)
from tests.protocol.fakes import ALICE, NOW, MemoryStore, context

ISSUER = "https://accounts.example"
AUD = "https://oauth2.googleapis.com/token"
ACCOUNT = ServiceAccount(
    pk=5, email="robot-one@proj.iam.gserviceaccount.com", unique_id="100000000000000000005",
    project_pk=10, project_id="proj", project_number="123456789012",
)
OTHER_ACCOUNT = replace(
    ACCOUNT, pk=6, email="robot-two@proj.iam.gserviceaccount.com",
    unique_id="100000000000000000006",
)
BOB = User(pk=8, sub="1008", email="bob@corp.example", name="Bob", org_pk=3)


@cache
def private_key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(name: str) -> str:
    return private_key(name).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key(name: str, **kw: object) -> ServiceAccountKey:
    base = ServiceAccountKey(
        key_id=name.ljust(40, "0"), public_key=public_pem(name), certificate="",
        key_type="USER_MANAGED", valid_after=0, valid_before=2**40,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@dataclass
class FakeAccounts:
    accounts: dict[str, ServiceAccount] = field(default_factory=dict)
    keys: dict[int, list[ServiceAccountKey]] = field(default_factory=dict)
    delegations: dict[tuple[int, str], frozenset[str]] = field(default_factory=dict)
    issued: list[tuple[Principal, int, tuple[str, ...], int]] = field(default_factory=list)
    store: MemoryStore | None = None

    def service_account(self, email_or_unique_id: str) -> ServiceAccount | None:
        return next(
            (a for a in self.accounts.values() if email_or_unique_id in (a.email, a.unique_id)),
            None,
        )

    def public_keys(self, service_account_pk: int, now: int) -> list[ServiceAccountKey]:
        return [
            k for k in self.keys.get(service_account_pk, [])
            if not k.disabled and k.valid_after <= now < k.valid_before
        ]

    def signing_key(self, service_account_pk: int, now: int) -> tuple[str, str]:
        raise NotImplementedError

    def delegated_scopes(self, org_pk: int, client_id: str) -> frozenset[str]:
        return self.delegations.get((org_pk, client_id), frozenset())

    def has_role(self, service_account_pk: int, member: str, role: str) -> bool:
        return False

    def create_account_authorization(
        self, principal: Principal, service_account_pk: int, project_pk: int,
        scopes: tuple[str, ...], now: int, access_expires_at: int,
    ) -> int:
        self.issued.append((principal, service_account_pk, scopes, access_expires_at))
        assert self.store is not None
        account = next(a for a in self.accounts.values() if a.pk == service_account_pk)
        return self.store.add_account_authorization(principal, account, scopes, now)


@dataclass
class AccountStore(MemoryStore):
    """MemoryStore with users found by login and authorizations of service accounts."""

    issued_to: dict[int, ServiceAccount] = field(default_factory=dict)

    def user_by_login(self, email_or_sub: str) -> tuple[User, str] | None:
        user = next((u for u in self.users.values() if email_or_sub in (u.email, u.sub)), None)
        return (user, "") if user is not None else None

    def add_account_authorization(
        self, principal: Principal, account: ServiceAccount, scopes: tuple[str, ...], now: int
    ) -> int:
        pk = len(self.authorizations) + 100
        self.authorizations[pk] = Authorization(
            pk=pk, principal=principal, client_pk=0, project_pk=account.project_pk,
            scopes=scopes, access_type=AccessType.ONLINE, has_refresh_token=False, revoked=False,
            last_used_at=now, created_at=now, client_id=account.unique_id,
        )
        self.issued_to[pk] = account
        return pk

    def subject(self, authorization_pk: int) -> TokenSubject | None:
        found = super().subject(authorization_pk)
        account = self.issued_to.get(authorization_pk)
        if found is None or account is None:
            return found
        return replace(found, service_account_pk=account.pk)

    def revoke_authorization(self, authorization_pk: int, now: int) -> None:
        self.authorizations[authorization_pk] = replace(
            self.authorizations[authorization_pk], revoked=True
        )


def account_context(accounts: FakeAccounts | None = None) -> tuple[Context, FakeAccounts]:
    store = AccountStore(users={ALICE.pk: ALICE, BOB.pk: BOB})
    accounts = accounts or FakeAccounts(
        accounts={a.email: a for a in (ACCOUNT, OTHER_ACCOUNT)},
        keys={ACCOUNT.pk: [key("a1")], OTHER_ACCOUNT.pk: [key("b1")]},
    )
    accounts.store = store
    ctx = replace(
        context(store), service_accounts=accounts,
        assertion_audiences=frozenset({AUD, ISSUER + "/token"}),
    )
    return ctx, accounts


def claims(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "iss": ACCOUNT.email, "aud": AUD, "iat": NOW, "exp": NOW + 3600, "scope": "s1 s2",
    }
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, object], name: str = "a1", **headers: object) -> str:
    header = {"kid": name.ljust(40, "0"), **headers}
    return jwt.encode(payload, private_key(name), algorithm="RS256", headers=header)


def b64(data: bytes | dict[str, object]) -> str:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

