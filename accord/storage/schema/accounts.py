"""Accounts and organizations (Google Workspace)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
)

from accord.storage.schema.base import metadata

users = Table(
    "users",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("sub", String(32), nullable=False, unique=True),
    Column("email", String(320), nullable=False, unique=True),  # stored lower-cased
    Column("name", String(200), nullable=False, default=""),
    Column("email_verified", Boolean, nullable=False, default=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("given_name", String(200), nullable=False, server_default=""),
    Column("family_name", String(200), nullable=False, server_default=""),
    Column("picture", String(2048), nullable=False, server_default=""),
    Column("locale", String(35), nullable=False, server_default=""),
    # The email's domain, lower-cased: the user belongs to the organization owning it.
    Column("domain", String(253), nullable=False, server_default="", index=True),
    Column("disabled_at", BigInteger, nullable=True),  # a disabled account: no sign-in, no tokens
    Column("password_changed_at", BigInteger, nullable=True),
)

# Organizations (Google Workspace): each owns domains; a user whose email domain is one of
# them is the organization's user and carries ``hd`` (reference §1.10).
organizations = Table(
    "organizations",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("org_id", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

org_domains = Table(
    "org_domains",
    metadata,
    Column("domain", String(253), primary_key=True),
    Column("org_pk", Integer, ForeignKey("organizations.pk", ondelete="CASCADE"), nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

org_admins = Table(
    "org_admins",
    metadata,
    Column("org_pk", Integer, ForeignKey("organizations.pk", ondelete="CASCADE"), primary_key=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), primary_key=True),
    Column("created_at", BigInteger, nullable=False),
)

# API controls: per app (OAuth client ID) "trusted", "limited" or "blocked"; unlisted apps
# are "limited" (they reach only unrestricted services).
org_app_access = Table(
    "org_app_access",
    metadata,
    Column("org_pk", Integer, ForeignKey("organizations.pk", ondelete="CASCADE"), primary_key=True),
    Column("client_id", String(128), primary_key=True),
    Column("access", String(16), nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

# Restricted services: only trusted apps may request their scopes.
org_restricted_apis = Table(
    "org_restricted_apis",
    metadata,
    Column("org_pk", Integer, ForeignKey("organizations.pk", ondelete="CASCADE"), primary_key=True),
    Column("api", String(64), primary_key=True),
    Column("updated_at", BigInteger, nullable=False),
)
