"""Which page, if any, an authorization request needs before a code can be issued.

The decision is pure: it reads the request, the accounts signed in to this
browser, what the chosen user already granted the project, and what this
interaction has already done. ``prompt=none`` turns every page into the OIDC
error that names it (OIDC Core §3.1.2.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from accord.protocol.errors import ConsentRequired, InteractionRequired, LoginRequired
from accord.protocol.messages import AccessType, AuthorizationRequest, Prompt, User


class Step(StrEnum):
    LOGIN = "login"
    SELECT_ACCOUNT = "select_account"
    CONSENT = "consent"
    ISSUE = "issue"


@dataclass(frozen=True)
class Progress:
    """What the interaction has done so far."""

    chosen_user_pk: int | None = None  # picked or signed in during this interaction
    started_at: int | None = None  # when the stored interaction began (None: not yet stored)


def sign_in_again(
    request: AuthorizationRequest, auth_time: int, now: int, progress: Progress
) -> bool:
    """``max_age`` (OIDC Core §3.1.2.1): the account's sign-in is older than max_age
    seconds, and the user has not signed in since this request arrived. ``max_age=0``
    therefore always asks for the password once per request (like ``prompt=login``)."""
    if request.max_age is None:
        return False
    if auth_time <= 0:
        return True
    if progress.started_at is not None and auth_time >= progress.started_at:
        return False  # signed in during this interaction
    return request.max_age == 0 or now - auth_time > request.max_age


def pick_account(
    request: AuthorizationRequest, signed_in: Sequence[User], progress: Progress
) -> User | Step:
    """The account the request is for, or the page that must find it."""
    if progress.chosen_user_pk is not None:
        for user in signed_in:
            if user.pk == progress.chosen_user_pk:
                return user
    if Prompt.SELECT_ACCOUNT in request.prompt:
        return Step.SELECT_ACCOUNT if signed_in else Step.LOGIN
    hint = (request.login_hint or "").strip().lower()
    if hint:
        for user in signed_in:
            if hint in (user.email.lower(), user.sub):
                return user
        return Step.LOGIN
    if len(signed_in) == 1:
        return signed_in[0]
    return Step.SELECT_ACCOUNT if signed_in else Step.LOGIN


def needs_consent(
    request: AuthorizationRequest, granted: frozenset[str], has_live_refresh_token: bool
) -> bool:
    """Consent is shown when asked for, for any scope not yet granted to the project,
    and for offline access while the user holds no live refresh token for the client:
    a refresh token is issued only when consent is shown (reference §1.2)."""
    if Prompt.CONSENT in request.prompt:
        return True
    if not set(request.scopes) <= granted:
        return True
    return request.access_type is AccessType.OFFLINE and not has_live_refresh_token


def refuse_silently(request: AuthorizationRequest, step: Step) -> None:
    """With ``prompt=none`` any page is an error sent back to the client."""
    if Prompt.NONE not in request.prompt or step is Step.ISSUE:
        return
    if step is Step.LOGIN:
        raise LoginRequired("The user is not signed in.")
    if step is Step.SELECT_ACCOUNT:
        raise InteractionRequired("The user must choose an account.")
    raise ConsentRequired("The user has not granted the requested scopes.")


def granted_for_code(
    request: AuthorizationRequest, approved: frozenset[str], project_grant: frozenset[str]
) -> tuple[str, ...]:
    """The scopes a code carries: the requested scopes the user approved in this
    request (all of them when consent was not shown), plus, with
    ``include_granted_scopes=true``, everything the user has granted the project
    (incremental authorization, reference §1.2)."""
    scopes = set(request.scopes) & approved
    if request.include_granted_scopes:
        scopes |= project_grant
    return tuple(sorted(scopes))


def for_domain(request: AuthorizationRequest, users: Sequence[User]) -> list[User]:
    """``hd`` streamlines the choice to that domain's accounts (reference §1.1); the client
    must still check the ``hd`` claim. ``hd=*`` asks for any organization account."""
    if not request.hd or request.hd == "*":
        return list(users)
    suffix = "@" + request.hd.lower()
    return [u for u in users if u.email.lower().endswith(suffix)]
