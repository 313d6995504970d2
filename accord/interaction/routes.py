"""The pages: sign in, choose an account, consent; and signing out.

Each POST checks the session's CSRF token and the interaction's binding to this
browser, then hands the result to ``accord.protocol.decide`` like the
authorization endpoint does.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accord.composition import deps
from accord.google import paths, scopes
from accord.interaction.session import Session
from accord.interaction.signin_page import client_address, safe_continue
from accord.interaction.store import Interaction
from accord.interaction.throttle import Attempt
from accord.protocol.client_auth import check_usable
from accord.protocol.decide import Refuse, ShowPage, decide
from accord.protocol.errors import AccessDenied, InvalidRequest
from accord.protocol.messages import (
    AccessType,
    AuthorizationRequest,
    Client,
    ClientStatus,
    User,
)
from accord.protocol.prompts import Progress, Step
from accord.protocol.respond import AuthorizationResponse, refusal, respond
from accord.web.forms import body_pairs
from accord.web.render import error_page, page

PAGES = {Step.LOGIN: paths.SIGNIN, Step.SELECT_ACCOUNT: paths.CHOOSER, Step.CONSENT: paths.CONSENT}


def _answer(response: AuthorizationResponse, session: Session, request: Request) -> Response:
    """Send the authorization response back to the client in its response mode."""
    if response.mode != "form_post":
        return _redirect(response.url, session, request)
    page_response = page(
        request,
        "form_post.html",
        {"action": response.redirect_uri, "params": list(response.params.items())},
    )
    deps(request).sessions.save(page_response, session)
    return page_response


def _redirect(url: str, session: Session, request: Request) -> Response:
    # 303: the browser follows a POST's answer with a GET.
    response = RedirectResponse(url, status_code=303 if request.method == "POST" else 302)
    deps(request).sessions.save(response, session)
    return response


def advance(
    request: Request,
    client: Client,
    areq: AuthorizationRequest,
    session: Session,
    interaction: Interaction | None,
    approved: frozenset[str] | None = None,
    duration: int | None = None,
) -> Response:
    """Decide the next step; start or finish the stored interaction accordingly."""
    state = deps(request)
    ctx = state.ctx
    signed_in = for_domain(areq, state.store.users_by_pk(session.user_pks))
    progress = Progress(interaction.chosen_user_pk if interaction else None)
    if interaction is not None and approved is not None:
        # The consent answer finishes the interaction: claim it before anything is
        # written, so a double-clicked Allow cannot issue a second code.
        if not state.interactions.finish(interaction.pk, ctx.clock.now()):
            raise InvalidRequest("This sign-in request was already completed.")
        interaction = None
    outcome = decide(
        ctx, client, areq, signed_in, progress, dict(session.accounts), approved, duration
    )
    if isinstance(outcome, ShowPage):
        if interaction is None:
            interaction_id, pk = state.interactions.create(areq, session.csrf, ctx.clock.now())
            if progress.chosen_user_pk is not None:
                state.interactions.choose(pk, progress.chosen_user_pk)
        else:
            interaction_id, pk = request.query_params["i"], interaction.pk
        if outcome.user is not None and (
            interaction is None or interaction.chosen_user_pk != outcome.user.pk
        ):
            state.interactions.choose(pk, outcome.user.pk)
        url = f"{PAGES[outcome.step]}?{urlencode({'i': interaction_id})}"
        return _redirect(url, session, request)
    if interaction is not None and not state.interactions.finish(interaction.pk, ctx.clock.now()):
        raise InvalidRequest("This sign-in request was already completed.")
    if isinstance(outcome, Refuse):
        return _answer(refusal(areq, outcome.error), session, request)
    return _answer(respond(ctx, client, areq, outcome.grant), session, request)


class Pending:
    """The interaction named by ``?i=`` and everything a page needs about it."""

    def __init__(self, request: Request) -> None:
        request.state.page = True
        # A stale or forged form is not the app's fault: say so, not "Access blocked".
        request.state.error_title = "This sign-in page has expired"
        self.request = request
        self.state = deps(request)
        self.session: Session = self.state.sessions.load(request)
        self.interaction_id = request.query_params.get("i", "")
        now = self.state.ctx.clock.now()
        found = self.state.interactions.find(self.interaction_id, self.session.csrf, now)
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
        context = {
            "app_name": self.client.project_name,
            "csrf": self.session.csrf,
            "interaction_id": self.interaction_id,
            **extra,
        }
        response = page(self.request, template, context, status)
        self.state.sessions.save(response, self.session)
        return response

    async def form(self) -> dict[str, list[str]]:
        form: dict[str, list[str]] = {}
        for name, value in await body_pairs(self.request):
            form.setdefault(name, []).append(value)
        if not self.session.check_csrf((form.get("csrf") or [""])[0]):
            raise InvalidRequest("The form has expired. Go back and try again.")
        return form

    def advance(
        self, approved: frozenset[str] | None = None, duration: int | None = None
    ) -> Response:
        return advance(
            self.request,
            self.client,
            self.areq,
            self.session,
            self.interaction,
            approved,
            duration,
        )

    def deny(self) -> Response:
        if not self.state.interactions.finish(self.interaction.pk, self.state.ctx.clock.now()):
            raise InvalidRequest("This sign-in request was already completed.")
        return _answer(refusal(self.areq, AccessDenied()), self.session, self.request)


async def signin(request: Request) -> Response:
    pending = Pending(request)
    if request.method == "GET":
        hint = pending.areq.login_hint or ""
        # Pre-fill an email hint; a sub is not shown (it would not fit an email field).
        return pending.render("signin.html", email=hint if "@" in hint else "")
    form = await pending.form()
    email = (form.get("email") or [""])[0].strip()
    password = (form.get("password") or [""])[0]
    attempt = Attempt(
        email, password, client_address(request), "authorize", pending.client.client_id
    )
    # Throttled, then one argon2 verification whether or not the account exists (off the
    # event loop); unknown accounts and wrong passwords get the same answer.
    verdict = await run_in_threadpool(pending.state.signins.check, attempt)
    if verdict.user is None:
        return pending.render("signin.html", verdict.status, email=email, error=verdict.message)
    user: User = verdict.user
    pending.session = pending.session.signed_in(user.pk, pending.state.ctx.clock.now())
    pending.state.interactions.choose(pending.interaction.pk, user.pk)
    pending.interaction = _chosen(pending.interaction, user.pk)
    return pending.advance()


def for_domain(areq: AuthorizationRequest, users: list[User]) -> list[User]:
    """``hd`` streamlines the choice to that domain's accounts (reference §1.1); the client
    must still check the ``hd`` claim. ``hd=*`` asks for any organization account."""
    if not areq.hd or areq.hd == "*":
        return users
    suffix = "@" + areq.hd.lower()
    return [u for u in users if u.email.lower().endswith(suffix)]


async def chooser(request: Request) -> Response:
    pending = Pending(request)
    accounts = for_domain(
        pending.areq, pending.state.store.users_by_pk(pending.session.user_pks)
    )
    if request.method == "GET":
        return pending.render("chooser.html", accounts=accounts)
    form = await pending.form()
    sub = (form.get("account") or [""])[0]
    user = next((u for u in accounts if u.sub == sub), None)
    if user is None:
        return pending.render("chooser.html", 400, accounts=accounts, error="Choose an account.")
    pending.state.interactions.choose(pending.interaction.pk, user.pk)
    pending.interaction = _chosen(pending.interaction, user.pk)
    return pending.advance()


async def consent(request: Request) -> Response:
    pending = Pending(request)
    form = await pending.form() if request.method == "POST" else {}
    action = (form.get("action") or [""])[0]
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
    if (form.get("account") or [""])[0] != user.sub:
        # The page was shown for another account than the one now chosen: show it again.
        return pending.advance()
    if action != "allow":
        raise InvalidRequest("Choose Allow or Cancel.")
    ticked = set(form.get("scope", [])) & set(choices)
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


def _duration(form: dict[str, list[str]], offered: tuple[tuple[str, str], ...]) -> int | None:
    chosen = (form.get("duration") or [""])[0]
    if not offered or not chosen:
        return None
    if chosen not in dict(offered):
        raise InvalidRequest("Choose how long the app may keep access.")
    return int(chosen)


def _chosen(interaction: Interaction, user_pk: int) -> Interaction:
    from dataclasses import replace

    return replace(interaction, chosen_user_pk=user_pk)


async def signout(request: Request) -> Response:
    """Sign out of one account (``account`` = its sub) or of all; POST with the CSRF token.
    Then go to ``continue`` when it is a path of this origin, else to the home page."""
    request.state.page = True
    request.state.error_title = "This page has expired"
    sessions = deps(request).sessions
    session: Session = sessions.load(request)
    form: dict[str, str] = dict(await body_pairs(request))
    if not session.check_csrf(form.get("csrf")):
        raise InvalidRequest("The form has expired. Go back and try again.")
    sub = form.get("account")
    if sub:
        users = deps(request).store.users_by_pk(session.user_pks)
        target = next((u.pk for u in users if u.sub == sub), None)
        session = session.signed_out(target) if target is not None else session
    else:
        session = session.signed_out()
    return _redirect(safe_continue(form.get("continue"), "/"), session, request)


async def home(request: Request) -> Response:
    request.state.page = True
    sessions = deps(request).sessions
    session: Session = sessions.load(request)
    accounts = deps(request).store.users_by_pk(session.user_pks)
    signup = deps(request).settings.signup
    context = {"accounts": accounts, "csrf": session.csrf, "signup": signup}
    response = page(request, "home.html", context)
    sessions.save(response, session)
    return response


routes = [
    Route("/", home, methods=["GET"]),
    Route(paths.SIGNIN, signin, methods=["GET", "POST"]),
    Route(paths.CHOOSER, chooser, methods=["GET", "POST"]),
    Route(paths.CONSENT, consent, methods=["GET", "POST"]),
    Route(paths.SIGNOUT, signout, methods=["POST"]),
]

__all__ = ["advance", "routes", "error_page"]
