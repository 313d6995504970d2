"""The tables. Times are integer seconds since the epoch, read from the injected clock.

Secrets appear only as digests: ``clients.secret_hash``, ``codes.code_hash``,
``authorizations.refresh_hash`` (SHA-256 hex of 256-bit random values) and
``users.password_hash`` (argon2id). Access tokens are not stored (see
``accord.protocol.tokens``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


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
)

projects = Table(
    "projects",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("project_id", String(64), nullable=False, unique=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
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
    Column("secret_hash", String(64), nullable=False),
    Column("redirect_uris", Text, nullable=False),  # JSON array
    Column("created_at", BigInteger, nullable=False),
)

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
    Column("user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=False),
    Column("client_pk", Integer, ForeignKey("clients.pk", ondelete="CASCADE"), nullable=False),
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("access_type", String(16), nullable=False),
    Column("refresh_hash", String(64), nullable=True, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("last_used_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger, nullable=True),
    Index("ix_authorizations_user_project", "user_pk", "project_pk"),
    Index("ix_authorizations_user_client", "user_pk", "client_pk"),
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
    Column(
        "authorization_pk",
        Integer,
        ForeignKey("authorizations.pk", ondelete="SET NULL"),
        nullable=True,
    ),
)

browser_sessions = Table(
    "browser_sessions",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("id_hash", String(64), nullable=False, unique=True),
    Column("generation", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

interactions = Table(
    "interactions",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("id_hash", String(64), nullable=False, unique=True),
    Column("browser_hash", String(64), nullable=False),  # binds it to one browser session
    Column("request", Text, nullable=False),  # the validated AuthorizationRequest, JSON
    Column("chosen_user_pk", Integer, ForeignKey("users.pk", ondelete="CASCADE"), nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger, nullable=True),
)

# ID-token signing keys, shared by every server process (see ``accord.storage.keys``).
# ``private_key`` is the PKCS#8 PEM sealed with AES-256-GCM, base64url; the public half
# and the self-signed certificate are public and kept in clear.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("kid", String(64), nullable=False, unique=True),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),  # SubjectPublicKeyInfo PEM
    Column("certificate", Text, nullable=False),  # self-signed X.509 PEM
    Column("created_at", BigInteger, nullable=False),  # published from here
    Column("activates_at", BigInteger, nullable=False),  # signs from here
    Column("retires_at", BigInteger, nullable=False),  # no longer signs
    Column("expires_at", BigInteger, nullable=False),  # no longer published
)
