"""Consent grants, authorizations (token families) and authorization codes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from accord.storage.schema.base import metadata

grants = Table(
    "grants",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), nullable=False),
    Column("scopes", Text, nullable=False),  # space-delimited, sorted
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("user_pk", "project_pk", name="uq_grants_user_project"),
)

authorizations = Table(
    "authorizations",
    metadata,
    Column("pk", Integer, primary_key=True),
    # Who the authorization belongs to (accord.protocol.messages.PrincipalKind); the row of
    # that kind's table: user_pk for users, service_account_pk for service accounts.
    Column("principal_kind", String(32), nullable=False, server_default="user"),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=True),
    # The OAuth client it was issued to; NULL when a service account asked for it itself
    # (the JWT-bearer grant, the IAM Credentials API): service_account_pk names it then,
    # and for domain-wide delegation (a user principal) it names the acting account.
    Column("client_pk", Integer, ForeignKey("clients.pk", ondelete="CASCADE"), nullable=True),
    Column(
        "service_account_pk",
        Integer,
        ForeignKey("service_accounts.pk", ondelete="CASCADE"),
        nullable=True,
    ),
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("access_type", String(16), nullable=False),
    Column("refresh_hash", String(64), nullable=True, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("last_used_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger, nullable=True),
    # Testing status (7 days) and time-based access: the refresh token stops working then.
    Column("refresh_expires_at", BigInteger, nullable=True),
    # When the last access token sealed from it expires, for rows that never get a refresh
    # token (service accounts): purged after that. NULL: follows its refresh token.
    Column("access_expires_at", BigInteger, nullable=True),
    CheckConstraint(
        "principal_kind <> 'user' OR user_pk IS NOT NULL", name="ck_authorizations_user_principal"
    ),
    CheckConstraint(
        "principal_kind <> 'service_account' OR service_account_pk IS NOT NULL",
        name="ck_authorizations_sa_principal",
    ),
    CheckConstraint(
        "client_pk IS NOT NULL OR service_account_pk IS NOT NULL",
        name="ck_authorizations_issued_to",
    ),
    Index("ix_authorizations_user_project", "user_pk", "project_pk"),
    Index("ix_authorizations_user_client", "user_pk", "client_pk"),
    Index("ix_authorizations_service_account", "service_account_pk"),
)

# Does the user hold a live refresh token for this client? Asked on every offline
# authorization; the partial index keeps it one probe however many revoked rows pile up.
_LIVE = text("refresh_hash IS NOT NULL AND revoked_at IS NULL")
Index(
    "ix_authorizations_live_refresh",
    authorizations.c.user_pk,
    authorizations.c.client_pk,
    sqlite_where=_LIVE,
    postgresql_where=_LIVE,
)

codes = Table(
    "codes",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("client_pk", Integer, ForeignKey("clients.pk", ondelete="CASCADE"), nullable=False),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("access_type", String(16), nullable=False),
    Column("issue_refresh_token", Boolean, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(8), nullable=True),
    Column("nonce", Text, nullable=True),
    Column("auth_time", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("consumed_at", BigInteger, nullable=True),
    Column("auth_time_requested", Boolean, nullable=False, server_default=false()),
    Column("refresh_lifetime", BigInteger, nullable=True),  # seconds, see authorizations
    Column(
        "authorization_pk",
        Integer,
        ForeignKey("authorizations.pk", ondelete="SET NULL"),
        nullable=True,
    ),
    # Purging an authorization deletes its codes (accord.storage.purge).
    Index("ix_codes_authorization", "authorization_pk"),
)
