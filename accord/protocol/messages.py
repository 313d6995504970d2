"""Frozen records passed between the web layer, the core and the stores."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AccessType(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class Prompt(StrEnum):
    NONE = "none"
    CONSENT = "consent"
    SELECT_ACCOUNT = "select_account"


class ClientStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"  # disabled_client (reference §1.1)
    DELETED = "deleted"  # deleted_client; restorable for 30 days


@dataclass(frozen=True)
class Client:
    """An OAuth client with what its project's consent screen says about who may use it."""

    pk: int
    client_id: str
    project_pk: int
    project_id: str
    project_name: str  # the consent screen's app name
    name: str
    secret_hashes: tuple[str, ...]  # the enabled secrets (at most two)
    redirect_uris: tuple[str, ...]
    kind: str = "web"  # web or desktop (installed app: any loopback port, reference §1.1)
    status: ClientStatus = ClientStatus.ACTIVE
    user_type: str = "external"  # internal: only the owning organization's users
    testing: bool = False  # publishing status "testing": only test users
    org_pk: int | None = None  # the organization owning the project


@dataclass(frozen=True)
class User:
    """An account, with the claims Google returns about it (reference §1.7, §1.10)."""

    pk: int
    sub: str
    email: str
    name: str
    email_verified: bool = True
    given_name: str = ""
    family_name: str = ""
    picture: str = ""
    locale: str = ""
    org_pk: int | None = None  # the organization owning the email's domain
    hd: str = ""  # that domain, for the ``hd`` claim (reference §1.10)


class PrincipalKind(StrEnum):
    """What kind of party a grant and its tokens belong to."""

    USER = "user"
    SERVICE_ACCOUNT = "service_account"  # the JWT-bearer grant, the IAM Credentials API
    # Next: FEDERATED (token exchange).


@dataclass(frozen=True)
class Principal:
    """Who an authorization, and every token sealed from it, belongs to.

    The resource side (tokeninfo, userinfo, the APIs, revocation, the audit log) works
    from this, never from a user row: a service account or a federated identity is a
    principal with no password, no consent and sometimes no email.
    """

    kind: PrincipalKind
    pk: int  # the row in its kind's table
    sub: str  # the stable identifier: Google's ``sub`` / ``user_id``
    email: str = ""
    email_verified: bool = False
    org_pk: int | None = None  # the organization it belongs to, for API controls
    disabled: bool = False

    @property
    def user_pk(self) -> int | None:
        """The account, when the principal is one (consent, profile claims, console roles)."""
        return self.pk if self.kind is PrincipalKind.USER else None


@dataclass(frozen=True)
class ServiceAccount:
    """A service account (Google IAM), as the core sees it (reference §1.14-1.19)."""

    pk: int
    email: str  # ACCOUNT_ID@PROJECT_ID.iam.gserviceaccount.com
    unique_id: str  # 21 digits; also its OAuth client id (oauth2ClientId)
    project_pk: int
    project_id: str
    project_number: str
    display_name: str = ""
    disabled: bool = False
    deleted: bool = False
    org_pk: int | None = None  # the organization owning its project

    def principal(self) -> Principal:
        return Principal(
            kind=PrincipalKind.SERVICE_ACCOUNT,
            pk=self.pk,
            sub=self.unique_id,
            email=self.email,
            email_verified=True,
            org_pk=self.org_pk,
            disabled=self.disabled or self.deleted,
        )


@dataclass(frozen=True)
class ServiceAccountKey:
    """A public key of a service account: what an assertion or a self-signed JWT is checked
    against (header ``kid`` = ``key_id``)."""

    key_id: str  # 40 hex digits: the key file's private_key_id
    public_key: str  # SubjectPublicKeyInfo PEM
    certificate: str  # X.509 PEM
    key_type: str  # USER_MANAGED or SYSTEM_MANAGED
    valid_after: int
    valid_before: int
    disabled: bool = False


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated request to the authorization endpoint (RFC 6749 §4.1.1)."""

    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None = None
    access_type: AccessType = AccessType.ONLINE
    include_granted_scopes: bool = False
    login_hint: str | None = None
    prompt: tuple[Prompt, ...] = ()
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    nonce: str | None = None
    # OIDC Core §3 and OAuth 2.0 Multiple Response Type Encoding Practices.
    response_type: tuple[str, ...] = ("code",)  # sorted: ("code",), ("id_token", "token"), ...
    response_mode: str = "query"  # query, fragment or form_post
    auth_time_requested: bool = False  # the claims parameter asked for auth_time
    hd: str | None = None  # the hosted domain hint (reference §1.1)


@dataclass(frozen=True)
class CodeGrant:
    """What an authorization code stands for; stored under the code's hash."""

    client_pk: int
    user_pk: int
    project_pk: int
    redirect_uri: str
    scopes: tuple[str, ...]
    access_type: AccessType
    issue_refresh_token: bool
    code_challenge: str | None
    code_challenge_method: str | None
    nonce: str | None
    auth_time: int
    expires_at: int
    auth_time_requested: bool = False
    # Seconds the refresh token lives (testing status, time-based access); None: until revoked.
    refresh_lifetime: int | None = None


@dataclass(frozen=True)
class StoredCode:
    pk: int
    grant: CodeGrant
    consumed: bool
    principal: Principal | None = None  # the code's user, read with it (None: not read)


@dataclass(frozen=True)
class Authorization:
    """A token family: what one code exchange produced, and every refresh after it.

    Access tokens are sealed references to it; revoking it revokes them all.
    """

    pk: int
    principal: Principal
    client_pk: int
    project_pk: int
    scopes: tuple[str, ...]
    access_type: AccessType
    has_refresh_token: bool
    revoked: bool
    last_used_at: int
    created_at: int = 0
    refresh_expires_at: int | None = None
    client_id: str = ""


@dataclass(frozen=True)
class TokenSubject:
    """An access token after it was opened and its authorization was checked."""

    authorization_pk: int
    scopes: tuple[str, ...]
    expires_at: int
    access_type: AccessType
    client_id: str
    project_pk: int
    project_number: str
    principal: Principal
    # The service account the token was issued to (its own, or acting for a user through
    # domain-wide delegation); None for a token of an OAuth client.
    service_account_pk: int | None = None


@dataclass(frozen=True)
class TokenResponse:
    """RFC 6749 §5.1 success, in the field order Google sends."""

    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    id_token: str | None = None
    token_type: str = "Bearer"  # noqa: S105 - RFC 6750 token type, not a secret
    refresh_token_expires_in: int | None = None  # testing status or time-based access

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "access_token": self.access_token,
            "expires_in": self.expires_in,
        }
        if self.refresh_token is not None:
            body["refresh_token"] = self.refresh_token
        if self.refresh_token_expires_in is not None:
            body["refresh_token_expires_in"] = self.refresh_token_expires_in
        body["scope"] = self.scope
        body["token_type"] = self.token_type
        if self.id_token is not None:
            body["id_token"] = self.id_token
        return body


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log administrators read (sign-ins, consents, revocations,
    policy decisions)."""

    event: str
    at: int
    user_pk: int | None = None
    email: str = ""
    org_pk: int | None = None
    project_pk: int | None = None
    client_id: str = ""
    address: str = ""
    outcome: str = ""
    detail: tuple[tuple[str, str], ...] = ()
