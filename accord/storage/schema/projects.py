"""Projects, their members, APIs and test users, and their OAuth clients."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from accord.storage.schema.base import metadata

projects = Table(
    "projects",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("project_id", String(64), nullable=False, unique=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    # The OAuth consent screen (reference §1.2): what users see, and who may authorize.
    Column("org_pk", Integer, ForeignKey("organizations.pk", ondelete="SET NULL"), nullable=True),
    Column("app_name", String(200), nullable=False, server_default=""),  # "" shows the name
    Column("support_email", String(320), nullable=False, server_default=""),
    Column("logo_url", String(2048), nullable=False, server_default=""),
    Column("home_url", String(2048), nullable=False, server_default=""),
    Column("privacy_url", String(2048), nullable=False, server_default=""),
    Column("terms_url", String(2048), nullable=False, server_default=""),
    Column("authorized_domains", Text, nullable=False, server_default="[]"),  # JSON array
    Column("user_type", String(16), nullable=False, server_default="external"),
    Column("publishing_status", String(16), nullable=False, server_default="production"),
)

project_members = Table(
    "project_members",
    metadata,
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), primary_key=True),
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),  # owner, editor or viewer
    Column("created_at", BigInteger, nullable=False),
    Index("ix_project_members_user", "user_pk"),
)

# In testing status only these accounts may authorize the project's apps (at most 100).
test_users = Table(
    "test_users",
    metadata,
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), primary_key=True),
    Column("email", String(320), primary_key=True),  # lower-cased
    Column("created_at", BigInteger, nullable=False),
)

project_apis = Table(
    "project_apis",
    metadata,
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), primary_key=True),
    Column("api", String(64), primary_key=True),
    Column("enabled_at", BigInteger, nullable=False),
)

clients = Table(
    "clients",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("client_id", String(128), nullable=False, unique=True),
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("redirect_uris", Text, nullable=False),  # JSON array
    Column("created_at", BigInteger, nullable=False),
    Column("type", String(16), nullable=False, server_default="web"),  # web or desktop
    Column("javascript_origins", Text, nullable=False, server_default="[]"),  # JSON array
    Column("disabled_at", BigInteger, nullable=True),  # disabled_client
    Column("deleted_at", BigInteger, nullable=True),  # deleted_client; restorable for 30 days
)

# Up to two enabled secrets per client, so a secret can be rotated without downtime.
client_secrets = Table(
    "client_secrets",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("client_pk", Integer, ForeignKey("clients.pk", ondelete="CASCADE"), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("hint", String(8), nullable=False),  # the last characters, to tell secrets apart
    Column("created_at", BigInteger, nullable=False),
    Column("disabled_at", BigInteger, nullable=True),
    Index("ix_client_secrets_client", "client_pk"),
)
