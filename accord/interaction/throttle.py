"""Abuse resistance for sign-in: throttled failures and one password check for every page.

Failed attempts are counted in fixed windows kept in the database, so that every worker
sees them, under three keys: one account from one client address, one address on every
account, and one account from every address. The first two stop a guesser at one
address early (5 and 20 failures by default); the third is a much higher ceiling (100)
that only many addresses together can reach, so that nobody can lock an account's owner
out from one place: the owner, at another address, keeps signing in while an attacker
hammers the account, up to that ceiling. Once a limit is reached, sign-ins are refused
*before* the password is looked at, with the same answer for existing and unknown
accounts; a success clears the count of its account at its address (not the address's
total, nor the account's ceiling: an attacker's failures stay counted).

No user enumeration: an unknown email, a disabled account and a wrong password take the
same path, with exactly one argon2 verification (``verify_password`` checks a dummy hash
when there is no account), the same counters and the same answer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from accord.clock import Clock
from accord.passwords import verify_password
from accord.protocol.messages import AuditEvent, User
from accord.protocol.tokens import digest

THROTTLED = "Too many failed attempts. Try again later."
REFUSED = "Wrong email or password. Try again."

log = logging.getLogger("accord")


@dataclass(frozen=True)
class Limits:
    window: int = 15 * 60  # seconds
    per_account: int = 100  # from every address: the ceiling
    per_address: int = 20  # on every account
    per_address_account: int = 5  # one account from one address


class Counters(Protocol):
    def counts(self, keys: list[str], now: int, window: int) -> dict[str, int]: ...

    def fail(self, key: str, now: int, window: int) -> None: ...

    def reset(self, key: str) -> None: ...

    def purge(self, now: int, window: int) -> int: ...


class Logins(Protocol):
    def user_by_login(self, email_or_sub: str) -> tuple[User, str] | None: ...


class Audit(Protocol):
    def record(self, event: AuditEvent) -> None: ...


def account_key(email: str) -> str:
    return digest("account:" + email.strip().lower())


def address_key(address: str) -> str:
    return digest("ip:" + address)


def pair_key(email: str, address: str) -> str:
    return digest(f"account:{email.strip().lower()}@ip:{address}")


class Throttle:
    def __init__(self, counters: Counters, limits: Limits, clock: Clock) -> None:
        self.counters = counters
        self.limits = limits
        self.clock = clock

    def blocked(self, email: str, address: str) -> str | None:
        """Which limit is reached ("address_account", "address" or "account"), or None."""
        account, place, pair = account_key(email), address_key(address), pair_key(email, address)
        keys = [account, place, pair] if address else [account]
        counts = self.counters.counts(keys, self.clock.now(), self.limits.window)
        if address and counts.get(pair, 0) >= self.limits.per_address_account:
            return "address_account"
        if address and counts.get(place, 0) >= self.limits.per_address:
            return "address"
        if counts.get(account, 0) >= self.limits.per_account:
            return "account"
        return None

    def failed(self, email: str, address: str) -> None:
        now, window = self.clock.now(), self.limits.window
        self.counters.fail(account_key(email), now, window)
        if address:
            self.counters.fail(address_key(address), now, window)
            self.counters.fail(pair_key(email, address), now, window)

    def failed_at(self, address: str) -> None:
        """A failure that names no account (a refused sign-up)."""
        if address:
            self.counters.fail(address_key(address), self.clock.now(), self.limits.window)

    def address_blocked(self, address: str) -> bool:
        place = address_key(address)
        counts = self.counters.counts([place], self.clock.now(), self.limits.window)
        return bool(address) and counts.get(place, 0) >= self.limits.per_address

    def succeeded(self, email: str, address: str) -> None:
        self.counters.reset(pair_key(email, address))

    def purge(self) -> int:
        return self.counters.purge(self.clock.now(), self.limits.window)


@dataclass(frozen=True)
class ClientLimits:
    """Failed client-secret attempts allowed per window: from one address, and in all."""

    window: int = 15 * 60
    per_address: int = 10
    per_client: int = 100


class ClientThrottle:
    """Failed client authentications at the token endpoint, counted per client id (known
    or not) from each address and in all, in the sign-in counters' table. Past either
    limit the client is refused before its secret is compared; a success changes no count
    (nobody's but the client's own could be changed anyway)."""

    def __init__(self, counters: Counters, limits: ClientLimits, clock: Clock) -> None:
        self.counters = counters
        self.limits = limits
        self.clock = clock

    def at(self, address: str) -> AddressedClientThrottle:
        return AddressedClientThrottle(self, address)


@dataclass(frozen=True)
class AddressedClientThrottle:
    """The client throttle for one request's address (``protocol.client_auth.SecretThrottle``)."""

    throttle: ClientThrottle
    address: str

    def _keys(self, client_id: str) -> tuple[str, str]:
        return digest("client:" + client_id), digest(f"client:{client_id}@{self.address}")

    def blocked(self, client_id: str) -> int | None:
        t = self.throttle
        every, pair = self._keys(client_id)
        counts = t.counters.counts([every, pair], t.clock.now(), t.limits.window)
        if counts.get(pair, 0) >= t.limits.per_address or (
            counts.get(every, 0) >= t.limits.per_client
        ):
            return t.limits.window  # at most this long: the counters' windows are fixed
        return None

    def failed(self, client_id: str) -> None:
        t = self.throttle
        now = t.clock.now()
        for key in self._keys(client_id):
            t.counters.fail(key, now, t.limits.window)


async def purge_periodically(throttle: Throttle, every: float = 3600.0) -> None:
    """Forget the counters of ended windows (each unknown email tried leaves one)."""
    while True:
        try:
            await asyncio.to_thread(throttle.purge)
        except Exception:
            log.exception("purging sign-in counters failed; next try in %s s", every)
        await asyncio.sleep(every)


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"  # unknown account, disabled account or wrong password: one answer
    THROTTLED = "throttled"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    user: User | None = None

    @property
    def status(self) -> int:
        return {Outcome.OK: 200, Outcome.REFUSED: 401, Outcome.THROTTLED: 429}[self.outcome]

    @property
    def message(self) -> str:
        return THROTTLED if self.outcome is Outcome.THROTTLED else REFUSED


@dataclass(frozen=True)
class Attempt:
    email: str
    password: str
    address: str
    via: str  # which page: "authorize", "signin", "password_change"
    client_id: str = ""


class PasswordCheck:
    """Every password check of the pages: throttle, one argon2 verification, audit.

    Blocking (argon2 and database): call it off the event loop."""

    def __init__(self, users: Logins, throttle: Throttle, audit: Audit, clock: Clock) -> None:
        self.users = users
        self.throttle = throttle
        self.audit = audit
        self.clock = clock

    def check(self, attempt: Attempt, success_event: str | None = "signin.success") -> Verdict:
        email = attempt.email.strip().lower()
        limit = self.throttle.blocked(email, attempt.address)
        found = self.users.user_by_login(email) if email else None
        if limit is not None:  # refused before the password is looked at
            self._record("signin.throttled", attempt, found[0] if found else None, f"{limit}_limit")
            return Verdict(Outcome.THROTTLED)
        ok = verify_password(found[1] if found else None, attempt.password)
        if not ok or found is None:
            self.throttle.failed(email, attempt.address)
            reason = "unknown_account" if found is None else "wrong_password"
            self._record("signin.failure", attempt, found[0] if found else None, reason)
            return Verdict(Outcome.REFUSED)
        self.throttle.succeeded(email, attempt.address)
        if success_event:
            self._record(success_event, attempt, found[0], "ok")
        return Verdict(Outcome.OK, found[0])

    def _record(self, event: str, attempt: Attempt, user: User | None, outcome: str) -> None:
        self.audit.record(
            AuditEvent(
                event=event,
                at=self.clock.now(),
                user_pk=user.pk if user else None,
                email=user.email if user else attempt.email.strip().lower(),
                org_pk=user.org_pk if user else None,
                client_id=attempt.client_id,
                address=attempt.address,
                outcome=outcome,
                detail=(("via", attempt.via),),
            )
        )
