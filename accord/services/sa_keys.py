"""A service account's keys: made by Accord (the private half is given out once, in the
key file of reference §1.14, and never stored), uploaded as an X.509 certificate, listed,
disabled, enabled and deleted. At most 10 user-managed keys per account, as at Google.
System-managed keys (what Accord signs with for the account) are listed but not managed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accord.google import iam
from accord.services.actors import Actor, service_account_row
from accord.services.base import Service
from accord.services.errors import Conflict, NotFound, ServiceError
from accord.services.ports import Rows
from accord.services.sa_views import KeyView, NewKey
from accord.storage.sealing import new_key_id, new_rsa_key, pkcs8_pem, public_pem, self_signed

KEY_TYPES = ("USER_MANAGED", "SYSTEM_MANAGED")
MAX_CERTIFICATE = 16 * 1024  # characters of PEM
KEY_SIZES = (2048, 3072, 4096)


def key_view(account: Any, row: Any) -> KeyView:
    return KeyView(
        project_id=account.project_id, email=account.email, key_id=row.key_id,
        key_type=row.key_type, key_origin=row.origin, valid_after=row.valid_after,
        valid_before=row.valid_before, disabled=row.disabled_at is not None,
        algorithm=row.algorithm,
    )


def parse_certificate(pem: str | bytes, now: int) -> tuple[x509.Certificate, rsa.RSAPublicKey]:
    """An uploaded certificate, checked: PEM X.509, RSA of 2048 to 4096 bits, valid now."""
    text = pem.decode("utf-8", "replace") if isinstance(pem, bytes) else pem
    if len(text) > MAX_CERTIFICATE:
        raise ServiceError(f"the certificate is too large (at most {MAX_CERTIFICATE} "
                           "characters of PEM)", field="certificate")
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise ServiceError("the file is not a PEM-encoded X.509 certificate (it must "
                           "contain -----BEGIN CERTIFICATE-----)", field="certificate")
    try:
        cert = x509.load_pem_x509_certificate(text.strip().encode())
        public = cert.public_key()
    except ValueError:
        raise ServiceError("the certificate cannot be read: it is not a valid PEM-encoded "
                           "X.509 certificate", field="certificate") from None
    if not isinstance(public, rsa.RSAPublicKey):
        raise ServiceError("the certificate's key is not an RSA key: only RSA keys "
                           "(RS256) are supported", field="certificate")
    if public.key_size not in KEY_SIZES:
        raise ServiceError(f"the certificate's RSA key has {public.key_size} bits: it must "
                           "have 2048 (or 3072 or 4096)", field="certificate")
    if cert.not_valid_after_utc.timestamp() <= now:
        raise ServiceError("the certificate has expired", field="certificate")
    return cert, public


def _seconds(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())


class KeysMixin(Service):
    def create_key(self, actor: Actor, name: str, issuer: str) -> NewKey:
        """A new RSA-2048 key and its key file, whose URLs are on ``issuer``."""
        now = self.clock.now()
        private = new_rsa_key()
        key_id = new_key_id()
        with self.db.begin() as tx:
            account = self._keyed(tx, actor, name)
            cert = self_signed(private, account.unique_id, key_id, now, iam.NEVER)
            tx.insert_key(
                service_account_pk=account.pk, key_id=key_id, key_type="USER_MANAGED",
                origin="GOOGLE_PROVIDED", algorithm=iam.KEY_ALGORITHM,
                public_key=public_pem(private), certificate=cert, private_key=None,
                valid_after=now, valid_before=iam.NEVER, created_at=now,
            )
            self._key_event(tx, actor, account, "service_account.key_created", key_id)
            view = key_view(account, tx.key(account.pk, key_id))
        key_file = iam.key_file(
            issuer, account.project_id, key_id, pkcs8_pem(private).decode(), account.email,
            account.unique_id,
        )
        return NewKey(view, key_file)

    def upload_key(self, actor: Actor, name: str, certificate: str | bytes) -> KeyView:
        """A user-managed key whose private half stays with its owner; valid as the
        certificate says."""
        now = self.clock.now()
        cert, public = parse_certificate(certificate, now)
        public_text = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        key_id = new_key_id()
        with self.db.begin() as tx:
            account = self._keyed(tx, actor, name)
            if any(k.public_key == public_text for k in tx.keys_of(account.pk)):
                raise Conflict("this public key is already a key of the account",
                               field="certificate")
            tx.insert_key(
                service_account_pk=account.pk, key_id=key_id, key_type="USER_MANAGED",
                origin="USER_PROVIDED", algorithm=f"KEY_ALG_RSA_{public.key_size}",
                public_key=public_text,
                certificate=cert.public_bytes(serialization.Encoding.PEM).decode(),
                private_key=None, valid_after=_seconds(cert.not_valid_before_utc),
                valid_before=_seconds(cert.not_valid_after_utc), created_at=now,
            )
            self._key_event(tx, actor, account, "service_account.key_uploaded", key_id)
            return key_view(account, tx.key(account.pk, key_id))

    def list_keys(
        self, actor: Actor, name: str, key_types: Iterable[str] = ()
    ) -> list[KeyView]:
        """The account's keys, oldest first; ``key_types`` filters (USER_MANAGED,
        SYSTEM_MANAGED)."""
        wanted = {t.strip().upper() for t in key_types if t.strip()}
        bad = sorted(wanted - set(KEY_TYPES))
        if bad:
            raise ServiceError(f"unknown key type {bad[0]}: use USER_MANAGED or "
                               "SYSTEM_MANAGED", field="key_types")
        with self.db.connect() as tx:
            account = service_account_row(tx, actor, name, "viewer")
            rows = tx.keys_of(account.pk)
        return [key_view(account, r) for r in rows if not wanted or r.key_type in wanted]

    def get_key(self, actor: Actor, name: str, key_id: str) -> KeyView:
        with self.db.connect() as tx:
            account = service_account_row(tx, actor, name, "viewer")
            return key_view(account, self._key(tx, account, key_id))

    def disable_key(self, actor: Actor, name: str, key_id: str) -> KeyView:
        """Assertions signed with it are refused from now on."""
        return self._change_key(actor, name, key_id, "disabled")

    def enable_key(self, actor: Actor, name: str, key_id: str) -> KeyView:
        return self._change_key(actor, name, key_id, "enabled")

    def delete_key(self, actor: Actor, name: str, key_id: str) -> None:
        self._change_key(actor, name, key_id, "deleted")

    # Internals ------------------------------------------------------------------------
    def _keyed(self, tx: Rows, actor: Actor, name: str) -> Any:
        """The account, locked, if it may have one more user-managed key."""
        account = service_account_row(tx, actor, name, "editor")
        tx.lock_project(account.project_pk)
        if tx.user_key_count(account.pk) >= iam.MAX_USER_MANAGED_KEYS:
            raise ServiceError(
                f"Precondition check failed: service account {account.email} has "
                f"{iam.MAX_USER_MANAGED_KEYS} user-managed keys, the most it may have; "
                "delete one first")
        return account

    def _key(self, tx: Rows, account: Any, key_id: str) -> Any:
        row = tx.key(account.pk, key_id.strip().lower())
        if row is None:
            raise NotFound(f"Key {key_id} of service account {account.email} not found",
                           field="key_id")
        return row

    def _change_key(self, actor: Actor, name: str, key_id: str, what: str) -> KeyView:
        with self.db.begin() as tx:
            account = service_account_row(tx, actor, name, "editor")
            row = self._key(tx, account, key_id)
            if row.key_type != "USER_MANAGED":
                raise ServiceError("system-managed keys are managed by Accord: they cannot "
                                   "be disabled, enabled or deleted", field="key_id")
            view = key_view(account, row)
            if what == "deleted":
                tx.delete_key(row.pk)
            elif (row.disabled_at is None) == (what == "enabled"):
                return view  # already so
            else:
                tx.set_key_disabled(row.pk, self.clock.now() if what == "disabled" else None)
                view = key_view(account, tx.key(account.pk, row.key_id))
            self._key_event(tx, actor, account, f"service_account.key_{what}", row.key_id)
            return view

    def _key_event(self, tx: Rows, actor: Actor, account: Any, event: str, key_id: str) -> None:
        self._audit(tx, actor, event, org_pk=account.org_pk, project_pk=account.project_pk,
                    client_id=account.unique_id, service_account=account.email, key_id=key_id)
