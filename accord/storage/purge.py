"""Purging what is dead (issue 12: tables that only grow): token families that stopped
working some time ago, with their codes, and audit events past their retention.

An authorization is dead from the moment nothing issued from it can work again:

- revoked: at ``revoked_at``;
- with a refresh token: when the token's time-based or testing lifetime ends
  (``refresh_expires_at``), or six months after its last use (``IDLE_EXPIRY``, as
  :func:`accord.storage.authorizations.live_refresh` defines a live token);
- without one: when its last access token expires: ``access_expires_at`` where it is
  recorded (service accounts), else the access-token lifetime after its last use.

Its row is deleted ``Retention.dead_tokens`` after that (a dead row can only answer
"revoked" or "expired", which "unknown" answers as well; the delay keeps the audit trail
and a support window). Codes are purged a day after expiry by ``SqlStore.purge``; those
of a purged authorization go with it.

Every statement covers one range of primary keys (``batch`` rows) in its own short
transaction, so a purge never holds a lock for long, whatever the tables' size. Audit
events are deleted oldest first and the walk stops at the first range with nothing old.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from accord.protocol.grants.refresh_token import IDLE_EXPIRY
from accord.storage.database import Handle, engine_of
from accord.storage.schema import audit_events, authorizations, codes

DAY = 24 * 3600
_A = authorizations.c


@dataclass(frozen=True)
class Retention:
    """How long dead rows are kept (``ACCORD_TOKEN_RETENTION_DAYS``,
    ``ACCORD_AUDIT_RETENTION_DAYS``), and the access-token lifetime they are judged by."""

    dead_tokens: int = 30 * DAY
    audit_events: int = 400 * DAY
    access_token: int = 3599  # accord.protocol.context.Lifetimes.access_token
    batch: int = 5000


@dataclass(frozen=True)
class Purged:
    authorizations: int = 0
    codes: int = 0
    audit_events: int = 0


def dead_since(before: int, access_token: int) -> ColumnElement[bool]:
    """Authorizations that stopped working before ``before``."""
    has_refresh = _A.refresh_hash.is_not(None)
    no_refresh = _A.refresh_hash.is_(None)
    return or_(
        _A.revoked_at < before,
        and_(has_refresh, _A.refresh_expires_at < before),
        and_(has_refresh, _A.last_used_at < before - IDLE_EXPIRY),
        and_(no_refresh, _A.access_expires_at.is_not(None), _A.access_expires_at < before),
        and_(no_refresh, _A.access_expires_at.is_(None), _A.last_used_at < before - access_token),
    )


def purge_dead(db: Handle, now: int, retention: Retention = Retention()) -> Purged:
    engine = engine_of(db)
    dead = dead_since(now - retention.dead_tokens, retention.access_token)
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(_A.pk), func.max(_A.pk))).one()
    gone_authorizations = gone_codes = 0
    start = low
    while start is not None and start <= high:
        in_range = and_(_A.pk >= start, _A.pk < start + retention.batch, dead)
        with engine.begin() as conn:
            family = select(_A.pk).where(in_range).scalar_subquery()
            gone_codes += conn.execute(
                delete(codes).where(codes.c.authorization_pk.in_(family))
            ).rowcount
            gone_authorizations += conn.execute(delete(authorizations).where(in_range)).rowcount
        start += retention.batch
    return Purged(gone_authorizations, gone_codes, _purge_audit(db, now, retention))


def _purge_audit(db: Handle, now: int, retention: Retention) -> int:
    engine = engine_of(db)
    cutoff = now - retention.audit_events
    e = audit_events.c
    gone = 0
    while True:
        with engine.begin() as conn:
            low = conn.execute(select(func.min(e.pk))).scalar()
            if low is None:
                return gone
            deleted = conn.execute(
                delete(audit_events).where(
                    e.pk >= low, e.pk < low + retention.batch, e.at < cutoff
                )
            ).rowcount
        gone += deleted
        if deleted == 0:
            return gone
