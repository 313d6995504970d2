"""Service accounts (Google IAM), their keys and role bindings, and domain-wide delegation.

A service account belongs to a project and has Google's identifiers: ``email``
``ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com`` and a 21-digit ``unique_id`` (also its
OAuth client id). Keys: user-managed ones (created by Accord, whose private half is given
out once and never stored, or uploaded as an X.509 certificate) and system-managed ones,
whose private half is sealed with AES-256-GCM as the ID-token signing keys are.
"""

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
    UniqueConstraint,
)

from accord.storage.schema.base import metadata

service_accounts = Table(
    "service_accounts",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("project_pk", Integer, ForeignKey("projects.pk", ondelete="CASCADE"), nullable=False),
    Column("account_id", String(30), nullable=False),  # the part before the @
    # Not unique: an account deleted may be re-created under the same email (a new unique id).
    Column("email", String(320), nullable=False),
    Column("unique_id", String(21), nullable=False, unique=True),  # also oauth2ClientId
    Column("display_name", String(100), nullable=False, server_default=""),
    Column("description", String(256), nullable=False, server_default=""),
    Column("created_at", BigInteger, nullable=False),
    Column("disabled_at", BigInteger, nullable=True),
    Column("deleted_at", BigInteger, nullable=True),  # undeletable for 30 days, then purged
    Index("ix_service_accounts_email", "email"),
    Index("ix_service_accounts_project", "project_pk"),
)

service_account_keys = Table(
    "service_account_keys",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column(
        "service_account_pk",
        Integer,
        ForeignKey("service_accounts.pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("key_id", String(40), nullable=False, unique=True),  # 40 hex: private_key_id, kid
    Column("key_type", String(16), nullable=False),  # USER_MANAGED or SYSTEM_MANAGED
    Column("origin", String(16), nullable=False),  # GOOGLE_PROVIDED or USER_PROVIDED
    Column("algorithm", String(32), nullable=False, server_default="KEY_ALG_RSA_2048"),
    Column("public_key", Text, nullable=False),  # SubjectPublicKeyInfo PEM
    Column("certificate", Text, nullable=False),  # X.509 PEM (self-signed, or the upload)
    Column("private_key", Text, nullable=True),  # SYSTEM_MANAGED only: sealed PKCS#8 PEM
    Column("valid_after", BigInteger, nullable=False),
    Column("valid_before", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("disabled_at", BigInteger, nullable=True),
    Index("ix_service_account_keys_account", "service_account_pk"),
)

# IAM policy of a service account as a resource: who may act as it (e.g.
# roles/iam.serviceAccountTokenCreator). member: "user:EMAIL" or "serviceAccount:EMAIL".
service_account_bindings = Table(
    "service_account_bindings",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column(
        "service_account_pk",
        Integer,
        ForeignKey("service_accounts.pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("role", String(128), nullable=False),
    Column("member", String(400), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("service_account_pk", "role", "member", name="uq_sa_bindings"),
)

# Domain-wide delegation (reference §1.16): an organization authorizes a client id (a
# service account's unique id) for some scopes; its assertions may then name a ``sub``.
org_delegations = Table(
    "org_delegations",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("org_pk", Integer, ForeignKey("organizations.pk", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(21), nullable=False),
    Column("scopes", Text, nullable=False),  # space-delimited, sorted
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("org_pk", "client_id", name="uq_org_delegations"),
)
