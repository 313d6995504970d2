"""What happens next for an authorization request: a page, a response, or a refusal.

Called by the authorization endpoint when a request arrives, and by the pages
(sign-in, account chooser, consent) each time the user answers one. It decides
through :func:`accord.protocol.decide.decide`, keeps the stored interaction in
step (created when a first page is needed, the chosen account remembered,
finished exactly once), and returns a typed result that the web layer renders:

- :class:`ShowPage`: which prompt to show, for which stored interaction;
- :class:`Send`: the authorization response for the client's redirect URI
  (a code or tokens, or an error such as ``access_denied`` or ``login_required``);
- :class:`Refusal`: an error for the user, never sent to the client.

It knows neither the web framework nor the pages' URLs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from accord.protocol import decide as decisions
from accord.protocol.context import Context
from accord.protocol.errors import AccessDenied, InvalidRequest, OAuthError
from accord.protocol.messages import AuthorizationRequest, Client, User
from accord.protocol.prompts import Progress, Step, for_domain
from accord.protocol.respond import AuthorizationResponse, refusal, respond

ALREADY_COMPLETED = "This sign-in request was already completed."


class Interactions(Protocol):
    """The stored interactions (``accord.interaction.store.Interactions``)."""

    def create(self, request: AuthorizationRequest, csrf: str, now: int) -> tuple[str, int]: ...

    def choose(self, pk: int, user_pk: int) -> None: ...

    def finish(self, pk: int, now: int) -> bool: ...


@dataclass(frozen=True)
class Browser:
    """The browser asking: its session's binding token and its signed-in accounts."""

    binding: str  # the session's CSRF token: a new interaction is bound to it
    signed_in: Sequence[User] = ()
    auth_times: Mapping[int, int] = field(default_factory=dict)  # user pk -> sign-in time


@dataclass(frozen=True)
class Pending:
    """The stored interaction a page answers."""

    id: str
    pk: int
    chosen_user_pk: int | None = None
    started_at: int | None = None  # when the interaction was stored (max_age)


@dataclass(frozen=True)
class ShowPage:
    """Show ``step``'s page for the stored interaction ``interaction_id``."""

    step: Step
    interaction_id: str
    user: User | None = None  # the account consent is asked of


@dataclass(frozen=True)
class Send:
    """The authorization response, in the request's response mode."""

    response: AuthorizationResponse


@dataclass(frozen=True)
class Refusal:
    """An error shown to the user on the error page."""

    error: OAuthError


Next = ShowPage | Send | Refusal


class Flow:
    def __init__(self, ctx: Context, interactions: Interactions) -> None:
        self.ctx = ctx
        self.interactions = interactions

    def advance(
        self,
        client: Client,
        request: AuthorizationRequest,
        browser: Browser,
        pending: Pending | None = None,
        approved: frozenset[str] | None = None,
        duration: int | None = None,
    ) -> Next:
        """Decide the next step; start or finish the stored interaction accordingly.

        ``approved`` and ``duration`` are the consent page's answer (None before it)."""
        signed_in = for_domain(request, browser.signed_in)
        progress = (
            Progress(pending.chosen_user_pk, pending.started_at) if pending else Progress()
        )
        if pending is not None and approved is not None:
            # The consent answer finishes the interaction: claim it before anything is
            # written, so a double-clicked Allow cannot issue a second code.
            if not self.interactions.finish(pending.pk, self.ctx.clock.now()):
                return Refusal(InvalidRequest(ALREADY_COMPLETED))
            pending = None
        try:
            outcome = decisions.decide(
                self.ctx, client, request, signed_in, progress, dict(browser.auth_times),
                approved, duration,
            )
        except OAuthError as exc:  # the audience or an organization's controls
            return Refusal(exc)
        if isinstance(outcome, decisions.ShowPage):
            return self._show(request, browser, pending, progress, outcome)
        if pending is not None and not self.interactions.finish(pending.pk, self.ctx.clock.now()):
            return Refusal(InvalidRequest(ALREADY_COMPLETED))
        if isinstance(outcome, decisions.Refuse):
            return Send(refusal(request, outcome.error))
        return Send(respond(self.ctx, client, request, outcome.grant))

    def deny(self, request: AuthorizationRequest, pending: Pending) -> Next:
        """The user said no (Cancel, or nothing ticked): ``access_denied`` to the client."""
        if not self.interactions.finish(pending.pk, self.ctx.clock.now()):
            return Refusal(InvalidRequest(ALREADY_COMPLETED))
        return Send(refusal(request, AccessDenied()))

    def _show(
        self,
        request: AuthorizationRequest,
        browser: Browser,
        pending: Pending | None,
        progress: Progress,
        outcome: decisions.ShowPage,
    ) -> ShowPage:
        if pending is None:
            interaction_id, pk = self.interactions.create(
                request, browser.binding, self.ctx.clock.now()
            )
            if progress.chosen_user_pk is not None:
                self.interactions.choose(pk, progress.chosen_user_pk)
        else:
            interaction_id, pk = pending.id, pending.pk
        if outcome.user is not None and (
            pending is None or pending.chosen_user_pk != outcome.user.pk
        ):
            self.interactions.choose(pk, outcome.user.pk)
        return ShowPage(outcome.step, interaction_id, outcome.user)
