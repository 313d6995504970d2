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


def not_a_test_user(app_name: str) -> str:
    """The page shown in testing status to a user who is not a test user (reference §1.2)."""
    return (
        f"{app_name} has not completed the Google verification process. "
        "The app is currently being tested, and can only be accessed by "
        "developer-approved testers. If you think you should have access, contact "
        "the developer."
    )
