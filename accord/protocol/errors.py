"""The one error tree of the core.

    OAuthError                      code, status, description (public), detail (private)
     ├── InvalidRequest             RFC 6749 §4.1.2.1 / §5.2
     ├── InvalidClient              §5.2, 401
 │    ├── DeletedClient          Google: the client was deleted (restorable for 30 days)
 │    └── DisabledClient         Google: the client was disabled
     ├── InvalidGrant               §5.2
     ├── UnauthorizedClient         §5.2
     ├── UnsupportedGrantType       §5.2
     ├── UnsupportedResponseType    §4.1.2.1
     ├── InvalidScope               §5.2
     ├── AccessDenied               §4.1.2.1 (redirected)
 │    └── NotATestUser           Google: testing status, not a test user (shown on a page)
 ├── OrgInternal                Google: internal app, user outside its organization
 ├── AdminPolicyEnforced        Google: the organization's API controls forbid it
 ├── DisallowedUserAgent        Google: embedded web views may not sign in
     ├── RedirectUriMismatch        Google's code for an unregistered redirect URI
     ├── InvalidToken               RFC 7009 §2.2.1 / RFC 6750 §3.1
     └── LoginRequired, ConsentRequired, InteractionRequired   OIDC Core §3.1.2.6

The Google dialect maps these to pages and bodies in ``accord.google.errors``.
"""

from __future__ import annotations


class OAuthError(Exception):
    code = "server_error"
    status = 500
    # Whether the error may be sent back to the client's redirect URI (RFC 6749 §4.1.2.1).
    # Google shows most authorization errors on its own page instead; only these redirect.
    redirectable = False

    def __init__(self, description: str = "", *, detail: str = "") -> None:
        super().__init__(description or self.code)
        self.description = description
        self.detail = detail


class InvalidRequest(OAuthError):
    code, status = "invalid_request", 400


class InvalidClient(OAuthError):
    code, status = "invalid_client", 401


class DeletedClient(InvalidClient):
    code = "deleted_client"


class DisabledClient(InvalidClient):
    code = "disabled_client"


class InvalidGrant(OAuthError):
    code, status = "invalid_grant", 400


class UnauthorizedClient(OAuthError):
    code, status = "unauthorized_client", 400


class UnsupportedGrantType(OAuthError):
    code, status = "unsupported_grant_type", 400


class UnsupportedResponseType(OAuthError):
    code, status = "unsupported_response_type", 400


class InvalidScope(OAuthError):
    code, status = "invalid_scope", 400


class RedirectUriMismatch(OAuthError):
    code, status = "redirect_uri_mismatch", 400


class InvalidToken(OAuthError):
    code, status = "invalid_token", 400


class MissingToken(InvalidToken):
    """RFC 6750 §3.1: the request carries no token at all."""


class ExpiredToken(InvalidToken):
    """A token this server sealed, past its expiry."""


class AccessDenied(OAuthError):
    code, status, redirectable = "access_denied", 403, True


class NotATestUser(AccessDenied):
    status, redirectable = 403, False


class OrgInternal(OAuthError):
    code, status = "org_internal", 403


class AdminPolicyEnforced(OAuthError):
    code, status = "admin_policy_enforced", 400


class DisallowedUserAgent(OAuthError):
    code, status = "disallowed_useragent", 403


class LoginRequired(OAuthError):
    code, status, redirectable = "login_required", 400, True


class ConsentRequired(OAuthError):
    code, status, redirectable = "consent_required", 400, True


class InteractionRequired(OAuthError):
    code, status, redirectable = "interaction_required", 400, True


class ServerError(OAuthError):
    code, status = "server_error", 500
