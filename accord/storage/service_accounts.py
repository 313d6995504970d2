"""``accord.protocol.ports.ServiceAccounts`` on the service-account tables.

System-managed keys (what Accord signs with on an account's behalf: the IAM Credentials
API's signJwt and signBlob) are made on first use and rotated by age: one signs for
``SYSTEM_KEY_ROTATION`` seconds, and stays published ``SYSTEM_KEY_GRACE`` longer, more than
anything it signed may live. Their private halves are sealed as the ID-token keys are
(:mod:`accord.storage.sealing`, under ``settings.subkey("service-account-keys")``).
Making one runs under a lock per account (a PostgreSQL advisory lock; SQLite's write
lock) and looks again inside it, so processes racing on first use make one key.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, select, update

from accord.protocol.messages import (
    Principal,
    PrincipalKind,
    ServiceAccount,
    ServiceAccountKey,
)
from accord.storage.database import Handle, engine_of
from accord.storage.hot import HotReads, Prepared
from accord.storage.schema import (
    authorizations,
    org_delegations,
    projects,
    service_account_bindings,
    service_account_keys,
    service_accounts,
)
from accord.storage.sealing import (
    Sealer,
    new_key_id,
    new_rsa_key,
    pkcs8_pem,
    public_pem,
    self_signed,
)

SA = service_accounts
K = service_account_keys

SYSTEM_MANAGED = "SYSTEM_MANAGED"
USER_MANAGED = "USER_MANAGED"
GOOGLE_PROVIDED = "GOOGLE_PROVIDED"
USER_PROVIDED = "USER_PROVIDED"
SYSTEM_KEY_ROTATION = 14 * 24 * 3600  # a system-managed key signs for 14 days
SYSTEM_KEY_GRACE = 2 * 24 * 3600  # then stays published: signJwt's JWTs live at most 12 h
_PG_LOCK = 4242010  # pg_advisory_xact_lock(_PG_LOCK, account pk)

_ACCOUNT = select(SA, projects.c.project_id, projects.c.number, projects.c.org_pk).join(
    projects, projects.c.pk == SA.c.project_pk
)


# The live account of an email (at most one), else the newest deleted one.
_LIVE_FIRST = (
    SA.c.deleted_at.is_not(None), SA.c.created_at.desc(), SA.c.pk.desc()  # false first
)


def account_of(row: Any) -> ServiceAccount:
    return ServiceAccount(
        pk=row.pk,
        email=row.email,
        unique_id=row.unique_id,
        project_pk=row.project_pk,
        project_id=row.project_id,
        project_number=row.number,
        display_name=row.display_name,
        disabled=row.disabled_at is not None,
        deleted=row.deleted_at is not None,
        org_pk=row.org_pk,
    )


def key_of(row: Any) -> ServiceAccountKey:
    return ServiceAccountKey(
        key_id=row.key_id,
        public_key=row.public_key,
        certificate=row.certificate,
        key_type=row.key_type,
        valid_after=row.valid_after,
        valid_before=row.valid_before,
        disabled=row.disabled_at is not None,
    )


class SqlServiceAccounts:
    def __init__(self, db: Handle, seal_key: bytes) -> None:
        self.engine = engine_of(db)
        self._sealer = Sealer(seal_key)
        self._lock = threading.Lock()
        self._private: dict[str, str] = {}  # key_id -> PKCS#8 PEM, opened once
        # The two reads of every JWT-bearer grant and self-signed JWT: compiled once, run on
        # the per-thread hot connection (storage/hot.py), as the token endpoint's other reads.
        self.hot = HotReads(self.engine)
        self._by_email = Prepared(
            _ACCOUNT.where(SA.c.email == bindparam("key")).order_by(*_LIVE_FIRST).limit(1),
            self.engine,
        )
        self._by_id = Prepared(
            _ACCOUNT.where(SA.c.unique_id == bindparam("key")).order_by(*_LIVE_FIRST).limit(1),
            self.engine,
        )
        self._keys = Prepared(
            select(K)
            .join(SA, SA.c.pk == K.c.service_account_pk)
            .where(
                K.c.service_account_pk == bindparam("account"),
                K.c.disabled_at.is_(None),
                K.c.valid_after <= bindparam("now"),
                K.c.valid_before > bindparam("now"),
                SA.c.deleted_at.is_(None),
            )
            .order_by(K.c.created_at, K.c.pk),
            self.engine,
        )

    def service_account(self, email_or_unique_id: str) -> ServiceAccount | None:
        wanted = email_or_unique_id.strip()
        if "@" in wanted:
            row = self.hot.first(self._by_email, key=wanted.lower())
        elif wanted.isdigit():
            row = self.hot.first(self._by_id, key=wanted)
        else:
            return None
        return None if row is None else account_of(row)

    def public_keys(self, service_account_pk: int, now: int) -> list[ServiceAccountKey]:
        rows = self.hot.all(self._keys, account=service_account_pk, now=now)
        return [key_of(r) for r in rows]

    def signing_key(self, service_account_pk: int, now: int) -> tuple[str, str]:
        with self.engine.connect() as conn:
            row = _current_system_key(conn, service_account_pk, now)
        if row is None:
            with self.engine.begin() as conn:
                _serialize(conn, service_account_pk)
                row = _current_system_key(conn, service_account_pk, now)
                if row is None:
                    row = self._new_system_key(conn, service_account_pk, now)
        return row.key_id, self._open(row.key_id, row.private_key)

    def delegated_scopes(self, org_pk: int, client_id: str) -> frozenset[str]:
        with self.engine.connect() as conn:
            scopes = conn.execute(
                select(org_delegations.c.scopes).where(
                    org_delegations.c.org_pk == org_pk,
                    org_delegations.c.client_id == client_id,
                )
            ).scalar()
        return frozenset(scopes.split()) if scopes else frozenset()

    def has_role(self, service_account_pk: int, member: str, role: str) -> bool:
        b = service_account_bindings
        with self.engine.connect() as conn:
            found = conn.execute(
                select(b.c.pk).where(
                    b.c.service_account_pk == service_account_pk,
                    b.c.member == _member(member),
                    b.c.role == role,
                )
            ).first()
        return found is not None

    def create_account_authorization(
        self,
        principal: Principal,
        service_account_pk: int,
        project_pk: int,
        scopes: tuple[str, ...],
        now: int,
        access_expires_at: int,
    ) -> int:
        with self.engine.begin() as conn:
            pk = conn.execute(
                insert(authorizations)
                .values(
                    principal_kind=principal.kind.value,
                    user_pk=principal.pk if principal.kind is PrincipalKind.USER else None,
                    client_pk=None,
                    service_account_pk=service_account_pk,
                    project_pk=project_pk,
                    scopes=" ".join(scopes),
                    access_type="online",
                    refresh_hash=None,
                    created_at=now,
                    last_used_at=now,
                    access_expires_at=access_expires_at,
                )
                .returning(authorizations.c.pk)
            ).scalar_one()
        return int(pk)

    # Internals ------------------------------------------------------------------------
    def _new_system_key(self, conn: Connection, service_account_pk: int, now: int) -> Any:
        email = conn.execute(select(SA.c.email).where(SA.c.pk == service_account_pk)).scalar()
        if email is None:
            raise LookupError(f"no service account {service_account_pk}")
        key_id, private = new_key_id(), new_rsa_key()
        until = now + SYSTEM_KEY_ROTATION + SYSTEM_KEY_GRACE
        conn.execute(insert(K).values(
            service_account_pk=service_account_pk,
            key_id=key_id,
            key_type=SYSTEM_MANAGED,
            origin=GOOGLE_PROVIDED,
            algorithm="KEY_ALG_RSA_2048",
            public_key=public_pem(private),
            certificate=self_signed(private, email, key_id, now, until),
            private_key=self._sealer.seal(key_id, private),
            valid_after=now,
            valid_before=until,
            created_at=now,
        ))
        with self._lock:
            self._private[key_id] = pkcs8_pem(private).decode()
        return conn.execute(select(K).where(K.c.key_id == key_id)).one()

    def _open(self, key_id: str, sealed: str) -> str:
        with self._lock:
            pem = self._private.get(key_id)
        if pem is None:
            pem = self._sealer.open(key_id, sealed, "service-account key").decode()
            with self._lock:
                self._private[key_id] = pem
        return pem


def _current_system_key(conn: Connection, service_account_pk: int, now: int) -> Any:
    """The newest enabled system-managed key still young enough to sign."""
    return conn.execute(
        select(K)
        .where(
            K.c.service_account_pk == service_account_pk,
            K.c.key_type == SYSTEM_MANAGED,
            K.c.disabled_at.is_(None),
            K.c.private_key.is_not(None),
            and_(K.c.created_at <= now, K.c.created_at > now - SYSTEM_KEY_ROTATION),
        )
        .order_by(K.c.created_at.desc(), K.c.pk.desc())
        .limit(1)
    ).first()


def _serialize(conn: Connection, service_account_pk: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock({_PG_LOCK}, {int(service_account_pk)})"
        )
    else:
        # A write as the transaction's first statement takes SQLite's write lock.
        conn.execute(update(K).where(K.c.pk < 0).values(key_id=K.c.key_id))


def _member(member: str) -> str:
    """``user:EMAIL`` / ``serviceAccount:EMAIL`` with the address lower-cased."""
    kind, _, address = member.partition(":")
    return f"{kind}:{address.strip().lower()}"
