"""The tables. Times are integer seconds since the epoch, read from the injected clock.

Secrets appear only as digests: ``codes.code_hash``,
``client_secrets.secret_hash``, ``authorizations.refresh_hash`` (SHA-256
hex of 256-bit random values) and
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
    # Testing status (7 days) and time-based access: the refresh token stops working then.
    Column("refresh_expires_at", BigInteger, nullable=True),
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
    Column("refresh_lifetime", BigInteger, nullable=True),  # seconds, see authorizations
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

# Failed sign-ins per account and per address, in fixed windows (abuse resistance).
signin_throttle = Table(
    "signin_throttle",
    metadata,
    Column("key_hash", String(64), primary_key=True),  # sha256 of "account:<email>" / "ip:<addr>"
    Column("failures", Integer, nullable=False),
    Column("window_start", BigInteger, nullable=False),
)

# What happened, for administrators: sign-ins, consents, revocations, policy decisions.
audit_events = Table(
    "audit_events",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("at", BigInteger, nullable=False),
    Column("event", String(64), nullable=False),
    Column("user_pk", Integer, nullable=True),  # the account concerned (no FK: outlives it)
    Column("email", String(320), nullable=False, server_default=""),
    Column("org_pk", Integer, nullable=True),
    Column("project_pk", Integer, nullable=True),
    Column("client_id", String(128), nullable=False, server_default=""),
    Column("address", String(64), nullable=False, server_default=""),
    Column("outcome", String(64), nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default="{}"),  # JSON object
    Index("ix_audit_events_org_at", "org_pk", "at"),
    Index("ix_audit_events_user_at", "user_pk", "at"),
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
