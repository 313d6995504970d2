"""One decision per authorization step: show a page, issue, or refuse.

Called when the request arrives and again after each page the user submits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.protocol import policy
from accord.protocol.context import Context
from accord.protocol.errors import OAuthError
from accord.protocol.messages import (
    AccessType,
    AuditEvent,
    AuthorizationRequest,
    Client,
    CodeGrant,
    User,
)
from accord.protocol.prompts import (
    Progress,
    Step,
    granted_for_code,
    needs_consent,
    pick_account,
    refuse_silently,
    sign_in_again,
)


@dataclass(frozen=True)
class ShowPage:
    step: Step
    user: User | None = None


@dataclass(frozen=True)
class Issue:
    """The user's approval, ready to become a response (``accord.protocol.respond``)."""

    grant: CodeGrant


@dataclass(frozen=True)
class Refuse:
    """An error for the client's redirect URI: the user said no, or prompt=none failed."""

    error: OAuthError


def decide(
    ctx: Context,
    client: Client,
    request: AuthorizationRequest,
    signed_in: Sequence[User],
    progress: Progress,
    auth_times: dict[int, int],
    approved: frozenset[str] | None = None,
    duration: int | None = None,
) -> ShowPage | Issue | Refuse:
    """``approved`` is what the user allowed on the consent page, None before it;
    ``duration`` the time-based access the user chose there (seconds), None: until revoked.
    """
    picked = pick_account(request, signed_in, progress)
    if isinstance(picked, Step):
        try:
            refuse_silently(request, picked)
        except OAuthError as exc:
            return Refuse(exc)
        return ShowPage(picked)
    user = picked
    now = ctx.clock.now()
    if sign_in_again(request, auth_times.get(user.pk, 0), now, progress):
        try:
            refuse_silently(request, Step.LOGIN)  # prompt=none: login_required
        except OAuthError as exc:
            return Refuse(exc)
        return ShowPage(Step.LOGIN, user)
    store = ctx.store
    granted = store.granted_scopes(user.pk, client.project_pk)
    # include_granted_scopes brings the project's earlier grant into the code: the
    # organization's controls apply to those scopes too, as they do on refresh (§1.3.3).
    carried = set(request.scopes) | (granted if request.include_granted_scopes else set())
    allowed(ctx, client, user, sorted(carried), now)
    consent_shown = approved is not None
    if approved is None:
        offline = request.access_type is AccessType.OFFLINE
        live = offline and store.has_live_refresh_token(user.pk, client.pk, now)
        if needs_consent(request, granted, live):
            try:
                refuse_silently(request, Step.CONSENT)
            except OAuthError as exc:
                return Refuse(exc)
            return ShowPage(Step.CONSENT, user)
        approved = frozenset(request.scopes)
    else:
        store.add_grant(user.pk, client.project_pk, approved, now)
        granted = granted | approved
        store.record(
            _event("consent.granted", now, user, client, "granted", " ".join(sorted(approved)))
        )
    scopes = granted_for_code(request, approved, granted)
    refresh = request.access_type is AccessType.OFFLINE and consent_shown
    return Issue(
        CodeGrant(
            client_pk=client.pk,
            user_pk=user.pk,
            project_pk=client.project_pk,
            redirect_uri=request.redirect_uri,
            scopes=scopes,
            access_type=request.access_type,
            # A refresh token only with offline access and only when consent was shown:
            # the first consent, or consent asked again (reference §1.2).
            issue_refresh_token=refresh,
            code_challenge=request.code_challenge,
            code_challenge_method=request.code_challenge_method,
            nonce=request.nonce,
            auth_time=auth_times.get(user.pk, now),
            expires_at=now + ctx.lifetimes.code,
            auth_time_requested=request.auth_time_requested,
            refresh_lifetime=(
                policy.refresh_lifetime(client, scopes, ctx.scopes.basic, duration)
                if refresh
                else None
            ),
        )
    )


def allowed(ctx: Context, client: Client, user: User, scopes: Sequence[str], now: int) -> None:
    """The consent screen's audience and the user's organization's API controls
    (``accord.protocol.policy``); a refusal is shown on a page and audited."""
    store = ctx.store
    try:
        policy.check_audience(
            client, user, lambda: store.is_test_user(client.project_pk, user.email)
        )
        policy.check_controls(
            client,
            user.org_pk,
            scopes,
            ctx.scopes.service,
            lambda org_pk: store.org_controls(org_pk, client.client_id),
        )
    except OAuthError as exc:
        store.record(_event("policy.denied", now, user, client, exc.code))
        raise


def _event(
    name: str, now: int, user: User, client: Client, outcome: str, scopes: str = ""
) -> AuditEvent:
    return AuditEvent(
        event=name,
        at=now,
        user_pk=user.pk,
        email=user.email,
        org_pk=user.org_pk,
        project_pk=client.project_pk,
        client_id=client.client_id,
        outcome=outcome,
        detail=(("scopes", scopes),) if scopes else (),
    )
