"""ID-token signing keys: what a key ring offers, and when each key signs and is published.

Reference §1.9: the new key is published before it signs, and the old key stays published
until the tokens it signed have expired. Every key passes through::

    created_at          activates_at        retires_at            expires_at
        | published, idle  | published, signs  | published, idle     | gone
        |<- publish_ahead->|<--- sign_for ---->|<--- keep_after ---->|

The successor of the signing key is created ``publish_ahead`` before the signing key
retires and activates exactly when it retires, so at most three keys are published
(next, current, previous). A verifier that cached the key set just before the successor
appeared refetches within ``max_age``, before the successor signs; a token signed just
before retirement lives ``token_lifetime``, while its key is still published.

A rotation made elsewhere (``accord keys rotate --now``) reaches every process's signing
within ``cache_seconds`` (each re-reads the keys no more often), and the published sets
are read afresh on each request, so a token signed with a new key verifies at once on
every process. A key retired with ``--now`` because it may be compromised can be taken
off the published sets early (``unpublish_after``); until then the sets' max-age is cut
so that verifiers' caches drop it with them (:func:`certs_max_age`).

Everything here is pure: :func:`plan` says which changes bring a set of keys in line
with the policy at a given time; the store applies them under a lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

HOUR = 3600
DAY = 24 * HOUR
ID_TOKEN_LIFETIME = HOUR  # reference §1.10: exp = iat + 3600
CERTS_MAX_AGE = 6 * HOUR  # reference §1.9: Google's max-age is about 5-7 hours


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: RSAPrivateKey


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    public_key: RSAPublicKey
    certificate_pem: str  # self-signed X.509, PEM


class KeyRing(Protocol):
    def signing_key(self, now: int) -> SigningKey:
        """The key that signs at ``now``; creates the first keys if none exist."""
        ...

    def published(self, now: int) -> list[PublishedKey]:
        """Every key a verifier may need at ``now``: next, current and previous."""
        ...


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class RotationPolicy:
    sign_for: int = 14 * DAY
    publish_ahead: int = DAY
    token_lifetime: int = ID_TOKEN_LIFETIME
    max_age: int = CERTS_MAX_AGE  # Cache-Control max-age of the published key sets
    keep_after: int = ID_TOKEN_LIFETIME + CERTS_MAX_AGE
    # How stale a server process's view of the signing key may be (the published sets are
    # always read afresh): a rotation reaches every process's signing within it.
    cache_seconds: int = 1

    def __post_init__(self) -> None:
        if min(self.sign_for, self.token_lifetime, self.max_age) <= 0:
            raise PolicyError("key lifetimes must be positive")
        if self.cache_seconds < 0:
            raise PolicyError("cache_seconds must not be negative")
        if self.publish_ahead < self.max_age + self.cache_seconds:
            # A verifier may hold a key set fetched just before the key appeared.
            raise PolicyError("publish_ahead must cover max_age plus cache_seconds")
        if self.keep_after < self.token_lifetime + self.cache_seconds:
            # A process may sign with a retired key until its cache refreshes.
            raise PolicyError("keep_after must cover token_lifetime plus cache_seconds")
        if self.sign_for < self.publish_ahead:
            raise PolicyError("sign_for must be at least publish_ahead (one next key at a time)")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RotationPolicy:
        """ACCORD_KEY_SIGN_SECONDS (default 14 days), ACCORD_KEY_PUBLISH_AHEAD_SECONDS
        (1 day), ACCORD_CERTS_MAX_AGE (6 hours), ACCORD_KEY_CACHE_SECONDS (1 second);
        previous keys stay published for the ID-token lifetime plus max-age after they
        retire."""
        try:
            sign_for = int(env.get("ACCORD_KEY_SIGN_SECONDS", 14 * DAY))
            publish_ahead = int(env.get("ACCORD_KEY_PUBLISH_AHEAD_SECONDS", DAY))
            max_age = int(env.get("ACCORD_CERTS_MAX_AGE", CERTS_MAX_AGE))
            cache = int(env.get("ACCORD_KEY_CACHE_SECONDS", cls.cache_seconds))
        except ValueError as exc:
            raise PolicyError(f"key rotation settings must be whole seconds: {exc}") from None
        return cls(
            sign_for=sign_for, publish_ahead=publish_ahead, max_age=max_age,
            keep_after=ID_TOKEN_LIFETIME + max(max_age, cache), cache_seconds=cache,
        )


@dataclass(frozen=True)
class KeyTimes:
    kid: str
    created_at: int
    activates_at: int
    retires_at: int
    expires_at: int

    def is_published(self, now: int) -> bool:
        # A key that signs is published whatever the clock of the process that made it said.
        return min(self.created_at, self.activates_at) <= now < self.expires_at

    def signs(self, now: int) -> bool:
        return self.activates_at <= now < self.retires_at


@dataclass(frozen=True)
class NewKey:
    """Create a key at ``now`` (published from then) with these times."""

    activates_at: int
    retires_at: int
    expires_at: int


@dataclass(frozen=True)
class Retime:
    kid: str
    activates_at: int
    retires_at: int
    expires_at: int


@dataclass(frozen=True)
class Plan:
    new: NewKey | None = None
    retime: tuple[Retime, ...] = ()

    def __bool__(self) -> bool:
        return self.new is not None or bool(self.retime)


def published(keys: list[KeyTimes], now: int) -> list[KeyTimes]:
    return sorted((k for k in keys if k.is_published(now)), key=lambda k: k.activates_at)


def current(keys: list[KeyTimes], now: int) -> KeyTimes | None:
    """The key that signs at ``now``; else the last one that did, though past retirement."""
    started = [k for k in keys if k.is_published(now) and k.activates_at <= now]
    return max(
        started, key=lambda k: (k.signs(now), k.activates_at, k.created_at, k.kid), default=None
    )


def pending(keys: list[KeyTimes], now: int) -> KeyTimes | None:
    """The next key: known, not yet signing. Its creation may lie in this clock's future
    when another process's clock runs ahead; it counts, so no second one is made."""
    ahead = [k for k in keys if k.activates_at > now and k.expires_at > now]
    return min(ahead, key=lambda k: (k.activates_at, k.kid), default=None)


def signer(keys: list[KeyTimes], now: int) -> KeyTimes | None:
    """The key that signs at ``now``, or None when :func:`plan` has work to do first."""
    key = current(keys, now)
    return key if key is not None and key.signs(now) else None


def _term(start: int, policy: RotationPolicy) -> tuple[int, int, int]:
    return start, start + policy.sign_for, start + policy.sign_for + policy.keep_after


def _retire(key: KeyTimes, at: int, policy: RotationPolicy) -> Retime:
    return Retime(key.kid, key.activates_at, at, at + policy.keep_after)


def plan(keys: list[KeyTimes], now: int, policy: RotationPolicy) -> Plan:
    """The changes that leave a signing key at ``now`` and its successor published in time.

    Late runs (the server was down) stretch the current key until a freshly published
    successor may sign; only when no key is published at all does a new one sign at once.
    """
    cur, nxt = current(keys, now), pending(keys, now)
    if cur is None:
        if nxt is not None:  # published already: better known than a brand-new key
            return Plan(retime=(Retime(nxt.kid, *_term(now, policy)),))
        return Plan(new=NewKey(*_term(now, policy)))
    if nxt is not None:
        if cur.retires_at < nxt.activates_at:
            return Plan(retime=(_retire(cur, nxt.activates_at, policy),))
        return Plan()
    if now < cur.retires_at - policy.publish_ahead:
        return Plan()
    start = max(cur.retires_at, now + policy.publish_ahead)
    stretch = (_retire(cur, start, policy),) if start > cur.retires_at else ()
    return Plan(new=NewKey(*_term(start, policy)), retime=stretch)


def rotation(
    keys: list[KeyTimes],
    now: int,
    policy: RotationPolicy,
    immediately: bool,
    unpublish_after: int | None = None,
) -> Plan:
    """Retire the signing key as soon as its successor may sign (``accord keys rotate``).

    Call it on keys :func:`plan` has nothing to do for. The successor is the published
    next key, else a new one; it signs ``publish_ahead`` after it was published, so
    verifiers that cached the key set know it. ``immediately`` makes it sign at ``now``:
    a verifier holding a cached key set then rejects new tokens for up to ``max_age``.
    ``unpublish_after`` (with ``immediately``) takes the retired key off the published
    sets that many seconds from now instead of ``keep_after`` (at least ``cache_seconds``,
    while processes may still sign with it): the tokens it signed stop verifying then.
    """
    cur, nxt = current(keys, now), pending(keys, now)
    if cur is None or not cur.signs(now):
        raise PolicyError("the key ring is not in order; apply plan() first")
    if unpublish_after is not None and not immediately:
        raise PolicyError("a key is unpublished early only when it is retired at once")
    old = _retire(cur, now, policy)
    if unpublish_after is not None:
        old = replace(old, expires_at=now + max(unpublish_after, policy.cache_seconds))
    if nxt is None:
        start = now if immediately else now + policy.publish_ahead
        old = old if immediately else _retire(cur, start, policy)
        return Plan(new=NewKey(*_term(start, policy)), retime=(old,))
    start = now if immediately else max(now, nxt.created_at + policy.publish_ahead)
    if start >= nxt.activates_at:
        return Plan()
    old = old if immediately else _retire(cur, start, policy)
    return Plan(retime=(Retime(nxt.kid, *_term(start, policy)), old))


def certs_max_age(keys: list[KeyTimes], now: int, policy: RotationPolicy) -> int:
    """The published sets' max-age: ``max_age``, cut to the time left before a key taken
    off early (``unpublish_after``) goes, so that no verifier's cache outlives it."""
    early = [
        k.expires_at - now
        for k in keys
        if k.is_published(now) and k.expires_at < k.retires_at + policy.keep_after
    ]
    return max(0, min([policy.max_age, *early]))


def applied(keys: list[KeyTimes], change: Plan, now: int, new_kid: str) -> list[KeyTimes]:
    """The keys after ``change``: what the store does, for reasoning and tests."""
    by_kid = {k.kid: k for k in keys}
    for r in change.retime:
        by_kid[r.kid] = replace(
            by_kid[r.kid], activates_at=r.activates_at, retires_at=r.retires_at,
            expires_at=r.expires_at,
        )
    if change.new is not None:
        n = change.new
        by_kid[new_kid] = KeyTimes(new_kid, now, n.activates_at, n.retires_at, n.expires_at)
    return list(by_kid.values())
