"""The pages: sign in, choose an account, consent; and signing out.

Each POST checks the session's CSRF token and the interaction's binding to this
browser, then hands the answer to the authorization flow (``accord.protocol.flow``)
like the authorization endpoint does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accord.google import paths, scopes
from accord.interaction.signin_page import client_address, safe_continue
from accord.interaction.store import Interaction
from accord.interaction.throttle import Attempt
from accord.protocol.client_auth import check_usable
from accord.protocol.errors import InvalidRequest
from accord.protocol.flow import Pending
from accord.protocol.messages import AccessType, Client, ClientStatus, User
from accord.protocol.prompts import for_domain
from accord.web.page import Form, Page


class PromptPage(Page):
    """The interaction named by ``?i=`` and everything a page needs about it."""

    def __init__(self, request: Request) -> None:
        # A stale or forged form is not the app's fault: say so, not "Access blocked".
        super().__init__(request, "This sign-in page has expired")
        self.interaction_id = request.query_params.get("i", "")
        found = self.state.interactions.find(self.interaction_id, self.session.csrf, self.now)
        if found is None or found.finished:
            raise InvalidRequest("This sign-in request has expired or was already completed.")
        self.interaction: Interaction = found
        self.areq = found.request
        client = self.state.ctx.store.client(self.areq.client_id)
        if client is None:
            raise InvalidRequest("The OAuth client was not found.")
        self.client: Client = client
        request.state.app_name = client.project_name
        if client.status is not ClientStatus.ACTIVE:
            # Disabled or deleted since the request arrived: nothing more may be issued
            # for it, on Google's page for its code (reference §1.1).
            request.state.error_title = None
            check_usable(client)

    def render(self, template: str, status: int = 200, **extra: Any) -> Response:
        return super().render(
            template, status, app_name=self.client.project_name, csrf=self.session.csrf,
            interaction_id=self.interaction_id, **extra,
        )

    def chose(self, user: User) -> None:
        self.state.interactions.choose(self.interaction.pk, user.pk)
        self.interaction = replace(self.interaction, chosen_user_pk=user.pk)

    @property
    def pending(self) -> Pending:
        found = self.interaction
        return Pending(self.interaction_id, found.pk, found.chosen_user_pk, found.started_at)

    def advance(
        self, approved: frozenset[str] | None = None, duration: int | None = None
    ) -> Response:
        return self.answer(self.flow.advance(
            self.client, self.areq, self.browser(), self.pending, approved, duration
        ))

    def deny(self) -> Response:
        return self.answer(self.flow.deny(self.areq, self.pending))


async def signin(request: Request) -> Response:
    pending = PromptPage(request)
    if request.method == "GET":
        hint = pending.areq.login_hint or ""
        chosen = pending.interaction.chosen_user_pk
        if "@" not in hint and chosen is not None:  # signing in again (max_age)
            again = pending.state.store.users_by_pk([chosen])
            hint = again[0].email if again else hint
        # Pre-fill an email hint; a sub is not shown (it would not fit an email field).
        return pending.render("signin.html", email=hint if "@" in hint else "")
    form = await pending.form()
    email = form.get("email")
    attempt = Attempt(
        email, form.raw("password"), client_address(request), "authorize",
        pending.client.client_id,
    )
    # Throttled, then one argon2 verification whether or not the account exists (off the
    # event loop); unknown accounts and wrong passwords get the same answer.
    verdict = await run_in_threadpool(pending.state.signins.check, attempt)
    if verdict.user is None:
        return pending.render("signin.html", verdict.status, email=email, error=verdict.message)
    user: User = verdict.user
    pending.session = pending.session.signed_in(user.pk, pending.now)
    pending.chose(user)
    return pending.advance()


async def chooser(request: Request) -> Response:
    pending = PromptPage(request)
    accounts = for_domain(pending.areq, pending.accounts())
    if request.method == "GET":
        return pending.render("chooser.html", accounts=accounts)
    form = await pending.form()
    sub = form.raw("account")
    user = next((u for u in accounts if u.sub == sub), None)
    if user is None:
        return pending.render("chooser.html", 400, accounts=accounts, error="Choose an account.")
    pending.chose(user)
    return pending.advance()


async def consent(request: Request) -> Response:
    pending = PromptPage(request)
    form = await pending.form() if request.method == "POST" else Form([])
    action = form.raw("action")
    if action == "deny":  # whatever else changed meanwhile, Cancel means no
        return pending.deny()
    user_pk = pending.interaction.chosen_user_pk
    users = pending.state.store.users_by_pk([user_pk] if user_pk else [])
    if not users or user_pk not in pending.session.user_pks:
        return pending.advance()  # the account is not settled (or signed out): decide again
    user = users[0]
    requested = pending.areq.scopes
    granted = pending.state.ctx.store.granted_scopes(user.pk, pending.client.project_pk)
    signin_scopes = [s for s in requested if scopes.is_signin(s)]
    already = [s for s in requested if not scopes.is_signin(s) and s in granted]
    choices = [s for s in requested if not scopes.is_signin(s) and s not in granted]
    offline = pending.areq.access_type is AccessType.OFFLINE
    durations = DURATIONS if offline and pending.state.settings.time_based_access else ()
    if request.method == "GET":
        return pending.render(
            "consent.html",
            user=user,
            signin_scopes=[scopes.describe(s) for s in signin_scopes],
            already=[scopes.describe(s) for s in already],
            scopes=[scopes.describe(s) for s in choices],
            screen=pending.state.store.consent_screen(pending.client.project_pk),
            durations=durations,
        )
    if form.raw("account") != user.sub:
        # The page was shown for another account than the one now chosen: show it again.
        return pending.advance()
    if action != "allow":
        raise InvalidRequest("Choose Allow or Cancel.")
    ticked = set(form.all("scope")) & set(choices)
    # Scopes granted before stay granted (Google lists them as already allowed).
    approved = frozenset(ticked | set(signin_scopes) | set(already))
    if not approved:
        return pending.deny()
    return pending.advance(approved, _duration(form, durations))


# Time-based access (reference §1.2): the choices the consent page offers, in seconds.
DURATIONS = (
    ("", "Until you remove access"),
    ("3600", "1 hour"),
    ("86400", "1 day"),
    ("604800", "1 week"),
    ("2592000", "30 days"),
)


def _duration(form: Form, offered: tuple[tuple[str, str], ...]) -> int | None:
    chosen = form.raw("duration")
    if not offered or not chosen:
        return None
    if chosen not in dict(offered):
        raise InvalidRequest("Choose how long the app may keep access.")
    return int(chosen)


async def signout(request: Request) -> Response:
    """Sign out of one account (``account`` = its sub) or of all; POST with the CSRF token.
    Then go to ``continue`` when it is a path of this origin, else to the home page."""
    here = Page(request, "This page has expired")
    form = await here.form()
    sub = form.raw("account")
    if sub:
        target = next((u.pk for u in here.accounts() if u.sub == sub), None)
        here.session = here.session.signed_out(target) if target is not None else here.session
    else:
        here.session = here.session.signed_out()
    return here.redirect(safe_continue(form.raw("continue"), "/"))


async def home(request: Request) -> Response:
    here = Page(request)
    signup = here.state.settings.signup
    return here.render("home.html", accounts=here.accounts(), csrf=here.session.csrf,
                       signup=signup)


routes = [
    Route("/", home, methods=["GET"]),
    Route(paths.SIGNIN, signin, methods=["GET", "POST"]),
    Route(paths.CHOOSER, chooser, methods=["GET", "POST"]),
    Route(paths.CONSENT, consent, methods=["GET", "POST"]),
    Route(paths.SIGNOUT, signout, methods=["POST"]),
]

__all__ = ["routes"]
