"""Signing in outside an authorization request, and self-service sign-up.

``/signin/v2/identifier?continue=/account`` (Google's ServiceLogin page) adds an account
to the browser session and goes on to ``continue``, which must be a path of this origin:
anything else (another origin, ``//host``, a backslash, a scheme) goes to the account
page, so the page cannot be used to bounce people to other sites.

``/signup`` exists only when the operator sets ACCORD_SIGNUP=1. Its errors do not say
whether an email has an account beyond what creating one must reveal: a taken email
gets the same words as any other refusal, and counts as a failure of the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accord.composition import deps
from accord.interaction.throttle import THROTTLED, Attempt, PasswordCheck
from accord.protocol.messages import AuditEvent, User
from accord.services import ServiceError, rules
from accord.web.page import Page

SIGNIN = "/signin/v2/identifier"
SIGNUP = "/signup"
ACCOUNT = "/account"
SIGNUP_REFUSED = "Couldn't create the account. Try another email or sign in."


def password_problem(new: str, confirm: str) -> str | None:
    """What is wrong with a new password and its confirmation: the services' rule
    (``accord.services.rules.password``; argon2 hashes whatever it gets: the rule
    bounds the work), then the confirmation."""
    try:
        rules.password(new)
    except ServiceError as exc:
        if len(new) < rules.MIN_PASSWORD:
            return f"Use {rules.MIN_PASSWORD} characters or more for your password."
        return str(exc).capitalize() + "."
    if new != confirm:
        return "Those passwords didn't match. Try again."
    return None


def safe_continue(value: str | None, default: str = ACCOUNT) -> str:
    """``value`` if it is a path on this origin ("/..." but not "//..."), else ``default``."""
    if not value or len(value) > 2048 or not value.startswith("/"):
        return default
    if value.startswith("//") or "\\" in value:
        return default
    # Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"): refuse
    # every control character and space.
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


class PageSession(Page):
    """A page outside any authorization request: the browser session, its CSRF-checked
    forms, and answers that save the session."""

    def __init__(self, request: Request) -> None:
        super().__init__(request, "This page has expired")

    @property
    def signins(self) -> PasswordCheck:
        check: PasswordCheck = self.state.signins
        return check

    def render(self, template: str, status: int = 200, **extra: Any) -> Response:
        context = {"csrf": self.session.csrf, "signup": self.state.settings.signup, **extra}
        return super().render(template, status, **context)

    def signed_in(self, user: User) -> None:
        self.session = self.session.signed_in(user.pk, self.now)

    def audit(self, event: str, user: User, outcome: str = "ok", **detail: str) -> None:
        self.state.audit.record(
            AuditEvent(
                event=event,
                at=self.now,
                user_pk=user.pk,
                email=user.email,
                org_pk=user.org_pk,
                address=client_address(self.request),
                outcome=outcome,
                detail=tuple(sorted(detail.items())),
            )
        )


def signin_url(continue_to: str) -> str:
    return f"{SIGNIN}?{urlencode({'continue': continue_to})}"


async def signin(request: Request) -> Response:
    ps = PageSession(request)
    target = safe_continue(request.query_params.get("continue"))
    if request.method == "GET":
        return ps.render("signin_standalone.html", email="", continue_to=target)
    form = await ps.form()
    target = safe_continue(form.raw("continue"), target)
    email = form.get("email")
    attempt = Attempt(email, form.raw("password"), client_address(request), "signin")
    verdict = await run_in_threadpool(ps.signins.check, attempt)
    if verdict.user is None:
        return ps.render(
            "signin_standalone.html",
            verdict.status,
            email=email,
            continue_to=target,
            error=verdict.message,
        )
    ps.signed_in(verdict.user)
    return ps.redirect(target)


@dataclass(frozen=True)
class SignUp:
    name: str
    email: str
    password: str
    confirm: str

    def problem(self) -> str | None:
        if not self.name or len(self.name) > 200:
            return "Enter your name (at most 200 characters)."
        if "@" not in self.email or len(self.email) > 320:
            return "Enter an email address."
        return password_problem(self.password, self.confirm)


async def signup(request: Request) -> Response:
    if not deps(request).settings.signup:
        raise HTTPException(404, "The requested URL was not found on this server.")
    ps = PageSession(request)
    target = safe_continue(request.query_params.get("continue"))
    if request.method == "GET":
        return ps.render("signup.html", name="", email="", continue_to=target)
    form = await ps.form()
    target = safe_continue(form.raw("continue"), target)
    wanted = SignUp(
        form.get("name"), form.get("email").lower(), form.raw("password"), form.raw("confirm")
    )

    def again(status: int, error: str) -> Response:
        return ps.render(
            "signup.html", status, name=wanted.name, email=wanted.email,
            continue_to=target, error=error,
        )

    address = client_address(request)
    throttle = ps.signins.throttle
    if await run_in_threadpool(throttle.address_blocked, address):
        return again(429, THROTTLED)
    problem = wanted.problem()
    if problem is not None:
        return again(400, problem)
    user = await run_in_threadpool(_create, ps, wanted)
    if user is None:
        await run_in_threadpool(throttle.failed_at, address)
        return again(400, SIGNUP_REFUSED)
    ps.audit("account.created", user, via="signup")
    ps.signed_in(user)
    return ps.redirect(target)


def _create(ps: PageSession, wanted: SignUp) -> User | None:
    """The new account, or None when it cannot be made (taken, invalid, or an
    organization's domain: its administrators create those accounts)."""
    try:
        ps.state.services.signup.sign_up(wanted.email, wanted.password, wanted.name)
    except ServiceError:
        return None
    found = ps.state.ctx.store.user_by_login(wanted.email)
    return None if found is None else found[0]


routes = [
    Route(SIGNIN, signin, methods=["GET", "POST"]),
    Route(SIGNUP, signup, methods=["GET", "POST"]),
]
