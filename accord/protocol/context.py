"""What the core's functions share: the stores, the token minter, the clock and lifetimes."""

from __future__ import annotations

from dataclasses import dataclass

from accord.clock import Clock
from accord.protocol.authorize import ScopePolicy
from accord.protocol.id_token import IdTokens
from accord.protocol.ports import ServiceAccounts, Store
from accord.protocol.tokens import TokenMinter


@dataclass(frozen=True)
class Lifetimes:
    access_token: int = 3599  # Google's expires_in (reference §1.3.1)
    code: int = 600  # RFC 6749 §4.1.2 recommends at most ten minutes; Google's is undocumented


@dataclass(frozen=True)
class Context:
    store: Store
    minter: TokenMinter
    clock: Clock
    scopes: ScopePolicy
    lifetimes: Lifetimes = Lifetimes()
    id_tokens: IdTokens | None = None  # OpenID Connect; None when no key ring is wired
    service_accounts: ServiceAccounts | None = None  # None when not wired (unit tests)
    # What a JWT-bearer assertion's ``aud`` may be: the issuer's token URLs and Google's
    # (reference §1.15, §1.24); the dialect names them (``accord.google.paths``).
    assertion_audiences: frozenset[str] = frozenset()

    def accounts(self) -> ServiceAccounts:
        if self.service_accounts is None:
            raise RuntimeError("no service-account store is wired")
        return self.service_accounts
