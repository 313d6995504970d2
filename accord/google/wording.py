"""Google's error descriptions, word for word. The core raises its RFC-named errors and
takes their public text from here by name, so Google's wording lives in one place.

Plain strings only: this module imports nothing, so the core may import it without
depending on the rest of the dialect.
"""

from __future__ import annotations

# The token endpoint's terse answers (reference §1.3.4).
BAD_REQUEST = "Bad Request"  # a bad, replayed or expired code; a different redirect_uri
UNAUTHORIZED = "Unauthorized"  # a wrong client secret; a refresh token of another client
MALFORMED_CODE = "Malformed auth code."
EXPIRED_OR_REVOKED = "Token has been expired or revoked."  # a dead refresh token (§1.3.3)

# The client (reference §1.1, §1.3.4).
CLIENT_NOT_FOUND = "The OAuth client was not found."
CLIENT_DELETED = "The OAuth client was deleted."
CLIENT_DISABLED = "The OAuth client was disabled."

# An organization's API controls (reference §1.3.3).
ADMIN_BLOCKED = "Your administrator has blocked access to this app."
ADMIN_RESTRICTED = "Your administrator has restricted access to some of the requested services."

# PKCE failures (reference §1.3.4).
MISSING_VERIFIER = "Missing code verifier."
INVALID_VERIFIER = "Invalid code verifier."
VERIFIER_NOT_NEEDED = "code_verifier or verifier is not needed."

# tokeninfo (reference §1.6) and revocation (§1.5).
INVALID_VALUE = "Invalid Value"
REVOKE_UNKNOWN = "Token expired or revoked"


def invalid_scopes(names: list[str]) -> str:
    """Scopes that do not exist, or wider than granted on refresh (reference §1.1, §1.3.2)."""
    return f"Some requested scopes were invalid. {{invalid=[{', '.join(names)}]}}"


def org_internal(app_name: str) -> str:
    """An internal app, asked by a user outside its organization (reference §1.1)."""
    return f"{app_name} can only be used within its organization."


def not_a_test_user(app_name: str) -> str:
    """The page shown in testing status to a user who is not a test user (reference §1.2)."""
    return (
        f"{app_name} has not completed the Google verification process. "
        "The app is currently being tested, and can only be accessed by "
        "developer-approved testers. If you think you should have access, contact "
        "the developer."
    )


# The JWT-bearer grant of service accounts (reference §1.15).
JWT_SIGNATURE = "Invalid JWT Signature."  # bad signature, unknown or disabled key, not RS256
JWT_AUDIENCE = "Invalid JWT: Failed audience check."
JWT_TIMEFRAME = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
    "timeframe. Check your iat and exp values in the JWT claim."
)
JWT_NO_SCOPE = "Invalid OAuth scope or ID token audience provided."  # also an unknown scope
ACCOUNT_NOT_FOUND = "Invalid grant: account not found"  # unknown or deleted account
ACCOUNT_DISABLED = "Robot is disabled."  # a disabled account (observed, 3P)

# Domain-wide delegation (reference §1.16).
DELEGATION_DENIED = (
    "Client is unauthorized to retrieve access tokens using this method, or client not "
    "authorized for any of the scopes requested."
)
DELEGATION_USER = "Invalid email or User ID"
DELEGATION_SUB = 'Invalid impersonation "sub" field'
