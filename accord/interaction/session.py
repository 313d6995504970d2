"""The browser session: a signed cookie listing the accounts signed in to this browser.

Several accounts can be signed in at once (Google's account chooser). The cookie
also carries the session's CSRF token, which every form echoes and which binds
each stored interaction to this browser. It is HttpOnly, SameSite=Lax, and
Secure when the issuer is HTTPS.

The cookie is only good at its session's current *generation*, kept server-side
(``browser_sessions``): every sign-in and sign-out moves the generation on, so a
copy of the cookie taken earlier (before a sign-out, or planted before a
sign-in) signs nobody in.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from accord.clock import Clock
from accord.protocol.tokens import digest

COOKIE = "accord_session"
MAX_AGE = 14 * 24 * 3600
MAX_ACCOUNTS = 10


@dataclass(frozen=True)
class Session:
    csrf: str
    accounts: tuple[tuple[int, int], ...] = field(default=())  # (user pk, sign-in time)
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    generation: int = 0
    changed: bool = False  # the accounts changed during this request

    @property
    def user_pks(self) -> list[int]:
        return [pk for pk, _ in self.accounts]

    def auth_time(self, user_pk: int) -> int:
        return next((t for pk, t in self.accounts if pk == user_pk), 0)

    def signed_in(self, user_pk: int, now: int) -> Session:
        others = tuple(a for a in self.accounts if a[0] != user_pk)
        return replace(self, accounts=((user_pk, now), *others)[:MAX_ACCOUNTS], changed=True)

    def signed_out(self, user_pk: int | None = None) -> Session:
        kept = () if user_pk is None else tuple(a for a in self.accounts if a[0] != user_pk)
        return replace(self, accounts=kept, changed=True)

    def check_csrf(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(
            self.csrf.encode(), (submitted or "").encode()
        )


class _ClockSigner(TimestampSigner):
    """itsdangerous' timestamps, read from Accord's clock so tests can move them."""

    def __init__(self, *args: Any, clock: Clock, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def get_timestamp(self) -> int:
        return self._clock.now()


class Generations(Protocol):
    def generation(self, sid_hash: str) -> int | None: ...

    def advance(self, sid_hash: str, now: int) -> int: ...


class Sessions:
    def __init__(
        self, key: bytes, secure: bool, clock: Clock, generations: Generations
    ) -> None:
        self._serializer = URLSafeTimedSerializer(
            key, salt="accord.session", signer=_ClockSigner, signer_kwargs={"clock": clock}
        )
        self._secure = secure
        self._clock = clock
        self._generations = generations

    def load(self, request: Request) -> Session:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self._serializer.loads(raw, max_age=MAX_AGE)
                accounts = tuple((int(pk), int(t)) for pk, t in data["a"])
                session = Session(
                    csrf=str(data["c"]), accounts=accounts, sid=str(data["s"]),
                    generation=int(data["g"]),
                )
            except (BadSignature, KeyError, TypeError, ValueError):
                pass
            else:
                if not accounts or self._generations.generation(digest(session.sid)) == (
                    session.generation
                ):
                    return session
        return Session(csrf=secrets.token_urlsafe(32))

    def save(self, response: Response, session: Session) -> None:
        if session.changed:
            generation = self._generations.advance(digest(session.sid), self._clock.now())
            session = replace(session, generation=generation, changed=False)
        data = {
            "a": [list(a) for a in session.accounts],
            "c": session.csrf,
            "s": session.sid,
            "g": session.generation,
        }
        value = self._serializer.dumps(data)
        response.set_cookie(
            COOKIE,
            value,
            max_age=MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self._secure,
        )
