"""The storage the core needs, as small protocols (one per artefact).

Secrets never reach a store in clear: codes and refresh tokens are looked up by
their SHA-256 (see ``accord.protocol.tokens.digest``), client secrets are kept
as the same digest, passwords as argon2id hashes.
"""

from __future__ import annotations

from typing import Protocol

from accord.protocol.messages import (
    AccessType,
    AuditEvent,
    Authorization,
    Client,
    CodeGrant,
    Principal,
    ServiceAccount,
    ServiceAccountKey,
    StoredCode,
    TokenSubject,
    User,
)
from accord.protocol.policy import OrgControls


class Clients(Protocol):
    def client(self, client_id: str) -> Client | None: ...


class Users(Protocol):
    def user_by_pk(self, pk: int) -> User | None: ...

    def user_by_login(self, email_or_sub: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        ...


class Grants(Protocol):
    """What each user has consented to, per project (Google keeps consent per project)."""

    def granted_scopes(self, user_pk: int, project_pk: int) -> frozenset[str]: ...

    def add_grant(
        self, user_pk: int, project_pk: int, scopes: frozenset[str], now: int
    ) -> None: ...


class Codes(Protocol):
    def save_code(self, code_hash: str, grant: CodeGrant, now: int) -> None: ...

    def find_code(self, code_hash: str) -> StoredCode | None: ...

    def redeem_code(
        self, code: StoredCode, refresh_hash: str | None, now: int
    ) -> Authorization | None:
        """Mark the code used and create its authorization, in one transaction.

        Returns None when the code had been used already: the caller lost a race.
        """
        ...

    def revoke_code_family(self, code_pk: int, now: int) -> None:
        """A replayed code revokes the tokens issued from it (RFC 6749 §4.1.2)."""
        ...


class Authorizations(Protocol):
    def create_authorization(self, grant: CodeGrant, now: int) -> Authorization:
        """A token family without a code (implicit and hybrid responses): no refresh token."""
        ...

    def by_refresh_hash(self, refresh_hash: str) -> Authorization | None: ...

    def subject(self, authorization_pk: int) -> TokenSubject | None:
        """The live authorization behind an access token, with its user and client.

        ``expires_at`` is left 0: it comes from the token, not the store."""
        ...

    def enabled_apis(self, project_pk: int) -> frozenset[str]: ...

    def has_live_refresh_token(self, user_pk: int, client_pk: int, now: int) -> bool:
        """Whether the user holds a refresh token of the client that still works at ``now``
        (not revoked, not past its time-based or testing lifetime, used in six months)."""
        ...

    def touch(self, authorization_pk: int, now: int) -> None: ...

    def revoke_authorization(self, authorization_pk: int, now: int) -> None:
        """Revoke one token family (a service account's token: no consent to drop)."""
        ...

    def revoke_grant(self, user_pk: int, project_pk: int, now: int) -> None:
        """Drop the user's consent to the project and revoke every token of it."""
        ...


class Policies(Protocol):
    """What the consent screen and organizations say about who may authorize an app."""

    def is_test_user(self, project_pk: int, email: str) -> bool: ...

    def org_controls(self, org_pk: int, client_id: str) -> OrgControls: ...


class Audit(Protocol):
    def record(self, event: AuditEvent) -> None: ...


class ServiceAccounts(Protocol):
    """Service accounts as the token endpoint, the resource side and the IAM Credentials
    API need them (``Context.service_accounts``; implemented by
    ``accord.storage.service_accounts``, which holds the key that seals the private halves
    of system-managed keys)."""

    def service_account(self, email_or_unique_id: str) -> ServiceAccount | None:
        """The account of that email (its live row, else the newest) or unique id, deleted
        ones included (``deleted`` set) so that callers can say "account not found"
        themselves."""
        ...

    def public_keys(self, service_account_pk: int, now: int) -> list[ServiceAccountKey]:
        """The account's enabled keys (user- and system-managed) valid at ``now``."""
        ...

    def signing_key(self, service_account_pk: int, now: int) -> tuple[str, str]:
        """A system-managed key to sign with on the account's behalf: (key_id, PKCS#8 PEM).
        Made (and its public half published) on first use; rotated by age."""
        ...

    def delegated_scopes(self, org_pk: int, client_id: str) -> frozenset[str]:
        """The scopes an organization authorized for a client id (domain-wide delegation);
        empty when none."""
        ...

    def has_role(self, service_account_pk: int, member: str, role: str) -> bool:
        """Whether ``member`` ("user:EMAIL" or "serviceAccount:EMAIL") holds ``role`` on the
        account's IAM policy."""
        ...

    def create_account_authorization(
        self,
        principal: Principal,
        service_account_pk: int,
        project_pk: int,
        scopes: tuple[str, ...],
        now: int,
        access_expires_at: int,
    ) -> int:
        """A token family with no OAuth client and no refresh token, issued to a service
        account for itself or (domain-wide delegation) for a user: its pk."""
        ...


class Store(Clients, Users, Grants, Codes, Authorizations, Policies, Audit, Protocol):
    """Everything the protocol layer reads and writes."""


__all__ = [
    "AccessType",
    "Audit",
    "Authorizations",
    "Clients",
    "Codes",
    "Grants",
    "Policies",
    "ServiceAccounts",
    "Store",
    "Users",
]
