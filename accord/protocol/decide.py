"""One decision per authorization step: show a page, or issue the code and redirect.

Called when the request arrives and again after each page the user submits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from accord.protocol.context import Context
from accord.protocol.errors import OAuthError
from accord.protocol.messages import AccessType, AuthorizationRequest, Client, CodeGrant, User
from accord.protocol.prompts import (
    Progress,
    Step,
    granted_for_code,
    needs_consent,
    pick_account,
    refuse_silently,
)


@dataclass(frozen=True)
class ShowPage:
    step: Step
    user: User | None = None


@dataclass(frozen=True)
class Redirect:
    url: str


@dataclass(frozen=True)
class Issue:
    """A code to save under ``digest(code)``, then redirect to ``url``. Saving is the
    caller's, after it has claimed the interaction, so a double submit saves nothing."""

    code: str
    grant: CodeGrant
    url: str


def redirect_with(uri: str, params: dict[str, str | None]) -> str:
    """Add parameters to the client's redirect URI, keeping its own query (RFC 6749 §3.1.2)."""
    parts = urlsplit(uri)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def error_redirect(request: AuthorizationRequest, error: OAuthError) -> Redirect:
    """RFC 6749 §4.1.2.1: the error and the client's state, back to the client."""
    return Redirect(
        redirect_with(
            request.redirect_uri,
            {"error": error.code, "error_description": None, "state": request.state},
        )
    )


def decide(
    ctx: Context,
    client: Client,
    request: AuthorizationRequest,
    signed_in: Sequence[User],
    progress: Progress,
    auth_times: dict[int, int],
    approved: frozenset[str] | None = None,
) -> ShowPage | Redirect | Issue:
    """``approved`` is what the user allowed on the consent page, None before it."""
    picked = pick_account(request, signed_in, progress)
    if isinstance(picked, Step):
        refuse_silently(request, picked)
        return ShowPage(picked)
    user = picked
    now = ctx.clock.now()
    store = ctx.store
    granted = store.granted_scopes(user.pk, client.project_pk)
    consent_shown = approved is not None
    if approved is None:
        offline = request.access_type is AccessType.OFFLINE
        live = offline and store.has_live_refresh_token(user.pk, client.pk)
        if needs_consent(request, granted, live):
            refuse_silently(request, Step.CONSENT)
            return ShowPage(Step.CONSENT, user)
        approved = frozenset(request.scopes)
    else:
        store.add_grant(user.pk, client.project_pk, approved, now)
        granted = granted | approved
    scopes = granted_for_code(request, approved, granted)
    code = ctx.minter.new_code()
    return Issue(
        code,
        CodeGrant(
            client_pk=client.pk,
            user_pk=user.pk,
            project_pk=client.project_pk,
            redirect_uri=request.redirect_uri,
            scopes=scopes,
            access_type=request.access_type,
            # A refresh token only with offline access and only when consent was shown:
            # the first consent, or consent asked again (reference §1.2).
            issue_refresh_token=request.access_type is AccessType.OFFLINE and consent_shown,
            code_challenge=request.code_challenge,
            code_challenge_method=request.code_challenge_method,
            nonce=request.nonce,
            auth_time=auth_times.get(user.pk, now),
            expires_at=now + ctx.lifetimes.code,
        ),
        redirect_with(
            request.redirect_uri,
            {"state": request.state, "code": code, "scope": " ".join(scopes)},
        ),
    )
