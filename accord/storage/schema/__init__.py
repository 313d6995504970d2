"""The tables. Times are integer seconds since the epoch, read from the injected clock.

Secrets appear only as digests: ``codes.code_hash``,
``client_secrets.secret_hash``, ``authorizations.refresh_hash`` (SHA-256
hex of 256-bit random values) and
``users.password_hash`` (argon2id). Access tokens are not stored (see
``accord.protocol.tokens``).
"""

from accord.storage.schema.accounts import (
    org_admins,
    org_app_access,
    org_domains,
    org_restricted_apis,
    organizations,
    users,
)
from accord.storage.schema.base import metadata
from accord.storage.schema.projects import (
    client_secrets,
    clients,
    project_apis,
    project_members,
    projects,
    test_users,
)
from accord.storage.schema.service_accounts import (
    org_delegations,
    service_account_bindings,
    service_account_keys,
    service_accounts,
)
from accord.storage.schema.sessions import (
    audit_events,
    browser_sessions,
    interactions,
    signin_throttle,
    signing_keys,
)
from accord.storage.schema.tokens import (
    authorizations,
    codes,
    grants,
)

__all__ = [
    "audit_events",
    "authorizations",
    "browser_sessions",
    "client_secrets",
    "clients",
    "codes",
    "grants",
    "interactions",
    "metadata",
    "org_admins",
    "org_app_access",
    "org_delegations",
    "org_domains",
    "org_restricted_apis",
    "organizations",
    "project_apis",
    "project_members",
    "projects",
    "service_account_bindings",
    "service_account_keys",
    "service_accounts",
    "signin_throttle",
    "signing_keys",
    "test_users",
    "users",
]
