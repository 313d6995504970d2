"""The signing keys in the database, shared by every server process and the CLI.

Private keys are stored sealed: the PKCS#8 PEM encrypted with AES-256-GCM under the
key-encryption key, with the kid as associated data. The server passes
``settings.subkey("signing-keys")``, derived from ACCORD_SECRET_KEY or, when that is
unset, from the generated DATA_DIR/secret.key; every process sharing the database must
therefore share that secret, and changing it makes the stored keys unreadable
(:class:`KeyDecryptionError`).

Changes to the key set run under one lock (PostgreSQL advisory lock; on SQLite the
database write lock, taken by the transaction's first statement) and are planned again
inside it, so processes racing on first use or on a due rotation make one key, not two.
Each process signs from what it read for at most ``policy.cache_seconds`` (a scheduled
activation is already in what it read; a rotation made elsewhere is seen within that
time) and reads the keys afresh for every published set (a handful of rows), so a
token signed with a key another process just switched to verifies against any process.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import Connection, Row, insert, select, update

from accord.clock import Clock
from accord.protocol.keys import (
    KeyTimes,
    Plan,
    PublishedKey,
    RotationPolicy,
    SigningKey,
    certs_max_age,
    plan,
    rotation,
    signer,
)
from accord.storage.database import Handle, engine_of
from accord.storage.schema import signing_keys as t
from accord.storage.sealing import (
    KeyDecryptionError,
    Sealer,
    new_key_id,
    new_rsa_key,
    public_pem,
    self_signed,
)

log = logging.getLogger("accord")

__all__ = ["KeyDecryptionError", "SqlKeyRing", "rotate_if_due", "rotate_periodically"]

_PG_LOCK = 4242003  # pg_advisory_xact_lock id; 4242001 serialises migrations


@dataclass(frozen=True)
class _Row:
    times: KeyTimes
    sealed: str
    public_key: rsa.RSAPublicKey
    certificate: str


class SqlKeyRing:
    """:class:`accord.protocol.keys.KeyRing` on the ``signing_keys`` table."""

    def __init__(
        self,
        db: Handle,
        encryption_key: bytes,
        policy: RotationPolicy | None = None,
        common_name: str = "accord",
    ) -> None:
        self._sealer = Sealer(encryption_key)
        self.policy = policy or RotationPolicy()
        self._engine = engine_of(db)
        self._common_name = common_name
        self._lock = threading.Lock()
        self._rows: list[_Row] = []
        self._read_at: int | None = None
        self._private: dict[str, rsa.RSAPrivateKey] = {}
        self._public: dict[str, rsa.RSAPublicKey] = {}

    # KeyRing ---------------------------------------------------------------------------
    def signing_key(self, now: int) -> SigningKey:
        rows = self._state(now)
        key = signer([r.times for r in rows], now)
        if key is None:  # plan() leaves a signer; reaching here is a bug
            raise RuntimeError("no signing key after settling the key ring")
        row = next(r for r in rows if r.times.kid == key.kid)
        return SigningKey(key.kid, self._private_key(row))

    def published(self, now: int) -> list[PublishedKey]:
        return self.key_set(now)[0]

    def key_set(self, now: int) -> tuple[list[PublishedKey], int]:
        """The published keys, read afresh, and the max-age to serve them with."""
        rows = sorted(self._state(now, fresh=True), key=lambda r: r.times.activates_at)
        keys = [
            PublishedKey(r.times.kid, r.public_key, r.certificate)
            for r in rows
            if r.times.is_published(now)
        ]
        return keys, certs_max_age([r.times for r in rows], now, self.policy)

    # Management --------------------------------------------------------------------------
    def maintain(self, now: int) -> bool:
        """Create or stretch keys the schedule calls for; True if anything changed."""
        with self._lock:
            rows, changed = self._read(now), False
            if plan([r.times for r in rows], now, self.policy):
                rows, changed = self._change(now, immediately=None)
            self._keep(rows, now)
            return changed

    def rotate(
        self, now: int, immediately: bool = False, unpublish_after: int | None = None
    ) -> list[KeyTimes]:
        """Retire the signing key (see :func:`accord.protocol.keys.rotation`)."""
        with self._lock:
            rows, _ = self._change(now, immediately, unpublish_after)
            self._keep(rows, now)
            return [r.times for r in rows]

    def all_keys(self) -> list[KeyTimes]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(t).order_by(t.c.activates_at)).all()
        return [_times(r) for r in rows]

    # Internals ---------------------------------------------------------------------------
    def _state(self, now: int, fresh: bool = False) -> list[_Row]:
        """The keys at ``now``: as last read if that was under ``cache_seconds`` ago
        (and ``fresh`` is not asked), else read again (and settled when due)."""
        with self._lock:
            age = None if self._read_at is None else now - self._read_at
            rows = self._rows
            recent = not fresh and age is not None and 0 <= age < self.policy.cache_seconds
            if not recent or plan([r.times for r in rows], now, self.policy):
                rows = self._read(now)
                if plan([r.times for r in rows], now, self.policy):
                    rows, _ = self._change(now, immediately=None)
                self._keep(rows, now)
            return rows

    def _keep(self, rows: list[_Row], now: int) -> None:
        self._rows, self._read_at = rows, now

    def _read(self, now: int, conn: Connection | None = None) -> list[_Row]:
        query = select(t).where(t.c.expires_at > now)
        if conn is None:
            with self._engine.connect() as c:
                result = c.execute(query).all()
        else:
            result = conn.execute(query).all()
        return [
            _Row(_times(r), r.private_key, self._public_key(r.kid, r.public_key), r.certificate)
            for r in result
        ]

    def _change(
        self, now: int, immediately: bool | None, unpublish_after: int | None = None
    ) -> tuple[list[_Row], bool]:
        """Settle the ring (and rotate unless ``immediately`` is None) in one locked
        transaction, planning on what is read inside it. Also says if anything changed."""
        with self._engine.begin() as conn:
            _serialize(conn)
            rows = self._read(now, conn)
            step = plan([r.times for r in rows], now, self.policy)
            self._apply(conn, rows, step, now)
            changed = bool(step)
            if immediately is not None:
                rows = self._read(now, conn)
                step = rotation(
                    [r.times for r in rows], now, self.policy, immediately, unpublish_after
                )
                self._apply(conn, rows, step, now)
                changed = changed or bool(step)
            return self._read(now, conn), changed

    def _apply(self, conn: Connection, rows: list[_Row], change: Plan, now: int) -> None:
        by_kid = {r.times.kid: r for r in rows}
        for r in change.retime:
            row = by_kid[r.kid]
            values: dict[str, int | str] = {
                "activates_at": r.activates_at, "retires_at": r.retires_at,
                "expires_at": r.expires_at,
            }
            if r.expires_at != row.times.expires_at:
                start = min(row.times.created_at, r.activates_at)
                values["certificate"] = self_signed(
                    self._private_key(row), self._common_name, r.kid, start, r.expires_at
                )
            conn.execute(update(t).where(t.c.kid == r.kid).values(**values))
        if change.new is not None:
            new = change.new
            kid = new_key_id()
            private = new_rsa_key()
            conn.execute(insert(t).values(
                kid=kid,
                private_key=self._sealer.seal(kid, private),
                public_key=public_pem(private),
                certificate=self_signed(private, self._common_name, kid, now, new.expires_at),
                created_at=now,
                activates_at=new.activates_at,
                retires_at=new.retires_at,
                expires_at=new.expires_at,
            ))

    def _private_key(self, row: _Row) -> rsa.RSAPrivateKey:
        kid = row.times.kid
        if kid not in self._private:
            self._private[kid] = self._sealer.open_key(kid, row.sealed)
        return self._private[kid]

    def _public_key(self, kid: str, pem: str) -> rsa.RSAPublicKey:
        if kid not in self._public:
            key = serialization.load_pem_public_key(pem.encode())
            assert isinstance(key, rsa.RSAPublicKey)
            self._public[kid] = key
        return self._public[kid]


def rotate_if_due(ring: SqlKeyRing, now: int) -> bool:
    """Publish the next key when it is due; safe to call from every process at once."""
    return ring.maintain(now)


async def rotate_periodically(ring: SqlKeyRing, clock: Clock, every: float = 600.0) -> None:
    """:func:`rotate_if_due` every ``every`` seconds, for the server's lifespan. Any period
    well under ``publish_ahead - max_age`` keeps successors on schedule; a late run only
    stretches the signing key until a freshly published successor may sign."""
    while True:
        try:
            await asyncio.to_thread(rotate_if_due, ring, clock.now())
        except Exception:
            log.exception("signing-key rotation check failed; next try in %s s", every)
        await asyncio.sleep(every)


def _serialize(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
    else:
        # A write as the transaction's first statement takes SQLite's write lock (waiting
        # out the busy timeout), so the reads after it see every committed change.
        conn.execute(update(t).where(t.c.pk < 0).values(kid=t.c.kid))


def _times(r: Row[Any]) -> KeyTimes:
    return KeyTimes(r.kid, r.created_at, r.activates_at, r.retires_at, r.expires_at)
