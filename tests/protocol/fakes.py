"""Small in-memory fakes of the core's ports, and a Context built on them: enough to run
the protocol functions in-process, without a server or a database."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from cryptography.hazmat.primitives.asymmetric import rsa

from accord.clock import FrozenClock
from accord.protocol.authorize import ScopePolicy
from accord.protocol.context import Context
from accord.protocol.id_token import IdTokens
from accord.protocol.keys import PublishedKey, SigningKey
from accord.protocol.messages import (
    AccessType,
    AuditEvent,
    Authorization,
    Client,
    CodeGrant,
    Principal,
    PrincipalKind,
    StoredCode,
    TokenSubject,
    User,
)
from accord.protocol.policy import OrgControls
from accord.protocol.tokens import TokenFormat, TokenMinter, digest

NOW = 1_800_000_000
SECRET = "GOCSPX-0123456789abcdefghijklmnopqr"
WEB = Client(
    pk=1, client_id="web-client", project_pk=10, project_id="proj", project_name="Demo App",
    name="web", secret_hashes=(digest(SECRET),), redirect_uris=("https://app.example/cb",),
)
OTHER = replace(WEB, pk=2, client_id="other-client", secret_hashes=(digest("other"),))
ALICE = User(pk=7, sub="1007", email="alice@example.com", name="Alice", given_name="Alice")
FORMAT = TokenFormat(code="4/0A", access="ya29.", refresh="1//0")
KNOWN_SCOPES = ("openid", "email", "profile", "s1", "s2")


@dataclass
class MemoryStore:
    """Every port of ``accord.protocol.ports.Store`` over dicts."""

    clients: dict[str, Client] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    codes: dict[str, StoredCode] = field(default_factory=dict)
    authorizations: dict[int, Authorization] = field(default_factory=dict)
    refresh: dict[str, int] = field(default_factory=dict)
    controls: dict[int, OrgControls] = field(default_factory=dict)
    events: list[AuditEvent] = field(default_factory=list)
    grants: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    apis: frozenset[str] = frozenset()

    def client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def user_by_pk(self, pk: int) -> User | None:
        return self.users.get(pk)

    def user_by_login(self, email_or_sub: str) -> tuple[User, str] | None:
        return None

    def granted_scopes(self, user_pk: int, project_pk: int) -> frozenset[str]:
        return self.grants.get((user_pk, project_pk), frozenset())

    def add_grant(self, user_pk: int, project_pk: int, scopes: frozenset[str], now: int) -> None:
        self.grants[user_pk, project_pk] = self.granted_scopes(user_pk, project_pk) | scopes

    def save_code(self, code_hash: str, grant: CodeGrant, now: int) -> None:
        self.codes[code_hash] = StoredCode(len(self.codes) + 1, grant, consumed=False)

    def find_code(self, code_hash: str) -> StoredCode | None:
        return self.codes.get(code_hash)

    def redeem_code(
        self, code: StoredCode, refresh_hash: str | None, now: int
    ) -> Authorization | None:
        key = next(k for k, v in self.codes.items() if v.pk == code.pk)
        if self.codes[key].consumed:
            return None
        self.codes[key] = replace(code, consumed=True)
        authorization = self._authorize(code.grant, now, refresh_hash is not None)
        if refresh_hash is not None:
            self.refresh[refresh_hash] = authorization.pk
        return authorization

    def revoke_code_family(self, code_pk: int, now: int) -> None:
        self.events.append(AuditEvent("code.family_revoked", now, outcome=str(code_pk)))

    def create_authorization(self, grant: CodeGrant, now: int) -> Authorization:
        return self._authorize(grant, now, has_refresh=False)

    def _authorize(self, grant: CodeGrant, now: int, has_refresh: bool) -> Authorization:
        pk = len(self.authorizations) + 100
        client = next(c for c in self.clients.values() if c.pk == grant.client_pk)
        user = self.users[grant.user_pk]
        principal = Principal(
            PrincipalKind.USER, user.pk, user.sub, user.email, user.email_verified, user.org_pk
        )
        self.authorizations[pk] = Authorization(
            pk=pk, principal=principal, client_pk=grant.client_pk,
            project_pk=grant.project_pk, scopes=grant.scopes, access_type=grant.access_type,
            has_refresh_token=has_refresh, revoked=False, last_used_at=now, created_at=now,
            client_id=client.client_id,
        )
        return self.authorizations[pk]

    def by_refresh_hash(self, refresh_hash: str) -> Authorization | None:
        pk = self.refresh.get(refresh_hash)
        return None if pk is None else self.authorizations[pk]

    def subject(self, authorization_pk: int) -> TokenSubject | None:
        found = self.authorizations.get(authorization_pk)
        if found is None or found.revoked or found.principal.disabled:
            return None
        return TokenSubject(
            authorization_pk=found.pk, scopes=found.scopes, expires_at=0,
            access_type=found.access_type, client_id=found.client_id,
            project_pk=found.project_pk, project_number="123456789012",
            principal=found.principal,
        )

    def enabled_apis(self, project_pk: int) -> frozenset[str]:
        return self.apis

    def has_live_refresh_token(self, user_pk: int, client_pk: int, now: int) -> bool:
        return False

    def touch(self, authorization_pk: int, now: int) -> None:
        self.authorizations[authorization_pk] = replace(
            self.authorizations[authorization_pk], last_used_at=now
        )

    def revoke_grant(self, user_pk: int, project_pk: int, now: int) -> None:
        for pk, found in self.authorizations.items():
            if found.principal.user_pk == user_pk and found.project_pk == project_pk:
                self.authorizations[pk] = replace(found, revoked=True)

    def is_test_user(self, project_pk: int, email: str) -> bool:
        return False

    def org_controls(self, org_pk: int, client_id: str) -> OrgControls:
        return self.controls.get(org_pk, OrgControls("limited", frozenset()))

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)


@cache
def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OneKey:
    """A key ring of one RSA key."""

    def signing_key(self, now: int) -> SigningKey:
        return SigningKey("kid-1", _private_key())

    def published(self, now: int) -> list[PublishedKey]:
        return [PublishedKey("kid-1", _private_key().public_key(), "")]


def _claim_groups(scopes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s for s in scopes if s in ("openid", "email", "profile"))


def context(store: MemoryStore | None = None, *, oidc: bool = True) -> Context:
    store = store or MemoryStore(clients={c.client_id: c for c in (WEB, OTHER)},
                                 users={ALICE.pk: ALICE})
    return Context(
        store=store,  # type: ignore[arg-type]
        minter=TokenMinter(b"k" * 32, FORMAT),
        clock=FrozenClock(NOW),
        scopes=ScopePolicy(
            unknown=lambda asked: [s for s in asked if s not in KNOWN_SCOPES],
            normalize=lambda asked: asked,
            basic=lambda s: s in ("openid", "email", "profile"),
        ),
        id_tokens=IdTokens("https://accounts.example", OneKey(), _claim_groups) if oidc else None,
    )


def with_state(authorization: Authorization, **kw: object) -> Authorization:
    """``authorization`` with fields changed; ``user_disabled`` and ``user_org_pk`` change
    its principal (the account disabled, in an organization)."""
    principal = authorization.principal
    if "user_disabled" in kw:
        principal = replace(principal, disabled=bool(kw.pop("user_disabled")))
    if "user_org_pk" in kw:
        principal = replace(principal, org_pk=kw.pop("user_org_pk"))  # type: ignore[arg-type]
    return replace(authorization, principal=principal, **kw)  # type: ignore[arg-type]


def store_of(ctx: Context) -> MemoryStore:
    assert isinstance(ctx.store, MemoryStore)
    return ctx.store


def code_grant(**kw: object) -> CodeGrant:
    base: dict[str, object] = {
        "client_pk": WEB.pk, "user_pk": ALICE.pk, "project_pk": WEB.project_pk,
        "redirect_uri": WEB.redirect_uris[0], "scopes": ("openid", "email"),
        "access_type": AccessType.ONLINE, "issue_refresh_token": False,
        "code_challenge": None, "code_challenge_method": None, "nonce": None,
        "auth_time": NOW - 10, "expires_at": NOW + 600,
    }
    return CodeGrant(**{**base, **kw})  # type: ignore[arg-type]
