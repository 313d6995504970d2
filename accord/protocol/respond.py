"""The authorization response: what goes back to the client's redirect URI, and how.

``code`` (RFC 6749 §4.1.2), ``token`` (§4.2.2), ``id_token`` and their combinations
(OIDC Core §3.2.2.5, §3.3.2.5), encoded as the response mode says: the query, the
fragment, or a form posted by the browser (OAuth 2.0 Form Post Response Mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from accord.protocol.context import Context
from accord.protocol.errors import OAuthError
from accord.protocol.issue import IdTokenWhen, Issuance, Issued, issue
from accord.protocol.messages import AuthorizationRequest, Client, CodeGrant
from accord.protocol.tokens import digest


@dataclass(frozen=True)
class AuthorizationResponse:
    redirect_uri: str
    mode: str  # query, fragment or form_post
    params: dict[str, str]

    @property
    def url(self) -> str:
        """Where the browser goes (query and fragment modes)."""
        parts = urlsplit(self.redirect_uri)
        encoded = urlencode(self.params)
        if self.mode == "fragment":
            return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, encoded))
        # RFC 6749 §3.1.2: keep the redirect URI's own query and add to it.
        query = f"{parts.query}&{encoded}" if parts.query else encoded
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _with_state(params: dict[str, str], request: AuthorizationRequest) -> dict[str, str]:
    return {**params, "state": request.state} if request.state is not None else params


def refusal(request: AuthorizationRequest, error: OAuthError) -> AuthorizationResponse:
    """RFC 6749 §4.1.2.1 / §4.2.2.1: the error code and the client's state."""
    return AuthorizationResponse(
        request.redirect_uri, request.response_mode, _with_state({"error": error.code}, request)
    )


def respond(
    ctx: Context, client: Client, request: AuthorizationRequest, grant: CodeGrant
) -> AuthorizationResponse:
    now = ctx.clock.now()
    types = request.response_type
    code = authorization_pk = None
    if "code" in types:
        code = ctx.minter.new_code()
        ctx.store.save_code(digest(code), grant, now)
    if "token" in types:
        authorization_pk = ctx.store.create_authorization(grant, now).pk
    issued = issue(
        ctx,
        Issuance(
            client=client,
            user_pk=grant.user_pk,
            scopes=grant.scopes,
            now=now,
            authorization_pk=authorization_pk,
            id_token=IdTokenWhen.ASKED if "id_token" in types else IdTokenWhen.NEVER,
            nonce=grant.nonce,
            auth_time=grant.auth_time if grant.auth_time_requested else None,
            code=code,
        ),
    )
    return AuthorizationResponse(
        request.redirect_uri, request.response_mode, _params(request, issued, code)
    )


def _params(request: AuthorizationRequest, issued: Issued, code: str | None) -> dict[str, str]:
    if request.response_type == ("code",):
        # Google's order for the code flow: state, code, scope (reference §1.1).
        return _with_state({}, request) | {"code": code or "", "scope": issued.scope}
    params: dict[str, str] = {}
    if issued.access_token is not None:
        params |= {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": str(issued.expires_in),
        }
    if code is not None:
        params["code"] = code
    params["scope"] = issued.scope
    if issued.id_token is not None:
        params["id_token"] = issued.id_token
    return _with_state(params, request)
