"""Browser sessions, interactions, sign-in throttling, the audit log, signing keys."""

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
