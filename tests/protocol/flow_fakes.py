"""In-memory fakes for the authorization-flow and decide tests (a store, interactions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.clock import FrozenClock
from accord.protocol.authorize import ScopePolicy
from accord.protocol.context import Context
from accord.protocol.messages import (
    AuditEvent,
    AuthorizationRequest,
    Client,
    CodeGrant,
    User,
)
from accord.protocol.policy import OrgControls
from accord.protocol.tokens import TokenFormat, TokenMinter

NOW = 1_700_000_000
ALICE = User(1, "101", "alice@example.com", "Alice")
BOB = User(2, "102", "bob@corp.example", "Bob", org_pk=7)
CLIENT = Client(
    pk=10, client_id="app.example", project_pk=20, project_id="my-project",
    project_name="My App", name="web", secret_hashes=(), redirect_uris=("https://app/cb",),
)


@dataclass
class FakeStore:
    """Grants, live refresh tokens, test users, org controls, codes and the audit log."""

    grants: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    live_refresh: set[tuple[int, int]] = field(default_factory=set)  # (user pk, client pk)
    test_users: set[str] = field(default_factory=set)
    controls: dict[int, OrgControls] = field(default_factory=dict)
    codes: dict[str, CodeGrant] = field(default_factory=dict)
    events: list[AuditEvent] = field(default_factory=list)

    def granted_scopes(self, user_pk: int, project_pk: int) -> frozenset[str]:
        return self.grants.get((user_pk, project_pk), frozenset())

    def add_grant(self, user_pk: int, project_pk: int, scopes: frozenset[str], now: int) -> None:
        self.grants[(user_pk, project_pk)] = self.granted_scopes(user_pk, project_pk) | scopes

    def has_live_refresh_token(self, user_pk: int, client_pk: int, now: int) -> bool:
        return (user_pk, client_pk) in self.live_refresh

    def is_test_user(self, project_pk: int, email: str) -> bool:
        return email in self.test_users

    def org_controls(self, org_pk: int, client_id: str) -> OrgControls:
        return self.controls.get(org_pk, OrgControls("limited", frozenset()))

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def save_code(self, code_hash: str, grant: CodeGrant, now: int) -> None:
        self.codes[code_hash] = grant


@dataclass
class FakeInteractions:
    """Stored interactions: created bound to a browser, a chosen account, finished once."""

    created: list[tuple[AuthorizationRequest, str]] = field(default_factory=list)
    chosen: dict[int, int] = field(default_factory=dict)
    finished: set[int] = field(default_factory=set)

    def create(self, request: AuthorizationRequest, csrf: str, now: int) -> tuple[str, int]:
        self.created.append((request, csrf))
        pk = len(self.created)
        return f"i-{pk}", pk

    def choose(self, pk: int, user_pk: int) -> None:
        self.chosen[pk] = user_pk

    def finish(self, pk: int, now: int) -> bool:
        if pk in self.finished:
            return False
        self.finished.add(pk)
        return True


def context(store: FakeStore) -> Context:
    return Context(
        store=store,  # type: ignore[arg-type]  # only what decide and respond use
        minter=TokenMinter(b"k" * 32, TokenFormat(code="4/")),
        clock=FrozenClock(NOW),
        scopes=ScopePolicy(
            unknown=lambda _s: [],
            normalize=lambda s: s,
            service=lambda s: s.split(".")[0] if "." in s else None,
            basic=lambda s: s in ("openid", "email", "profile"),
        ),
    )


def request(**kw: object) -> AuthorizationRequest:
    base: dict[str, object] = {
        "client_id": CLIENT.client_id, "redirect_uri": "https://app/cb", "scopes": ("email",),
        "state": "xyz",
    }
    return AuthorizationRequest(**{**base, **kw})  # type: ignore[arg-type]
