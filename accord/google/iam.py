"""Google IAM's names for service accounts (reference §1.14; the IAM REST API's
``projects.serviceAccounts`` and ``projects.serviceAccounts.keys`` resources)."""

from __future__ import annotations

import re
from urllib.parse import quote

EMAIL_DOMAIN = "iam.gserviceaccount.com"  # ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com
ACCOUNT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")  # 6-30 characters
UNIQUE_ID = re.compile(r"^[0-9]{21}$")
KEY_ID = re.compile(r"^[0-9a-f]{40}$")
MAX_USER_MANAGED_KEYS = 10  # per account
KEY_ALGORITHM = "KEY_ALG_RSA_2048"
PRIVATE_KEY_TYPE = "TYPE_GOOGLE_CREDENTIALS_FILE"  # a key file (the only kind Accord makes)
NEVER = 253402300799  # 9999-12-31T23:59:59Z: Google's validBeforeTime of keys it makes
UNDELETE_WINDOW = 30 * 24 * 3600

# Roles that may be bound on a service account (its IAM policy as a resource).
ROLES = (
    "roles/iam.serviceAccountTokenCreator",  # the IAM Credentials API checks this one
    "roles/iam.serviceAccountOpenIdTokenCreator",
    "roles/iam.serviceAccountUser",
    "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.workloadIdentityUser",
    "roles/owner",
    "roles/editor",
    "roles/viewer",
)
MEMBER_KINDS = ("user", "serviceAccount")

# Public keys of an account (the key file's client_x509_cert_url is the first).
ROBOT_X509 = "/robot/v1/metadata/x509/{email}"
SA_X509 = "/service_accounts/v1/metadata/x509/{email}"
SA_JWK = "/service_accounts/v1/metadata/jwk/{email}"


def email(account_id: str, project_id: str) -> str:
    return f"{account_id}@{project_id}.{EMAIL_DOMAIN}"


def account_name(project_id: str, email: str) -> str:
    return f"projects/{project_id}/serviceAccounts/{email}"


def key_name(project_id: str, email: str, key_id: str) -> str:
    return f"{account_name(project_id, email)}/keys/{key_id}"


def key_file(
    issuer: str,
    project_id: str,
    key_id: str,
    private_key_pem: str,
    client_email: str,
    client_id: str,
) -> dict[str, str]:
    """The service-account key file (reference §1.14, in its field order) on Accord's URLs."""
    from accord.google import paths

    return {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": key_id,
        "private_key": private_key_pem,
        "client_email": client_email,
        "client_id": client_id,
        "auth_uri": issuer + paths.CLIENT_SECRET_AUTH_URI,
        "token_uri": issuer + paths.CLIENT_SECRET_TOKEN_URI,
        "auth_provider_x509_cert_url": issuer + paths.CERTS_V1,
        "client_x509_cert_url": issuer + ROBOT_X509.format(email=quote(client_email, safe="")),
        "universe_domain": "googleapis.com",
    }


def account_not_found(name: str) -> dict[str, object]:
    """The 404 of the public-key documents for an unknown (or deleted) account."""
    message = f"Not found; Gaia id not found for email {name}"
    return {"error": {
        "code": 404,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": "notFound"}],
        "status": "NOT_FOUND",
    }}
