"""The one error tree of the core (a test checks this drawing against the classes).

    OAuthError                        code, status, description (public), detail (private)
    ├── InvalidRequest                invalid_request 400            RFC 6749 §4.1.2.1, §5.2
    ├── InvalidClient                 invalid_client 401             §5.2
    │   ├── DeletedClient             deleted_client 401             Google: deleted (30 days)
    │   └── DisabledClient            disabled_client 401            Google: disabled
    ├── InvalidGrant                  invalid_grant 400              §5.2
    ├── UnauthorizedClient            unauthorized_client 400        §5.2
    │   └── DelegationDenied          unauthorized_client 401        Google: domain-wide delegation
    ├── UnsupportedGrantType          unsupported_grant_type 400     §5.2
    ├── UnsupportedResponseType       unsupported_response_type 400  §4.1.2.1
    ├── InvalidScope                  invalid_scope 400              §5.2
    ├── RedirectUriMismatch           redirect_uri_mismatch 400      Google: unregistered URI
    ├── InvalidToken                  invalid_token 400              RFC 7009 §2.2.1, RFC 6750 §3.1
    │   ├── MissingToken              invalid_token 400              RFC 6750 §3.1: no token at all
    │   └── ExpiredToken              invalid_token 400              one of ours, past its expiry
    ├── AccessDenied                  access_denied 403, redirected  §4.1.2.1
    │   └── NotATestUser              access_denied 403              Google: testing status (a page)
    ├── OrgInternal                   org_internal 403               Google: user outside the org
    ├── AdminPolicyEnforced           admin_policy_enforced 400      Google: the org's API controls
    ├── DisallowedUserAgent           disallowed_useragent 403       Google: embedded web views
    ├── LoginRequired                 login_required 400, redirected OIDC Core §3.1.2.6
    ├── ConsentRequired               consent_required 400, redirected
    ├── InteractionRequired           interaction_required 400, redirected
    └── ServerError                   server_error 500

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


class DelegationDenied(UnauthorizedClient):
    """Google answers 401 when an organization has not authorized a service account (or
    one of the scopes) for domain-wide delegation (reference §1.16)."""

    status = 401


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
